"""Operators look at notifications here (read-only); agency staff see their letters to print.

Notifications are for operators (the platform role) and superusers: they show whom a
notice went to. Letters are scoped to the agencies a staff member works for.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iktipet.accounts import pid as pid_crypto
from iktipet.accounts.admin_site import ReadOnlyAdmin, is_operator
from iktipet.messaging import services
from iktipet.messaging.models import DeliveryAttempt, Notification, PrintLetter


class _ReadOnly(ReadOnlyAdmin):
    """Scoped per model below (operators, or the letters' agencies)."""


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("at", "channel", "to_masked", "ok", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request.user)


@admin.register(Notification)
class NotificationAdmin(_ReadOnly):
    list_display = ("event", "status", "attempts", "recipient_label", "created_at", "sent_at")
    list_filter = ("status", "event")
    search_fields = ("recipient_label",)
    search_help_text = _("Søk på fødselsnummer (11 sifre) for å finne en persons varsler.")
    # Never the encrypted pid or its hash: they are of no use to read.
    fields = (
        "event",
        "status",
        "attempts",
        "recipient_label",
        "recipient_user",
        "language",
        "link_path",
        "agency",
        "context",
        "created_at",
        "sent_at",
        "last_error",
    )
    readonly_fields = fields
    inlines = [DeliveryAttemptInline]

    def may_view(self, user: Any) -> bool:
        return is_operator(user)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        digits = search_term.replace(" ", "")
        if len(digits) == 11 and digits.isdigit():
            # Found by the keyed hash: the pid itself is stored nowhere in clear text.
            return queryset.filter(recipient_pid_hash=pid_crypto.pid_lookup_hash(digits)), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(PrintLetter)
class PrintLetterAdmin(_ReadOnly):
    list_display = ("subject", "agency", "status", "address_unknown", "created_at", "printed_at")
    list_filter = ("agency", "status")
    fields = (
        "agency",
        "status",
        "recipient_name",
        "address",
        "address_unknown",
        "subject",
        "body",
        "created_at",
        "printed_at",
        "printed_by",
    )
    readonly_fields = fields
    actions = ["mark_printed"]

    def _agency_ids(self, request: HttpRequest) -> list[int] | None:
        if is_operator(request.user):
            return None
        from iktipet.accounts.roles import staff_agencies

        return list(staff_agencies(request.user).values_list("pk", flat=True))

    def has_module_permission(self, request: HttpRequest) -> bool:
        ids = self._agency_ids(request)
        return ids is None or bool(ids)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        ids = self._agency_ids(request)
        if ids is None:
            return True
        return bool(ids) and (obj is None or obj.agency_id in ids)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request).select_related("agency")
        ids = self._agency_ids(request)
        return queryset if ids is None else queryset.filter(agency_id__in=ids)

    @admin.action(description=_("Merk som skrevet ut"))
    def mark_printed(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for letter in queryset.filter(status=PrintLetter.Status.QUEUED):
            services.mark_letter_printed(letter, user=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d brev merket som skrevet ut.",
                "%(count)d brev merket som skrevet ut.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
