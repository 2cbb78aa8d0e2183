"""Initial answers and choice options from registers, as a field's ``prefill`` or
``options_from`` says (``person.address``, ``organisation.name``, ``property.neighbours``…).

Register adapters come from the plugin registry (``iktipet.registers``). A register that
fails never breaks the page: the field is simply left for the applicant to fill in.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Mapping
from typing import Any

from iktipet.accounts.parties import ActingParty
from iktipet.applications.fields import Option
from iktipet.catalog.schema import GroupField, InfoField
from iktipet.registers.errors import RegisterError
from iktipet.registers.localdata import DatasetError

logger = logging.getLogger(__name__)
MISSING = object()
#: Paths of a person record that hold other persons' fødselsnumre.
RELATIONS = ("children", "parents")


def _walk(record: Any, path: str) -> Any:
    """``path`` inside ``record``; ``self`` is the record itself (``person.self``)."""
    value = record
    for part in path.split(".") if path and path != "self" else []:
        if value is None:
            return None
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
    return value


def _plain(value: Any) -> Any:
    """A register value as JSON-friendly data (dataclasses → dicts, dates → ISO)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in ("full_name", "one_line", "name"):
            if hasattr(value, name) and name not in data:
                data[name] = getattr(value, name)
        return data
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def address_answer(value: Any) -> dict[str, str] | None:
    """An address field's answer from a register's record (None if it holds no street)."""
    value = _plain(value)
    if not isinstance(value, Mapping):
        return None
    # Address-register hits carry the full "Gate 12 B" in text; the others in street or lines.
    street = value.get("text") or value.get("street") or ", ".join(value.get("lines") or [])
    if not street:
        return None
    return {
        "street": str(street),
        "postnummer": str(value.get("postnummer", "")),
        "poststed": str(value.get("poststed", "")).upper(),
    }


def as_answer(field: Any, value: Any) -> Any:
    """A register value in the form the field stores, or MISSING when it does not fit."""
    if value is None:
        return MISSING
    kind = field.type
    if kind == "address":
        return address_answer(value) or MISSING
    if kind == "property":
        data = _plain(value)
        if isinstance(data, Mapping) and data.get("kommunenummer") and data.get("gnr"):
            return {
                key: (str(data.get(key)) if key == "kommunenummer" else int(data.get(key) or 0))
                for key in ("kommunenummer", "gnr", "bnr", "fnr", "snr")
            }
        return MISSING
    if kind == "person":
        data = _plain(value)
        if isinstance(data, Mapping) and data.get("pid"):
            name = data.get("full_name") or data.get("name") or ""
            return {"name": str(name), "fnr": str(data["pid"])}
        return MISSING
    if kind == "group":
        if not isinstance(value, list | tuple):
            return MISSING
        rows = []
        for item in value:
            data = _plain(item)
            if not isinstance(data, Mapping):
                continue
            row = {}
            for inner in field.fields:
                if isinstance(inner, InfoField):
                    continue
                converted = as_answer(inner, data.get(inner.id))
                row[inner.id] = None if converted is MISSING else converted
            rows.append(row)
        return rows[: field.max_items]
    if kind == "date":
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    if kind in ("integer", "money"):
        return value if isinstance(value, int) and not isinstance(value, bool) else MISSING
    if kind in ("yes_no", "declaration"):
        return value if isinstance(value, bool) else MISSING
    if isinstance(value, str | int | float):
        return str(value)
    return MISSING


class RegisterLookups:
    """The records one request may prefill from, each fetched at most once."""

    def __init__(self, user: Any, party: ActingParty) -> None:
        self.user = user
        self.party = party
        self._cache: dict[str, Any] = {}

    def _once(self, key: str, fetch: Any) -> Any:
        if key not in self._cache:
            try:
                self._cache[key] = fetch()
            except (RegisterError, DatasetError) as exc:
                logger.warning("register look-up failed: %s", exc)
                self._cache[key] = None
        return self._cache[key]

    def _pid(self) -> str | None:
        person = getattr(self.user, "person", None)
        try:
            return person.pid if person is not None else None
        except Exception:  # an undecryptable pid (key changed) must not break the page
            logger.exception("could not read the person's pid")
            return None

    def person(self) -> Any:
        def fetch() -> Any:
            from iktipet.registers.population import population_register

            pid = self._pid()
            return population_register().get_person(pid) if pid else None

        return self._once("person", fetch)

    def organisation(self) -> Any:
        def fetch() -> Any:
            from iktipet.registers.organisations import organisation_register

            if not self.party.is_organisation:
                return None
            return organisation_register().get_unit(self.party.identifier)

        return self._once("organisation", fetch)

    def relatives(self, relation: str) -> list[Any]:
        """The person's ``children`` or ``parents`` as full register records: the person's
        own record holds only their fødselsnumre, which must never be shown as labels."""

        def fetch() -> list[Any]:
            from iktipet.registers.population import population_register

            pid = self._pid()
            if not pid:
                return []
            register = population_register()
            if relation == "children":
                return register.children_of(pid)
            record = register.get_person(pid)
            found = (register.get_person(other) for other in getattr(record, relation, []))
            return [item for item in found if item is not None]

        return self._once(f"relatives:{relation}", fetch) or []

    def contact(self) -> Any:
        def fetch() -> Any:
            from iktipet.applications.register_adapters import contact_record

            found = contact_record(self._pid())
            if found is None or not found.digital:
                return {"email": getattr(self.user, "email", "") or None}
            return found

        return self._once("contact", fetch)

    def property(self, answer: Any) -> Any:
        if not isinstance(answer, Mapping):
            return None
        key = "property:" + ":".join(str(answer.get(k, "")) for k in sorted(answer))

        def fetch() -> Any:
            from iktipet.applications import register_adapters

            return register_adapters.property_record(answer)

        return self._once(key, fetch)

    def source(self, prefill: Any, answers: Mapping[str, Any]) -> Any:
        if prefill.source == "person":
            return self.person()
        if prefill.source == "organisation":
            return self.organisation()
        if prefill.source == "contact":
            return self.contact()
        if prefill.source == "property":
            return self.property(answers.get(prefill.from_field) if prefill.from_field else None)
        return None


def prefill_values(
    fields: list[Any], answers: Mapping[str, Any], lookups: RegisterLookups
) -> dict[str, Any]:
    """Initial answers for ``fields`` that have a ``prefill`` and no answer yet."""
    found: dict[str, Any] = {}
    for field in fields:
        prefill = _declared(field, "prefill")
        if prefill is None or field.id in answers:
            continue
        if prefill.from_field and not answers.get(prefill.from_field):
            continue  # what identifies the record is not answered yet
        record = lookups.source(prefill, answers)
        value = as_answer(field, _walk(record, prefill.path))
        if value is not MISSING:
            found[field.id] = value
    return found


def locked_fields(fields: list[Any]) -> set[str]:
    """Fields whose register value may not be changed (``prefill.editable: false``)."""
    return {
        field.id
        for field in fields
        if _declared(field, "prefill") is not None and not field.prefill.editable
    }


def _option_for(record: Any) -> Option | None:
    data = _plain(record)
    if isinstance(data, Mapping):
        value = data.get("pid") or data.get("id") or data.get("orgnr") or data.get("nsr_id")
        label = data.get("full_name") or data.get("name") or value
        if data.get("birth_date"):
            label = f"{label} ({datetime.date.fromisoformat(data['birth_date']):%d.%m.%Y})"
        return Option(str(value), str(label)) if value else None
    if isinstance(data, str | int):
        return Option(str(data), str(data))
    return None


def choices_for(
    fields: list[Any], answers: Mapping[str, Any], lookups: RegisterLookups
) -> dict[str, list[Option]]:
    """Options for choice fields fed by a register (``options_from``, ranked ``register``)."""
    from iktipet.applications import register_adapters

    choices: dict[str, list[Option]] = {}
    for field in _flatten(fields):
        source = _declared(field, "options_from")
        if source is not None:
            if source.source == "person" and source.path in RELATIONS:
                records = lookups.relatives(source.path)
            else:
                records = _walk(lookups.source(source, answers), source.path) or []
            options = [_option_for(record) for record in records]
            choices[field.id] = [option for option in options if option is not None]
        elif field.type == "ranked_choice":
            choices[field.id] = register_adapters.register_options(field.register)
    return choices


#: Per schema class, the names it declares (None: not a pydantic model), read once per class:
#: pydantic's ``model_fields`` is a deprecated class property, ~0.8 µs a read (issue 13).
_declared_names: dict[type, frozenset[str] | None] = {}


def _declared(field: Any, name: str) -> Any:
    """``getattr(field, name, None)``, without asking a schema field whose type does not
    declare ``name``: pydantic answers that with an exception, ~1.6 µs a field (issue 13)."""
    kind = type(field)
    try:
        names = _declared_names[kind]
    except KeyError:
        declared = getattr(kind, "model_fields", None)
        names = _declared_names[kind] = frozenset(declared) if declared is not None else None
    if names is not None and name not in names:
        return None
    return getattr(field, name, None)


def _flatten(fields: list[Any]) -> list[Any]:
    flat = []
    for field in fields:
        flat.append(field)
        if isinstance(field, GroupField):
            flat.extend(field.fields)
    return flat
