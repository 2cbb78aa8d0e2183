"""Print an API access token for a TestID machine client, got the production way: a signed
JWT grant POSTed to TestID's Maskinporten token endpoint over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from iktipet.testid.machine import GRANT_TYPE, machine_issuer, signed_grant
from iktipet.testid.models import MachineClient


class Command(BaseCommand):
    help = "Print an access token for the API from TestID's Maskinporten (demo and test only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("client_id", nargs="?", default="demo-fagsystem")
        parser.add_argument("--scope", default="", help="default: every scope of the client")

    def handle(self, *args: Any, client_id: str, scope: str, **options: Any) -> None:
        if not settings.TESTID_ENABLED:
            raise CommandError("TestID is off (IKTIPET_TESTID).")
        client = MachineClient.objects.filter(client_id=client_id).first()
        if client is None or not client.private_pem:
            raise CommandError(f"No TestID machine client {client_id!r} with a kept key.")
        grant = signed_grant(client, scope or " ".join(client.scopes), settings.API_AUDIENCE)
        try:
            response = httpx.post(
                f"{machine_issuer()}/token",
                data={"grant_type": GRANT_TYPE, "assertion": grant},
                timeout=10,
            )
        except httpx.HTTPError as exc:
            raise CommandError(f"TestID did not answer: {exc}") from exc
        if response.status_code != 200:
            raise CommandError(f"TestID refused: {response.text}")
        self.stdout.write(response.json()["access_token"])
