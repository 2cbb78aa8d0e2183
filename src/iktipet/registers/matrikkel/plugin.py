"""The ``matrikkel`` property-register plugin: facade JSON → Property/Owner."""

from __future__ import annotations

from typing import Any

from iktipet.registers.base import TokenHttpRegister
from iktipet.registers.errors import RegisterUnavailable
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
class MatrikkelPropertyRegister(TokenHttpRegister[MatrikkelClient], BasePropertyRegister):
    """Kartverket's matrikkel through a JSON facade (contract in ``matrikkel.client``)."""

    label = "Matrikkelen (Kartverket) via HTTP facade"
    client_class = MatrikkelClient
    url_setting, token_file_setting = "MATRIKKEL_URL", "MATRIKKEL_TOKEN_FILE"
    url_hint = "URL of the matrikkel facade"
    token_required = False

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
