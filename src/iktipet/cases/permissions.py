"""Who may take which transition of a case: workflow roles against the actor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse

from iktipet.accounts.decorators import staff_access, staff_login_redirect
from iktipet.accounts.models import StaffRole
from iktipet.cases.workflow import STAFF_ROLES, Transition
from iktipet.core import rows

#: Staff roles that work on cases. A service admin edits service definitions and sees no
#: case: what a case holds is personal data the role does not need.
CASE_ROLES = ("case_worker", "agency_admin")


#: Where a user's case roles are kept for the rest of the request (``request.user`` is
#: loaded once per request). accounts.services.sync_staff_roles drops it when roles change.
MEMO = "_case_roles"


def _case_roles(user: Any) -> dict[int, set[str]]:
    """``{agency_id: {roles}}`` of ``user``, read once per user object."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_staff_member", False):
        return {}
    memo = user.__dict__.get(MEMO)
    if memo is None:
        memo = {}
        # Read on every case worker's page: compiled once per connection (core.rows).
        found = rows.values(
            StaffRole,
            "cases.case_roles",
            lambda using: (
                StaffRole.objects.using(using)
                .filter(user_id=user.pk, role__in=CASE_ROLES, agency__isnull=False)
                .order_by()
                .values_list("agency_id", "role")
            ),
            lambda connection: [*CASE_ROLES, user.pk],
        )
        for agency_id, role in found:
            memo.setdefault(agency_id, set()).add(role)
        user.__dict__[MEMO] = memo
    return memo


def staff_roles_in(user: Any, agency_id: int) -> set[str]:
    """The case roles ``user`` holds in the agency (empty for anyone else)."""
    return set(_case_roles(user).get(agency_id, ()))


def case_agency_ids(user: Any) -> list[int]:
    """Agencies whose cases ``user`` may see."""
    return sorted(_case_roles(user))


View = TypeVar("View", bound=Callable[..., HttpResponse])


def case_staff_required(role: str | Iterable[str] | None = None) -> Callable[[View], View]:
    """``accounts.decorators.staff_required`` for the case pages, checked on every request.

    A staff member with a case role in some agency holds a role (and one of CASE_ROLES):
    their case roles, which the page reads anyway (memoised on the user), answer the role
    check without the query of its own that ``staff_access`` makes. Anyone else gets
    ``staff_access``'s answer: the redirect to staff login, or 403 without the role.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            refused = staff_login_redirect(request)
            if refused is None and not _case_roles(request.user):
                refused = staff_access(request, role)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def case_page_staff_required(view: View) -> View:
    """``case_staff_required()`` for the staff case page, whose case is read with its
    reader's roles in the case's agency, and only for a reader who holds a case role there
    (``selectors.case_page_for_staff``): the staff login is checked first, the roles with the
    case, not by a statement of their own (issue 13). When no case is found (404), the answer
    is the one ``case_staff_required()`` gives: the staff login's redirect or 403 for staff
    who hold no role at all, 404 for anyone else."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = staff_login_redirect(request)
        if refused is not None:
            return refused
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if not _case_roles(request.user):
                refused = staff_access(request, None)  # 403 without any role
                if refused is not None:
                    return refused
            raise

    return wrapped  # type: ignore[return-value]


def staff_may(transition: Transition, roles: set[str]) -> bool:
    return bool(roles & STAFF_ROLES & set(transition.roles))


def applicant_may(transition: Transition) -> bool:
    return "applicant" in transition.roles
