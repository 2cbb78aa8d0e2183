"""Field types with one input: text, numbers, money, dates, choices, contact details, ids."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from iktipet.applications.fields.base import (
    Context,
    FieldError,
    FieldSpec,
    FieldType,
    Raw,
    every,
    first,
)
from iktipet.core import identifiers
from iktipet.core.money import format_nok, parse_nok

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(raw: Raw) -> str:
    return _CONTROL.sub("", raw).strip() if isinstance(raw, str) else ""


class TextField(FieldType):
    name = "text"
    markup = "text"
    default_max = 200

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> str:
        value = _text(raw)
        if self.name == "text":
            value = " ".join(value.split())
        limit = spec.max_length or self.default_max
        if len(value) > limit:
            raise FieldError(
                _("«%(label)s» kan ha høyst %(limit)d tegn (du har skrevet %(count)d).")
                % {"label": spec.label, "limit": limit, "count": len(value)},
                "too_long",
            )
        if spec.min_length and len(value) < spec.min_length:
            raise FieldError(
                _("«%(label)s» må ha minst %(limit)d tegn.")
                % {"label": spec.label, "limit": spec.min_length},
                "too_short",
            )
        if spec.pattern and not re.fullmatch(spec.pattern, value):
            raise FieldError(
                spec.pattern_message
                or _("«%(label)s» har ikke riktig format.") % {"label": spec.label},
                "pattern",
            )
        return value


class LongTextField(TextField):
    name = "long_text"
    markup = "textarea"
    default_max = 4000


def _bound(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _check_range(spec: FieldSpec, number: Decimal, shown: str) -> None:
    low, high = _bound(spec.min_value), _bound(spec.max_value)
    if low is not None and number < low:
        raise FieldError(
            _("«%(label)s» må være minst %(min)s.") % {"label": spec.label, "min": shown % low},
            "min_value",
        )
    if high is not None and number > high:
        raise FieldError(
            _("«%(label)s» kan være høyst %(max)s.") % {"label": spec.label, "max": shown % high},
            "max_value",
        )


def _with_unit(spec: FieldSpec, shown: str) -> str:
    """ "5 000 liter", "80 m²": a number in a summary keeps the unit its question asked for
    (a no-break space, so the unit never wraps away from its number)."""
    return f"{shown}\u00a0{spec.unit}" if spec.unit and shown else shown


class IntegerField(FieldType):
    name = "integer"
    markup = "number"
    inputmode = "numeric"

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> int:
        compact = _SPACES.sub("", _text(raw)).replace("\u2212", "-")
        if not re.fullmatch(r"-?\d{1,15}", compact):
            raise FieldError(
                _("«%(label)s» må være et helt tall, for eksempel 12.") % {"label": spec.label},
                "invalid",
            )
        number = int(compact)
        _check_range(spec, Decimal(number), "%s")
        return number

    def display(self, spec: FieldSpec, value: Any) -> str:
        return _with_unit(spec, formats.number_format(value, use_l10n=True, force_grouping=True))


class DecimalField(FieldType):
    name = "decimal"
    markup = "number"
    inputmode = "decimal"

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        return "" if value is None else str(value).replace(".", ",")

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> str:
        compact = _SPACES.sub("", _text(raw)).replace("\u2212", "-").replace(",", ".")
        if not re.fullmatch(r"-?\d{1,15}(\.\d{1,6})?", compact):
            raise FieldError(
                _("«%(label)s» må være et tall, for eksempel 12,5.") % {"label": spec.label},
                "invalid",
            )
        number = Decimal(compact)
        if number != round(number, spec.decimals):
            raise FieldError(
                _("«%(label)s» kan ha høyst %(count)d desimaler.")
                % {"label": spec.label, "count": spec.decimals},
                "decimals",
            )
        _check_range(spec, number, "%s")
        return format(number.normalize(), "f")

    def display(self, spec: FieldSpec, value: Any) -> str:
        return _with_unit(spec, str(value).replace(".", ","))

    def rule_value(self, spec: FieldSpec, value: Any) -> Any:
        return None if value is None else float(value)


class MoneyField(FieldType):
    """An amount in NOK, typed in kroner, stored as integer øre. Bounds are in øre."""

    name = "money"
    markup = "money"

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        if not isinstance(value, int):
            return ""
        kroner, ore = divmod(value, 100)
        return f"{kroner},{ore:02d}" if ore else str(kroner)

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> int:
        ore = parse_nok(_text(raw))
        if ore is None:
            raise FieldError(
                _("«%(label)s» må være et beløp i kroner, for eksempel 1500 eller 1500,50.")
                % {"label": spec.label},
                "invalid",
            )
        low, high = _bound(spec.min_value), _bound(spec.max_value)
        if low is not None and ore < low:
            raise FieldError(
                _("«%(label)s» må være minst %(min)s.")
                % {"label": spec.label, "min": format_nok(int(low))},
                "min_value",
            )
        if high is not None and ore > high:
            raise FieldError(
                _("«%(label)s» kan være høyst %(max)s.")
                % {"label": spec.label, "max": format_nok(int(high))},
                "max_value",
            )
        return ore

    def display(self, spec: FieldSpec, value: Any) -> str:
        return format_nok(value) if isinstance(value, int) else ""


def _date_bound(value: Any) -> datetime.date | None:
    """A date, ISO text, or a relative date of the catalog (``today``, ``today+14d``)."""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        from iktipet.catalog.schema.common import resolve_date

        try:
            return resolve_date(value, timezone.localdate())
        except ValueError:
            return None
    return None


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) as written: ``2026-03-01`` or ``1.3.2026``; None if not a date."""
    text = text.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return year, month, day
    match = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    return year, month, day


def parse_date(text: str) -> datetime.date | None:
    """``2026-03-01`` (what a date input sends) or ``1.3.2026`` (what people type)."""
    parts = _date_parts(text)
    if parts is None:
        return None
    try:
        return datetime.date(*parts)
    except ValueError:
        return None


class DateField(FieldType):
    name = "date"
    markup = "date"

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        # The input is a text input (what people type, dd.mm.åååå), so a stored date is
        # shown as they would write it. A browser's date input sends "" for 31.02.2027,
        # which the server could only call missing.
        date = _date_bound(value) if isinstance(value, str) and value[:1].isdigit() else None
        return date.strftime("%d.%m.%Y") if date else ("" if value is None else str(value))

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> str:
        parts = _date_parts(_text(raw))
        date = parse_date(_text(raw))
        if date is None and parts is not None and 1 <= parts[1] <= 12 and 1 <= parts[2] <= 31:
            raise FieldError(
                _("Datoen finnes ikke. Sjekk dag og måned i «%(label)s».") % {"label": spec.label},
                "no_such_date",
            )
        if date is None or not 1850 <= date.year <= 2200:
            raise FieldError(
                _("«%(label)s» må være en gyldig dato, for eksempel 17.05.2026.")
                % {"label": spec.label},
                "invalid",
            )
        low, high = _date_bound(spec.min_value), _date_bound(spec.max_value)
        if low and date < low:
            raise FieldError(
                spec.min_message
                or _("«%(label)s» kan ikke være før %(date)s.")
                % {"label": spec.label, "date": low.strftime("%d.%m.%Y")},
                "min_value",
            )
        if high and date > high:
            raise FieldError(
                spec.max_message
                or _("«%(label)s» kan ikke være etter %(date)s.")
                % {"label": spec.label, "date": high.strftime("%d.%m.%Y")},
                "max_value",
            )
        return date.isoformat()

    def display(self, spec: FieldSpec, value: Any) -> str:
        date = _date_bound(value)
        return date.strftime("%d.%m.%Y") if date else ""


class YesNoField(FieldType):
    name = "yes_no"
    markup = "yes_no"
    anchor_suffix = "-yes"

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        return {True: "yes", False: "no"}.get(value, "")

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> bool:
        if raw not in ("yes", "no"):
            raise FieldError(self.required_message(spec), "invalid")
        return raw == "yes"

    def display(self, spec: FieldSpec, value: Any) -> str:
        answer = {True: True, False: False}.get(value)  # 1 and 0 read as True and False
        if answer is None:
            return ""
        return _("Ja") if answer else _("Nei")

    def required_message(self, spec: FieldSpec) -> str:
        return _("Svar ja eller nei på «%(label)s».") % {"label": spec.label}


def _options(spec: FieldSpec, ctx: Context) -> dict[str, str]:
    options = ctx.choices.get(spec.id) if spec.source else None
    return {option.value: option.label for option in (options or spec.options)}


class SingleChoiceField(FieldType):
    name = "single_choice"
    markup = "single_choice"

    def anchor_for(self, spec: FieldSpec) -> str:
        # A link to a fieldset moves no focus: point at the first radio button instead.
        return "" if spec.widget == "select" or not spec.options else "-1"

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> str:
        if not isinstance(raw, str) or raw not in _options(spec, ctx):
            raise FieldError(self.required_message(spec), "invalid_choice")
        return raw

    def display(self, spec: FieldSpec, value: Any) -> str:
        return {option.value: option.label for option in spec.options}.get(value, str(value))

    def required_message(self, spec: FieldSpec) -> str:
        return _("Velg et svar for «%(label)s».") % {"label": spec.label}


class MultipleChoiceField(FieldType):
    name = "multiple_choice"
    markup = "multiple_choice"
    anchor_suffix = "-1"  # the first checkbox: a link to the fieldset would move no focus

    def raw_from_post(self, spec: FieldSpec, data: Mapping[str, Any], name: str) -> Raw:
        return every(data, name)

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> list[str]:
        known = _options(spec, ctx)
        chosen = [item for item in raw if isinstance(item, str)] if isinstance(raw, list) else []
        if not chosen or any(item not in known for item in chosen):
            raise FieldError(self.required_message(spec), "invalid_choice")
        ordered = [value for value in known if value in chosen]  # definition order, no repeats
        if spec.min_items and len(ordered) < spec.min_items:
            raise FieldError(
                _("Velg minst %(count)d for «%(label)s».")
                % {"count": spec.min_items, "label": spec.label},
                "too_few",
            )
        if spec.max_items and len(ordered) > spec.max_items:
            raise FieldError(
                _("Velg høyst %(count)d for «%(label)s».")
                % {"count": spec.max_items, "label": spec.label},
                "too_many",
            )
        return ordered

    def display(self, spec: FieldSpec, value: Any) -> str:
        labels = {option.value: option.label for option in spec.options}
        return "\n".join(labels.get(item, str(item)) for item in value or [])

    def required_message(self, spec: FieldSpec) -> str:
        return _("Velg minst ett svar for «%(label)s».") % {"label": spec.label}


class EmailField(FieldType):
    name = "email"
    markup = "email"

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> str:
        value = _text(raw)
        try:
            if len(value) > 254:
                raise ValidationError("too long")
            validate_email(value)
        except ValidationError:
            raise FieldError(
                _("«%(label)s» må være en e-postadresse, for eksempel navn@eksempel.no.")
                % {"label": spec.label},
                "invalid",
            ) from None
        local, _at, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"


class PhoneField(FieldType):
    """A Norwegian number (8 digits), or with ``international`` any E.164 number."""

    name = "phone"
    markup = "phone"

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> str:
        compact = re.sub(r"[\s\u00a0().-]+", "", _text(raw))
        if compact.startswith("00"):
            compact = "+" + compact[2:]
        if re.fullmatch(r"[2-9]\d{7}", compact):
            return "+47" + compact
        if re.fullmatch(r"\+47[2-9]\d{7}", compact):
            return compact
        if (
            spec.international
            and re.fullmatch(r"\+[1-9]\d{6,14}", compact)
            and not compact.startswith("+47")
        ):
            return compact
        if spec.international:
            message = _(
                "«%(label)s» må være et telefonnummer: 8 siffer, eller med landskode, "
                "for eksempel +46 701234567."
            )
        else:
            message = _("«%(label)s» må være et norsk telefonnummer med 8 siffer.")
        raise FieldError(message % {"label": spec.label}, "invalid")

    def display(self, spec: FieldSpec, value: Any) -> str:
        value = str(value or "")
        if re.fullmatch(r"\+47\d{8}", value):
            return f"+47 {value[3:6]} {value[6:8]} {value[8:]}"
        return value


class FodselsnummerField(FieldType):
    name = "fodselsnummer"
    markup = "identifier"
    digits = 11

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        return "" if value is None else str(value)

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> str:
        try:
            return identifiers.validate_fodselsnummer(
                _text(raw), allow_synthetic=ctx.allow_synthetic_ids
            )
        except identifiers.InvalidIdentifier as exc:
            raise FieldError(f"{spec.label}: {exc.message}", exc.code) from None

    def display(self, spec: FieldSpec, value: Any) -> str:
        return identifiers.mask_fodselsnummer(str(value or ""))


class OrgnrField(FieldType):
    name = "organisasjonsnummer"
    markup = "identifier"
    digits = 9

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> str:
        try:
            return identifiers.validate_orgnr(_text(raw))
        except identifiers.InvalidIdentifier as exc:
            raise FieldError(f"{spec.label}: {exc.message}", exc.code) from None

    def display(self, spec: FieldSpec, value: Any) -> str:
        value = str(value or "")
        return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 9 else value


class DeclarationField(FieldType):
    name = "declaration"
    markup = "declaration"

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        return "yes" if value is True else ""

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> bool:
        if raw != "yes":
            raise FieldError(self.required_message(spec), "required")
        return True

    def display(self, spec: FieldSpec, value: Any) -> str:
        return _("Bekreftet") if value is True else ""

    def required_message(self, spec: FieldSpec) -> str:
        return _("Du må bekrefte «%(label)s» for å gå videre.") % {"label": spec.label}


class InformationField(FieldType):
    name = "info"
    markup = "information"
    has_value = False

    def raw_from_post(self, spec: FieldSpec, data: Mapping[str, Any], name: str) -> Raw:
        return ""

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> None:
        return None


__all__ = [
    "DateField",
    "DecimalField",
    "DeclarationField",
    "EmailField",
    "FodselsnummerField",
    "InformationField",
    "IntegerField",
    "LongTextField",
    "MoneyField",
    "MultipleChoiceField",
    "OrgnrField",
    "PhoneField",
    "SingleChoiceField",
    "TextField",
    "YesNoField",
    "first",
]
