"""Writes of the applications app: one transactional function per action.

``start`` makes the draft, ``steps`` shows and saves a step (``attachments`` keeps its
files), ``submit`` checks the whole draft and hands it over, ``drafts`` deletes drafts. A
step's rules are evaluated once per request: the view builds a ``Journey`` for the stored
answers, and the step services return the one their checked form gives.
"""

from iktipet.applications.services.base import Incomplete
from iktipet.applications.services.drafts import delete_draft, delete_drafts_older_than
from iktipet.applications.services.start import start_application
from iktipet.applications.services.steps import (
    WARNED,
    StepOutcome,
    StepPage,
    prepare_step,
    save_step,
)
from iktipet.applications.services.submit import (
    SUBMIT_ATTEMPTS,
    fee_for,
    review,
    submit_application,
)

__all__ = [
    "SUBMIT_ATTEMPTS",
    "WARNED",
    "Incomplete",
    "StepOutcome",
    "StepPage",
    "delete_draft",
    "delete_drafts_older_than",
    "fee_for",
    "prepare_step",
    "review",
    "save_step",
    "start_application",
    "submit_application",
]
