"""HTTP client for the open Enhetsregisteret API (data.brreg.no/enhetsregisteret/api).

No key is needed (NLOD). Endpoints used (INTEGRATIONS.md §3; OpenAPI in specs/brreg):

* ``GET /enheter/{orgnr}``: 200 with the unit; 404 unknown; 410 deleted ("Enheten er
  fjernet"), where the body still carries ``organisasjonsnummer``, ``navn`` and
  ``slettedato``.
* ``GET /enheter/{orgnr}/roller``: ``rollegrupper[].roller[]``; not in the 2020 OpenAPI
  file, so its shape is taken from recorded responses.
* ``GET /enheter?navn=&kommunenummer=&size=&page=``: HAL page with ``_embedded.enheter``
  (absent when nothing matched); page × size must stay ≤ 10 000.

This module knows the API and returns its JSON; :mod:`.plugin` maps it to our domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.http import RegisterClient

REGISTER = "brreg"
DEFAULT_BASE_URL = "https://data.brreg.no/enhetsregisteret/api"
MAX_DEPTH = 10_000


@dataclass(frozen=True)
class EnhetResponse:
    data: dict[str, Any]
    #: HTTP 410: the unit has been deleted from the register.
    gone: bool = False


class BrregClient(RegisterClient):
    register = REGISTER
    default_url = DEFAULT_BASE_URL

    def _object(self, status: int, data: Any, what: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise RegisterUnavailable(REGISTER, f"{what} (HTTP {status}) is not a JSON object")
        return data

    def enhet(self, orgnr: str) -> EnhetResponse | None:
        status, data = self._request("GET", f"enheter/{orgnr}", passthrough=(404, 410))
        if status == 404:
            return None
        if status == 410:
            body = data if isinstance(data, dict) else {}
            return EnhetResponse({"organisasjonsnummer": orgnr, **body}, gone=True)
        return EnhetResponse(self._object(status, data, "enhet"))

    def roller(self, orgnr: str) -> dict[str, Any] | None:
        status, data = self._request("GET", f"enheter/{orgnr}/roller", passthrough=(404, 410))
        if status in (404, 410):
            return None
        return self._object(status, data, "roller")

    def sok_enheter(self, *, size: int = 20, page: int = 0, **filters: str) -> list[dict[str, Any]]:
        """One page of units matching ``filters`` (``navn``, ``kommunenummer``, …)."""
        size = max(1, min(size, MAX_DEPTH))
        page = max(0, min(page, MAX_DEPTH // size - 1))
        params = {key: value for key, value in filters.items() if value not in (None, "")}
        status, data = self._request(
            "GET", "enheter", params={**params, "size": size, "page": page}
        )
        body = self._object(status, data, "search result")
        enheter = (body.get("_embedded") or {}).get("enheter") or []
        if not isinstance(enheter, list):
            raise RegisterUnavailable(REGISTER, "search result has no list of enheter")
        return [item for item in enheter if isinstance(item, dict)]
