"""The timeline of a case in sentences, for the applicant and for the case worker.

One place describes every event kind, whichever app wrote it (the nabovarsel app writes
``neighbours_notified`` and ``neighbour_replied``), so both pages say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iktipet.cases import selectors
from iktipet.cases.models import Case, CaseEvent
from iktipet.core.money import format_nok


@dataclass(frozen=True)
class TimelineEntry:
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


def describe(event: CaseEvent, case: Case, *, for_applicant: bool) -> str:
    """What happened, in one sentence."""
    workflow = case.workflow_model
    details = event.details or {}
    kind = event.kind
    if kind == "received":
        if case.kind == Case.Kind.APPEAL:
            return _("Klagen ble mottatt og fikk saksnummer %(reference)s.") % {
                "reference": case.reference
            }
        return _("Søknaden ble mottatt og fikk saksnummer %(reference)s.") % {
            "reference": case.reference
        }
    if kind == "status_changed":
        return _("Status ble endret fra «%(old)s» til «%(new)s».") % {
            "old": workflow.label(event.from_status),
            "new": workflow.label(event.to_status),
        }
    if kind == "assigned":
        if details.get("assignee"):
            return _("Saken ble tildelt %(name)s.") % {"name": details["assignee"]}
        return _("Saken ble frigitt.")
    if kind == "message":
        if details.get("side") == "citizen":
            if for_applicant:
                return _("Du sendte en melding til saksbehandleren.")
            return _("Søkeren sendte en melding.")
        if for_applicant:
            return _("Saksbehandleren sendte deg en melding.")
        return _("Melding sendt til søkeren.")
    if kind == "hearing_answered":
        body = next(
            (b.label.get() for b in workflow.hearing_bodies if b.id == details.get("body")),
            details.get("body") or _("En høringsinstans"),
        )
        return _("%(body)s har gitt sin uttalelse i høringen.") % {"body": body}
    if kind == "decision_delivered":
        if details.get("deadline"):
            text = (
                _("Vedtaket kom fram til deg. Klagefristen er %(date)s.")
                if for_applicant
                else _("Vedtaket kom fram til parten. Klagefristen er %(date)s.")
            )
            return text % {"date": _date(details["deadline"])}
        return _("Vedtaket kom fram til deg.") if for_applicant else _("Vedtaket kom fram.")
    if kind == "appealed":
        return _("Vedtaket ble påklaget (klagesak %(reference)s).") % {
            "reference": details.get("appeal", "")
        }
    if kind == "neighbours_notified":
        count = int(details.get("notices", 0) or 0)
        text = ngettext(
            "Nabovarsel ble sendt til %(count)s nabo. Fristen for merknader er %(date)s.",
            "Nabovarsel ble sendt til %(count)s naboer. Fristen for merknader er %(date)s.",
            count,
        )
        return text % {"count": count, "date": _date(details.get("deadline", ""))}
    if kind == "neighbour_replied":
        if details.get("consent"):
            return _("En nabo har svart og samtykker.")
        return _("En nabo har svart med merknader.")
    if kind == "claim_raised":
        text = (
            _("Du fikk et betalingskrav på %(amount)s med forfall %(date)s (%(order)s).")
            if for_applicant
            else _("Betalingskrav på %(amount)s med forfall %(date)s (%(order)s).")
        )
        return text % _claim(details)
    if kind == "claim_paid":
        return _("Betalingskravet %(order)s på %(amount)s er betalt.") % _claim(details)
    return _("Saken ble oppdatert.")


def _claim(details: dict[str, Any]) -> dict[str, str]:
    return {
        "amount": format_nok(int(details.get("amount_ore") or 0)),
        "date": _date(details.get("due_date", "")),
        "order": str(details.get("order", "")),
    }


def timeline_for(case: Case, *, for_applicant: bool) -> list[TimelineEntry]:
    """The case's events in order: the applicant sees only what is visible to them."""
    return [
        TimelineEntry(
            event.at,
            describe(event, case, for_applicant=for_applicant),
            event.note,
            event.actor_label if event.actor_id else _("Systemet"),
            not event.visible_to_applicant,
        )
        for event in selectors.timeline_events_of(case, for_applicant=for_applicant)
    ]
