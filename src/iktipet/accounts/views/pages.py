"""Min side for citizens, the staff landing page, and choosing whom to act for."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from iktipet.accounts import services
from iktipet.accounts.decorators import citizen_login_required, staff_required
from iktipet.accounts.my_page import (
    filter_value,
    page_parties,
    rendered_sections,
    section_parts,
)
from iktipet.accounts.my_page_html import page_parts
from iktipet.accounts.navigation import safe_next
from iktipet.accounts.parties import acting_party, myself, role_codes_for
from iktipet.accounts.registers import RegisterFailed, organisations_for, person_record
from iktipet.accounts.roles import staff_roles
from iktipet.accounts.selectors import person_for_user, person_of_signed_in
from iktipet.core.errors import ActionRefused, refused_page
from iktipet.core.ratelimit import Limit, ratelimit


@require_safe
@citizen_login_required
def my_page(request: HttpRequest) -> HttpResponse:
    person = person_of_signed_in(request.user)
    address, register_error = None, ""
    try:
        found = person_record(person.pid)
    except RegisterFailed as exc:
        register_error = str(exc)
    else:
        if found is not None and not found.address_protected:
            address = found.address
    sections = rendered_sections(request, person)
    parties = page_parties(request, person)
    party = acting_party(request)
    choices = [(filter_value(p), p) for p in parties.all]
    context = {
        "title": _("Min side"),
        "person": person,
        "address": address,
        "register_error": register_error,
        "party": party,
        "parties": parties,
        "filter_choices": choices,
        # One party on the page: no need to name it on every line.
        "show_party": len(parties.shown) > 1,
    }
    # The page's own parts in Python (accounts.my_page_html; issue 13); the template
    # includes a section's template only for a hook that wrote no HTML of its own.
    context["top"], context["bottom"] = page_parts(
        path=request.path,
        party=party,
        parties=parties,
        choices=choices,
        person=person,
        address=address,
        register_error=register_error,
    )
    context["sections"] = section_parts(sections)
    return render(request, "accounts/my_page.html", context)


def _service_id(request: HttpRequest) -> str:
    """The service the choice is made for (``tjeneste=skjenkebevilling``), if any. Only its
    id comes from the request: the role codes that qualify are read from its definition."""
    raw = request.POST.get("tjeneste") or request.GET.get("tjeneste") or ""
    return raw if len(raw) <= 64 and raw.replace("-", "").replace("_", "").isalnum() else ""


def _choose_party_page(
    request: HttpRequest,
    context: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {**context, "current": acting_party(request)}
    if errors:
        context["error"] = " ".join(errors.values())
    return render(request, "accounts/choose_party.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@citizen_login_required
@ratelimit("accounts.choose_party", Limit(30, 60), methods=("POST",))
def choose_party(request: HttpRequest) -> HttpResponse:
    """``/velg-aktor/``: act as yourself or for an organisation you have a role in."""
    person = person_for_user(request.user)
    source = request.POST if request.method == "POST" else request.GET
    next_url = safe_next(request, source.get("next"), reverse("accounts:my_page"))
    service_id = _service_id(request)
    codes = role_codes_for(service_id)
    error = ""
    try:
        organisations = organisations_for(person, codes)
    except RegisterFailed as exc:
        organisations = []
        error = str(exc)
    context = {
        "title": _("Hvem vil du representere?"),
        "me": myself(person),
        "organisations": organisations,
        "next": next_url,
        "tjeneste": service_id,
        "error": error,
    }
    if request.method == "POST" and not error:
        try:
            services.choose_acting_party(request, person, request.POST.get("party", ""), codes)
        except ActionRefused as refused:
            return refused_page(partial(_choose_party_page, request, context), refused)
        except RegisterFailed as exc:
            context["error"] = str(exc)
        else:
            return HttpResponseRedirect(next_url)
    status = 400 if context["error"] and request.method == "POST" else 200
    return _choose_party_page(request, context, status=status)


@require_safe
@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The staff landing page: case workers and agency admins go straight to the inbox."""
    from iktipet.accounts.roles import has_role

    if has_role(request.user, ("case_worker", "agency_admin")):
        return HttpResponseRedirect(reverse("casework:inbox"))
    return render(
        request,
        "accounts/staff_home.html",
        {"title": _("Saksbehandling"), "roles": staff_roles(request.user)},
    )
