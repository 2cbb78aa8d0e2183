"""``check_all`` (the summary's and the submit's check) cleans each step once when the draft
is clean already, and says what the two-pass check said for any draft: the same steps
incomplete, the same stop, warnings and kept answers (issue 13)."""

from __future__ import annotations

import pytest

from iktipet.applications.engine import journey
from iktipet.applications.engine.form import StepForm
from iktipet.applications.fields import Context
from iktipet.catalog.rules import Evaluator
from iktipet.catalog.schema import parse_definition
from support.applications import form_service, text

STEPS = [
    {
        "id": "om",
        "title": text("Om søknaden"),
        "fields": [
            {"id": "mer", "type": "yes_no", "label": text("Mer?")},
            {
                "id": "detaljer",
                "type": "text",
                "label": text("Detaljer"),
                "visible_if": "mer == true",
            },
            {  # shown by an answer on a later step
                "id": "merknad",
                "type": "text",
                "label": text("Merknad"),
                "visible_if": "sted != null",
            },
            {
                "id": "valg",
                "type": "multiple_choice",
                "required": False,
                "label": text("Valg"),
                "options": [
                    {"value": "a", "label": text("A")},
                    {"value": "b", "label": text("B")},
                ],
            },
        ],
    },
    {
        "id": "hvor",
        "title": text("Hvor"),
        "visible_if": "mer == true",
        "fields": [{"id": "sted", "type": "text", "label": text("Sted")}],
    },
    {
        "id": "bekreft",
        "title": text("Bekreft"),
        "fields": [{"id": "ok", "type": "declaration", "label": text("Jeg bekrefter.")}],
    },
]
DEFINITION = parse_definition(form_service(STEPS))

DRAFTS = [
    {},
    {"mer": True, "detaljer": "x", "merknad": "m", "valg": ["a"], "sted": "Oslo", "ok": True},
    {"mer": False, "detaljer": None, "valg": [], "ok": True},
    {"mer": False, "detaljer": "skjult", "sted": "Oslo", "ok": True},  # hidden answers kept
    {"mer": True, "ok": True},  # a required answer missing
    {"mer": "tull", "valg": "a"},  # not as the engine stores them
    {"mer": True, "detaljer": "x", "valg": ["a"], "ok": True},  # a shown step not answered
    # A later step's answer is refused when cleaned, which hides a question on the first
    # step: that step is checked again with the answers as cleaned.
    {"mer": True, "detaljer": "x", "sted": "Oslo\x01", "ok": True},
]


def two_passes(definition, answers, ctx) -> journey.Checked:
    """check_all as it was: every step cleaned, then every visible step cleaned again."""
    current = dict(answers)
    for step in journey.form_steps(definition):
        form = StepForm(definition, step, ctx)
        form.load(current)
        current = form.clean(current)
    evaluator = Evaluator(definition, current)
    result = journey.Checked(answers={}, evaluator=evaluator)
    for step in journey.visible_form_steps(definition, evaluator):
        form = StepForm(definition, step, ctx)
        form.load(current)
        form.clean(current)
        if not form.check(require=True):
            result.incomplete.append(step)
        elif form.stop is not None and result.stop is None:
            result.stop, result.stop_step = form.stop, step
        result.warnings.extend(form.warnings)
    result.answers = journey.kept_answers(definition, evaluator, current)
    return result


@pytest.mark.parametrize("answers", DRAFTS)
def test_the_check_says_what_two_passes_said(answers):
    got = journey.check_all(DEFINITION, answers, Context())
    expected = two_passes(DEFINITION, answers, Context())
    assert [step.id for step in got.incomplete] == [step.id for step in expected.incomplete]
    assert (got.stop, got.warnings, got.answers) == (
        expected.stop,
        expected.warnings,
        expected.answers,
    )
    assert got.evaluator.answers == expected.evaluator.answers


def test_a_clean_draft_is_cleaned_once_per_step(monkeypatch):
    made = []
    init = StepForm.__init__

    def counted(self, *args, **kwargs):
        made.append(args[1].id)
        init(self, *args, **kwargs)

    monkeypatch.setattr(StepForm, "__init__", counted)
    clean = journey.check_all(DEFINITION, DRAFTS[1], Context())
    assert clean.incomplete == []
    assert made == ["om", "hvor", "bekreft"]

    made.clear()
    journey.check_all(DEFINITION, DRAFTS[3], Context())  # "detaljer" is dropped: again
    assert made[:3] == ["om", "hvor", "bekreft"]
    assert "om" in made[3:]


@pytest.mark.parametrize("answers", DRAFTS)
def test_the_summary_reads_the_checked_answers_as_anew(answers):
    """The summary's sections with the evaluator the check kept for its answers are those
    with the rules evaluated for them again; none is kept when a hidden answer was dropped."""
    checked = journey.check_all(DEFINITION, answers, Context())
    fresh = Evaluator(DEFINITION, checked.answers)
    kept = checked.answers_evaluator
    if kept is not None:
        assert kept is checked.evaluator
        assert (kept.answers, kept.computed) == (fresh.answers, fresh.computed)
    sections = journey.summary_sections(DEFINITION, checked.answers, Context(), evaluator=kept)
    assert sections == journey.summary_sections(DEFINITION, checked.answers, Context())


def test_no_evaluator_is_kept_when_a_hidden_answer_was_dropped():
    assert journey.check_all(DEFINITION, DRAFTS[3], Context()).answers_evaluator is None
    assert journey.check_all(DEFINITION, DRAFTS[1], Context()).answers_evaluator is not None
