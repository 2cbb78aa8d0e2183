"""The schema: every shipped definition is valid; field types and constraints are checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from iktipet.catalog.loader import read_definition
from iktipet.catalog.rules.functions import birth_date_from_fnr
from iktipet.catalog.schema import FIELD_TYPES, FormService, parse_definition, resolve_date
from support.catalog import AGENCY_SLUGS, write_definition

SEEDS = sorted((Path(__file__).resolve().parents[2] / "services").glob("*.yaml"))


def test_the_seed_services_are_shipped():
    assert {p.stem for p in SEEDS} == {
        "skjenkebevilling",
        "skjenkebevilling-enkelt-anledning",
        "nabovarsel",
        "barnehageplass",
        "timebestilling-servicetorget",
        "sjekk-skatten",
        "kunnskapsproven",
        "leie-av-skolelokaler",
    }


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_definition_is_valid(path):
    result = read_definition(path, AGENCY_SLUGS)
    assert result.problems == []
    assert result.definition is not None and result.definition.id == path.stem


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_texts_are_in_both_languages(path):
    definition = read_definition(path, AGENCY_SLUGS).definition
    for text in (definition.title, definition.summary):
        assert text.nb and text.en and text.nb != text.en


def _every_type() -> list[dict]:
    label = {"nb": "Felt", "en": "Field"}
    options = [{"value": "a", "label": {"nb": "A", "en": "A"}}]
    extra = {
        "single_choice": {"options": options, "widget": "select"},
        "multiple_choice": {"options": options, "max_selected": 1},
        "ranked_choice": {"register": "kindergartens", "max_choices": 5},
        "info": {"text": {"nb": "Tekst", "en": "Text"}},
        "group": {"fields": [{"id": "name", "type": "text", "label": label}], "max_items": 3},
        "file": {"accept": ["application/pdf"], "max_size_mb": 5, "max_files": 2},
        "date": {"min": "today", "max": "2030-12-31"},
        "money": {"min": 0, "max": 100000},
    }
    fields = []
    for kind in FIELD_TYPES:
        field = {"id": f"f_{kind}", "type": kind, **extra.get(kind, {})}
        if kind != "info":
            field["label"] = label
        fields.append(field)
    return fields


def test_every_field_type_is_described(minimal):
    minimal["steps"][1]["fields"] = _every_type()
    definition = parse_definition(minimal)
    assert isinstance(definition, FormService)
    assert {f.type for _s, f in definition.iter_fields()} >= set(FIELD_TYPES)
    ranked = definition.field("f_ranked_choice")
    assert ranked.register_name == "kindergartens" and ranked.max_choices == 5


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        ({"type": "text", "pattern": "(["}, "not a valid regular expression"),
        ({"type": "integer", "min": 5, "max": 1}, "greater than maximum"),
        ({"type": "date", "min": "tomorrow"}, "is not a date"),
        ({"type": "single_choice"}, "exactly one of 'options' and 'options_from'"),
        ({"type": "file", "accept": ["application/x-msdownload"]}, "Input should be"),
        ({"type": "ranked_choice", "register": "schools", "max_choices": 3}, "kindergartens"),
        ({"type": "text", "required": True, "required_if": "true"}, "not both"),
        ({"type": "text", "prefill": "bank.balance"}, "person"),
    ],
)
def test_bad_field_constraints_are_rejected(minimal, field, reason):
    minimal["steps"][1]["fields"] = [
        {"id": "x", "label": {"nb": "X", "en": "X"}, **field},
    ]
    with pytest.raises(ValidationError, match=reason):
        parse_definition(minimal)


def test_duplicate_option_values_are_rejected(minimal):
    option = {"value": "a", "label": {"nb": "A", "en": "A"}}
    minimal["steps"][1]["fields"] = [
        {
            "id": "x",
            "type": "single_choice",
            "label": {"nb": "X", "en": "X"},
            "options": [option, option],
        }
    ]
    with pytest.raises(ValidationError, match="duplicate option value"):
        parse_definition(minimal)


def test_prefill_shorthand_and_mapping(minimal):
    minimal["steps"][1]["fields"] = [
        {
            "id": "name",
            "type": "text",
            "label": {"nb": "N", "en": "N"},
            "prefill": "person.full_name",
        },
        {"id": "prop", "type": "property", "label": {"nb": "E", "en": "P"}},
        {
            "id": "neighbours",
            "type": "group",
            "label": {"nb": "Naboer", "en": "Neighbours"},
            "prefill": {"source": "property", "path": "neighbours", "from": "prop"},
            "fields": [{"id": "name", "type": "text", "label": {"nb": "N", "en": "N"}}],
        },
    ]
    definition = parse_definition(minimal)
    name, _prop, group = (f for _s, f in definition.iter_fields() if _s.id == "second")
    assert (name.prefill.source, name.prefill.path) == ("person", "full_name")
    assert group.prefill.from_field == "prop" and group.prefill.editable


def test_organisation_services_name_the_roles_that_may_apply(minimal):
    minimal["audience"] = "organisation"
    with pytest.raises(ValidationError, match="representation_roles"):
        parse_definition(minimal)
    minimal["representation_roles"] = ["DAGL", "LEDE"]
    assert parse_definition(minimal).representation_roles == ["DAGL", "LEDE"]


def test_link_entries_must_use_https():
    link = {
        "kind": "link",
        "id": "lenke",
        "title": {"nb": "Lenke", "en": "Link"},
        "summary": {"nb": "S", "en": "S"},
        "provider": {"nb": "Noen", "en": "Someone"},
        "url": "http://example.invalid/",
    }
    with pytest.raises(ValidationError, match="https"):
        parse_definition(link)
    link["url"] = "https://example.invalid/"
    assert parse_definition(link).agency is None


def test_booking_step_is_described_for_a_plugin(minimal):
    minimal["steps"].append(
        {
            "id": "time",
            "kind": "booking",
            "title": {"nb": "Tid", "en": "Time"},
            "booking": {"resource": "desk-1"},
        }
    )
    definition = parse_definition(minimal)
    assert definition.step_kinds == {"form", "booking"}
    assert definition.step("time").booking.hold_minutes == 15


def test_yaml_keeps_dates_as_text_and_rejects_duplicate_keys(tmp_path, minimal):
    minimal["steps"][1]["fields"] = [
        {"id": "d", "type": "date", "label": {"nb": "D", "en": "D"}, "min": "2025-03-01"}
    ]
    path = write_definition(tmp_path, minimal)
    result = read_definition(path, None)
    assert result.problems == [] and result.data["steps"][1]["fields"][0]["min"] == "2025-03-01"
    path.write_text(path.read_text() + "workflow: other\n")
    result = read_definition(path, None)
    assert "duplicate key 'workflow'" in result.messages()[0]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("today", date(2024, 2, 29)),
        ("today+14d", date(2024, 3, 14)),
        ("today-2w", date(2024, 2, 15)),
        ("today+1m", date(2024, 3, 29)),
        ("today-20y", date(2004, 2, 29)),
        ("today+1y", date(2025, 2, 28)),
        ("2025-03-01", date(2025, 3, 1)),
    ],
)
def test_relative_dates(spec, expected):
    assert resolve_date(spec, date(2024, 2, 29)) == expected


@pytest.mark.parametrize(
    ("fnr", "born"),
    [
        ("17912099997", date(2020, 11, 17)),  # Tenor: month + 80
        ("14832699927", date(2026, 3, 14)),
        ("17819049912", date(1990, 1, 17)),
        ("41010149900", date(1901, 1, 1)),  # D-number: day + 40
        ("01450149900", date(1901, 5, 1)),  # Dolly: month + 40
        ("01015550000", date(1855, 1, 1)),  # individnummer 500-749 with year 55: 1800s
        ("01014550000", None),  # individnummer 500-749 with year 45: no century
        ("31029912345", None),  # 31 February
        ("1234", None),
    ],
)
def test_birth_date_from_fnr(fnr, born):
    assert birth_date_from_fnr(fnr) == born
