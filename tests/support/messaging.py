"""Helpers for the messaging tests: users, files, a fake SMS gateway, a failing channel."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from iktipet.messaging.channels import BaseNotificationChannel, DeliveryFailed, sms_channels

KARI = "17819049912"  # synthetic persons in demo/persons.json: digital, email + mobile
AKSEL = "08846949934"  # reserved in the contact register (KRR)
NORA = "24927149989"  # contact data not verified for 18 months: may not be notified
EMMA = "14832699927"  # a child, not registered in KRR

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def pdf(name: str = "vedlegg.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name: str = "bilde.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def exe_named_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("faktura.pdf", EXE, content_type="application/pdf")


def make_user(username: str, *, kind: str = "citizen", email: str = "", name=("Kari", "Test")):
    from iktipet.accounts.models import User

    return User.objects.create(
        username=username, kind=kind, email=email, first_name=name[0], last_name=name[1]
    )


@sms_channels.register("test-failing")
class FailingSmsChannel(BaseNotificationChannel):
    """An SMS channel that always fails: chosen in tests by settings.SMS_CHANNEL."""

    label = "Always fails (tests)"
    calls: list[str] = []

    def send(self, *, to: str, subject: str, body: str) -> None:
        FailingSmsChannel.calls.append(to)
        raise DeliveryFailed("sms test-failing: gateway down")


@dataclass
class GatewayState:
    status: int = 200
    delay: float = 0.0
    url: str = ""
    seen: list[dict[str, Any]] = field(default_factory=list)


def gateway_handler(state: GatewayState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            state.seen.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "content_type": self.headers.get("Content-Type"),
                    "json": json.loads(self.rfile.read(length) or b"null"),
                }
            )
            if state.delay:
                time.sleep(state.delay)
            body = b'{"id": "m-1"}'
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up (timeout test)
                pass

    return Handler
