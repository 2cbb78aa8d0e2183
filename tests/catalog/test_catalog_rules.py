"""CEL rules: the variable model, fees from DOMAIN.md, and the seed services' rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from iktipet.catalog.rules import (
    Evaluator,
    FeeUnavailable,
    RuleError,
    RuleSyntaxError,
    compile_expression,
    compute_fee,
    evaluate,
    kroner_to_ore,
)

# --- the evaluator on its own ------------------------------------------------------------


def test_yearly_minimum_as_a_conditional():
    expression = "x > 6400.0 ? x : 6400.0"
    assert evaluate(expression, {"x": 11848.0}, {}) == 11848.0
    assert evaluate(expression, {"x": 610.0}, {}) == 6400.0


def test_variable_model():
    answers = {
        "start": date(2026, 8, 1),
        "amount": Decimal("12.50"),
        "kids": [{"age": 3}, {"age": 7}],
    }
    context = {"today": date(2026, 3, 1), "params": {"limit": 5}}
    assert evaluate("start > today", answers, context) is True
    assert evaluate("amount * 2.0", answers, context) == 25.0
    assert evaluate("kids.exists(k, k.age > params.limit)", answers, context) is True
    assert evaluate("kids.map(k, k.age)", answers, context) == [3, 7]
    assert evaluate("nothing == null", answers, context) is True  # unanswered is null
    assert evaluate("addDays(today, 30)", answers, context) == date(2026, 3, 31)
    assert evaluate("daysBetween(today, start)", answers, context) == 153
    assert evaluate("date(2026, 2, 31)", {}, {}) == date(2026, 2, 28)


def test_today_defaults_to_the_date_in_oslo():
    from django.utils import timezone

    assert evaluate("today", {}, {}) == timezone.localdate()


def test_age_on_the_application_date():
    context = {"today": date(2026, 3, 14)}
    assert evaluate("age(birthdate(fnr), today)", {"fnr": "14832699927"}, context) == 0
    assert evaluate("age(birthdate(fnr), today)", {"fnr": "17819049912"}, context) == 36
    assert evaluate("birthdate(fnr)", {"fnr": "bad"}, context) is None


def test_errors_are_rule_errors_not_crashes():
    with pytest.raises(RuleError, match="No such overload"):
        evaluate("count * 1.5", {"count": 2}, {})
    with pytest.raises(RuleError):
        evaluate("1 / zero", {"zero": 0}, {})
    with pytest.raises(RuleSyntaxError, match="Syntax error"):
        compile_expression("a >")


def test_there_is_no_way_to_python():
    # CEL has no eval, imports or attribute access to Python objects.
    assert compile_expression("__import__('os').system('true')").unknown_functions == {
        "__import__",
        "system",
    }
    with pytest.raises(RuleError):
        evaluate("__import__('os')", {}, {})


@pytest.mark.parametrize(
    ("value", "ore"), [(11848.0, 1184800), (1038.0000000000002, 103800), (0.005, 1), (460, 46000)]
)
def test_kroner_to_ore(value, ore):
    assert kroner_to_ore(value) == ore


@pytest.mark.parametrize("value", [-1.0, "12", None, True, float("nan")])
def test_bad_fee_values(value):
    with pytest.raises(FeeUnavailable):
        kroner_to_ore(value)


# --- skjenkebevilling (alkoholforskriften § 6-2) -------------------------------------------

ALL_GROUPS = ["gruppe1", "gruppe2", "gruppe3"]
#: DOMAIN.md's example: 10 000 l beer + 3 000 l wine + 200 l spirits = 11 848 kr.
DOMAIN_EXAMPLE = {
    "alcohol_groups": ALL_GROUPS,
    "litres_group1": 10000,
    "litres_group2": 3000,
    "litres_group3": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "ore"),
    [
        # DOMAIN.md: 10 000 l beer + 3 000 l wine + 200 l spirits = 11 848 kr.
        (
            {
                "alcohol_groups": ALL_GROUPS,
                "litres_group1": 10000,
                "litres_group2": 3000,
                "litres_group3": 200,
            },
            1_184_800,
        ),
        # Below the yearly minimum of 6 400 kr.
        ({"alcohol_groups": ["gruppe1"], "litres_group1": 1000}, 640_000),
        (
            {"alcohol_groups": ["gruppe1", "gruppe2"], "litres_group1": 0, "litres_group2": 0},
            640_000,
        ),
        # Only spirits: 2 000 l × 5.19 = 10 380 kr.
        ({"alcohol_groups": ["gruppe3"], "litres_group3": 2000}, 1_038_000),
        # Litres of a group not chosen do not count (the field is hidden).
        ({"alcohol_groups": ["gruppe3"], "litres_group1": 99999, "litres_group3": 2000}, 1_038_000),
    ],
)
def test_skjenkebevilling_fee(published, answers, ore):
    assert compute_fee(published["skjenkebevilling"], answers) == ore


@pytest.mark.django_db
def test_fee_waits_for_the_litres(published):
    with pytest.raises(FeeUnavailable):
        compute_fee(published["skjenkebevilling"], {"alcohol_groups": ["gruppe2"]})


@pytest.mark.django_db
def test_skjenkebevilling_fee_lines_add_up_to_the_domain_example(published):
    definition = published["skjenkebevilling"].definition_model
    evaluator = Evaluator(definition, DOMAIN_EXAMPLE)
    lines = evaluator.fee_lines("nb")
    assert [line.amount_ore for line in lines] == [610_000, 471_000, 103_800]
    assert lines[0].text == "Gruppe 1 (øl): 10\u00a0000 liter à 0,61 kr"
    assert sum(line.amount_ore for line in lines) == evaluator.fee_ore() == 1_184_800
    assert definition.fee.when == "decision" and definition.fee.due_days == 30


@pytest.mark.django_db
def test_skjenkebevilling_fee_lines_top_up_to_the_yearly_minimum(published):
    evaluator = Evaluator(
        published["skjenkebevilling"].definition_model,
        {"alcohol_groups": ["gruppe1"], "litres_group1": 1000},
    )
    lines = evaluator.fee_lines("en")
    assert [(line.text, line.amount_ore) for line in lines] == [
        ("Group 1 (beer): 1,000 litres at NOK 0.61", 61_000),
        ("Added up to the minimum fee of NOK 6,400", 579_000),
    ]
    assert evaluator.fee_ore() == 640_000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("participants", "ore", "text"),
    [
        (1, 44_000, "høyst 150 personer"),
        (150, 44_000, "høyst 150 personer"),
        (151, 66_000, "høyst 300 personer"),
        (300, 66_000, "høyst 300 personer"),
        (301, 88_000, "høyst 500 personer"),
        (500, 88_000, "høyst 500 personer"),
        (501, 110_000, "flere enn 500 personer"),
        (20_000, 110_000, "flere enn 500 personer"),
    ],
)
def test_single_event_fee_follows_the_participant_tiers(published, participants, ore, text):
    definition = published["skjenkebevilling-enkelt-anledning"].definition_model
    evaluator = Evaluator(definition, {"participants": participants})
    (line,) = evaluator.fee_lines("nb")  # one tier applies; the others come to 0 and are left out
    assert line.amount_ore == ore and line.text.endswith(text)
    assert evaluator.fee_ore() == ore
    assert definition.fee.when == "application"


@pytest.mark.django_db
def test_single_event_fee_waits_for_the_participants(published):
    evaluator = Evaluator(published["skjenkebevilling-enkelt-anledning"].definition_model, {})
    with pytest.raises(FeeUnavailable):
        evaluator.fee_ore()
    with pytest.raises(FeeUnavailable):
        evaluator.fee_lines()


def test_a_fee_given_by_expression_is_one_line_and_when_defaults_to_application():
    from iktipet.catalog.schema import parse_definition
    from support.catalog import MINIMAL

    definition = parse_definition(MINIMAL)
    assert definition.fee.when == "application" and definition.fee.providers == []
    evaluator = Evaluator(definition, {"count": 4})
    assert [(line.text, line.amount_ore) for line in evaluator.fee_lines("en")] == [
        ("Test service", 1_000)
    ]


@pytest.mark.django_db
def test_free_services_and_links_cost_nothing(published):
    assert compute_fee(published["nabovarsel"], {}) == 0
    assert compute_fee(published["sjekk-skatten"], {}) == 0


@pytest.mark.django_db
def test_fee_estimate_is_shown_before_submit(published):
    definition = published["skjenkebevilling"].definition_model
    evaluator = Evaluator(definition, DOMAIN_EXAMPLE)
    estimate = definition.field("fee_estimate")
    assert evaluator.is_visible(estimate)
    assert "11\xa0848 kr" in evaluator.text(estimate.text, "nb")
    assert "NOK 11,848" in evaluator.text(estimate.text, "en")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "failing"),
    [
        # Kari is born 17 January 1990 (synthetic number): 20 on 17 January 2010.
        (date(2010, 1, 16), {"styrer_age"}),
        (date(2010, 1, 17), set()),
    ],
)
def test_styrer_must_be_20_on_the_application_date(published, today, failing):
    definition = published["skjenkebevilling"].definition_model
    answers = {
        "styrer": {"name": "Kari Nordmann-Test", "fnr": "17819049912"},
        "stedfortreder": {"name": "Ola Nordmann-Test", "fnr": "03868849974"},
    }
    evaluator = Evaluator(definition, answers, today=today)
    assert {v.id for v in evaluator.failed_validations(definition.step("people"))} == failing


@pytest.mark.django_db
def test_styrer_and_stedfortreder_are_two_people(published):
    definition = published["skjenkebevilling"].definition_model
    same = {"name": "Kari Nordmann-Test", "fnr": "17819049912"}
    evaluator = Evaluator(definition, {"styrer": same, "stedfortreder": same})
    failed = evaluator.failed_validations(definition.step("people"))
    assert [v.id for v in failed] == ["different_people"]
    assert failed[0].fields == ["stedfortreder"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "takeover", "outdoor"),
    [
        ({"application_kind": "new", "serving_areas": ["indoors"]}, False, False),
        ({"application_kind": "takeover", "serving_areas": ["indoors"]}, True, False),
        ({"application_kind": "new", "serving_areas": ["indoors", "outdoors"]}, False, True),
    ],
)
def test_skjenkebevilling_attachment_rules(published, answers, takeover, outdoor):
    definition = published["skjenkebevilling"].definition_model
    evaluator = Evaluator(definition, answers)
    assert evaluator.is_required(definition.field("takeover_agreement")) is takeover
    assert evaluator.is_required(definition.field("landowner_consent")) is outdoor
    assert evaluator.is_required(definition.field("outdoor_drawing")) is outdoor
    assert evaluator.is_required(definition.field("firmaattest")) is True


@pytest.mark.django_db
def test_serving_hours_follow_the_national_limits(published):
    definition = published["skjenkebevilling"].definition_model
    answers = {
        "alcohol_groups": ALL_GROUPS,
        "hours_group12_from": "07:30",
        "hours_group3_from": "13:00",
    }
    failed = Evaluator(definition, answers).failed_validations(definition.step("hours"))
    assert [v.id for v in failed] == ["group12_start"]


# --- nabovarsel: the SAK10 § 4-1 pre-check ------------------------------------------------

GARAGE = {
    "project_kind": "garage",
    "garage_built_regulated": True,
    "garage_area_m2": "50",
    "garage_one_storey": True,
    "garage_ridge_m": "4.0",
    "garage_eaves_m": "3.0",
    "garage_distance_m": "1.0",
    "garage_over_pipes": False,
    "garage_near_sea": False,
    "garage_near_railway": False,
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "stops"),
    [
        ({}, True),
        ({"garage_area_m2": "50.1"}, False),
        ({"garage_ridge_m": "4.1"}, False),
        ({"garage_eaves_m": "3.5"}, False),
        ({"garage_distance_m": "0.9"}, False),
        ({"garage_one_storey": False}, False),
        ({"garage_built_regulated": False}, False),
        ({"garage_over_pipes": True}, False),
        ({"garage_near_sea": True}, False),
        ({"garage_near_railway": True}, False),
        ({"garage_area_m2": None}, False),
        ({"project_kind": "other"}, False),
    ],
)
def test_garage_needs_no_application_only_when_every_condition_holds(published, change, stops):
    definition = published["nabovarsel"].definition_model
    rule = Evaluator(definition, {**GARAGE, **change}).stop_rule(definition.step("precheck"))
    assert (rule is not None and rule.id == "garage_no_application") is stops
    if stops:
        assert "ikke sende nabovarsel" in rule.title.nb and "SAK10" in rule.message.en


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("area", "change", "stops"),
    [
        ("spread", "3.0", True),
        ("spread", "3.1", False),
        ("built", "1.5", True),
        ("built", "2.0", False),
        ("terraced", "0.5", True),
        ("terraced", "0.6", False),
    ],
)
def test_digging_and_filling_limits(published, area, change, stops):
    definition = published["nabovarsel"].definition_model
    answers = {
        "project_kind": "terrain",
        "terrain_area": area,
        "terrain_change_m": change,
        "terrain_distance_m": "1.0",
    }
    rule = Evaluator(definition, answers).stop_rule(definition.step("precheck"))
    assert (rule is not None) is stops


@pytest.mark.django_db
def test_hidden_answers_do_not_count(published):
    definition = published["nabovarsel"].definition_model
    evaluator = Evaluator(definition, {**GARAGE, "project_kind": "terrain"})
    assert evaluator.answers["garage_area_m2"] is None
    assert evaluator.computed["garage_exempt"] is False
    assert evaluator.answers["neighbours"] == [] and evaluator.answers["tiltakstyper"] == []


@pytest.mark.django_db
def test_dispensations_are_required_only_when_sought(published):
    definition = published["nabovarsel"].definition_model
    field = definition.field("dispensations")
    assert not Evaluator(definition, {"needs_dispensation": False}).is_required(field)
    assert Evaluator(definition, {"needs_dispensation": True}).is_required(field)


# --- barnehageplass: right to a place ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("child", "today", "right_from", "deadline"),
    [
        # Born 14 March 2026 (Jan–Aug): August the year the child turns one.
        ("14832699927", date(2026, 6, 1), date(2027, 8, 1), date(2027, 3, 1)),
        # Born 1 October 2025 (Sep–Nov): the month the child turns one; deadline 15 August.
        ("01902599907", date(2026, 6, 1), date(2026, 10, 1), date(2026, 8, 15)),
        # Born 24 December 2025: August the year after turning one.
        ("24922599946", date(2026, 6, 1), date(2027, 8, 1), date(2027, 3, 1)),
        # The deadline has passed: the right comes with the next main intake.
        ("14832699927", date(2027, 3, 2), date(2028, 8, 1), date(2028, 3, 1)),
    ],
)
def test_right_to_a_place(published, child, today, right_from, deadline):
    definition = published["barnehageplass"].definition_model
    evaluator = Evaluator(definition, {"child": child}, today=today)
    assert evaluator.computed["right_from"] == right_from
    assert evaluator.computed["right_deadline"] == deadline
    assert evaluator.is_visible(definition.field("right_info"))


@pytest.mark.django_db
def test_right_to_a_place_is_explained_in_both_languages(published):
    definition = published["barnehageplass"].definition_model
    evaluator = Evaluator(definition, {"child": "14832699927"}, today=date(2026, 6, 1))
    text = definition.field("right_info").text
    assert evaluator.text(text, "nb") == (
        "Barnet har rett til plass fra 1. august 2027 hvis du søker innen 1. mars 2027."
    )
    assert "right to a place from" in evaluator.text(text, "en") and "2027" in evaluator.text(
        text, "en"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "warnings"),
    [
        ("2027-08-01", set()),
        ("2027-10-01", set()),
        ("2026-10-01", {"start_before_right", "start_after_deadline"}),
    ],
)
def test_start_date_is_checked_against_deadlines(published, start, warnings):
    definition = published["barnehageplass"].definition_model
    evaluator = Evaluator(
        definition, {"child": "14832699927", "start_date": start}, today=date(2026, 9, 1)
    )
    failed = evaluator.failed_validations(definition.step("kindergartens"))
    assert {v.id for v in failed} == warnings
    assert all(v.severity == "warning" for v in failed)


@pytest.mark.django_db
@pytest.mark.parametrize(("group", "required"), [("none", False), (None, False), ("sibling", True)])
def test_priority_documentation_only_for_a_priority_group(published, group, required):
    definition = published["barnehageplass"].definition_model
    evaluator = Evaluator(definition, {"priority_group": group})
    assert evaluator.is_required(definition.field("priority_documentation")) is required


@pytest.mark.django_db
def test_barnehage_offers_the_seven_oslo_groups_and_five_choices(published):
    definition = published["barnehageplass"].definition_model
    assert len(definition.field("priority_group").options) == 8  # seven groups + none
    ranked = definition.field("kindergartens")
    assert (ranked.register_name, ranked.max_choices) == ("kindergartens", 5)
    assert str(definition.field("child").options_from) == "person.children"
