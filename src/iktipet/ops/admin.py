"""Operators read the audit log and the domain-event outbox here; nobody edits them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from iktipet.core.models import AuditEvent, DomainEvent


def _is_operator(user: Any) -> bool:
    from iktipet.accounts.roles import OPERATOR, has_role

    return bool(getattr(user, "is_superuser", False)) or has_role(user, OPERATOR)


class _OperatorsRead(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_operator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_operator(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(_OperatorsRead):
    list_display = ("at", "action", "actor_label", "target_type", "target_id", "request_id")
    list_filter = ("action", "target_type")
    search_fields = ("action", "actor_label", "target_id", "request_id")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(DomainEvent)
class DomainEventAdmin(_OperatorsRead):
    list_display = ("occurred_at", "type", "subject", "agency", "request_id")
    list_filter = ("type", "agency")
    search_fields = ("type", "subject", "request_id")
    date_hierarchy = "occurred_at"
    readonly_fields = [f.name for f in DomainEvent._meta.fields]
