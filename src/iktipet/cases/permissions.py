"""Who may take which transition of a case: workflow roles against the actor."""

from __future__ import annotations

from typing import Any

from iktipet.accounts.models import StaffRole
from iktipet.cases.workflow import STAFF_ROLES, Transition

#: Staff roles that work on cases. A service admin edits service definitions and sees no
#: case: what a case holds is personal data the role does not need.
CASE_ROLES = ("case_worker", "agency_admin")


def staff_roles_in(user: Any, agency_id: int) -> set[str]:
    """The case roles ``user`` holds in the agency (empty for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_staff_member", False):
        return set()
    return set(
        StaffRole.objects.filter(user=user, agency_id=agency_id, role__in=CASE_ROLES).values_list(
            "role", flat=True
        )
    )


def case_agency_ids(user: Any) -> list[int]:
    """Agencies whose cases ``user`` may see."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_staff_member", False):
        return []
    return list(
        StaffRole.objects.filter(user=user, role__in=CASE_ROLES, agency__isnull=False)
        .values_list("agency_id", flat=True)
        .distinct()
    )


def staff_may(transition: Transition, roles: set[str]) -> bool:
    return bool(roles & STAFF_ROLES & set(transition.roles))


def applicant_may(transition: Transition) -> bool:
    return "applicant" in transition.roles
