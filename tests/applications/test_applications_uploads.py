"""Uploads: type by content (magic bytes), size limits, private storage, who may download,
and the clamav plugin against a fake clamd speaking INSTREAM."""

from __future__ import annotations

import os
import socket
import socketserver
import struct
import tempfile
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iktipet.accounts.testing import sign_in_citizen
from iktipet.applications.models import Application, Attachment
from iktipet.core.errors import ActionRefused
from iktipet.documents.antivirus import Verdict, virus_scanners
from iktipet.documents.uploads import check_upload
from support.applications import KARI, OLA, form_service, publish, text
from support.form_browser import EXE, PDF, PNG

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def steps(accept=None, max_size_mb=1):
    field = {"id": "vedlegg", "type": "file", "label": text("Vedlegg"), "max_size_mb": max_size_mb}
    if accept:
        field["accept"] = accept
    return [
        {
            "id": "filer",
            "title": text("Filer"),
            "fields": [{"id": "navn", "type": "text", "label": text("Navn")}, field],
        }
    ]


def draft(client, accept=None, max_size_mb=1) -> Application:
    publish(form_service(steps(accept, max_size_mb)))
    url = reverse("applications:start", args=["testskjema"])
    client.post(url, {"start_token": "8f14e45f-ceea-467f-a0e6-5e7b4f2e1c11"})
    return Application.objects.latest("created_at")


def post_file(client, application, upload, navn="Kari"):
    url = reverse("applications:step", args=[application.pk, "filer"])
    return client.post(url, {"navn": navn, "vedlegg": upload, "_action": "next"})


def test_a_png_named_pdf_is_kept_as_png_when_png_is_allowed(kari_client):
    application = draft(kari_client)
    response = post_file(
        kari_client, application, SimpleUploadedFile("scan.pdf", PNG, "application/pdf")
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(application=application)
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "scan.pdf"
    assert attachment.size == len(PNG)
    assert not attachment.file.name.endswith(".pdf")  # stored names reveal nothing


def test_a_png_named_pdf_is_refused_when_only_pdf_is_allowed(kari_client):
    application = draft(kari_client, accept=["application/pdf"])
    response = post_file(
        kari_client, application, SimpleUploadedFile("scan.pdf", PNG, "application/pdf")
    )
    assert response.status_code == 200
    assert "Filtypen er ikke tillatt" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_exe_renamed_pdf_is_refused_and_other_answers_are_kept(kari_client):
    application = draft(kari_client)
    response = post_file(
        kari_client, application, SimpleUploadedFile("faktura.pdf", EXE, "application/pdf"), "Ola"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#f-vedlegg"' in page and "Filtypen er ikke tillatt" in page
    assert 'value="Ola"' in page
    assert not Attachment.objects.exists()
    application.refresh_from_db()
    assert application.answers["navn"] == "Ola"


def test_an_oversized_file_is_refused(kari_client):
    application = draft(kari_client, max_size_mb=1)
    big = PDF + b"0" * 1_000_001
    response = post_file(kari_client, application, SimpleUploadedFile("stor.pdf", big))
    assert response.status_code == 200
    assert "Filen er for stor" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_total_per_application_is_limited(settings):
    settings.UPLOAD_MAX_TOTAL_MB = 1
    upload = SimpleUploadedFile("a.pdf", PDF)
    with pytest.raises(ActionRefused) as caught:
        check_upload(upload, accept=None, already_stored=999_990)
    assert caught.value.code == "total_too_large"


def test_download_only_for_the_applicant(client, kari, ola):
    sign_in_citizen(client, KARI)
    application = draft(client)
    post_file(client, application, SimpleUploadedFile("kart.pdf", PDF))
    attachment = Attachment.objects.get()
    url = reverse("applications:attachment", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    sign_in_citizen(client, OLA, name=("Ola", "Nordmann-Test"))
    assert client.get(url).status_code == 404


def test_removing_a_file(kari_client):
    application = draft(kari_client)
    post_file(kari_client, application, SimpleUploadedFile("kart.pdf", PDF))
    attachment = Attachment.objects.get()
    stored = attachment.file.name
    storage = attachment.file.storage
    url = reverse("applications:step", args=[application.pk, "filer"])
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        kari_client.post(url, {"navn": "Kari", "_action": f"remove-file:{attachment.pk}"})
    assert not Attachment.objects.exists()
    assert not storage.exists(stored)


# --- clamav ---------------------------------------------------------------------------------


class _FakeClamd(socketserver.BaseRequestHandler):
    """Speaks clamd's zINSTREAM: finds the EICAR string, answers OK otherwise."""

    def handle(self):
        sock = self.request
        command = b""
        while not command.endswith(b"\0"):
            command += sock.recv(1)
        if command == b"zPING\0":
            sock.sendall(b"PONG\0")
            return
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            size = struct.unpack("!L", _exactly(sock, 4))[0]
            if size == 0:
                break
            data += _exactly(sock, size)
        reply = b"stream: Eicar-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
        sock.sendall(reply)


def _exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


class _Tcp(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class _Unix(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


@pytest.fixture
def clamd_tcp():
    server = _Tcp(("127.0.0.1", 0), _FakeClamd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def clamd_unix():
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "clamd.sock")
    server = _Unix(path, _FakeClamd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"unix://{path}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("which", ["clamd_tcp", "clamd_unix"])
def test_clamav_plugin_finds_eicar_and_passes_clean_files(which, request):
    url = request.getfixturevalue(which)
    scanner = virus_scanners.create("clamav", url=url, timeout=5)
    assert scanner.check_config() == []
    big = PDF + b"x" * 200_000  # several INSTREAM chunks
    assert scanner.scan([big]).verdict == Verdict.CLEAN
    infected = scanner.scan([b"prefix ", EICAR, b" suffix"])
    assert infected.verdict == Verdict.INFECTED
    assert infected.detail == "Eicar-Signature"


def test_clamav_unreachable_fails_closed():
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    scanner = virus_scanners.create("clamav", url=f"tcp://127.0.0.1:{port}", timeout=2)
    assert scanner.scan([PDF]).verdict == Verdict.ERROR
    with pytest.raises(ActionRefused) as caught:
        check_upload(
            SimpleUploadedFile("a.pdf", PDF), accept=None, already_stored=0, scanner=scanner
        )
    assert caught.value.code == "scan_failed"


def test_clamav_bad_url_is_reported_to_operators():
    assert virus_scanners.check_config("clamav", url="http://clamd") != []


def test_infected_upload_is_refused_over_http(kari_client, settings, clamd_tcp):
    settings.ANTIVIRUS = "clamav"
    settings.CLAMAV_URL = clamd_tcp
    application = draft(kari_client)
    response = post_file(kari_client, application, SimpleUploadedFile("virus.pdf", PDF + EICAR))
    assert response.status_code == 200
    assert "skadelig innhold" in response.content.decode()
    assert not Attachment.objects.exists()
    post_file(kari_client, application, SimpleUploadedFile("ren.pdf", PDF))
    assert Attachment.objects.get().scan_status == "clean"
