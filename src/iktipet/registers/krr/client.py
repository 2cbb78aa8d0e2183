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

from collections.abc import Sequence
from typing import Any

from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.http import TokenRegisterClient

REGISTER = "krr"
DEFAULT_BASE_URL = "https://kontaktregisteret.no/rest/v2"
MAX_BATCH = 1000


class KrrClient(TokenRegisterClient):
    register = REGISTER
    default_url = DEFAULT_BASE_URL

    def personer(self, pids: Sequence[str]) -> list[dict[str, Any]]:
        headers = self._auth()
        found: list[dict[str, Any]] = []
        for start in range(0, len(pids), MAX_BATCH):
            _status, data = self._request(
                "POST",
                "personer",
                body={"personidentifikatorer": list(pids[start : start + MAX_BATCH])},
                headers=headers,
            )
            personer = data.get("personer") if isinstance(data, dict) else None
            if not isinstance(personer, list):
                raise RegisterUnavailable(REGISTER, "answer has no list of personer")
            found.extend(item for item in personer if isinstance(item, dict))
        return found
