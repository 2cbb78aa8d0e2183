"""A step request evaluates the rules once per set of answers: once for the stored answers
(is the step shown?) and once for the checked form (progress, the next step, the page). The
view and the services pass that ``Journey`` on instead of building their own."""

from __future__ import annotations

import pytest
from test_applications_journey import start, step_url

from iktipet.applications.engine import journey
from iktipet.applications.engine.names import count_input, row_input
from iktipet.catalog.rules import Evaluator
from support.applications import form_service, publish, text

STEPS = [
    {
        "id": "om",
        "title": text("Om søknaden"),
        "fields": [
            {"id": "navn", "type": "text", "label": text("Navn på arrangementet")},
            {
                "id": "rader",
                "type": "group",
                "label": text("Dager"),
                "fields": [{"id": "dato", "type": "text", "label": text("Dag")}],
            },
        ],
    },
    {
        "id": "bekreft",
        "title": text("Bekreft"),
        "fields": [{"id": "ok", "type": "declaration", "label": text("Jeg bekrefter.")}],
    },
]


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """How many evaluators and visible-step lists the request builds."""
    counts = {"evaluators": 0, "visible_steps": 0}
    init, visible = Evaluator.__init__, journey.visible_steps

    def counted_init(self, *args, **kwargs):
        counts["evaluators"] += 1
        init(self, *args, **kwargs)

    def counted_visible(*args, **kwargs):
        counts["visible_steps"] += 1
        return visible(*args, **kwargs)

    monkeypatch.setattr(Evaluator, "__init__", counted_init)
    monkeypatch.setattr(journey, "visible_steps", counted_visible)
    return counts


@pytest.fixture
def application(db, kari_client):
    publish(form_service(STEPS))
    return start(kari_client)


def test_showing_a_step_evaluates_the_rules_once(kari_client, application, counted):
    # The form's answers are the stored ones (to the rules: an unanswered field reads as
    # missing), so the journey built for them is the form's too (issue 13).
    assert kari_client.get(step_url(application, "om")).status_code == 200
    assert counted == {"evaluators": 1, "visible_steps": 1}


def test_a_prefilled_step_evaluates_the_rules_for_the_prefilled_answers(
    kari_client, application, counted, monkeypatch
):
    from iktipet.applications.services import steps

    monkeypatch.setattr(steps, "prefill_values", lambda *args: {"navn": "Fra registeret"})
    response = kari_client.get(step_url(application, "om"))
    assert response.status_code == 200
    assert b"Fra registeret" in response.content
    assert counted == {"evaluators": 2, "visible_steps": 2}


def test_posting_a_step_evaluates_the_rules_twice(kari_client, application, counted):
    answers = {"navn": "Sommerfest", count_input("rader"): "1", row_input("rader", 0, "dato"): "1"}
    response = kari_client.post(step_url(application, "om"), answers)
    assert response.status_code == 302
    assert counted == {"evaluators": 2, "visible_steps": 2}


def test_a_step_shown_again_evaluates_the_rules_twice(kari_client, application, counted):
    response = kari_client.post(
        step_url(application, "om"),
        {"navn": "Sommerfest", count_input("rader"): "0", "_action": "add-row:rader"},
    )
    assert response.status_code == 200
    assert counted == {"evaluators": 2, "visible_steps": 2}
