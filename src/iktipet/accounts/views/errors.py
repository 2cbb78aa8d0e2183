"""The page a person sees when a login cannot complete: translated, never a 500."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from iktipet.accounts.oidc.errors import OidcError, ProviderMisconfigured, ProviderUnavailable


def _message(exc: OidcError) -> str:
    if isinstance(exc, ProviderMisconfigured):
        return _("Innlogging er ikke satt opp riktig hos oss. Kontakt kommunen hvis feilen varer.")
    if isinstance(exc, ProviderUnavailable):
        return _("Innloggingstjenesten svarer ikke akkurat nå. Prøv igjen om litt.")
    messages = {
        "cancelled": _("Du avbrøt innloggingen."),
        "state_mismatch": _(
            "Innloggingen er utløpt eller ble startet i en annen fane. Start innloggingen på nytt."
        ),
        "login_expired": _("Innloggingen tok for lang tid. Start innloggingen på nytt."),
        "acr_insufficient": _(
            "Tjenesten krever et høyere sikkerhetsnivå enn det du logget inn med. "
            "Logg inn med for eksempel BankID."
        ),
        "acr_missing": _(
            "Innloggingstjenesten oppga ikke sikkerhetsnivå. Start innloggingen på nytt."
        ),
        "no_pid": _(
            "Vi fikk ikke fødselsnummer eller d-nummer fra innloggingen, og kan derfor ikke "
            "logge deg inn."
        ),
        "no_roles": _(
            "Du har ingen roller i løsningen. Be lederen din om tilgang, og logg inn på nytt."
        ),
        "synthetic_pid": _(
            "Innloggingen brukte et syntetisk testnummer. Testnumre kan ikke brukes her."
        ),
        "user_inactive": _("Brukeren din er sperret. Kontakt kommunen."),
    }
    return messages.get(
        exc.code, _("Innloggingen kunne ikke fullføres. Start innloggingen på nytt.")
    )


def login_error(request: HttpRequest, exc: OidcError, *, staff: bool = False) -> HttpResponse:
    status = 200 if exc.code == "cancelled" else exc.status
    response = render(
        request,
        "accounts/login_error.html",
        {"title": _("Innloggingen ble ikke fullført"), "message": _message(exc), "staff": staff},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "accounts/login_error.html",
        {"title": _("Ugyldig forespørsel"), "message": message},
        status=400,
    )
