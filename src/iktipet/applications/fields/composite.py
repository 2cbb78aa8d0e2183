"""Field types with several inputs: address, property, person, ranked choice, file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from iktipet.applications.fields.base import (
    Context,
    FieldError,
    FieldSpec,
    FieldType,
    Raw,
    first,
)
from iktipet.applications.fields.simple import _text
from iktipet.core import identifiers


def _parts(raw: Raw, keys: tuple[str, ...]) -> dict[str, str]:
    raw = raw if isinstance(raw, dict) else {}
    return {key: _text(raw.get(key, "")) for key in keys}


class PartsField(FieldType):
    """A field of several inputs, ``<name>-<key>`` for each of ``keys``, kept as a dict."""

    keys: tuple[str, ...] = ()

    def raw_from_post(self, spec: FieldSpec, data: Mapping[str, Any], name: str) -> Raw:
        return {key: first(data, f"{name}-{key}") for key in self.keys}

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        value = value if isinstance(value, dict) else {}
        return {key: str(value.get(key, "") or "") for key in self.keys}

    def is_empty(self, raw: Raw) -> bool:
        return all(not value for value in _parts(raw, self.keys).values())


class AddressField(PartsField):
    """A Norwegian street address. Without JavaScript, a search button on the step looks it
    up in the address register and fills the inputs; typing them works as well."""

    name = "address"
    template = "applications/fields/address.html"
    keys = ("street", "postnummer", "poststed")
    anchor_suffix = "-street"

    def raw_from_post(self, spec: FieldSpec, data: Mapping[str, Any], name: str) -> Raw:
        raw = super().raw_from_post(spec, data, name)
        raw["query"] = first(data, f"{name}-query")
        return raw

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> dict[str, str]:
        parts = _parts(raw, self.keys)
        street = " ".join(parts["street"].split())
        if not street or len(street) > 150:
            raise FieldError(
                _("Skriv inn gateadresse for «%(label)s».") % {"label": spec.label},
                "street",
                anchor="-street",
            )
        if not re.fullmatch(r"\d{4}", parts["postnummer"]):
            raise FieldError(
                _("Postnummeret for «%(label)s» må ha 4 siffer.") % {"label": spec.label},
                "postnummer",
                anchor="-postnummer",
            )
        poststed = " ".join(parts["poststed"].split())
        if not poststed or len(poststed) > 60:
            raise FieldError(
                _("Skriv inn poststed for «%(label)s».") % {"label": spec.label},
                "poststed",
                anchor="-poststed",
            )
        return {"street": street, "postnummer": parts["postnummer"], "poststed": poststed.upper()}

    def display(self, spec: FieldSpec, value: Any) -> str:
        if not isinstance(value, dict):
            return ""
        return (
            f"{value.get('street', '')}, {value.get('postnummer', '')} {value.get('poststed', '')}"
        )


class PropertyField(PartsField):
    """A cadastral unit (matrikkelenhet): kommunenr/gnr/bnr, optional festenr and seksjonsnr."""

    name = "property"
    template = "applications/fields/property.html"
    keys = ("kommunenummer", "gnr", "bnr", "fnr", "snr")
    anchor_suffix = "-kommunenummer"

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        value = value if isinstance(value, dict) else {}
        return {
            key: ""
            if value.get(key) in (None, 0) and key in ("fnr", "snr")
            else str(value.get(key, "") or "")
            for key in self.keys
        }

    def _number(self, spec: FieldSpec, text: str, key: str, label: str, high: int) -> int:
        if not re.fullmatch(r"\d{1,5}", text) or not 0 < int(text) <= high:
            raise FieldError(
                _("%(part)s for «%(label)s» må være et tall fra 1 til %(max)d.")
                % {"part": label, "label": spec.label, "max": high},
                key,
                anchor=f"-{key}",
            )
        return int(text)

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> dict[str, Any]:
        parts = _parts(raw, self.keys)
        try:
            kommune = identifiers.validate_kommunenummer(parts["kommunenummer"])
        except identifiers.InvalidIdentifier as exc:
            raise FieldError(
                f"{spec.label}: {exc.message}", "kommunenummer", anchor="-kommunenummer"
            ) from None
        if spec.municipalities and kommune not in spec.municipalities:
            raise FieldError(
                _("Eiendommen må ligge i kommunen (kommunenummer %(numbers)s).")
                % {"numbers": ", ".join(spec.municipalities)},
                "municipality",
                anchor="-kommunenummer",
            )
        value: dict[str, Any] = {
            "kommunenummer": kommune,
            "gnr": self._number(spec, parts["gnr"], "gnr", _("Gårdsnummer"), 99999),
            "bnr": self._number(spec, parts["bnr"], "bnr", _("Bruksnummer"), 9999),
            "fnr": 0,
            "snr": 0,
        }
        if parts["fnr"]:
            value["fnr"] = self._number(spec, parts["fnr"], "fnr", _("Festenummer"), 9999)
        if parts["snr"]:
            value["snr"] = self._number(spec, parts["snr"], "snr", _("Seksjonsnummer"), 9999)
        return value

    def display(self, spec: FieldSpec, value: Any) -> str:
        if not isinstance(value, dict):
            return ""
        text = _("Kommune %(k)s, gnr. %(g)s, bnr. %(b)s") % {
            "k": value.get("kommunenummer"),
            "g": value.get("gnr"),
            "b": value.get("bnr"),
        }
        if value.get("fnr"):
            text += _(", fnr. %(f)s") % {"f": value["fnr"]}
        if value.get("snr"):
            text += _(", snr. %(s)s") % {"s": value["snr"]}
        return text


class PersonField(PartsField):
    """Another person: full name and fødselsnummer."""

    name = "person"
    markup = "person"
    keys = ("name", "fnr")
    anchor_suffix = "-name"

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> dict[str, str]:
        parts = _parts(raw, self.keys)
        name = " ".join(parts["name"].split())
        if not name or len(name) > 150:
            raise FieldError(
                _("Skriv inn fullt navn for «%(label)s».") % {"label": spec.label},
                "name",
                anchor="-name",
            )
        try:
            fnr = identifiers.validate_fodselsnummer(
                parts["fnr"], allow_synthetic=ctx.allow_synthetic_ids
            )
        except identifiers.InvalidIdentifier as exc:
            raise FieldError(f"{spec.label}: {exc.message}", exc.code, anchor="-fnr") from None
        return {"name": name, "fnr": fnr}

    def display(self, spec: FieldSpec, value: Any) -> str:
        if not isinstance(value, dict):
            return ""
        return f"{value.get('name', '')} ({identifiers.mask_fodselsnummer(value.get('fnr', ''))})"


class RankedChoiceField(FieldType):
    """Up to N choices from a register in order of preference, as N drop-downs (no JS)."""

    name = "ranked_choice"
    template = "applications/fields/ranked_choice.html"
    anchor_suffix = "-1"

    def raw_from_post(self, spec: FieldSpec, data: Mapping[str, Any], name: str) -> Raw:
        return [first(data, f"{name}-{rank}") for rank in range(1, (spec.max_items or 1) + 1)]

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        chosen = [str(item) for item in value] if isinstance(value, list) else []
        return chosen + [""] * max(0, (spec.max_items or 1) - len(chosen))

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> list[str]:
        known = {option.value for option in ctx.choices.get(spec.id, spec.options)}
        slots = (
            [item if isinstance(item, str) else "" for item in raw] if isinstance(raw, list) else []
        )
        slots = slots[: spec.max_items or 1]
        filled = [(rank, value) for rank, value in enumerate(slots, start=1) if value]
        for rank, value in filled:
            if value not in known:
                raise FieldError(
                    _("Velg fra listen for valg nummer %(rank)d.") % {"rank": rank},
                    "invalid_choice",
                    anchor=f"-{rank}",
                )
        if [rank for rank, _value in filled] != list(range(1, len(filled) + 1)):
            gap = next(rank for rank, value in enumerate(slots, start=1) if not value)
            raise FieldError(
                _("Fyll ut valgene i rekkefølge: valg nummer %(rank)d mangler.") % {"rank": gap},
                "gap",
                anchor=f"-{gap}",
            )
        values = [value for _rank, value in filled]
        for rank, value in filled:
            if values.index(value) != rank - 1:
                raise FieldError(
                    _("Du har valgt det samme to ganger (valg nummer %(rank)d).") % {"rank": rank},
                    "duplicate",
                    anchor=f"-{rank}",
                )
        minimum = spec.min_items or 0
        if len(values) < minimum:
            raise FieldError(
                _("Velg minst %(count)d for «%(label)s».")
                % {"count": minimum, "label": spec.label},
                "too_few",
                anchor=f"-{len(values) + 1}",
            )
        return values

    def display(self, spec: FieldSpec, value: Any) -> str:
        labels = {option.value: option.label for option in spec.options}
        return "\n".join(
            f"{rank}. {labels.get(item, item)}" for rank, item in enumerate(value or [], start=1)
        )

    def required_message(self, spec: FieldSpec) -> str:
        return _("Velg minst ett alternativ for «%(label)s».") % {"label": spec.label}


class FileField(FieldType):
    """Attachments: the answer lists the ids of stored :class:`Attachment` rows.

    Uploading and removing happen in the step's service function, and the ids come from the
    draft, never from the form; ``clean`` checks that they belong to the draft and fit.
    """

    name = "file"
    template = "applications/fields/file.html"

    def raw_from_post(self, spec: FieldSpec, data: Mapping[str, Any], name: str) -> Raw:
        return []

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        return [str(item) for item in value] if isinstance(value, list) else []

    def is_empty(self, raw: Raw) -> bool:
        return not raw

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> list[str]:
        ids = [str(item) for item in raw] if isinstance(raw, list) else []
        kept = [item for item in dict.fromkeys(ids) if item in ctx.attachments]
        limit = spec.max_items or 1
        if len(kept) > limit:
            raise FieldError(
                _("Du kan laste opp høyst %(count)d filer til «%(label)s».")
                % {"count": limit, "label": spec.label},
                "too_many",
            )
        return kept

    def display(self, spec: FieldSpec, value: Any) -> str:
        return ""

    def required_message(self, spec: FieldSpec) -> str:
        return _("Last opp en fil til «%(label)s».") % {"label": spec.label}
