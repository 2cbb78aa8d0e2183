"""HTTP client for KRR's oppslagstjeneste (REST v2), INTEGRATIONS.md §3.

``POST {base}/personer`` with ``{"personidentifikatorer": [...]}`` (at most 1000) returns
``{"personer": [{personidentifikator, reservasjon JA/NEI, status AKTIV/SLETTET/
IKKE_REGISTRERT, varslingsstatus KAN_VARSLES/KAN_IKKE_VARSLES, kontaktinformasjon
{epostadresse, epostadresse_sist_verifisert, mobiltelefonnummer,
mobiltelefonnummer_sist_verifisert, …}, spraak}]}``. ``base`` is
``https://kontaktregisteret.no/rest/v2`` in production.

KRR is not open: it needs a Maskinporten token with scope
``krr:global/kontaktinformasjon.read`` and an approved justification. This client takes
a ``token_provider``; the plugin reads a token file kept fresh by a token agent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import httpx

from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.http import build_client, request_json

REGISTER = "krr"
DEFAULT_BASE_URL = "https://kontaktregisteret.no/rest/v2"
MAX_BATCH = 1000


class KrrClient:
    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        token_provider: Callable[[], str],
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = build_client(base_url, timeout=timeout, transport=transport)
        self._token_provider = token_provider

    def close(self) -> None:
        self._http.close()

    def personer(self, pids: Sequence[str]) -> list[dict[str, Any]]:
        token = self._token_provider()
        if not token:
            raise RegisterUnavailable(REGISTER, "no access token available")
        found: list[dict[str, Any]] = []
        for start in range(0, len(pids), MAX_BATCH):
            _status, data = request_json(
                self._http,
                REGISTER,
                "POST",
                "personer",
                body={"personidentifikatorer": list(pids[start : start + MAX_BATCH])},
                headers={"Authorization": f"Bearer {token}"},
            )
            personer = data.get("personer") if isinstance(data, dict) else None
            if not isinstance(personer, list):
                raise RegisterUnavailable(REGISTER, "answer has no list of personer")
            found.extend(item for item in personer if isinstance(item, dict))
        return found
