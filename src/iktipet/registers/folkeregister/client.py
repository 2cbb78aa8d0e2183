"""HTTP client for the Folkeregister "oppslag" API (Skatteetaten).

Built to the public contract as far as it is documented (skatteetaten.github.io/
folkeregisteret-api-dokumentasjon, "Endepunkter" and "Oppslag"):

* ``GET {base}/folkeregisteret/{rettighetspakke}/api/v1/personer/{fnr}?part=…`` returns one
  person as JSON; ``base`` is e.g. ``https://folkeregisteret.api.skatteetaten.no`` (production)
  or ``https://folkeregisteret-api-konsument.sits.no`` (consumer test). We ask for the parts
  ``person-basis`` and ``relasjon-utvidet``.
* Auth is a Maskinporten bearer token with the rettighetspakke's scope; getting one needs a
  virksomhetssertifikat and an agreement, so this client takes a ``token_provider`` callable.

ASSUMED, not verified against a live system: a 404 for an unknown number; the JSON element
names (``navn``, ``foedsel``, ``bostedsadresse[].vegadresse``, ``familierelasjon``,
``adressebeskyttelse``), taken from published examples of Skatteetaten's synthetic data.
Municipalities may instead reach the register through KS Fiks Folkeregister, whose API
differs; point ``IKTIPET_FOLKEREGISTER_URL`` at a proxy that speaks this contract then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.http import TokenRegisterClient

REGISTER = "folkeregister"
DEFAULT_RIGHTS_PACKAGE = "offentlig-med-hjemmel"
PARTS = ("person-basis", "relasjon-utvidet")


class FolkeregisterClient(TokenRegisterClient):
    register = REGISTER

    def __init__(
        self,
        base_url: str,
        *,
        token_provider: Callable[[], str],
        rights_package: str = DEFAULT_RIGHTS_PACKAGE,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            base_url, token_provider=token_provider, timeout=timeout, transport=transport
        )
        self._prefix = f"folkeregisteret/{rights_package}/api/v1"

    def person(self, pid: str) -> dict[str, Any] | None:
        """The raw person document, or None if the register does not know the number."""
        status, data = self._request(
            "GET",
            f"{self._prefix}/personer/{pid}",
            params=[("part", part) for part in PARTS],
            headers=self._auth(),
            passthrough=(404,),
        )
        if status == 404:
            return None
        if not isinstance(data, dict):
            raise RegisterUnavailable(REGISTER, "person document is not a JSON object")
        return data
