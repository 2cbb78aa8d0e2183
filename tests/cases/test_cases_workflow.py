"""Workflows as data: the shipped ones load, and a broken one is refused with a reason."""

from __future__ import annotations

import pytest
from django.conf import settings
from pydantic import ValidationError

from iktipet.cases.workflow import Workflow, all_workflows, get_workflow
from iktipet.catalog.loader import read_definitions


def test_the_shipped_workflows_load():
    assert {"standard", "skjenkebevilling", "barnehage", "nabovarsel", "appeal"} <= set(
        all_workflows()
    )


def test_standard_is_received_review_waiting_decided_closed():
    workflow = get_workflow("standard")
    assert [state.id for state in workflow.states] == [
        "received",
        "under_review",
        "waiting_for_applicant",
        "decided",
        "closed",
    ]
    assert workflow.is_final("closed") and not workflow.is_final("decided")
    assert {t.id for t in workflow.transitions_from("under_review")} == {
        "request_information",
        "decide",
    }


def test_skjenkebevilling_hears_police_social_services_and_tax():
    workflow = get_workflow("skjenkebevilling")
    assert [body.id for body in workflow.hearing_bodies] == [
        "politiet",
        "sosialtjenesten",
        "skatteetaten",
    ]
    assert workflow.transition("send_to_hearing").action == "hearing"


def test_barnehage_offers_are_answered_by_the_applicant_or_expire():
    workflow = get_workflow("barnehage")
    assert workflow.offer_answer_days == 10
    assert workflow.transition("accept_offer").roles == ["applicant"]
    assert workflow.transition("expire_offer").roles == ["system"]


def test_every_shipped_service_names_a_workflow_that_exists():
    files = read_definitions([settings.SERVICES_DIR])
    assert files and all(item.ok for item in files), [m for f in files for m in f.messages()]


def test_a_service_with_an_unknown_workflow_is_reported():
    from iktipet.cases.checks import workflow_problems

    definition = read_definitions([settings.SERVICES_DIR / "nabovarsel.yaml"])[0].definition
    broken = definition.model_copy(update={"workflow": "nowhere"})
    assert workflow_problems(broken) == [
        (
            "workflow",
            "unknown workflow 'nowhere' (known: " + ", ".join(sorted(all_workflows())) + ")",
        )
    ]


def _raw(**changes):
    data = {
        "id": "x",
        "title": {"nb": "X", "en": "X"},
        "initial": "a",
        "states": [{"id": "a", "label": {"nb": "A", "en": "A"}}],
        "transitions": [],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"initial": "nowhere"}, "initial state"),
        (
            {
                "transitions": [
                    {
                        "id": "t",
                        "from": ["a"],
                        "to": "b",
                        "label": {"nb": "T", "en": "T"},
                        "roles": ["case_worker"],
                    }
                ]
            },
            "unknown state",
        ),
        (
            {
                "transitions": [
                    {
                        "id": "t",
                        "from": ["a"],
                        "to": "a",
                        "label": {"nb": "T", "en": "T"},
                        "roles": ["case_worker"],
                        "action": "hearing",
                    }
                ]
            },
            "hearing_bodies",
        ),
        ({"states": [{"id": "a", "label": {"nb": "A", "en": "A"}}] * 2}, "unique"),
    ],
)
def test_a_broken_workflow_is_refused_with_a_reason(changes, reason):
    with pytest.raises(ValidationError, match=reason):
        Workflow.model_validate(_raw(**changes))
