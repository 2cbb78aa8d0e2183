"""Pages gzipped by zlib-ng, everything else as Django's GZipMiddleware: the random padding in
each stream's header (BREACH), Vary, Content-Length, weak ETags; read back by the standard
library's gzip and zlib, as any client's gzip would."""

from __future__ import annotations

import gzip
import os
import zlib

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from zlib_ng import zlib_ng

from iktipet.ops.compression import LEVEL, GZipMiddleware, gzip_page

PAGE = ("<p>Søknad om byggetillatelse, steg 2 av 6</p>\n" * 60).encode()


def _padding(stream: bytes) -> bytes:
    """The file name in a gzip header (RFC 1952) with only the FNAME flag."""
    assert stream[:4] == b"\x1f\x8b\x08\x08"
    return stream[10 : stream.index(b"\x00", 10)]


def _respond(response: HttpResponse | StreamingHttpResponse, accept: str = "gzip, deflate, br"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return GZipMiddleware(lambda _: response)(request)


def test_the_stream_is_gzip_at_the_level_with_random_padding_in_its_header_and_a_true_crc():
    streams = [gzip_page(PAGE, 100) for _ in range(40)]
    for stream in streams:
        assert gzip.decompress(stream) == PAGE
        padding = _padding(stream)
        assert set(padding) <= {ord("a")} and len(padding) < 100
        body = stream[10 + len(padding) + 1 : -8]
        assert body == zlib_ng.compress(PAGE, LEVEL, -zlib_ng.MAX_WBITS)
        assert zlib.decompress(body, -zlib.MAX_WBITS) == PAGE
    assert len({len(_padding(stream)) for stream in streams}) > 5  # drawn per response


def test_the_middleware_is_the_one_in_settings():
    assert "iktipet.ops.compression.GZipMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.gzip.GZipMiddleware" not in settings.MIDDLEWARE


def test_a_page_is_compressed_by_zlib_ng_with_django_s_headers():
    page = HttpResponse(PAGE, headers={"ETag": '"abc"', "Vary": "Cookie"})
    response = _respond(page)
    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Cookie, Accept-Encoding"
    assert response["ETag"] == 'W/"abc"'
    assert response["Content-Length"] == str(len(response.content))
    assert gzip.decompress(response.content) == PAGE
    padding = _padding(response.content)
    assert response.content[10 + len(padding) + 1 : -8] == zlib_ng.compress(
        PAGE, LEVEL, -zlib_ng.MAX_WBITS
    )


def test_without_gzip_accepted_the_page_is_sent_as_it_is_with_vary():
    response = _respond(HttpResponse(PAGE), accept="br")
    assert response.content == PAGE
    assert response["Vary"] == "Accept-Encoding"
    assert not response.has_header("Content-Encoding")


def test_short_and_encoded_responses_are_left_alone():
    short = _respond(HttpResponse(b"x" * 199))
    assert short.content == b"x" * 199 and not short.has_header("Vary")
    encoded = _respond(HttpResponse(PAGE, headers={"Content-Encoding": "br"}))
    assert encoded.content == PAGE and not encoded.has_header("Vary")


def test_a_response_compression_would_not_shorten_is_sent_as_it_is():
    noisy = os.urandom(300)  # deflate cannot shorten it
    response = _respond(HttpResponse(noisy))
    assert response.content == noisy
    assert not response.has_header("Content-Encoding")
    assert response["Vary"] == "Accept-Encoding"


def test_a_streaming_response_is_compressed_by_django_s_code():
    response = _respond(StreamingHttpResponse(iter([PAGE, PAGE])))
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == PAGE + PAGE
