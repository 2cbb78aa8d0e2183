"""The timeline of a case in sentences, for the applicant and for the case worker.

One place describes every event kind, whichever app wrote it (the nabovarsel app writes
``neighbours_notified`` and ``neighbour_replied``), so both pages say the same thing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iktipet.cases import selectors
from iktipet.cases.models import Case, CaseEvent
from iktipet.core.money import format_nok
from iktipet.core.per_language import per_language

#: An event as the case pages read it (a plain row) or the model itself.
Event = CaseEvent | selectors.TimelineEvent


class TimelineEntry(NamedTuple):
    """One line of a timeline (a tuple: made per event on every view of a case page)."""

    at: dt.datetime
    text: str
    note: str
    actor_label: str = ""
    internal: bool = False


def _date(value: Any) -> str:
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        from iktipet.cases.deadlines import local_date

        return date_format(local_date(moment), "SHORT_DATE_FORMAT")
    return date_format(moment.date(), "SHORT_DATE_FORMAT")


@per_language
def _sentences() -> dict[str, str]:
    """The timeline's sentences in the active language, translated once per process per
    language (a gettext an event cost ~4 µs, a case has tens; issue 13)."""
    return {
        "received_appeal": _("Klagen ble mottatt og fikk saksnummer %(reference)s."),
        "received": _("Søknaden ble mottatt og fikk saksnummer %(reference)s."),
        "status_changed": _("Status ble endret fra «%(old)s» til «%(new)s»."),
        "assigned": _("Saken ble tildelt %(name)s."),
        "released": _("Saken ble frigitt."),
        "citizen_message_applicant": _("Du sendte en melding til saksbehandleren."),
        "citizen_message": _("Søkeren sendte en melding."),
        "staff_message_applicant": _("Saksbehandleren sendte deg en melding."),
        "staff_message": _("Melding sendt til søkeren."),
        "hearing_body": _("En høringsinstans"),
        "hearing_answered": _("%(body)s har gitt sin uttalelse i høringen."),
        "delivered_deadline_applicant": _("Vedtaket kom fram til deg. Klagefristen er %(date)s."),
        "delivered_deadline": _("Vedtaket kom fram til parten. Klagefristen er %(date)s."),
        "delivered_applicant": _("Vedtaket kom fram til deg."),
        "delivered": _("Vedtaket kom fram."),
        "appealed": _("Vedtaket ble påklaget (klagesak %(reference)s)."),
        "consent": _("En nabo har svart og samtykker."),
        "objections": _("En nabo har svart med merknader."),
        "claim_raised_applicant": _(
            "Du fikk et betalingskrav på %(amount)s med forfall %(date)s (%(order)s)."
        ),
        "claim_raised": _("Betalingskrav på %(amount)s med forfall %(date)s (%(order)s)."),
        "claim_paid": _("Betalingskravet %(order)s på %(amount)s er betalt."),
        "updated": _("Saken ble oppdatert."),
        "system": _("Systemet"),
    }


def _describe(
    event: Event, case: Case, workflow: Any, texts: dict[str, str], for_applicant: bool
) -> str:
    details = event.details or {}
    kind = event.kind
    if kind == "received":
        text = texts["received_appeal" if case.kind == Case.Kind.APPEAL else "received"]
        return text % {"reference": case.reference}
    if kind == "status_changed":
        return texts["status_changed"] % {
            "old": workflow.label(event.from_status),
            "new": workflow.label(event.to_status),
        }
    if kind == "assigned":
        if details.get("assignee"):
            return texts["assigned"] % {"name": details["assignee"]}
        return texts["released"]
    if kind == "message":
        side = "citizen" if details.get("side") == "citizen" else "staff"
        return texts[f"{side}_message_applicant" if for_applicant else f"{side}_message"]
    if kind == "hearing_answered":
        body = next(
            (b.label.get() for b in workflow.hearing_bodies if b.id == details.get("body")),
            details.get("body") or texts["hearing_body"],
        )
        return texts["hearing_answered"] % {"body": body}
    if kind == "decision_delivered":
        name = "delivered_deadline" if details.get("deadline") else "delivered"
        text = texts[f"{name}_applicant" if for_applicant else name]
        if details.get("deadline"):
            return text % {"date": _date(details["deadline"])}
        return text
    if kind == "appealed":
        return texts["appealed"] % {"reference": details.get("appeal", "")}
    if kind == "neighbours_notified":
        count = int(details.get("notices", 0) or 0)
        text = ngettext(
            "Nabovarsel ble sendt til %(count)s nabo. Fristen for merknader er %(date)s.",
            "Nabovarsel ble sendt til %(count)s naboer. Fristen for merknader er %(date)s.",
            count,
        )
        return text % {"count": count, "date": _date(details.get("deadline", ""))}
    if kind == "neighbour_replied":
        return texts["consent" if details.get("consent") else "objections"]
    if kind == "claim_raised":
        text = texts["claim_raised_applicant" if for_applicant else "claim_raised"]
        return text % _claim(details)
    if kind == "claim_paid":
        return texts["claim_paid"] % _claim(details)
    return texts["updated"]


def _claim(details: dict[str, Any]) -> dict[str, str]:
    return {
        "amount": format_nok(int(details.get("amount_ore") or 0)),
        "date": _date(details.get("due_date", "")),
        "order": str(details.get("order", "")),
    }


class _Labelled:
    """A workflow whose state labels are looked up once per timeline (a label is a search
    of the states and a translation; a timeline names the same few states again and again)."""

    def __init__(self, workflow: Any) -> None:
        self.hearing_bodies = workflow.hearing_bodies
        self._label = workflow.label
        self._labels: dict[str, str] = {}

    def label(self, state_id: str) -> str:
        found = self._labels.get(state_id)
        if found is None:
            found = self._labels[state_id] = self._label(state_id)
        return found


def timeline_for(case: Case, *, for_applicant: bool) -> list[TimelineEntry]:
    """The case's events in order: the applicant sees only what is visible to them."""
    workflow, texts = _Labelled(case.workflow_model), _sentences()
    return [
        TimelineEntry(
            event.at,
            _describe(event, case, workflow, texts, for_applicant),
            event.note,
            event.actor_label if event.actor_id else texts["system"],
            not event.visible_to_applicant,
        )
        for event in selectors.timeline_events_of(case, for_applicant=for_applicant)
    ]
