"""HTTP client for Geonorge's address search, ``GET {base}/sok`` (no key; open data).

Parameters and response as in INTEGRATIONS.md §3: ``sok`` (free text, ``*`` wildcard),
``kommunenummer``, ``treffPerSide``, ``side`` (0-based), ``utkoordsys``; the answer is
``{metadata{totaltAntallTreff,…}, adresser[{adressetekst, adressenavn, nummer, bokstav,
postnummer, poststed, kommunenummer, kommunenavn, gardsnummer, bruksnummer,
representasjonspunkt{epsg,lat,lon}, …}]}``.
"""

from __future__ import annotations

from typing import Any

from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.http import RegisterClient

REGISTER = "geonorge"
DEFAULT_BASE_URL = "https://ws.geonorge.no/adresser/v1"
WGS84 = 4258  # ETRS89 geographic, the API's default


class GeonorgeAddressClient(RegisterClient):
    register = REGISTER
    default_url = DEFAULT_BASE_URL

    def sok(
        self, sok: str, *, kommunenummer: str | None = None, treff_per_side: int = 10, side: int = 0
    ) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            "sok": sok,
            "treffPerSide": treff_per_side,
            "side": side,
            "utkoordsys": WGS84,
            "asciiKompatibel": "true",
        }
        if kommunenummer:
            params["kommunenummer"] = kommunenummer
        status, data = self._request("GET", "sok", params=params)
        adresser = data.get("adresser") if isinstance(data, dict) else None
        if not isinstance(adresser, list):
            raise RegisterUnavailable(REGISTER, f"HTTP {status} answer has no list of adresser")
        return [item for item in adresser if isinstance(item, dict)]
