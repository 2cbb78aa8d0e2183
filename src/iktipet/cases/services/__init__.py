"""Writes of the cases app: one transactional function per action.

Each action checks that the actor may take it, moves the case with a conditional UPDATE
(two case workers clicking at once cannot both move it), writes the timeline, the audit log
and a domain event, and schedules notifications, all in one transaction.
"""

from iktipet.cases.services.base import (
    INFORMATION_ANSWER_DAYS,
    MAX_NOTE,
    actor_label,
    case_link,
    notify_applicant,
)
from iktipet.cases.services.claims import (
    claim_decision_fee,
    raise_claim,
    record_claim_paid,
)
from iktipet.cases.services.decisions import (
    appeal_decision,
    decide_case,
    default_appeal_body,
    mark_decision_delivered,
    record_applicant_view,
)
from iktipet.cases.services.handling import (
    assign_case,
    post_citizen_message,
    post_staff_message,
    record_hearing_response,
    request_information,
    send_to_hearing,
    system_transition,
    transition_case,
)
from iktipet.cases.services.offers import answer_offer, expire_offers, make_offer
from iktipet.cases.services.opening import open_case_for_application

__all__ = [
    "INFORMATION_ANSWER_DAYS",
    "MAX_NOTE",
    "actor_label",
    "answer_offer",
    "appeal_decision",
    "assign_case",
    "case_link",
    "claim_decision_fee",
    "decide_case",
    "default_appeal_body",
    "expire_offers",
    "make_offer",
    "mark_decision_delivered",
    "notify_applicant",
    "open_case_for_application",
    "post_citizen_message",
    "post_staff_message",
    "raise_claim",
    "record_applicant_view",
    "record_claim_paid",
    "record_hearing_response",
    "request_information",
    "send_to_hearing",
    "system_transition",
    "transition_case",
]
