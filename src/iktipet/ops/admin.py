"""Operators read the audit log and the domain-event outbox here; nobody edits them."""

from __future__ import annotations

from django.contrib import admin

from iktipet.accounts.admin_site import OperatorsReadOnlyAdmin
from iktipet.core.models import AuditEvent, DomainEvent


@admin.register(AuditEvent)
class AuditEventAdmin(OperatorsReadOnlyAdmin):
    list_display = ("at", "action", "actor_label", "target_type", "target_id", "request_id")
    list_filter = ("action", "target_type")
    search_fields = ("action", "actor_label", "target_id", "request_id")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(DomainEvent)
class DomainEventAdmin(OperatorsReadOnlyAdmin):
    list_display = ("occurred_at", "type", "subject", "agency", "request_id")
    list_filter = ("type", "agency")
    search_fields = ("type", "subject", "request_id")
    date_hierarchy = "occurred_at"
    readonly_fields = [f.name for f in DomainEvent._meta.fields]
