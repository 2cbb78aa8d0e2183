"""The ``matrikkel`` property-register plugin: facade JSON → Property/Owner."""

from __future__ import annotations

from typing import Any

from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.http import read_token_file
from iktipet.registers.matrikkel.client import REGISTER, MatrikkelClient
from iktipet.registers.property import (
    BasePropertyRegister,
    Owner,
    Property,
    PropertyAddress,
    property_registers,
)


def property_from_matrikkelenhet(data: dict[str, Any]) -> Property:
    try:
        knr = str(data["kommunenummer"])
        gnr, bnr = int(data["gardsnummer"]), int(data["bruksnummer"])
        fnr, snr = int(data.get("festenummer") or 0), int(data.get("seksjonsnummer") or 0)
    except (KeyError, TypeError, ValueError):
        raise RegisterUnavailable(REGISTER, "matrikkelenhet lacks its numbers") from None
    address = data.get("adresse") if isinstance(data.get("adresse"), dict) else None
    owners = []
    for item in data.get("eiere") or []:
        if isinstance(item, dict) and item.get("navn"):
            owners.append(
                Owner(
                    name=str(item["navn"]),
                    pid=item.get("fodselsnummer") or None,
                    orgnr=item.get("organisasjonsnummer") or None,
                    share=str(item.get("andel") or ""),
                )
            )
    return Property(
        kommunenummer=knr,
        gnr=gnr,
        bnr=bnr,
        fnr=fnr,
        snr=snr,
        address=PropertyAddress(
            street=str(address.get("adressetekst") or ""),
            postnummer=str(address.get("postnummer") or ""),
            poststed=str(address.get("poststed") or ""),
        )
        if address
        else None,
        owners=tuple(owners),
    )


@property_registers.register("matrikkel")
class MatrikkelPropertyRegister(BasePropertyRegister):
    """Kartverket's matrikkel through a JSON facade (contract in ``matrikkel.client``)."""

    label = "Matrikkelen (Kartverket) via HTTP facade"

    def __init__(
        self,
        *,
        base_url: str,
        token_file: str = "",
        token: str = "",
        timeout: float = 5.0,
        client: MatrikkelClient | None = None,
    ) -> None:
        self.base_url = base_url
        self.token_file = token_file
        self._token = token
        self._timeout = timeout
        self._client = client

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {
            "base_url": conf.MATRIKKEL_URL,
            "token_file": conf.MATRIKKEL_TOKEN_FILE,
            "timeout": conf.REGISTER_TIMEOUT,
        }

    @property
    def client(self) -> MatrikkelClient:
        if self._client is None:
            self._client = MatrikkelClient(
                self.base_url,
                token_provider=lambda: self._token or read_token_file(self.token_file),
                timeout=self._timeout,
            )
        return self._client

    def get_property(
        self, kommunenummer: str, gnr: int, bnr: int, fnr: int = 0, snr: int = 0
    ) -> Property | None:
        data = self.client.matrikkelenhet(kommunenummer, gnr, bnr, fnr, snr)
        return property_from_matrikkelenhet(data) if data is not None else None

    def neighbours(self, property: Property) -> list[Property]:
        ident = property.matrikkel_id
        found = self.client.naboer(ident.kommunenummer, ident.gnr, ident.bnr, ident.fnr, ident.snr)
        return sorted(
            (property_from_matrikkelenhet(item) for item in found),
            key=lambda prop: prop.matrikkel_id,
        )

    def properties_owned_by(
        self, *, pid: str | None = None, orgnr: str | None = None
    ) -> list[Property]:
        if pid:
            found = self.client.sok(fodselsnummer=pid)
        elif orgnr:
            found = self.client.sok(organisasjonsnummer=orgnr)
        else:
            return []
        return [property_from_matrikkelenhet(item) for item in found]

    def check_config(self) -> list[str]:
        problems = []
        if not self.base_url:
            problems.append("IKTIPET_MATRIKKEL_URL is not set (URL of the matrikkel facade).")
        if not self._token and self.token_file and not read_token_file(self.token_file):
            problems.append(f"IKTIPET_MATRIKKEL_TOKEN_FILE={self.token_file!r} is unreadable.")
        return problems
