"""Agency admins publish and unpublish service versions here. Versions themselves are
created only by loading definition files, and never change."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iktipet.accounts.admin_site import ReadOnlyAdmin
from iktipet.catalog import services
from iktipet.catalog.models import Service, ServiceVersion
from iktipet.catalog.permissions import administered_agencies, can_administer_any


def _scoped(request: HttpRequest, queryset: QuerySet, agency_path: str) -> QuerySet:
    agencies = administered_agencies(request.user)
    if agencies is None:
        return queryset
    return queryset.filter(**{f"{agency_path}__slug__in": agencies})


class _ReadOnly(ReadOnlyAdmin):
    """Viewable by service and agency admins (their agencies only); never edited here."""

    def may_view(self, user: Any) -> bool:
        return can_administer_any(user)


class VersionInline(admin.TabularInline):
    model = ServiceVersion
    fields = ("number", "content_hash", "created_at", "published_at", "unpublished_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_administer_any(request.user)


@admin.register(Service)
class ServiceAdmin(_ReadOnly):
    list_display = ("service_id", "title_nb", "kind", "agency")
    list_filter = ("kind", "agency")
    search_fields = ("service_id", "title_nb")
    readonly_fields = ("service_id", "title_nb", "kind", "agency", "created_at")
    inlines = [VersionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return _scoped(request, super().get_queryset(request).select_related("agency"), "agency")


class PublishedFilter(admin.SimpleListFilter):
    title = _("publisert")
    parameter_name = "published"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Ja")), ("no", _("Nei"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        published = ServiceVersion.objects.published().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=published)
        if self.value() == "no":
            return queryset.exclude(pk__in=published)
        return queryset


@admin.register(ServiceVersion)
class ServiceVersionAdmin(_ReadOnly):
    list_display = (
        "service",
        "number",
        "published",
        "published_at",
        "unpublished_at",
        "created_at",
    )
    list_filter = (PublishedFilter, "service__agency")
    search_fields = ("service__service_id",)
    readonly_fields = (
        "service",
        "number",
        "content_hash",
        "created_at",
        "published_at",
        "unpublished_at",
        "pretty_definition",
    )
    exclude = ("definition",)
    actions = ["publish", "unpublish"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request).select_related("service", "service__agency")
        return _scoped(request, queryset, "service__agency")

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return can_administer_any(request.user)

    @admin.display(boolean=True, description=_("publisert"))
    def published(self, obj: ServiceVersion) -> bool:
        return obj.is_published

    @admin.display(description=_("definisjon"))
    def pretty_definition(self, obj: ServiceVersion) -> str:
        text = json.dumps(obj.definition, indent=2, ensure_ascii=False)
        return format_html("<pre>{}</pre>", text)

    @admin.action(description=_("Publiser valgte versjoner"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        versions = list(queryset)
        service_ids = [v.service_id for v in versions]
        if len(service_ids) != len(set(service_ids)):
            self.message_user(
                request, _("Velg bare én versjon per tjeneste."), level=messages.ERROR
            )
            return
        done = self._apply(request, versions, services.publish_version)
        self.message_user(
            request,
            ngettext("%(count)d versjon er publisert.", "%(count)d versjoner er publisert.", done)
            % {"count": done},
            level=messages.SUCCESS,
        )

    @admin.action(description=_("Avpubliser valgte versjoner"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = self._apply(request, list(queryset), services.unpublish_version)
        self.message_user(
            request,
            ngettext(
                "%(count)d versjon er avpublisert.", "%(count)d versjoner er avpublisert.", done
            )
            % {"count": done},
            level=messages.SUCCESS,
        )

    def _apply(self, request: HttpRequest, versions: list[ServiceVersion], action: Any) -> int:
        done = 0
        for version in versions:
            try:
                action(request.user, version)
            except PermissionDenied:
                self.message_user(
                    request,
                    _("Du har ikke tilgang til å endre %(version)s.") % {"version": version},
                    level=messages.ERROR,
                )
            except ValueError as exc:
                self.message_user(request, str(exc), level=messages.ERROR)
            else:
                done += 1
        return done
