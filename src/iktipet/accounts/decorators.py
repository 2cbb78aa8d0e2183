"""Access rules for views: a citizen at a level of assurance, or a staff member with a role."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, overload
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from iktipet.accounts import loa, sessions
from iktipet.accounts.models import StaffRole
from iktipet.accounts.oidc.provider import CITIZEN, STAFF
from iktipet.accounts.roles import has_role

View = TypeVar("View", bound=Callable[..., HttpResponse])


def citizen_login_redirect(
    request: HttpRequest, level: str = loa.DEFAULT_LEVEL
) -> HttpResponse | None:
    """None when a citizen is logged in at ``level`` or higher; else the redirect to login.

    A citizen logged in at a lower level is sent through login again at ``level`` (step-up);
    the person stays the same and keeps the party they act for.
    """
    user = request.user
    info = sessions.login_info(request.session)
    if (
        user.is_authenticated
        and getattr(user, "is_citizen", False)
        and info is not None
        and info.provider == CITIZEN
        and loa.satisfies(info.level, level)
    ):
        return None
    next_url = request.get_full_path() if request.method in ("GET", "HEAD") else request.path
    query = urlencode({"next": next_url, "niva": level})
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")


@overload
def citizen_login_required(view: View) -> View: ...
@overload
def citizen_login_required(
    view: str | None = None, *, level: str = ...
) -> Callable[[View], View]: ...


def citizen_login_required(view: Any = None, *, level: str = loa.DEFAULT_LEVEL) -> Any:
    """``@citizen_login_required`` or ``@citizen_login_required(level="high")``."""
    if isinstance(view, str):
        level, view = view, None
    if level not in loa.LEVELS:
        raise ValueError(f"unknown level of assurance {level!r}")

    def decorator(func: View) -> View:
        @wraps(func)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            redirect = citizen_login_redirect(request, level)
            if redirect is not None:
                return redirect
            return func(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator(view) if callable(view) else decorator


def staff_login_redirect(request: HttpRequest) -> HttpResponse | None:
    """None when a staff member is logged in through the staff login; else the redirect to
    it. The role check is :func:`staff_access`'s (or the caller's, from roles it read)."""
    user = request.user
    info = sessions.login_info(request.session)
    if not (user.is_authenticated and getattr(user, "is_staff_member", False)) or (
        info is not None and info.provider not in (STAFF, "")
    ):
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('accounts:staff_login')}?{query}")
    return None


def staff_access(
    request: HttpRequest, role: str | Iterable[str] | None = None
) -> HttpResponse | None:
    """None when a staff member with ``role`` (any role when None) is logged in.

    Anonymous (or a citizen): redirect to staff login. A staff member without the role: 403.
    """
    redirect = staff_login_redirect(request)
    if redirect is not None:
        return redirect
    user = request.user
    if role is None:
        if not StaffRole.objects.filter(user=user).exists():
            raise PermissionDenied
    elif not has_role(user, role):
        raise PermissionDenied
    return None


@overload
def staff_required(view: View) -> View: ...
@overload
def staff_required(
    view: None = None, *, role: str | Iterable[str] | None = ...
) -> Callable[[View], View]: ...


def staff_required(view: Any = None, *, role: str | Iterable[str] | None = None) -> Any:
    """``@staff_required`` or ``@staff_required(role="case_worker")`` (a role or several)."""

    def decorator(func: View) -> View:
        @wraps(func)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            redirect = staff_access(request, role)
            if redirect is not None:
                return redirect
            return func(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator(view) if callable(view) else decorator
