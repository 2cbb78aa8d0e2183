"""The booking step inside a service's form (``kind: booking``), as the form engine's step
plugin (catalog.plugins): the no-JS slot picker within the step, the chosen time HELD while
the person finishes the form, and the hold made a booking inside the submit transaction.

The step's answer is only the id of the person's own hold. Everything else — the resource
(from the service definition), the time (the posted slot checked against the calendar),
the price — is looked up on the server, so a tampered POST changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from iktipet.booking import clock, forms, selectors, services
from iktipet.booking.models import Reservation, Resource
from iktipet.booking.picker import picker_context
from iktipet.booking.services.capacity import SlotFull
from iktipet.catalog.plugins import BaseStepPlugin, StepRefused, StepSaved, register
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.ids import valid_uuids

#: A booking, or a hold that has not lapsed: an answer the step can go on with.
DONE = (Reservation.Status.CONFIRMED, Reservation.Status.PENDING)


def expired_message() -> str:
    return _("Tiden du holdt av, er utløpt. Velg et nytt tidspunkt.")


def _resource(step: Any) -> Resource:
    return selectors.resource_by_slug(step.booking.resource)


def _reservation(answer: Any, user: Any) -> Reservation | None:
    """The person's own reservation the answer names (anyone else's is no answer)."""
    if not isinstance(answer, dict):
        return None
    found = valid_uuids([answer.get("reservation", "")])
    if not found:
        return None
    return selectors.reservations_for_person(user).filter(pk=found[0]).first()


def _is_live(reservation: Reservation | None) -> bool:
    if reservation is None:
        return False
    if reservation.status in DONE:
        return True
    return (
        reservation.status == Reservation.Status.HELD
        and reservation.held_until is not None
        and reservation.held_until >= clock.now()
    )


def _when(reservation: Reservation) -> str:
    start = timezone.localtime(reservation.starts_at)
    end = timezone.localtime(reservation.ends_at)
    return _("%(day)s kl. %(start)s–%(end)s") % {
        # Translators: a date format (Django's date filter): weekday, day, month, year.
        "day": date_format(start, _("l j. F Y")),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


def _topic(resource: Resource, answers: Mapping[str, Any]) -> str:
    """The topic the form's answers chose, if one of them is one of the resource's."""
    values = {item["value"] for item in resource.topics}
    return next((v for v in answers.values() if isinstance(v, str) and v in values), "")


@register("booking")
class BookingStepPlugin(BaseStepPlugin):
    template_name = "booking/_step_picker.html"

    def check_step(self, step: Any) -> list[str]:
        # The resource is not looked up here: it is data staff make in the database, and
        # definitions are loaded (and checked) before it — on a fresh demo, and in CI. A
        # step whose resource is missing answers 404, as an unknown resource does.
        return []

    def page_context(
        self, step: Any, answer: Any, *, user: Any, page: str | None, typed: Mapping[str, str]
    ) -> dict[str, Any]:
        resource = _resource(step)
        held = _reservation(answer, user)
        live = _is_live(held)
        return {
            "booking_resource": resource,
            "booking_held": held if live else None,
            "booking_held_when": _when(held) if held is not None and live else "",
            "booking_lapsed": held is not None and not live,
            "booking_lapsed_message": expired_message(),
            "picker": picker_context(
                resource,
                start=page,
                chosen=forms.parse_slot(typed.get("slot", "")),
                current=held.starts_at if held is not None and live else None,
            ),
        }

    def save(
        self, step: Any, answer: Any, *, user: Any, data: Mapping[str, str], answers: Mapping
    ) -> StepSaved:
        resource = _resource(step)
        held = _reservation(answer, user)
        starts_at = forms.parse_slot(data.get("slot", ""))
        if starts_at is None:
            if _is_live(held):
                return StepSaved(answer=answer)  # going on with the time already held
            return StepSaved(answer=answer, errors={"times": _("Velg et tidspunkt.")}, status=400)
        if held is not None and _is_live(held) and held.starts_at == starts_at:
            return StepSaved(answer=answer)
        email = answers.get("email")
        try:
            hold = services.hold_slot(
                resource,
                user=user,
                starts_at=starts_at,
                topic=_topic(resource, answers),
                email=email if isinstance(email, str) else "",
                hold_minutes=step.booking.hold_minutes,
            )
        except SlotFull as full:
            nearest = selectors.nearest_free(resource, full.starts_at)
            return StepSaved(
                answer=answer,
                errors={"times": _("Noen andre fikk den siste plassen. Velg et annet tidspunkt.")},
                status=409,
                context={
                    "booking_nearest": [
                        {"value": forms.slot_value(slot.starts_at), "start": slot.local_start}
                        for slot in nearest
                    ]
                },
            )
        except ActionRefused as refused:
            return StepSaved(answer=answer, errors={"times": refused.message}, status=400)
        return StepSaved(answer={"reservation": str(hold.pk)})

    def problem(self, step: Any, answer: Any, *, user: Any) -> str:
        held = _reservation(answer, user)
        if held is None:
            return _("Velg et tidspunkt.")
        return "" if _is_live(held) else expired_message()

    def summary_rows(self, step: Any, answer: Any, *, user: Any) -> list[dict[str, str]]:
        held = _reservation(answer, user)
        if held is None:
            return []
        rows = [
            {"field_id": "when", "label": _("Tidspunkt"), "value": _when(held)},
            {
                "field_id": "where",
                "label": _("Sted"),
                "value": f"{held.resource.name}, {held.resource.location}",
            },
        ]
        if not _is_live(held):
            rows.append({"field_id": "status", "label": _("Status"), "value": expired_message()})
        return rows

    def on_discard(self, step: Any, answer: Any, *, user: Any) -> None:
        # The draft is deleted: its hold gives back the place now. A booking already made
        # stays (the person cancels it on its own page).
        held = _reservation(answer, user)
        if held is not None and held.status == Reservation.Status.HELD:
            services.release_hold(held, user=user)

    def on_submit(
        self, step: Any, answer: Any, *, application_id: Any, user: Any, party: Any
    ) -> dict[str, Any]:
        held = _reservation(answer, user)
        if held is None:
            raise StepRefused(_("Velg et tidspunkt."), code="missing")
        try:
            booked = services.confirm_reservation(held, user=user)
        except ActionRefused as refused:
            raise StepRefused(refused.message, code=refused.code) from None
        audit.record(user, "booking.from_application", booked, {"application": str(application_id)})
        return {
            "rows": self.summary_rows(step, answer, user=user),
            "links": [
                {
                    "text": _("Last ned kalenderfil (.ics)"),
                    "url": reverse("booking:booking_ics", args=[booked.pk]),
                },
                {
                    "text": _("Se eller endre timen"),
                    "url": reverse("booking:booking", args=[booked.pk]),
                },
            ],
        }
