"""The authorization endpoint: check the request, show the login page, issue a code.

oauthlib (through django-oauth-toolkit) validates the client, the redirect URI, PKCE,
scopes and prompt; we add ID-porten's rules (response_type=code, openid, S256 only).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauthlib.common import add_params_to_uri
from oauthlib.oauth2 import FatalClientError, OAuth2Error
from oauthlib.oauth2.rfc6749 import errors as oauth_errors

from iktipet.core.ratelimit import Limit, ratelimit
from iktipet.testid.claims import LEVELS, locale_from, requested_level
from iktipet.testid.clients import ClientSpec, client_spec, ensure_clients
from iktipet.testid.conf import enabled_only, issuer
from iktipet.testid.forms import CitizenLoginForm, StaffLoginForm
from iktipet.testid.identities import STAFF_USERS
from iktipet.testid.models import Login
from iktipet.testid.services import provider_user, start_login

LOGIN_LIMIT = Limit(20, 60)
REDIRECT_URI_ERRORS = (
    oauth_errors.InvalidRedirectURIError,
    oauth_errors.MismatchingRedirectURIError,
    oauth_errors.MissingRedirectURIError,
)
CLIENT_ID_ERRORS = (oauth_errors.InvalidClientIdError, oauth_errors.MissingClientIdError)
CLIENT_LABELS = {
    Login.Kind.CITIZEN: gettext_lazy("kommunens tjenester for innbyggere"),
    Login.Kind.STAFF: gettext_lazy("kommunens saksbehandling for ansatte"),
}


def _oauth_uri(request: HttpRequest) -> str:
    # Only the query string goes to oauthlib: the login form's body (which may hold a
    # fødselsnummer) never does.
    query = request.META.get("QUERY_STRING", "")
    return f"{request.path}?{query}" if query else request.path


def _redirect(redirect_uri: str, params: list[tuple[str, str]]) -> HttpResponse:
    # RFC 9207: the issuer in every authorization response, as ID-porten does.
    return HttpResponseRedirect(add_params_to_uri(redirect_uri, [*params, ("iss", issuer())]))


def _error_redirect(
    redirect_uri: str, error: str, description: str, state: str | None
) -> HttpResponse:
    params = [("error", error), ("error_description", description)]
    if state:
        params.append(("state", state))
    return _redirect(redirect_uri, params)


def _fatal(request: HttpRequest, exc: OAuth2Error | None) -> HttpResponse:
    """Client or redirect URI unknown: explain, and never redirect anywhere."""
    if isinstance(exc, REDIRECT_URI_ERRORS):
        message = _(
            "Adressen tjenesten vil sende deg tilbake til (redirect_uri), er ikke registrert."
        )
    elif isinstance(exc, CLIENT_ID_ERRORS):
        message = _("Tjenesten (client_id) er ukjent for TestID.")
    else:
        message = _("Forespørselen fra tjenesten er ugyldig.")
    context = {
        "title": _("Innloggingen kan ikke startes"),
        "message": message,
        "error": getattr(exc, "error", "") or "invalid_request",
        "description": getattr(exc, "description", "") or "",
    }
    return render(request, "testid/error.html", context, status=400)


def _idporten_problem(scopes: list[str], info: dict[str, Any]) -> tuple[str, str] | None:
    if info.get("response_type") != "code":
        return "unsupported_response_type", "Only response_type=code is supported."
    if "openid" not in scopes:
        return "invalid_scope", "The openid scope is required."
    if info.get("code_challenge_method") != "S256":
        return "invalid_request", "PKCE with code_challenge_method=S256 is required."
    return None


def _issue_code(
    request: HttpRequest, scopes: list[str], login_fields: dict[str, Any]
) -> HttpResponse:
    server = get_oauthlib_core().server
    try:
        with transaction.atomic():
            login = start_login(**login_fields)
            headers, _body, _status = server.create_authorization_response(
                _oauth_uri(request),
                http_method="GET",
                body="",
                headers={},
                scopes=scopes,
                credentials={"user": provider_user(), "testid_login": login},
            )
            if not Login.objects.filter(pk=login.pk).exclude(code_hash="").exists():
                transaction.set_rollback(True)  # an error went back instead of a code
    except FatalClientError as exc:
        return _fatal(request, exc)
    location = headers.get("Location", "")
    if not location:
        return _fatal(request, None)
    return HttpResponseRedirect(add_params_to_uri(location, [("iss", issuer())]))


def _login_page(
    request: HttpRequest, spec: ClientSpec, form: CitizenLoginForm | StaffLoginForm, level: str
) -> HttpResponse:
    context: dict[str, Any] = {
        "title": _("Logg inn med TestID"),
        "client_name": CLIENT_LABELS.get(spec.kind, spec.name),
        "form": form,
        "requested_level": level,
        "levels": [(key, LEVELS[key]) for key in ("substantial", "high")],
    }
    if isinstance(form, StaffLoginForm):
        context["staff_users"] = STAFF_USERS
        return render(request, "testid/login_staff.html", context)
    context["persons"] = form.persons
    context["chosen_level"] = form["level"].value() or level
    return render(request, "testid/login_citizen.html", context)


@enabled_only
@ratelimit("testid-login", LOGIN_LIMIT, methods=("POST",))
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    ensure_clients()
    server = get_oauthlib_core().server
    try:
        scopes, info = server.validate_authorization_request(
            _oauth_uri(request), http_method="GET", body="", headers={}
        )
    except FatalClientError as exc:
        return _fatal(request, exc)
    except OAuth2Error as exc:
        if not exc.redirect_uri:
            return _fatal(request, exc)
        return _error_redirect(exc.redirect_uri, exc.error, exc.description or "", exc.state)
    except ValueError:  # a query string oauthlib cannot parse
        return _fatal(request, None)

    redirect_uri, state = info["redirect_uri"], info.get("state")
    problem = _idporten_problem(scopes, info)
    if problem:
        return _error_redirect(redirect_uri, *problem, state)
    spec = client_spec(info["client_id"])
    if spec is None:
        return _fatal(request, None)

    level = requested_level(request.GET.get("acr_values", ""))
    form: CitizenLoginForm | StaffLoginForm
    form_class = StaffLoginForm if spec.kind == Login.Kind.STAFF else CitizenLoginForm
    if request.method != "POST":
        return _login_page(request, spec, form_class(initial={"level": level}), level)
    if request.POST.get("action") == "cancel":
        return _error_redirect(redirect_uri, "access_denied", "The user cancelled.", state)

    form = form_class(request.POST)
    if not form.is_valid():
        return _login_page(request, spec, form, level)
    fields: dict[str, Any] = {
        "client_id": spec.client_id,
        "kind": spec.kind,
        "locale": locale_from(request.GET.get("ui_locales", "")),
    }
    if isinstance(form, StaffLoginForm):
        fields["staff_username"] = form.cleaned_data["staff"]
    else:
        fields["pid"] = form.cleaned_data["pid"]
        fields["acr"] = LEVELS[form.cleaned_data["level"]]
    return _issue_code(request, scopes, fields)
