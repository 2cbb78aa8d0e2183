"""Pages gzipped as Django's ``GZipMiddleware`` does, by zlib-ng instead of zlib.

Django compresses with zlib at level 6 (``compress_string``). Measured here on thirteen
pages that ``bench/bench_pages.py`` loads (3–49 KB of HTML), on a loaded machine: zlib level
6 took 97–346 µs a page, zlib level 3 94–142 µs (the setup of zlib's deflate stream is most
of a small page's cost), zlib-ng level 3 26–85 µs, for 2 % more bytes than zlib level 6 and
5 % fewer than zlib level 3 (the thirteen pages 29.2, 29.8 and 31.2 KB compressed). zlib-ng
writes the same deflate format, so any client that reads gzip reads it.

Everything else is Django's: responses under 200 bytes and those already encoded left
alone, ``Vary: Accept-Encoding``, the compressed body only when shorter, its
``Content-Length``, a strong ETag made weak, streaming responses compressed by Django's code.
So is the BREACH mitigation (Heal the Breach): each gzip stream carries a file name of
0–99 random bytes in its header, drawn anew per response, as ``compress_string`` with
``max_random_bytes`` writes it (see ``MIDDLEWARE`` in settings for the rest of the argument).
"""

from __future__ import annotations

import secrets
import struct

from django.http import HttpRequest, HttpResponseBase
from django.middleware import gzip as django_gzip
from django.utils.cache import patch_vary_headers
from zlib_ng import zlib_ng

#: zlib-ng's level for pages: near zlib's 6 in bytes at a third of zlib's 3 in CPU (see above).
LEVEL = 3

#: The gzip header (RFC 1952) of ``compress_string`` with ``max_random_bytes``: deflate, the
#: FNAME flag, no time, the file name (random padding) to follow.
_HEADER = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff"


def gzip_page(content: bytes, max_random_bytes: int, level: int = LEVEL) -> bytes:
    """``content`` as one gzip member whose header carries a file name of
    ``randbelow(max_random_bytes)`` bytes (``compress_string``'s padding), compressed at
    ``level``."""
    return (
        _HEADER
        + b"a" * secrets.randbelow(max_random_bytes)
        + b"\x00"
        + zlib_ng.compress(content, level, -zlib_ng.MAX_WBITS)
        + struct.pack("<LL", zlib_ng.crc32(content), len(content) & 0xFFFFFFFF)
    )


class GZipMiddleware(django_gzip.GZipMiddleware):
    """Django's, its pages compressed by :func:`gzip_page`; streaming responses Django's."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.streaming:
            return super().process_response(request, response)
        content = response.content  # type: ignore[attr-defined]
        if len(content) < 200 or response.has_header("Content-Encoding"):
            return response
        if response.has_header("Vary"):
            patch_vary_headers(response, ("Accept-Encoding",))
        else:
            response.headers["Vary"] = "Accept-Encoding"  # what patch_vary_headers sets
        if not django_gzip.re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = gzip_page(content, self.max_random_bytes)
        if len(compressed) >= len(content):
            return response
        response.content = compressed  # type: ignore[attr-defined]
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
