"""Every field type: what it accepts, what it refuses with a message, and that no input at
all makes it raise anything but a FieldError (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iktipet.applications.fields import FIELD_TYPES, Context, FieldError, FieldSpec, Option
from iktipet.applications.fields.base import first

CTX = Context(allow_synthetic_ids=True)
OPTIONS = [Option("a", "A"), Option("b", "B"), Option("c", "C")]


def spec(kind: str, **extra) -> FieldSpec:
    return FieldSpec(id="f", type=kind, label="Feltet", **extra)


def clean(kind: str, raw, **extra):
    return FIELD_TYPES[kind].clean(spec(kind, **extra), raw, CTX)


def refused(kind: str, raw, **extra) -> FieldError:
    with pytest.raises(FieldError) as caught:
        clean(kind, raw, **extra)
    assert caught.value.message
    return caught.value


VALID = [
    ("text", "  Hei   der ", {}, "Hei der"),
    ("long_text", "Linje 1\nLinje 2", {}, "Linje 1\nLinje 2"),
    ("integer", "1 200", {}, 1200),
    ("decimal", "12,5", {}, "12.5"),
    ("money", "1 234,50", {}, 123450),
    ("money", "1500 kr", {}, 150000),
    ("date", "2026-03-01", {}, "2026-03-01"),
    ("date", "1.3.2026", {}, "2026-03-01"),
    ("yes_no", "yes", {}, True),
    ("yes_no", "no", {}, False),
    ("single_choice", "b", {"options": OPTIONS}, "b"),
    ("multiple_choice", ["c", "a"], {"options": OPTIONS}, ["a", "c"]),
    ("email", "Kari@Example.NO", {}, "Kari@example.no"),
    ("phone", "912 34 567", {}, "+4791234567"),
    ("phone", "0047 91234567", {}, "+4791234567"),
    ("phone", "+46 70 123 45 67", {"international": True}, "+46701234567"),
    ("fodselsnummer", "178190 49912", {}, "17819049912"),
    ("organisasjonsnummer", "974 760 673", {}, "974760673"),
    (
        "address",
        {"street": "Testveien  12", "postnummer": "0560", "poststed": "oslo"},
        {},
        {"street": "Testveien 12", "postnummer": "0560", "poststed": "OSLO"},
    ),
    (
        "property",
        {"kommunenummer": "0301", "gnr": "207", "bnr": "45", "fnr": "", "snr": "2"},
        {},
        {"kommunenummer": "0301", "gnr": 207, "bnr": 45, "fnr": 0, "snr": 2},
    ),
    (
        "person",
        {"name": "Kari  Nordmann-Test", "fnr": "17819049912"},
        {},
        {"name": "Kari Nordmann-Test", "fnr": "17819049912"},
    ),
    ("ranked_choice", ["b", "a", ""], {"options": OPTIONS, "max_items": 3}, ["b", "a"]),
    ("declaration", "yes", {}, True),
]


@pytest.mark.parametrize(("kind", "raw", "extra", "expected"), VALID)
def test_accepts(kind, raw, extra, expected):
    assert clean(kind, raw, **extra) == expected


INVALID = [
    ("text", "x" * 201, {}, "too_long"),
    ("text", "abc", {"pattern": r"\d+"}, "pattern"),
    ("text", "a", {"min_length": 3}, "too_short"),
    ("long_text", "x" * 4001, {}, "too_long"),
    ("integer", "12,5", {}, "invalid"),
    ("integer", "mange", {}, "invalid"),
    ("integer", "0", {"min_value": 1}, "min_value"),
    ("integer", "31", {"max_value": 30}, "max_value"),
    ("integer", "9" * 40, {}, "invalid"),
    ("decimal", "1,234", {"decimals": 2}, "decimals"),
    ("decimal", "tolv", {}, "invalid"),
    ("decimal", "NaN", {}, "invalid"),
    ("decimal", "1e9", {}, "invalid"),
    ("money", "12,345", {}, "invalid"),
    ("money", "ti kroner", {}, "invalid"),
    ("money", "100", {"max_value": 5000}, "max_value"),
    ("date", "31.02.2026", {}, "no_such_date"),
    ("date", "i morgen", {}, "invalid"),
    ("date", "2026-03-01", {"min_value": "2027-01-01"}, "min_value"),
    ("date", "2026-03-01", {"max_value": "2025-01-01"}, "max_value"),
    ("yes_no", "kanskje", {}, "invalid"),
    ("single_choice", "z", {"options": OPTIONS}, "invalid_choice"),
    ("multiple_choice", ["a", "z"], {"options": OPTIONS}, "invalid_choice"),
    ("multiple_choice", ["a"], {"options": OPTIONS, "min_items": 2}, "too_few"),
    ("multiple_choice", ["a", "b", "c"], {"options": OPTIONS, "max_items": 2}, "too_many"),
    ("email", "kari@", {}, "invalid"),
    ("email", "kari@example", {}, "invalid"),
    ("phone", "1234", {}, "invalid"),
    ("phone", "+46701234567", {"international": False}, "invalid"),
    ("fodselsnummer", "17819049913", {}, "checksum"),
    ("fodselsnummer", "1781904991", {}, "format"),
    ("organisasjonsnummer", "974760674", {}, "checksum"),
    ("address", {"street": "", "postnummer": "0560", "poststed": "OSLO"}, {}, "street"),
    ("address", {"street": "Gata 1", "postnummer": "560", "poststed": "OSLO"}, {}, "postnummer"),
    ("property", {"kommunenummer": "03", "gnr": "1", "bnr": "1"}, {}, "kommunenummer"),
    ("property", {"kommunenummer": "0301", "gnr": "0", "bnr": "1"}, {}, "gnr"),
    (
        "property",
        {"kommunenummer": "4601", "gnr": "1", "bnr": "1"},
        {"municipalities": ["0301"]},
        "municipality",
    ),
    ("person", {"name": "", "fnr": "17819049912"}, {}, "name"),
    ("person", {"name": "Kari", "fnr": "12345678901"}, {}, "checksum"),
    ("ranked_choice", ["a", "a"], {"options": OPTIONS, "max_items": 3}, "duplicate"),
    ("ranked_choice", ["", "a"], {"options": OPTIONS, "max_items": 3}, "gap"),
    ("ranked_choice", ["z"], {"options": OPTIONS, "max_items": 3}, "invalid_choice"),
    ("ranked_choice", ["a"], {"options": OPTIONS, "max_items": 3, "min_items": 2}, "too_few"),
    ("declaration", "", {}, "required"),
]


@pytest.mark.parametrize(("kind", "raw", "extra", "code"), INVALID)
def test_refuses_with_a_message(kind, raw, extra, code):
    assert refused(kind, raw, **extra).code == code


def test_synthetic_numbers_only_where_allowed():
    strict = Context(allow_synthetic_ids=False)
    with pytest.raises(FieldError) as caught:
        FIELD_TYPES["fodselsnummer"].clean(spec("fodselsnummer"), "17819049912", strict)
    assert caught.value.code == "synthetic"


def test_a_fodselsnummer_is_shown_masked():
    shown = FIELD_TYPES["fodselsnummer"].display(spec("fodselsnummer"), "17819049912")
    assert shown == "178190 *****"
    person = {"name": "Kari", "fnr": "17819049912"}
    assert "49912" not in FIELD_TYPES["person"].display(spec("person"), person)


def test_every_schema_field_type_has_an_engine_type():
    from iktipet.catalog.schema import FIELD_TYPES as SCHEMA_TYPES

    assert set(SCHEMA_TYPES) - {"group"} == set(FIELD_TYPES)


raw_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=15), inner, max_size=6)
    ),
    max_leaves=20,
)
bounds = (
    st.none() | st.integers(-(10**6), 10**6) | st.sampled_from(["today", "today+14d", "2026-01-01"])
)


@settings(max_examples=60, deadline=None)
@pytest.mark.parametrize("kind", sorted(FIELD_TYPES))
@given(raw=raw_values, low=bounds, high=bounds, text=st.text(max_size=40))
def test_fuzz_no_input_breaks_a_field_type(kind, raw, low, high, text):
    field = spec(
        kind,
        options=OPTIONS,
        min_value=low,
        max_value=high,
        max_items=3,
        min_items=1,
        international=True,
    )
    ftype = FIELD_TYPES[kind]
    try:
        value = ftype.clean(field, raw, CTX)
    except FieldError as exc:
        assert isinstance(exc.message, str) and exc.message
    else:
        ftype.display(field, value)
        ftype.raw_from_value(field, value)
    ftype.is_empty(raw)
    ftype.raw_from_post(field, {"f": [text], "f-1": text, "f-street": raw}, "f")
    assert isinstance(first({"f": raw}, "f"), str)
