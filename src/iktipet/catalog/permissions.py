"""Who may publish which services: superusers, and staff with the role service_admin or
agency_admin in the service's agency (roles come from accounts, refreshed at login).
Link entries without an agency are the superusers'."""

from __future__ import annotations

from typing import Any


def administered_agencies(user: Any) -> set[str] | None:
    """Slugs of the agencies whose services ``user`` administers; None means all."""
    if not getattr(user, "is_active", False) or not getattr(user, "is_staff", False):
        return set()
    if user.is_superuser:
        return None
    from iktipet.accounts.roles import AGENCY_ADMIN, SERVICE_ADMIN, staff_agencies

    return set(staff_agencies(user, {SERVICE_ADMIN, AGENCY_ADMIN}).values_list("slug", flat=True))


def can_administer_any(user: Any) -> bool:
    agencies = administered_agencies(user)
    return agencies is None or bool(agencies)


def can_publish(user: Any, agency_slug: str | None) -> bool:
    """Whether ``user`` may publish a service of ``agency_slug`` (None: no agency).
    ``user`` None is the system itself (`iktipet services load`, demo data)."""
    if user is None:
        return True
    agencies = administered_agencies(user)
    return agencies is None or (agency_slug is not None and agency_slug in agencies)
