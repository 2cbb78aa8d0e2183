"""Writes of the applications app: one transactional function per action.

``start`` makes the draft, ``steps`` shows and saves a step (``attachments`` keeps its
files), ``submit`` checks the whole draft and hands it over, ``payment`` makes the order for
a fee paid with the application and submits the draft when it is paid, ``drafts`` deletes
drafts. A
step's rules are evaluated once per request: the view builds a ``Journey`` for the stored
answers, and the step services return the one their checked form gives.
"""

from iktipet.applications.services.base import Incomplete, PaymentRequired
from iktipet.applications.services.drafts import delete_draft, delete_drafts_older_than
from iktipet.applications.services.payment import (
    chosen_provider,
    order_for_draft,
    providers_for,
    submit_paid_application,
)
from iktipet.applications.services.start import start_application
from iktipet.applications.services.steps import (
    WARNED,
    StepOutcome,
    StepPage,
    prepare_step,
    save_plugin_answer,
    save_step,
)
from iktipet.applications.services.submit import (
    SUBMIT_ATTEMPTS,
    DraftChanged,
    complete_draft,
    draft_version,
    fee_due_at_application,
    fee_for,
    fee_lines_for,
    review,
    submit_application,
)

__all__ = [
    "SUBMIT_ATTEMPTS",
    "WARNED",
    "DraftChanged",
    "Incomplete",
    "PaymentRequired",
    "StepOutcome",
    "StepPage",
    "chosen_provider",
    "complete_draft",
    "delete_draft",
    "delete_drafts_older_than",
    "draft_version",
    "fee_due_at_application",
    "fee_for",
    "fee_lines_for",
    "order_for_draft",
    "prepare_step",
    "providers_for",
    "review",
    "save_plugin_answer",
    "save_step",
    "start_application",
    "submit_application",
    "submit_paid_application",
]
