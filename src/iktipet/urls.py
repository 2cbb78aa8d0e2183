from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from iktipet.ops import views as ops
from iktipet.portal import views as portal

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", portal.front_page, name="front"),
    path("tilgjengelighet/", portal.accessibility_statement, name="accessibility"),
    path(
        "tilgjengelighet/tilbakemelding/",
        portal.accessibility_feedback,
        name="accessibility_feedback",
    ),
    path(
        "tilgjengelighet/tilbakemelding/sendt/",
        portal.accessibility_feedback_sent,
        name="accessibility_feedback_sent",
    ),
    path("personvern/", portal.privacy, name="privacy"),
    path("favicon.ico", portal.favicon, name="favicon"),
    path("tjenester/", include("iktipet.catalog.urls")),
    path("soknad/", include("iktipet.applications.urls")),
    path("admin/", admin.site.urls),
    path("min-side/saker/", include("iktipet.cases.citizen_urls")),
    path("min-side/nabovarsel/", include("iktipet.nabovarsel.urls")),
    path("saksbehandling/saker/", include("iktipet.cases.staff_urls")),
    path("saksbehandling/utskrift/", include("iktipet.messaging.staff_urls")),
    path("saksbehandling/nabovarsel/", include("iktipet.nabovarsel.staff_urls")),
    path("betaling/", include("iktipet.payments.urls")),
    path("saksbehandling/betaling/", include("iktipet.payments.staff_urls")),
    path("timebestilling/", include("iktipet.booking.urls")),
    path("api/", include("iktipet.integrations.urls")),
    path("", include("iktipet.accounts.urls")),
    path("saksbehandling/", include("iktipet.accounts.staff_urls")),
]

if settings.TESTID_ENABLED:
    urlpatterns.append(path("testid/", include("iktipet.testid.urls")))

handler403 = "iktipet.portal.views.error_403"
handler404 = "iktipet.portal.views.error_404"
handler500 = "iktipet.portal.views.error_500"
