from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from iktipet.accounts.models import Person, StaffRole, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["username", "kind", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["kind", "is_active", "is_staff"]
    search_fields = ["first_name", "last_name", "email"]
    fields = [
        "username",
        "kind",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "last_login",
        "date_joined",
        "oidc_issuer",
        "oidc_subject",
    ]
    # Names, roles and identities come from the identity providers and registers at login.
    readonly_fields = [
        "username",
        "kind",
        "first_name",
        "last_name",
        "email",
        "last_login",
        "date_joined",
        "oidc_issuer",
        "oidc_subject",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["user", "masked_pid", "created_at"]
    fields = ["user", "masked_pid", "created_at"]
    readonly_fields = ["user", "masked_pid", "created_at"]

    @admin.display(description=_("fødselsnummer"))
    def masked_pid(self, obj: Person) -> str:
        return obj.pid_masked

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    """Read-only: the staff identity provider's roles claim is the source of truth."""

    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency"]
    list_select_related = ["user", "agency"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
