"""Staff roles: parsed from the identity provider's claim, asked by other apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from iktipet.accounts.models import StaffRole
from iktipet.core.models import Agency

CASE_WORKER = StaffRole.Role.CASE_WORKER.value
SERVICE_ADMIN = StaffRole.Role.SERVICE_ADMIN.value
AGENCY_ADMIN = StaffRole.Role.AGENCY_ADMIN.value
OPERATOR = StaffRole.Role.OPERATOR.value
AGENCY_ROLES = frozenset({CASE_WORKER, SERVICE_ADMIN, AGENCY_ADMIN})
#: Refunds and reconciliation of an agency's payments (``<agency>:finance`` in the claim).
#: Not one of AGENCY_ROLES: it opens the payment pages only, not cases or letters.
FINANCE = StaffRole.Role.FINANCE.value
CLAIMED_AGENCY_ROLES = AGENCY_ROLES | {FINANCE}


def _claim_value(claims: dict[str, Any], name: str) -> Any:
    """``roles``, or a dotted path such as Keycloak's ``realm_access.roles``."""
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def parse_roles_claim(claims: dict[str, Any], claim: str) -> set[tuple[str | None, str]]:
    """``{("byggesak", "case_worker"), (None, "operator")}`` from entries such as
    ``"byggesak:case_worker"`` and ``"operator"``. Entries we do not know are ignored."""
    raw = _claim_value(claims, claim or "roles")
    if isinstance(raw, str):
        items: list[Any] = raw.replace(",", " ").split()
    elif isinstance(raw, list):
        items = raw
    else:
        return set()
    roles: set[tuple[str | None, str]] = set()
    for item in items:
        if not isinstance(item, str):
            continue
        item = item.strip()
        if item == OPERATOR:
            roles.add((None, OPERATOR))
            continue
        slug, sep, role = item.partition(":")
        if sep and slug and role in CLAIMED_AGENCY_ROLES:
            roles.add((slug, role))
    return roles


def _role_set(roles: str | Iterable[str] | None) -> set[str] | None:
    if roles is None:
        return None
    return {roles} if isinstance(roles, str) else set(roles)


def has_role(user: Any, role: str | Iterable[str], agency: Agency | int | None = None) -> bool:
    """True when ``user`` holds ``role`` (or one of several), in ``agency`` when given."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    wanted = _role_set(role) or set()
    query = StaffRole.objects.filter(user=user, role__in=wanted)
    if agency is not None:
        query = query.filter(agency=agency)
    return query.exists()


def staff_agencies(user: Any, roles: str | Iterable[str] | None = None) -> QuerySet[Agency]:
    """Agencies where ``user`` holds any role (or one of ``roles``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    query = StaffRole.objects.filter(user=user, agency__isnull=False)
    wanted = _role_set(roles)
    if wanted is not None:
        query = query.filter(role__in=wanted)
    return Agency.objects.filter(pk__in=query.values("agency_id")).order_by("name_nb")


def staff_roles(user: Any) -> list[StaffRole]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        StaffRole.objects.filter(user=user)
        .select_related("agency")
        .order_by("agency__name_nb", "role")
    )
