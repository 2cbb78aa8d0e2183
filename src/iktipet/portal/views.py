from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from iktipet.core.models import Agency
from iktipet.core.ratelimit import Limit, ratelimit
from iktipet.core.selectors import agencies, directory_version
from iktipet.ops.caching import public_page
from iktipet.portal import services
from iktipet.portal.forms import FeedbackForm


@dataclass(frozen=True)
class FrontPage:
    """What the front page shows, for its ``{% samefor %}``: the content is the same for
    everyone in a language until the municipality or an agency changes, and ``version``
    (its ``str``, the fragment's key) changes with them. The agencies are read only when
    the fragment is rendered."""

    version: str
    agencies: Callable[[], list[Agency]]

    def __str__(self) -> str:
        return self.version


@require_safe
@public_page
def front_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/front.html",
        {"title": _("Forside"), "front": FrontPage(directory_version(), agencies)},
    )


@require_safe
@public_page
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html", {"title": _("Tilgjengelighetserklæring")})


# Not a public page: the form carries the visitor's CSRF token.
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit("portal.feedback", Limit(5, 3600), methods=("POST",))
def accessibility_feedback(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.receive_feedback(actor=request.user, **form.cleaned_data)
        return HttpResponseRedirect(reverse("accessibility_feedback_sent"))
    context = {"title": _("Meld fra om tilgjengelighet"), "form": form}
    return render(request, "portal/feedback.html", context, status=400 if form.errors else 200)


@require_safe
def accessibility_feedback_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/feedback_sent.html", {"title": _("Takk for tilbakemeldingen")})


@require_safe
@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html", {"title": _("Personvern")})


@require_safe
@public_page
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers and feed readers ask for without reading the page's
    ``<link rel="icon">``: the same icon."""
    return HttpResponsePermanentRedirect(static("iktipet/favicon.svg"))


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", {"title": _("Ingen tilgang")}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", {"title": _("Fant ikke siden")}, status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be the problem.
    from django.template import loader

    template = loader.get_template("errors/500.html")
    return HttpResponse(template.render({"title": _("Noe gikk galt")}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", {"title": _("Skjemaet er utløpt")}, status=403)
