"""What the step, summary and submit services share: the refusal and the engine's context."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from iktipet.applications.fields import Context
from iktipet.applications.models import Application
from iktipet.applications.prefill import RegisterLookups, choices_for
from iktipet.applications.register_adapters import address_search


class Incomplete(Exception):
    """The draft cannot be submitted: ``step`` needs attention (or it ended at a stop rule)."""

    def __init__(self, step_id: str, stopped: bool = False, message: str = "") -> None:
        self.step_id = step_id
        self.stopped = stopped
        self.message = message  # why, when a plugin step said so (a hold that lapsed)
        super().__init__(step_id)


class PaymentRequired(Exception):
    """The draft is complete, but its fee (``fee_ore``) is paid before it is submitted."""

    def __init__(self, fee_ore: int) -> None:
        self.fee_ore = fee_ore
        super().__init__(fee_ore)


def _has_file_fields(fields: list[Any]) -> bool:
    return any(
        item.type == "file"
        or (item.type == "group" and any(child.type == "file" for child in item.fields))
        for item in fields
    )


def engine_context(
    application: Application, lookups: RegisterLookups, fields: list[Any]
) -> Context:
    """What the fields of a page need besides the answers: register choices, the draft's
    files, the address search."""
    # Only file inputs show attachments: a step without one needs no query for them.
    attachments = (
        {str(item.pk): item for item in application.attachments.all()}
        if _has_file_fields(fields)
        else {}
    )
    return Context(
        allow_synthetic_ids=settings.ALLOW_SYNTHETIC_IDS,
        choices=choices_for(fields, application.answers, lookups),
        attachments=attachments,
        address_search=address_search(),
    )
