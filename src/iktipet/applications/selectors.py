"""Reads of applications, each taking the actor: anyone else gets 404."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from iktipet.accounts.parties import ActingParty
from iktipet.applications.models import Application, Attachment
from iktipet.core import rows
from iktipet.core.ids import uuid_or_404

if TYPE_CHECKING:
    from iktipet.accounts.types import Viewer


def _reachable(user: Viewer, party: ActingParty) -> Q:
    """Applications this user may open: their own, and those of the organisation they act for."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    # An organisation's application only through the organisation (its right checked where
    # the party comes from), not because this person once started it.
    reachable = Q(applicant_id=user.pk, party_kind=Application.PartyKind.PERSON)
    if party.is_organisation and party.identifier:
        reachable |= Q(
            party_kind=Application.PartyKind.ORGANISATION, party_identifier=party.identifier
        )
    return reachable


def _listed(user: Viewer, party: ActingParty) -> Q:
    """What Min side lists for the party the user acts for now."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if party.is_organisation:
        return Q(party_kind=Application.PartyKind.ORGANISATION, party_identifier=party.identifier)
    return Q(applicant_id=user.pk, party_kind=Application.PartyKind.PERSON)


#: ``definition_model`` is cached per content hash: its JSON (10–20 KB per real service)
#: need not be read and decoded with every application.
WITHOUT_DEFINITION = ("service_version__definition",)


#: What a step or the summary shows from (GET) reads of its application and its version:
#: not the dates, the reference, the frozen summary, the receipt (issue 13). Each column read
#: is converted per request: on SQLite the driver parses every timestamp (six here) from
#: text, the ORM makes it aware, and the summary's JSON is decoded. A column left out is read
#: by the ORM if something asks for it after all (a statement more, never a wrong value).
PAGE_FIELDS = (
    "id",
    "service_version_id",
    "service_id",
    "applicant_id",
    "party_kind",
    "party_identifier",
    "party_name",
    "status",
    "answers",
    "current_step",
    "service_version__id",
    "service_version__content_hash",
)


def application_for_actor(
    user: Viewer, party: ActingParty, application_id: Any, *, page: bool = False
) -> Application:
    """The application if ``user`` (acting for ``party``) may see it; Http404 otherwise.
    ``page``: only the ``PAGE_FIELDS`` a step or the summary shows (the same rows reached)."""
    pk = uuid_or_404(application_id)
    if not getattr(user, "is_authenticated", False):
        raise Http404
    # Read on every page of the journey: one query, compiled once per connection (core.rows;
    # measured 0.45 -> 0.1 ms of CPU in-process). Its parameters in the SQL's order.
    organisation = bool(party.is_organisation and party.identifier)

    def params(connection: Any) -> list[Any]:
        values: list[Any] = [user.pk, Application.PartyKind.PERSON]
        if organisation:  # Q() orders its keywords: party_identifier, then party_kind
            values += [party.identifier, Application.PartyKind.ORGANISATION]
        return [*values, Application._meta.pk.get_db_prep_value(pk, connection)]

    def build(using: str) -> QuerySet[Application]:
        queryset = (
            Application.objects.using(using)
            .filter(_reachable(user, party))
            .select_related("service_version")
        )
        queryset = queryset.only(*PAGE_FIELDS) if page else queryset.defer(*WITHOUT_DEFINITION)
        return queryset.filter(pk=pk).order_by()

    return rows.first_or_404(
        Application, ("application_for_actor", organisation, page), build, params
    )


def owner_of_application(user: Viewer, application_id: Any) -> tuple[ActingParty, str] | None:
    """Whose application this is, for a link opened under another party (Min side lists
    every party's): an organisation's (checked against the register by
    ``accounts.links.switch_for_link``) or the user's own, with its service; None otherwise."""
    if not getattr(user, "is_authenticated", False):
        return None
    found = (
        Application.objects.filter(pk=uuid_or_404(application_id))
        .filter(
            Q(party_kind=Application.PartyKind.ORGANISATION)
            | Q(applicant_id=user.pk, party_kind=Application.PartyKind.PERSON)
        )
        .values_list("party_kind", "party_identifier", "party_name", "service_id")
        .first()
    )
    if found is None:
        return None
    kind, identifier, name, service_id = found
    if kind == Application.PartyKind.ORGANISATION:
        return (ActingParty("organisation", identifier, name), service_id) if identifier else None
    return ActingParty("person", "", name), service_id


def draft_for_actor(user: Viewer, party: ActingParty, application_id: Any) -> Application:
    application = application_for_actor(user, party, application_id)
    if not application.is_draft:
        raise Http404
    return application


def attachment_for_actor(user: Viewer, party: ActingParty, attachment_id: Any) -> Attachment:
    found = (
        Attachment.objects.filter(pk=uuid_or_404(attachment_id))
        .filter(application__in=Application.objects.filter(_reachable(user, party)).values("pk"))
        .select_related("application")
        .first()
    )
    if found is None:
        raise Http404
    return found


def drafts_for_actor(user: Viewer, party: ActingParty) -> QuerySet[Application]:
    """Unsent drafts of the party the user acts for, newest first."""
    return (
        Application.objects.filter(_listed(user, party), status=Application.Status.DRAFT)
        .select_related("service_version")
        .defer(*WITHOUT_DEFINITION)
        .order_by("-updated_at")
    )


def submitted_for_actor(user: Viewer, party: ActingParty) -> QuerySet[Application]:
    return (
        Application.objects.filter(_listed(user, party), status=Application.Status.SUBMITTED)
        .select_related("service_version")
        .defer(*WITHOUT_DEFINITION)
        .order_by("-submitted_at")
    )


def listed_for_parties(user: Viewer, parties: Iterable[ActingParty]) -> QuerySet[Application]:
    """The drafts and the submitted applications of every party in ``parties`` in one query
    (Min side lists both; issue 13), in no order: the caller groups and sorts them."""
    listed = Q(pk__in=[])
    for party in parties:
        listed |= _listed(user, party)
    statuses = (Application.Status.DRAFT, Application.Status.SUBMITTED)
    return (
        Application.objects.filter(listed, status__in=statuses)
        .select_related("service_version")
        .defer(*WITHOUT_DEFINITION)
        .order_by()
    )


#: What Min side lists of an application (``listed_rows_for_parties``): plain values, no
#: model instances, and not the answers (issue 13).
MIN_SIDE_FIELDS = (
    "id",
    "status",
    "party_kind",
    "party_identifier",
    "reference",
    "summary",
    "updated_at",
    "submitted_at",
    "service_version_id",
    "service_version__content_hash",
)


def listed_rows_for_parties(
    user: Viewer, parties: Sequence[ActingParty], limit: int
) -> list[tuple[Any, ...]]:
    """``listed_for_parties(user, parties)[:limit]`` as tuples of ``MIN_SIDE_FIELDS``, read
    with its SQL compiled once per connection and shape (``core.rows``): Min side reads it on
    every visit, and building and compiling it cost ~0.3 ms of CPU, building the instances
    (their answers decoded) ~0.1 ms a row (issue 13). The SQL differs with the number and
    kinds of parties and with the limit (written into the SQL), so those make the key."""
    if not getattr(user, "is_authenticated", False):
        return []  # as _listed: nothing
    shape = tuple(party.is_organisation for party in parties)

    def params(connection: Any) -> list[Any]:
        values: list[Any] = []
        for party in parties:  # as _listed's Q orders its keywords
            if party.is_organisation:
                values += [party.identifier, Application.PartyKind.ORGANISATION]
            else:
                values += [user.pk, Application.PartyKind.PERSON]
        return [*values, Application.Status.DRAFT, Application.Status.SUBMITTED]

    return rows.values(
        Application,
        ("applications.min_side.values", shape, limit),
        lambda using: (
            listed_for_parties(user, parties).using(using).values_list(*MIN_SIDE_FIELDS)[:limit]
        ),
        params,
    )


def attachments_of(application: Application, field_id: str | None = None) -> list[Attachment]:
    """Attachments of an application the caller already fetched through a selector."""
    queryset = application.attachments.all()
    if field_id is not None:
        queryset = queryset.filter(field_id=field_id)
    return list(queryset)


def stored_bytes(application: Application) -> int:
    return sum(application.attachments.values_list("size", flat=True))


def open_with_same_answer(application: Application, field_id: str) -> list[Application]:
    """The applicant's other open applications for this service with the same answer to
    ``field_id`` (barnehageplass: the same child): drafts, and submitted ones whose case is
    still open or not yet opened. Only the same party's, so nobody learns of anyone else's."""
    value = application.answers.get(field_id)
    if value in (None, "", [], {}):
        return []
    still_open = Q(status=Application.Status.DRAFT) | Q(
        Q(case__isnull=True) | Q(case__is_open=True), status=Application.Status.SUBMITTED
    )
    return list(
        Application.objects.filter(
            still_open,
            applicant_id=application.applicant_id,
            party_kind=application.party_kind,
            party_identifier=application.party_identifier,
            service_id=application.service_id,
            **{f"answers__{field_id}": value},
        )
        .exclude(pk=application.pk)
        .defer(*WITHOUT_DEFINITION, "answers", "summary")
        .order_by("-updated_at")[:5]
    )
