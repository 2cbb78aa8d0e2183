"""Links that open whatever party the person is acting for.

A link in an SMS or an email ("Vi trenger flere opplysninger…") points at a case of the party
it concerns, but a fresh login starts as the person themself, so the case would be a 404. A
page that found nothing under the current party asks the owning app who owns the object
(never taking it from the request) and calls :func:`switch_for_link`: when the person may act
for that party — an organisation checked against Enhetsregisteret with the service's role
codes, as :func:`iktipet.accounts.parties.may_act_for` does — the session switches to it and
the page says so. Anyone else still gets the 404.

    owner = selectors.owner_of_case_for_citizen(request.user, case_id)  # ActingParty | None
    if owner is None or switch_for_link(request, owner, service_id) is None:
        raise Http404
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from iktipet.accounts.models import Person
from iktipet.accounts.parties import (
    ActingParty,
    acting_party,
    myself,
    remember_choice,
    role_codes_for,
)
from iktipet.accounts.registers import RegisterFailed, right_to_act
from iktipet.core.audit import record


def _same(one: ActingParty, other: ActingParty) -> bool:
    if one.is_organisation or other.is_organisation:
        return one.kind == other.kind and one.id == other.id
    return True  # the owner of a person's object is always the person asking (see below)


def switch_for_link(
    request: HttpRequest, owner: ActingParty, service_id: str
) -> ActingParty | None:
    """Act for ``owner`` if the logged-in person may; the party now in use, or None.

    ``owner`` comes from the owning app's selector: an organisation (its orgnr), or a person
    (kind "person"), which the selector returns only for the person's own objects. An
    organisation is checked against the register with the role codes of ``service_id``; a
    register that cannot answer refuses (fail closed: the link gives 404 this time).
    """
    current = acting_party(request)
    user = request.user
    if current is None or not user.is_authenticated:
        return None
    if _same(current, owner):
        return current
    person = Person.objects.select_related("user").filter(user=user).first()
    if person is None:
        return None
    codes = role_codes_for(service_id)
    if owner.is_organisation:
        try:
            if not right_to_act(person, owner.id, codes):
                return None
        except RegisterFailed:
            return None
        party = owner
        notice = _("Du bruker nå tjenestene på vegne av %(name)s (org.nr. %(orgnr)s).") % {
            "name": owner.name,
            "orgnr": owner.id,
        }
    else:
        party = myself(person)
        notice = _("Du bruker nå tjenestene på vegne av deg selv.")
    remember_choice(request, party, codes)
    details = {"kind": party.kind, "orgnr": party.orgnr, "via": "link"}
    record(user, "accounts.acting_party_changed", person, details)
    messages.info(request, notice)
    return party
