"""One limit on request bodies (413 before anything reads them, by Content-Length and while a
body of unknown length streams in), through the test client and the real `iktipet serve`;
and control characters in query parameters refused with a page that says so."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
import uuid
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serve_helpers import serving

pytestmark = pytest.mark.django_db

CONTROLS = [
    chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
]


@pytest.fixture
def nothing_reads_the_body(monkeypatch):
    """Fail the test if Django parses a request body (CSRF, a view, anything)."""

    def refuse(self):
        raise AssertionError("the body was read")

    monkeypatch.setattr(HttpRequest, "_load_post_and_files", refuse)


def test_the_default_limit_fits_every_upload_a_form_accepts(settings):
    total, one_file = settings.UPLOAD_MAX_TOTAL_MB, settings.UPLOAD_MAX_FILE_MB
    assert settings.REQUEST_MAX_BYTES == (total + one_file) * 1_000_000 == 60_000_000
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_500_000
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 1_000_000


def test_a_real_oversized_message_is_413_before_anything_reads_it(nothing_reads_the_body):
    """61 MB of files to a message endpoint (the issue's case, at the default limit)."""
    client = Client(enforce_csrf_checks=True)
    url = reverse("cases:message", args=[uuid.uuid4()])
    files = [SimpleUploadedFile(f"f{n}.pdf", b"%PDF-" + b"x" * 10_166_000) for n in range(6)]
    response = client.post(url, {"body": "Hei", "files": files})
    assert response.status_code == 413
    page = response.content.decode()
    assert "Det du sendte, er for stort" in page
    assert "høyst 60 MB" in page
    assert '<html lang="nb">' in page


def test_the_refusal_is_english_for_an_english_reader_and_json_for_a_client(settings):
    settings.REQUEST_MAX_BYTES = 1_000
    client = Client()
    body = {"body": "x" * 2_000}
    english = client.post("/i18n/setlang/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 413
    assert "What you sent is too large" in english.content.decode()
    api = client.post("/i18n/setlang/", body, HTTP_ACCEPT="application/json")
    assert api.status_code == 413
    assert api.json()["error"] == "request_too_large"


def test_under_the_limit_nothing_changes(settings):
    settings.REQUEST_MAX_BYTES = 1_000
    response = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403  # CSRF, as before: the body was read


# --- the real server --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`iktipet serve` with a 1 MB limit (files of at most 1 MB); its port."""
    tmp = tmp_path_factory.mktemp("serve")
    prefixes = ("IKTIPET_", "DJANGO_", "PROMETHEUS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(
        IKTIPET_VAR_DIR=str(tmp / "var"),
        IKTIPET_SECRET_KEY="limits-test-" + "s" * 40,
        IKTIPET_UPLOAD_MAX_FILE_MB="1",
        IKTIPET_REQUEST_MAX_MB="1",
    )
    with serving(env, tmp / "serve.log") as (_base, port):
        yield port


def _send(port: int, head: bytes, chunks, *, total_timeout: float = 20) -> tuple[bytes, int]:
    """Send ``head`` then ``chunks`` until the server answers; (the answer, bytes of body
    sent)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=total_timeout) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        answer = b""
        for chunk in chunks:
            with contextlib.suppress(BlockingIOError):
                answer += sock.recv(65536)
            if answer:
                break
            try:
                sock.setblocking(True)
                sock.sendall(chunk)
                sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            finally:
                sock.setblocking(False)
        sock.setblocking(True)
        sock.settimeout(total_timeout)
        while b"\r\n\r\n" not in answer:
            more = sock.recv(65536)
            if not more:
                break
            answer += more
    return answer, sent


def test_served_a_declared_200_mb_body_is_refused_before_it_is_sent(served):
    head = (
        b"POST /min-side/saker/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/octet-stream\r\nContent-Length: 200000000\r\n\r\n"
    )
    piece = b"x" * 65536

    def slowly():
        for _ in range(3052):  # 200 MB, if nobody stops us
            yield piece
            time.sleep(0.001)

    answer, sent = _send(served, head, slowly())
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 20_000_000  # answered while the client was still sending


def _chunked(total: int, piece: int = 65536):
    sent = 0
    while sent < total:
        size = min(piece, total - sent)
        yield f"{size:x}\r\n".encode() + b"y" * size + b"\r\n"
        sent += size
    yield b"0\r\n\r\n"


def test_served_a_chunked_body_is_cut_off_at_the_limit(served):
    head = (
        b"POST /min-side/saker/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    answer, sent = _send(served, head, _chunked(50_000_000))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 10_000_000


def test_served_a_chunked_body_under_the_limit_is_read(served):
    """Django's WSGI handler alone reads a chunked body as empty (the CSRF check would fail):
    spooled with its length, the language switch works."""
    secret = "a" * 32
    body = urlencode({"csrfmiddlewaretoken": secret, "language": "en", "next": "/"}).encode()
    head = (
        b"POST /i18n/setlang/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
        + f"Cookie: csrftoken={secret}\r\n\r\n".encode()
    )
    frame = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    answer, _sent = _send(served, head, [frame, b""])
    status = answer.split(b"\r\n", 1)[0]
    assert status == b"HTTP/1.1 302 Found", answer[:300]
    assert b"django_language=en" in answer


# --- control characters in the address -------------------------------------------------------


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(["/", "/personvern/", "/tjenester/", "/min-side/", "/admin/"]),
    name=st.text(max_size=8),
    value=st.builds(
        lambda a, c, b: a + c + b,
        st.text(max_size=8),
        st.sampled_from(CONTROLS),
        st.text(max_size=8),
    ),
    in_name=st.booleans(),
)
def test_a_control_character_in_any_query_parameter_is_a_400_page(
    client, path, name, value, in_name
):
    params = {value: "x"} if in_name else {name or "q": value}
    response = client.get(path + "?" + urlencode(params))
    assert response.status_code == 400
    assert "Adressen inneholder et tegn som ikke er tillatt" in response.content.decode()


def test_the_query_refusal_in_english_and_json(client):
    english = client.get("/?sok=a%00b", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert "The address contains a character that is not allowed" in english.content.decode()
    api = client.get("/?sok=a%00b", HTTP_ACCEPT="application/json")
    assert json.loads(api.content)["error"] == "control_character"


def test_tab_and_line_breaks_in_a_query_are_fine(client):
    assert client.get("/personvern/?" + urlencode({"q": "a\tb\r\nc"})).status_code == 200


def test_the_deploy_manifests_carry_the_same_limit(settings):
    from pathlib import Path

    import yaml

    chart = Path(__file__).resolve().parents[2] / "deploy" / "helm" / "iktipet"
    values = yaml.safe_load((chart / "values.yaml").read_text())
    assert values["requestMaxMB"] * 1_000_000 == settings.REQUEST_MAX_BYTES
    web = (chart / "templates" / "web.yaml").read_text()
    assert "IKTIPET_REQUEST_MAX_MB, value: {{ .Values.requestMaxMB | quote }}" in web
    ingress = (chart / "templates" / "ingress.yaml").read_text()
    assert 'proxy-body-size: "{{ .Values.requestMaxMB }}m"' in ingress
