"""Operators read accessibility feedback in the admin; nobody edits or invents it there."""

from __future__ import annotations

from django.contrib import admin

from iktipet.accounts.admin_site import OperatorsReadOnlyAdmin
from iktipet.portal.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(OperatorsReadOnlyAdmin):
    list_display = ["received_at", "name", "email", "message"]
    search_fields = ["name", "email", "message"]
    date_hierarchy = "received_at"
