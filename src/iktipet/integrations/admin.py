"""The admin: API clients (operators), webhook subscriptions (an agency's admins, their own
agency's only), and deliveries with their attempts and a "send again" action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iktipet.accounts.admin_site import is_operator
from iktipet.accounts.roles import AGENCY_ADMIN, staff_agencies
from iktipet.core import audit
from iktipet.core.models import Agency
from iktipet.integrations import services
from iktipet.integrations.models import (
    SCOPES,
    ApiClient,
    Delivery,
    DeliveryAttempt,
    Subscription,
    new_secret,
)
from iktipet.integrations.webhooks.delivery import redeliver
from iktipet.integrations.webhooks.guard import UrlRefused, check_url

#: How long the previous secret still signs after a rotation.
ROTATION_OVERLAP = timezone.timedelta(hours=24)


def _agencies(request: HttpRequest) -> QuerySet[Agency] | None:
    """Agencies the user administers webhooks for; None: all (operators)."""
    if is_operator(request.user):
        return None
    return staff_agencies(request.user, {AGENCY_ADMIN})


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("tilganger (scopes)"),
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiClient
        fields = ("orgnr", "name", "agencies", "scopes", "active")


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ("name", "orgnr", "active")
    search_fields = ("name", "orgnr")
    filter_horizontal = ("agencies",)

    def _may(self, request: HttpRequest) -> bool:
        return is_operator(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request) or bool(_agencies(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission  # type: ignore[assignment]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        client = form.instance
        services.ensure_service_user(client)
        services.sync_service_roles(client)
        audit.record(
            request.user,
            "integrations.api_client_saved",
            client,
            {"orgnr": client.orgnr, "scopes": client.scopes, "active": client.active},
        )


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("adresse"), max_length=500, assume_scheme="https")
    event_types = forms.CharField(
        label=_("hendelsestyper"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Én per linje, f.eks. no.iktipet.case.status_changed. Tom: alle."),
    )

    class Meta:
        model = Subscription
        fields = ("agency", "url", "event_types", "active")

    def __init__(self, *args: Any, agencies: QuerySet[Agency] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if isinstance(self.initial.get("event_types"), list):
            self.initial["event_types"] = "\n".join(self.initial["event_types"])
        if agencies is not None:
            self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]

    def clean_event_types(self) -> list[str]:
        lines = self.cleaned_data.get("event_types", "").split()
        return sorted({line.strip() for line in lines if line.strip()})

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except UrlRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return url


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("at", "status_code", "latency_ms", "error", "response_excerpt")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("agency", "url", "active", "disabled_reason", "created_at")
    list_filter = ("active", "agency")
    readonly_fields = ("secret_shown", "disabled_reason")
    actions = ["rotate_secret", "redeliver_dead"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        base = super().get_form(request, obj, change, **kwargs)
        agencies = _agencies(request)

        class Scoped(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, agencies=agencies, **kw)

        return Scoped

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        agencies = _agencies(request)
        queryset = super().get_queryset(request).select_related("agency")
        return queryset if agencies is None else queryset.filter(agency__in=agencies)

    def _may(self, request: HttpRequest) -> bool:
        agencies = _agencies(request)
        return agencies is None or agencies.exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission  # type: ignore[assignment]

    @admin.display(description=_("hemmelighet"))
    def secret_shown(self, obj: Subscription) -> str:
        """Shown once: on the page right after it was made or rotated."""
        shown = getattr(self, "_show_secret_for", None)
        if obj.pk and shown == obj.pk:
            return format_html("<code>{}</code>", obj.secret)
        return str(_("Skjult. Roter for å få en ny (den gamle virker i 24 timer til)."))

    def save_model(self, request: HttpRequest, obj: Subscription, form: Any, change: bool) -> None:
        if obj.active:
            obj.disabled_reason = ""
        super().save_model(request, obj, form, change)
        audit.record(request.user, "integrations.subscription_saved", obj, {"url": obj.url})
        if not change:
            messages.warning(
                request,
                _("Hemmeligheten vises bare nå: %(secret)s") % {"secret": obj.secret},
            )

    @admin.action(description=_("Roter hemmeligheten (den gamle virker i 24 timer)"))
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet) -> None:
        for subscription in queryset:
            subscription.previous_secret = subscription.secret
            subscription.previous_secret_until = timezone.now() + ROTATION_OVERLAP
            subscription.secret = new_secret()
            subscription.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
            audit.record(request.user, "integrations.secret_rotated", subscription)
            messages.warning(
                request,
                _("Ny hemmelighet for %(url)s (vises bare nå): %(secret)s")
                % {"url": subscription.url, "secret": subscription.secret},
            )

    @admin.action(description=_("Send alle døde leveringer på nytt"))
    def redeliver_dead(self, request: HttpRequest, queryset: QuerySet) -> None:
        dead = list(Delivery.objects.filter(subscription__in=queryset, status=Delivery.Status.DEAD))
        count = redeliver(dead)
        self.message_user(
            request,
            ngettext("%(n)d levering sendes på nytt.", "%(n)d leveringer sendes på nytt.", count)
            % {"n": count},
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "subscription",
        "event_type",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
    )
    list_filter = ("status",)
    readonly_fields = (
        "subscription",
        "event",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    )
    exclude = ("locked_until",)
    inlines = [AttemptInline]
    actions = ["send_again"]

    @admin.display(description=_("type"))
    def event_type(self, obj: Delivery) -> str:
        return obj.event.type

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        agencies = _agencies(request)
        queryset = super().get_queryset(request).select_related("subscription__agency", "event")
        return queryset if agencies is None else queryset.filter(subscription__agency__in=agencies)

    def has_module_permission(self, request: HttpRequest) -> bool:
        agencies = _agencies(request)
        return agencies is None or agencies.exists()

    has_view_permission = has_module_permission  # type: ignore[assignment]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)  # for the action; every field is read-only

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send valgte leveringer på nytt"))
    def send_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = redeliver(list(queryset))
        audit.record(request.user, "integrations.redelivered", None, {"count": count})
        self.message_user(
            request,
            ngettext("%(n)d levering sendes på nytt.", "%(n)d leveringer sendes på nytt.", count)
            % {"n": count},
        )
