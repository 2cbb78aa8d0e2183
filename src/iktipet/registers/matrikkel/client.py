"""HTTP client for a JSON facade in front of Kartverket's matrikkel API.

What is documented: Kartverket's MatrikkelAPI (``matrikkel.no/matrikkelapi/wsapi/v1``) is a
SOAP service (MatrikkelenhetService, StoreService, …) that returns ids, then objects by id;
owners (hjemmelshavere) hold personal data, so access needs an application to Kartverket
under utleveringsforskriften § 4 (INTEGRATIONS.md §3). Adjoining properties are not a
single call there: they come from the teig geometry (Eiendomskart Teig).

What is ASSUMED: municipalities commonly run a small REST proxy that speaks SOAP to the
MatrikkelAPI and answers JSON (e.g. the county proxies published as open source). We do
not speak SOAP from the web process; we expect this contract from such a facade:

* ``GET {base}/matrikkelenheter/{knr}-{gnr}-{bnr}-{fnr}-{snr}`` → 200 matrikkelenhet, 404.
* ``GET {base}/matrikkelenheter/{knr}-{gnr}-{bnr}-{fnr}-{snr}/naboer`` → ``{"naboer": [...]}``.
* ``POST {base}/matrikkelenheter/sok`` with ``{"fodselsnummer"|"organisasjonsnummer": …}``
  → ``{"matrikkelenheter": [...]}`` (POST so a fødselsnummer never sits in a URL).

A matrikkelenhet: ``{kommunenummer, gardsnummer, bruksnummer, festenummer, seksjonsnummer,
adresse: {adressetekst, postnummer, poststed}, eiere: [{navn, fodselsnummer?,
organisasjonsnummer?, andel?}]}``, names as in the matrikkel's own model.
"""

from __future__ import annotations

from typing import Any

from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.http import TokenRegisterClient

REGISTER = "matrikkel"


class MatrikkelClient(TokenRegisterClient):
    register = REGISTER
    #: The facade may sit inside the city's network and answer without a token.
    token_required = False

    @staticmethod
    def _key(knr: str, gnr: int, bnr: int, fnr: int, snr: int) -> str:
        return f"{knr}-{gnr}-{bnr}-{fnr}-{snr}"

    def matrikkelenhet(self, knr: str, gnr: int, bnr: int, fnr: int, snr: int) -> dict | None:
        status, data = self._request(
            "GET",
            f"matrikkelenheter/{self._key(knr, gnr, bnr, fnr, snr)}",
            headers=self._auth(),
            passthrough=(404,),
        )
        if status == 404:
            return None
        if not isinstance(data, dict):
            raise RegisterUnavailable(REGISTER, "matrikkelenhet is not a JSON object")
        return data

    def naboer(self, knr: str, gnr: int, bnr: int, fnr: int, snr: int) -> list[dict[str, Any]]:
        status, data = self._request(
            "GET",
            f"matrikkelenheter/{self._key(knr, gnr, bnr, fnr, snr)}/naboer",
            headers=self._auth(),
            passthrough=(404,),
        )
        if status == 404:
            return []
        return self._list(data, "naboer")

    def sok(self, **criteria: str) -> list[dict[str, Any]]:
        _status, data = self._request(
            "POST",
            "matrikkelenheter/sok",
            body=criteria,
            headers=self._auth(),
        )
        return self._list(data, "matrikkelenheter")

    @staticmethod
    def _list(data: Any, key: str) -> list[dict[str, Any]]:
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise RegisterUnavailable(REGISTER, f"response has no list {key!r}")
        return [item for item in items if isinstance(item, dict)]
