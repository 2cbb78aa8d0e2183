"""The Django admin, only for staff with a role, behind the same OIDC login as the rest."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iktipet.accounts.navigation import safe_next


class IktipetAdminSite(AdminSite):
    site_header = _("Iktipet – administrasjon")
    site_title = _("Iktipet – administrasjon")

    def has_permission(self, request: HttpRequest) -> bool:
        from iktipet.accounts.models import StaffRole

        user = request.user
        if not (user.is_active and user.is_authenticated and user.is_staff):
            return False
        return bool(user.is_superuser) or StaffRole.objects.filter(user=user).exists()

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """No password form: staff log in through the identity provider."""
        if request.user.is_authenticated:
            # Logged in but without a role: sending them to login again would loop.
            raise PermissionDenied
        next_url = safe_next(request, request.GET.get("next"), reverse("admin:index"))
        query = urlencode({"next": next_url})
        return HttpResponseRedirect(f"{reverse('accounts:staff_login')}?{query}")

    def logout(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        from iktipet.accounts.views.logout import logout

        return logout(request)


class IktipetAdminConfig(AdminConfig):
    """Replaces ``django.contrib.admin`` in INSTALLED_APPS so ``admin.site`` is ours."""

    default_site = "iktipet.accounts.admin_site.IktipetAdminSite"


def is_operator(user: Any) -> bool:
    """The platform role that reads operational data (notifications, audit log, events)."""
    from iktipet.accounts.roles import OPERATOR, has_role

    return bool(getattr(user, "is_superuser", False)) or has_role(user, OPERATOR)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Looked at in the admin, never edited there. ``may_view(user)`` says who may look."""

    def may_view(self, user: Any) -> bool:
        return True

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.may_view(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_view(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OperatorsReadOnlyAdmin(ReadOnlyAdmin):
    def may_view(self, user: Any) -> bool:
        return is_operator(user)
