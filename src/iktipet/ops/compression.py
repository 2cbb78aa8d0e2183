"""Pages gzipped as Django's ``GZipMiddleware`` does, at a cheaper level of compression.

Django compresses at level 6 (``compress_string``): measured here on the real pages (4–14 KB
of HTML, SQLite), 35–160 µs of CPU per page, a tenth to a sixth of a logged-in page's floor.
Level 3 (zlib's fast strategy, as levels 1–2; 4–9 search lazily) takes 20–80 µs for
3–8 % more bytes (a form step 2.14 → 2.28 KB, the staff case page 3.57 → 3.88 KB; the first
visit to a step, ~93 KB with its CSS and fonts, grows by 0.13 KB).

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
import zlib

from django.http import HttpRequest, HttpResponseBase
from django.middleware import gzip as django_gzip
from django.utils.cache import patch_vary_headers

#: zlib's level for pages: the fastest strategy's best ratio (see the module's docstring).
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
        + zlib.compress(content, level, -zlib.MAX_WBITS)
        + struct.pack("<LL", zlib.crc32(content), len(content) & 0xFFFFFFFF)
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
