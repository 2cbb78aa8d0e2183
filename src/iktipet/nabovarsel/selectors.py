"""Reads of the nabovarsel app, each taking the actor: anyone else gets 404.

A neighbour sees the notices addressed to them (by the keyed hash of their fødselsnummer)
or to the organisation they act for, and nothing else of the case: not the applicant's
fødselsnummer, not the case thread, not the other neighbours or their replies. The
applicant reads the replies on their own case page (``replies_for_applicant``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from iktipet.accounts.parties import ActingParty
from iktipet.core.ids import uuid_or_404
from iktipet.nabovarsel.contents import notice_file_ids
from iktipet.nabovarsel.models import NeighbourNotice, NeighbourReplyAttachment, NoticeSummary

if TYPE_CHECKING:
    from iktipet.accounts.types import Viewer


def _addressee(user: Viewer, party: ActingParty) -> tuple[str, str] | None:
    """(owner kind, orgnr or the keyed hash of the fødselsnummer) of the notices addressed
    to ``party``, or None when none can be."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_citizen", False):
        return None
    if party.is_organisation:
        if not party.identifier:
            return None
        return (NeighbourNotice.OwnerKind.ORGANISATION, party.identifier)
    person = getattr(user, "person", None)
    if person is None or not person.pid_hash:
        return None
    return (NeighbourNotice.OwnerKind.PERSON, person.pid_hash)


def _addressed_to(user: Viewer, party: ActingParty) -> Q:
    addressee = _addressee(user, party)
    if addressee is None:
        return Q(pk__in=[])
    kind, value = addressee
    if kind == NeighbourNotice.OwnerKind.ORGANISATION:
        return Q(owner_kind=kind, orgnr=value)
    return Q(owner_kind=kind, pid_hash=value)


def notices_for_neighbour(user: Viewer, party: ActingParty) -> QuerySet[NeighbourNotice]:
    """The notices to the person, or to the organisation they act for, newest first."""
    return (
        NeighbourNotice.objects.filter(_addressed_to(user, party))
        .exclude(case__applicant_id=getattr(user, "pk", None))
        .select_related("case", "case__agency")
        .order_by("-sent_at", "id")
    )


def _indexed(user: Viewer, party: ActingParty) -> Q:
    """The condition of the partial index of ``party``'s notices (``notice_person``,
    ``notice_organisation``), which ``_addressed_to``'s value already implies (it is never
    empty): said again, so that SQLite's planner takes the index, not a scan of every
    notice (issue 13: Min side asks on every visit)."""
    addressee = _addressee(user, party)
    if addressee is None:
        return Q()
    if addressee[0] == NeighbourNotice.OwnerKind.ORGANISATION:
        return ~Q(orgnr="")
    return ~Q(pid_hash="")


def notices_for_neighbour_parties(
    user: Viewer, parties: Iterable[ActingParty]
) -> QuerySet[NeighbourNotice]:
    """``notices_for_neighbour`` for every party in ``parties`` in one query (Min side's
    overview; the organisations must come from the register). ``party_of_notice`` tells
    whose each one is."""
    addressed = Q(pk__in=[])
    for party in parties:
        addressed |= _addressed_to(user, party) & _indexed(user, party)
    return (
        NeighbourNotice.objects.filter(addressed)
        .exclude(case__applicant_id=getattr(user, "pk", None))
        .select_related("case", "case__agency")
        .order_by("-sent_at", "id")
    )


def compiled_for_neighbour_parties(
    user: Viewer, parties: Sequence[ActingParty]
) -> tuple[str, Callable[[str], QuerySet[NeighbourNotice]], Callable[[Any], list[Any]]] | None:
    """``notices_for_neighbour_parties`` for a read compiled once per connection
    (``core.rows``; Min side's hook reads it on every visit, issue 13): the key of the
    query's shape, the query, and its parameters in the SQL's order. None when nothing can
    be addressed to any of the parties."""
    addressees = [_addressee(user, party) for party in parties]
    if not any(addressees):
        return None
    key = "nabovarsel.parties:" + ",".join(found[0] if found else "-" for found in addressees)

    def params(connection: Any) -> list[Any]:
        values: list[Any] = []
        for found in addressees:
            if found is None:
                continue
            kind, value = found  # Q() orders its keywords: orgnr, owner_kind, pid_hash
            organisation = kind == NeighbourNotice.OwnerKind.ORGANISATION
            # Then _indexed's "" (the index's condition).
            values += [value, kind, ""] if organisation else [kind, value, ""]
        return [*values, getattr(user, "pk", None)]

    return key, lambda using: notices_for_neighbour_parties(user, parties).using(using), params


def party_of_notice(notice: NeighbourNotice, parties: Iterable[ActingParty]) -> ActingParty | None:
    """Which of ``parties`` a notice from ``notices_for_neighbour_parties`` is addressed to."""
    for party in parties:
        if notice.owner_kind == NeighbourNotice.OwnerKind.ORGANISATION:
            if party.is_organisation and party.identifier == notice.orgnr:
                return party
        elif not party.is_organisation:
            return party
    return None


def notice_for_neighbour(user: Viewer, party: ActingParty, notice_id: Any) -> NeighbourNotice:
    found = (
        notices_for_neighbour(user, party)
        .select_related("case__application", "case__application__service_version")
        .filter(pk=uuid_or_404(notice_id))
        .first()
    )
    if found is None:
        raise Http404
    return found


def owner_of_notice_for_neighbour(user: Viewer, notice_id: Any) -> tuple[ActingParty, str] | None:
    """To whom a notice is addressed, for a link opened under another party: the
    organisation (checked against the register by ``accounts.links.switch_for_link``) or the
    person themself, with the case's service; None for anyone else's notice."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_citizen", False):
        return None
    # Any organisation's notice (the register decides), or one to the person themself.
    addressed = Q(owner_kind=NeighbourNotice.OwnerKind.ORGANISATION) & ~Q(orgnr="")
    addressed |= _addressed_to(user, ActingParty("person", "", ""))
    found = (
        NeighbourNotice.objects.filter(addressed, pk=uuid_or_404(notice_id))
        .exclude(case__applicant_id=getattr(user, "pk", None))
        .values_list("owner_kind", "orgnr", "name", "case__service_id")
        .first()
    )
    if found is None:
        return None
    kind, orgnr, name, service_id = found
    if kind == NeighbourNotice.OwnerKind.ORGANISATION:
        return ActingParty("organisation", orgnr, name), service_id
    return ActingParty("person", "", name), service_id


def notice_attachment(notice: NeighbourNotice, attachment_id: Any) -> Any:
    """One of the drawings or documents the notice itself carries (not every file of the
    application: only the form's notice attachments)."""
    application = notice.case.application
    wanted = str(uuid_or_404(attachment_id))
    if application is None or wanted not in notice_file_ids(application.answers or {}):
        raise Http404
    found = application.attachments.filter(pk=wanted).first()
    if found is None:
        raise Http404
    return found


def reply_attachment_of_notice(
    notice: NeighbourNotice, attachment_id: Any
) -> NeighbourReplyAttachment:
    """A file of this neighbour's own reply."""
    found = NeighbourReplyAttachment.objects.filter(
        notice=notice, pk=uuid_or_404(attachment_id)
    ).first()
    if found is None:
        raise Http404
    return found


# --- the applicant's and the case worker's view (case already fetched by a selector) ------


def notices_of_case(case: Any) -> QuerySet[NeighbourNotice]:
    """Every notice of a case the caller fetched through a cases selector."""
    return (
        NeighbourNotice.objects.filter(case=case)
        .select_related("notification")
        .prefetch_related("attachments")
        .order_by("property", "name", "id")
    )


def reply_attachment_of_case(case: Any, attachment_id: Any) -> NeighbourReplyAttachment:
    found = (
        NeighbourReplyAttachment.objects.filter(notice__case=case, pk=uuid_or_404(attachment_id))
        .select_related("notice")
        .first()
    )
    if found is None:
        raise Http404
    return found


def summary_of_case(case: Any) -> NoticeSummary | None:
    return NoticeSummary.objects.filter(case=case).first()
