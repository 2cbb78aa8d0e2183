"""Workflows as data: named state machines read from ``workflows/*.yaml``.

A workflow lists its states and its transitions; each transition names the roles that may
take it (``case_worker``, ``agency_admin``, ``applicant``, ``system``) and, when it needs
more than a click, the ``action`` that performs it (a decision, an offer, a request for
information). :mod:`iktipet.cases.services` is the only place that moves a case.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, model_validator

from iktipet.catalog.schema.common import Model, Slug, Text

WORKFLOW_DIR = Path(__file__).resolve().parent / "workflows"

Role = Literal["case_worker", "agency_admin", "applicant", "system"]
Action = Literal["request_information", "decide", "hearing", "offer", "answer_offer"]
STAFF_ROLES: frozenset[str] = frozenset({"case_worker", "agency_admin"})


class Due(Model):
    """How long the agency has, from receipt: ``{months: 4}`` or ``{weeks: 3}``."""

    months: int = Field(0, ge=0, le=24)
    weeks: int = Field(0, ge=0, le=104)
    days: int = Field(0, ge=0, le=730)


class State(Model):
    id: Slug
    label: Text
    final: bool = False
    #: The ball is with the applicant (answer a request, accept an offer).
    waiting: bool = False


class Transition(Model):
    id: Slug
    from_: list[Slug] = Field(alias="from", min_length=1)
    to: Slug
    label: Text
    roles: list[Role] = Field(min_length=1)
    action: Action | None = None
    #: A condition the service function checks: ``hearing_answered`` (every body sent the
    #: hearing has answered or let its deadline pass), ``hearing_before_grant`` (a grant
    #: needs every hearing body heard that way first: alkoholloven § 1-7).
    requires: Literal["hearing_answered", "hearing_before_grant"] | None = None


class HearingBody(Model):
    id: Slug
    label: Text


class Workflow(Model):
    id: Slug
    title: Text
    initial: Slug
    due: Due | None = None
    #: Whether ``due`` is a processing time the applicant may rely on ("Forventet svar
    #: innen"); false when it is only the agency's own deadline.
    due_public: bool = True
    states: list[State] = Field(min_length=1)
    transitions: list[Transition] = Field(default_factory=list)
    hearing_bodies: list[HearingBody] = Field(default_factory=list)
    #: Days a hearing body has to comment; silence after that counts as no remarks.
    hearing_answer_days: int = Field(21, ge=1, le=90)
    offer_answer_days: int | None = Field(None, ge=1, le=60)

    @model_validator(mode="after")
    def _consistent(self) -> Workflow:
        ids = [state.id for state in self.states]
        if len(set(ids)) != len(ids):
            raise ValueError("state ids must be unique")
        if self.initial not in ids:
            raise ValueError(f"initial state {self.initial!r} is not a state")
        seen: set[str] = set()
        for transition in self.transitions:
            if transition.id in seen:
                raise ValueError(f"transition {transition.id!r} is declared twice")
            seen.add(transition.id)
            for name in [*transition.from_, transition.to]:
                if name not in ids:
                    raise ValueError(f"transition {transition.id!r} names unknown state {name!r}")
            if transition.action == "hearing" and not self.hearing_bodies:
                raise ValueError("a hearing transition needs hearing_bodies")
            if transition.action == "offer" and not self.offer_answer_days:
                raise ValueError("an offer transition needs offer_answer_days")
        return self

    def state(self, state_id: str) -> State | None:
        return next((state for state in self.states if state.id == state_id), None)

    def transition(self, transition_id: str) -> Transition | None:
        return next((t for t in self.transitions if t.id == transition_id), None)

    def transitions_from(self, state_id: str) -> list[Transition]:
        return [t for t in self.transitions if state_id in t.from_]

    def is_final(self, state_id: str) -> bool:
        state = self.state(state_id)
        return bool(state and state.final)

    def label(self, state_id: str) -> str:
        state = self.state(state_id)
        return state.label.get() if state else state_id


class UnknownWorkflow(LookupError):
    pass


def load_workflow_file(path: Path) -> Workflow:
    with path.open(encoding="utf-8") as handle:
        return Workflow.model_validate(yaml.safe_load(handle))


@functools.cache
def all_workflows() -> dict[str, Workflow]:
    """Every shipped workflow by id (read once per process: they are code, not content)."""
    found: dict[str, Workflow] = {}
    for path in sorted(WORKFLOW_DIR.glob("*.yaml")):
        workflow = load_workflow_file(path)
        if workflow.id != path.stem:
            raise ValueError(f"{path.name}: id {workflow.id!r} must match the file name")
        found[workflow.id] = workflow
    return found


def get_workflow(workflow_id: str) -> Workflow:
    try:
        return all_workflows()[workflow_id]
    except KeyError:
        raise UnknownWorkflow(workflow_id) from None
