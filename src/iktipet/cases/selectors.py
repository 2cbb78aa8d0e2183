"""Reads of cases, each taking the actor: anyone else gets 404.

Staff see the cases of the agencies where they hold a case role, and every read of one
case by staff is written to the audit log. Citizens see a case as its applicant or as the
organisation they act for. (Neighbours see only their notice: see the nabovarsel app.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import router
from django.db.models import CharField, Exists, Func, Model, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from iktipet.accounts.parties import ActingParty
from iktipet.cases.models import (
    Appeal,
    Case,
    CaseEvent,
    Claim,
    Decision,
    HearingRequest,
    Offer,
)
from iktipet.cases.permissions import CASE_ROLES, case_agency_ids
from iktipet.core import audit, rows
from iktipet.core.ids import uuid_or_404
from iktipet.payments import selectors as payment_selectors
from iktipet.payments.models import PaymentOrder

if TYPE_CHECKING:
    from iktipet.accounts.types import Viewer


def cases_for_staff(user: Viewer) -> QuerySet[Case]:
    """Every case of the agencies ``user`` works for (none for anyone else)."""
    return Case.objects.filter(agency_id__in=case_agency_ids(user))


def case_for_staff(user: Viewer, case_id: Any, *, purpose: str = "view") -> Case:
    """One case for a staff member of its agency, the read written to the audit log."""
    # .get(), not .first(): no ORDER BY to compile for a primary-key look-up (hot page).
    try:
        found = (
            cases_for_staff(user)
            .select_related("agency", "assignee", "applicant", "application", "thread", "appeal_of")
            .get(pk=uuid_or_404(case_id))
        )
    except Case.DoesNotExist:
        raise Http404 from None
    audit.record(user, "cases.read", found, {"reference": found.reference, "purpose": purpose})
    return found


def case_page_for_staff(user: Viewer, case_id: Any) -> Case:
    """``case_for_staff`` for the staff case page (the read audited alike), in one query
    that also says how far ``user`` has read the case's thread (``last_read_at``, None for
    never), so the page moves the read marker only when it shows something new
    (:func:`newest_unread`), and brings the case's decision (a LEFT JOIN: :func:`decision_of`
    reads no more, a statement fewer on a decided case). Joins only what the page shows:
    each join costs ~0.2 ms of compiling (bench/README.md, "The case worker's inbox and case
    page"); the query is compiled once per connection (``core.rows``) with the same agency
    filter as :func:`cases_for_staff`, written as a subquery of the user's case roles, and
    says which of them the user holds in the case's agency (:func:`viewer_roles`): the roles
    are not a statement of their own (``permissions.case_page_staff_required``). The audit
    row is one plain INSERT (``audit.append``)."""
    from iktipet.accounts.models import StaffRole
    from iktipet.messaging.models import ThreadRead

    pk = uuid_or_404(case_id)
    user_id = user.pk or 0

    def build(using: str) -> QuerySet[Case]:
        last_read = ThreadRead.objects.filter(thread_id=OuterRef("thread_id"), user_id=user_id)
        mine = StaffRole.objects.filter(user_id=user_id)
        here = mine.filter(agency_id=OuterRef("agency_id"))
        return (
            Case.objects.using(using)
            .select_related("agency", "assignee", "application", "decision")
            .defer(*_STAFF_PAGE_UNREAD)
            .annotate(
                last_read_at=Subquery(last_read.values("last_read_at")[:1]),
                **{f"{VIEWER_ROLE}{role}": Exists(here.filter(role=role)) for role in CASE_ROLES},
            )
            # The agencies where the user holds a case role (cases_for_staff's filter).
            .filter(agency_id__in=mine.filter(role__in=CASE_ROLES).values("agency_id"))
            .filter(pk=pk)
            .order_by()
        )

    def params(connection: Any) -> list[Any]:
        return [
            user_id,
            # Each EXISTS selects a constant 1 (Django's Exists), then its conditions.
            *(value for role in CASE_ROLES for value in (1, user_id, role)),
            user_id,
            *CASE_ROLES,
            Case._meta.pk.get_db_prep_value(pk, connection),
        ]

    found = rows.first_or_404(Case, "cases.case_page_for_staff", build, params)
    audit.append(user, "cases.read", found, {"reference": found.reference, "purpose": "view"})
    return found


#: ``case_page_for_staff``'s case says whether its reader holds each case role in its agency:
#: ``viewer_role_case_worker`` and ``viewer_role_agency_admin`` (see :func:`viewer_roles`).
VIEWER_ROLE = "viewer_role_"


def viewer_roles(case: Case) -> set[str] | None:
    """The case roles the reader of a case from :func:`case_page_for_staff` holds in its
    agency, as ``permissions.staff_roles_in`` answers it; None for a case read otherwise."""
    if f"{VIEWER_ROLE}{CASE_ROLES[0]}" not in case.__dict__:
        return None
    return {role for role in CASE_ROLES if case.__dict__[f"{VIEWER_ROLE}{role}"]}


#: What the staff case page never reads of the case's assignee (their name is shown) and
#: application (its reference, summary and, for an offer, answers): not read with the case.
#: Each column read is converted per view (on SQLite a time parsed from text); a deferred
#: one read by some later code costs a statement of its own, which the statement-count tests
#: would show (issue 13).
_STAFF_PAGE_UNREAD = (
    *(
        f"assignee__{name}"
        for name in (
            "password",
            "last_login",
            "is_superuser",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "kind",
            "oidc_issuer",
            "oidc_subject",
        )
    ),
    *(
        f"application__{name}"
        for name in (
            "party_kind",
            "party_identifier",
            "party_name",
            "status",
            "current_step",
            "start_token",
            "fee_ore",
            "receipt_pdf",
            "created_at",
            "updated_at",
            "submitted_at",
        )
    ),
)


class StaffPageFile(NamedTuple):
    """What the staff case page shows of a file sent with the application (its link and
    size), read as plain values: an ``Attachment`` per file cost ``Model.from_db`` and its
    columns' conversions on every view (issue 13)."""

    pk: Any
    original_name: str
    size: int


def files_for_staff_page(case: Case) -> list[StaffPageFile]:
    """The files of the case's application (``applications.selectors.attachments_of``), oldest
    first, as :class:`StaffPageFile`; compiled once per connection; none for a case without
    an application."""
    from iktipet.applications.models import Application, Attachment

    application_id = case.application_id
    if application_id is None:
        return []

    def params(connection: Any) -> list[Any]:
        return [Application._meta.pk.get_db_prep_value(application_id, connection)]

    found = rows.values(
        Attachment,
        "cases.files_for_staff_page",
        lambda using: (
            Attachment.objects.using(using)
            .filter(application_id=application_id)
            .order_by("created_at")
            .values_list(*StaffPageFile._fields)
        ),
        params,
    )
    return [StaffPageFile._make(row) for row in found]


def newest_unread(case: Case, messages: list[Any]) -> Any:
    """When the newest of ``messages`` (oldest first, as the page showed them) was written,
    if the reader of a case from :func:`case_page_for_staff` or :func:`case_page_for_citizen`
    has not read that far; else None. Unread counts are "written after the marker": when
    nothing shown is newer than the marker, moving it changes no count, and the write is
    left out."""
    if not messages:
        return None
    newest = messages[-1].created_at
    last_read = getattr(case, "last_read_at", None)
    return newest if last_read is None or newest > last_read else None


def _citizen_reachable(user: Viewer, party: ActingParty) -> Q:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_citizen", False):
        return Q(pk__in=[])
    if party.is_organisation and party.identifier:
        return Q(party_kind="organisation", party_identifier=party.identifier)
    return Q(applicant_id=user.pk, party_kind="person")


def cases_for_citizen(user: Viewer, party: ActingParty) -> QuerySet[Case]:
    """The cases of the party the user acts for now (Min side), newest first."""
    return (
        Case.objects.filter(_citizen_reachable(user, party))
        .select_related("agency", "thread")
        .order_by("-received_at", "-id")
    )


def cases_for_citizen_parties(user: Viewer, parties: Iterable[ActingParty]) -> QuerySet[Case]:
    """The cases of every party in ``parties`` (Min side's overview), newest first. The
    organisations must come from the register (``accounts.my_page.page_parties``)."""
    reachable = Q(pk__in=[])
    for party in parties:
        reachable |= _citizen_reachable(user, party)
    return (
        Case.objects.filter(reachable)
        .select_related("agency", "thread")
        .order_by("-received_at", "-id")
    )


#: What Min side shows of a case (issue 13: the page is hot, so one narrow ``values()`` query
#: without joins: the agency's name comes from the cached agency list).
CASE_ROW_FIELDS = (
    "id",
    "title",
    "year",
    "sequence",
    "agency_id",
    "workflow",
    "status",
    "is_open",
    "party_kind",
    "party_identifier",
    "received_at",
    "decided_at",
    "waiting_until",
    "thread_id",
)


def _case_pk(case_id: Any) -> Callable[[Any], list[Any]]:
    """``core.rows`` parameters: a case's primary key as the database gets it."""
    return _param(Case, "id", case_id)


def _param(model: type[Model], name: str, value: Any) -> Callable[[Any], list[Any]]:
    """``core.rows`` parameters: ``value`` of the model's field ``name`` as the database
    gets it."""
    field = model._meta.get_field(name)
    return lambda connection: [field.get_db_prep_value(value, connection)]  # type: ignore[union-attr]


def _party_params(user: Viewer, parties: Iterable[ActingParty]) -> list[tuple[str, Any]]:
    """Per party, as ``_citizen_reachable`` filters it: ("organisation", orgnr) or
    ("person", the user's pk). The shape of the query and its parameters follow from it."""
    return [
        ("organisation", party.identifier)
        if party.is_organisation and party.identifier
        else ("person", user.pk)
        for party in parties
    ]


def case_rows_for_citizen_parties(
    user: Viewer, parties: Iterable[ActingParty], limit: int
) -> list[tuple[Any, ...]]:
    """``cases_for_citizen_parties`` as tuples of ``CASE_ROW_FIELDS``, newest first, at
    most ``limit``. The SQL is compiled once per connection and shape of parties (issue 13:
    building and compiling it cost more than Min side's other work)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_citizen", False):
        return []
    parties = list(parties)
    owners = _party_params(user, parties)
    if not owners:
        return []

    def params(connection: Any) -> list[Any]:
        # Q(**kwargs) orders its conditions by name: applicant_id before party_kind,
        # party_identifier before party_kind.
        return [value for kind, key in owners for value in (key, kind)]

    return rows.values(
        Case,
        ("cases.citizen_rows", tuple(kind for kind, _key in owners), limit),
        lambda using: (
            cases_for_citizen_parties(user, parties)
            .using(using)
            .select_related(None)
            .values_list(*CASE_ROW_FIELDS)[:limit]
        ),
        params,
    )


def case_for_citizen(user: Viewer, party: ActingParty, case_id: Any) -> Case:
    try:
        return (
            Case.objects.filter(_citizen_reachable(user, party))
            .select_related(
                "agency",
                "application__service_version",
                "appeal_of__application__service_version",
                "thread",
                "applicant",
            )
            # The parsed definition is cached per content hash: its JSON need not be read.
            .defer(
                "application__service_version__definition",
                "appeal_of__application__service_version__definition",
            )
            .get(pk=uuid_or_404(case_id))
        )
    except Case.DoesNotExist:
        raise Http404 from None


#: What the applicant's case page never reads of the joined rows (see
#: :func:`case_page_for_citizen`); a deferred column read by later code costs a statement of
#: its own, which the statement-count tests would show.
_CITIZEN_PAGE_UNREAD = (
    *(
        f"application__{name}"
        for name in (
            "service_id",
            "applicant_id",
            "party_kind",
            "party_identifier",
            "party_name",
            "status",
            "answers",
            "current_step",
            "start_token",
            "reference",
            "fee_ore",
            "summary",
            "receipt_pdf",
            "created_at",
            "updated_at",
            "submitted_at",
        )
    ),
    *(
        f"application__service_version__{name}"
        for name in ("definition", "number", "created_at", "published_at", "unpublished_at")
    ),
    *(f"thread__{name}" for name in ("subject_type", "subject_id", "title", "created_at")),
)


def case_page_for_citizen(user: Viewer, party: ActingParty, case_id: Any) -> Case:
    """``case_for_citizen`` for the applicant's case page (a GET that writes nothing of the
    case's): without the applicant's user row and the appealed case's chain of joins, which
    that page never reads. Measured on SQLite: 2.3 → 1.2 ms to build and run the query
    (issue 13). An appeal's original case, whose service gives the level of assurance, is
    read by a second query for appeals only. Like :func:`case_page_for_staff`, the row says
    how far ``user`` has read the case's thread (``last_read_at``, for :func:`newest_unread`):
    a statement fewer than reading the marker by itself (~0.15 ms on PostgreSQL); and the
    case's decision comes with it (:func:`decision_of` reads no more)."""
    from iktipet.messaging.models import ThreadRead

    pk = uuid_or_404(case_id)
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_citizen", False):
        raise Http404
    ((kind, owner),) = _party_params(user, [party])
    pk_field = Case._meta.pk
    assert pk_field is not None
    user_id = user.pk or 0

    def build(using: str) -> QuerySet[Case]:
        last_read = ThreadRead.objects.filter(thread_id=OuterRef("thread_id"), user_id=user_id)
        return (
            Case.objects.using(using)
            .filter(_citizen_reachable(user, party), pk=pk)
            .select_related("agency", "application__service_version", "thread", "decision")
            # The page shows none of the application: only its service's level of assurance
            # is read (through the version's content hash); nor the thread, whose id reads
            # its messages. What is not read is not converted (answers and summary JSON
            # decoded, times parsed on SQLite) on every view (issue 13).
            .defer(*_CITIZEN_PAGE_UNREAD)
            .annotate(last_read_at=Subquery(last_read.values("last_read_at")[:1]))
            .order_by()
        )

    # Compiled once per connection and kind of party (core.rows): the SQL costs ~0.02 ms,
    # building and compiling it with its joins ~0.7 ms (issue 13).
    found = rows.first_or_404(
        Case,
        ("cases.case_page_for_citizen", kind),
        build,
        # The marker's user first (the annotation); Q(**kwargs) orders its conditions by
        # name (applicant_id, party_identifier before party_kind); the primary key last.
        lambda connection: [user_id, owner, kind, pk_field.get_db_prep_value(pk, connection)],
    )
    if found.appeal_of_id is not None:
        found.appeal_of = (
            Case.objects.select_related("application__service_version")
            .defer("application__service_version__definition")
            .get(pk=found.appeal_of_id)
        )
    return found


def owner_of_case_for_citizen(user: Viewer, case_id: Any) -> tuple[ActingParty, str] | None:
    """Whose case this is, for a link that opened under another party: the organisation
    (to be checked against the register by ``accounts.links.switch_for_link``) or the user
    themself, with the case's service; None for a case of another person. Never shown: the
    caller either switches to the party and reads the case through ``case_for_citizen``, or
    gives 404."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_citizen", False):
        return None
    found = (
        Case.objects.filter(pk=uuid_or_404(case_id))
        .filter(Q(party_kind="organisation") | Q(applicant_id=user.pk, party_kind="person"))
        .values_list("party_kind", "party_identifier", "party_name", "service_id")
        .first()
    )
    if found is None:
        return None
    kind, identifier, name, service_id = found
    if kind == "organisation":
        if not identifier:
            return None
        return ActingParty("organisation", identifier, name), service_id
    return ActingParty("person", "", name), service_id


def decision_of(case: Case) -> Decision | None:
    """The decision of a case the caller already fetched through a selector (a case gets
    ``decided_at`` with its decision, so an undecided case costs no query)."""
    if case.decided_at is None:
        return None
    if Case.decision.is_cached(case):  # read with the case (the case pages' selectors)
        return getattr(case, "decision", None)
    case_id = case.pk
    # One decision per case (OneToOne): no ORDER BY; compiled once per connection.
    return rows.first(
        Decision,
        "cases.decision_of",
        lambda using: Decision.objects.using(using).filter(case_id=case_id).order_by(),
        _case_pk(case_id),
    )


def _appeals(using: str, related: str, **where: Any) -> QuerySet[Appeal]:
    return Appeal.objects.using(using).filter(**where).select_related(related)


def appeals_of(decision: Decision) -> list[Appeal]:
    """The appeals of a decision the caller read through a selector, oldest first, each
    with its appeal case; compiled once per connection (the applicant's case page shows
    them on every view of a decided case: the ORM built and compiled the query each time,
    ~0.3 ms; issue 13)."""
    decision_id = decision.pk
    return rows.every(
        Appeal,
        "cases.appeals_of",
        lambda using: _appeals(using, "case", decision_id=decision_id).order_by("submitted_at"),
        _param(Appeal, "decision", decision_id),
    )


def appeal_of_case(case: Case) -> Appeal | None:
    """The appeal that opened ``case`` (an appeal case the caller read through a selector),
    with the appealed decision and its case, in one statement compiled once per connection
    (through the ORM's related descriptors: three statements, each built and compiled;
    issue 13); None for any other case."""
    if case.kind != Case.Kind.APPEAL:
        return None
    case_id = case.pk
    return rows.first(
        Appeal,
        "cases.appeal_of_case",
        lambda using: _appeals(using, "decision__case", case_id=case_id).order_by(),
        _param(Appeal, "case", case_id),
    )


def open_offer_of(case: Case) -> Offer | None:
    if not case.workflow_model.offer_answer_days:
        return None  # a workflow without offers has none to look up
    return Offer.objects.filter(case=case, status=Offer.Status.OFFERED).first()


def offer_of(case: Case, offer_id: Any) -> Offer:
    found = Offer.objects.filter(case=case, pk=uuid_or_404(offer_id)).select_related("case").first()
    if found is None:
        raise Http404
    return found


def kindergarten_choices_of(case: Case) -> list[tuple[str, str]]:
    """The kindergartens the applicant ranked, in their order: (register id, name). An id
    the kindergarten register no longer knows is shown as itself."""
    application = case.application
    answers = (application.answers or {}) if application is not None else {}
    ranked = answers.get("kindergartens") or []
    if not isinstance(ranked, list):
        return []
    from iktipet.registers.kindergartens import kindergarten_register

    register = kindergarten_register()
    choices = []
    for value in ranked:
        found = register.get(str(value))
        choices.append((str(value), found.name if found else str(value)))
    return choices


def hearing_of(case: Case, hearing_id: Any) -> HearingRequest:
    try:
        pk = int(hearing_id)
    except (TypeError, ValueError):
        raise Http404 from None
    found = HearingRequest.objects.filter(case=case, pk=pk).select_related("case").first()
    if found is None:
        raise Http404
    return found


def timeline_of(case: Case, *, for_applicant: bool) -> QuerySet[Any]:
    events = case.events.all()
    return events.filter(visible_to_applicant=True) if for_applicant else events


class TimelineEvent(NamedTuple):
    """What the case pages show of a ``CaseEvent`` (``timeline`` describes it by these
    attributes), read as plain values: an instance per event cost ~25 µs of
    ``Model.from_db`` and ``__init__`` (issue 13)."""

    at: Any
    kind: str
    actor_id: Any
    actor_label: str
    from_status: str
    to_status: str
    note: str
    details: Any
    visible_to_applicant: bool


def timeline_events_of(case: Case, *, for_applicant: bool) -> list[TimelineEvent]:
    """``timeline_of`` as plain values (:class:`TimelineEvent`), read with SQL compiled once
    per connection (the case pages read it on every view; issue 13)."""
    # ``visible_to_applicant=True`` compiles to the bare column: the case is the only
    # parameter.
    found = rows.values(
        CaseEvent,
        ("cases.timeline_events_of", for_applicant),
        lambda using: (
            timeline_of(case, for_applicant=for_applicant)
            .using(using)
            .values_list(*TimelineEvent._fields)
        ),
        _case_pk(case.pk),
    )
    return [TimelineEvent._make(row) for row in found]


def application_attachment_of(case: Case, attachment_id: Any) -> Any:
    """A file the applicant sent with the application of a case the caller already fetched
    through a selector; 404 for any other file."""
    from iktipet.applications.models import Attachment

    if not case.application_id:
        raise Http404
    found = Attachment.objects.filter(
        application_id=case.application_id, pk=uuid_or_404(attachment_id)
    ).first()
    if found is None:
        raise Http404
    return found


def case_workers_of(case: Case) -> QuerySet[Any]:
    """The active staff with a case role in the case's agency: whom a case may be given to."""
    from iktipet.accounts.models import StaffRole, User

    ids = StaffRole.objects.filter(agency_id=case.agency_id, role__in=CASE_ROLES).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name")


def login_level_of(case: Case) -> str:
    """The level of assurance the case's service asks for (an appeal: its original's)."""
    application = case.application or (case.appeal_of.application if case.appeal_of else None)
    if application is None:
        return "substantial"
    return application.service_version.form_model.login_level


@dataclass(frozen=True)
class CasePayment:
    """One payment order of a case: the fee paid with its application, or a claim's."""

    order: PaymentOrder
    claim: Claim | None  # None: the fee paid with the application

    @property
    def is_claim(self) -> bool:
        return self.claim is not None


def payments_of(case: Case) -> list[CasePayment]:
    """The case's payment orders, oldest first, for a reader the caller already checked
    (``case_for_staff`` or ``case_for_citizen``): the application's fee, then each claim's
    newest order (a cancelled claim shows as cancelled)."""
    found: list[CasePayment] = []
    if case.application_id:
        paid = payment_selectors.live_order_for_payable("application", str(case.application_id))
        if paid is not None:
            found.append(CasePayment(paid, None))
    for claim in case.claims.all():
        order = payment_selectors.orders_for_payable("case", str(claim.pk)).first()
        if order is not None:
            found.append(CasePayment(order, claim))
    return found


class _PayableId(Func):
    """A UUID column as ``str(uuid)`` writes it, the form of ``PaymentOrder.payable_id``:
    PostgreSQL's ``uuid::text`` is that form; SQLite holds the 32 hex digits (Django's
    ``uuid.hex``), hyphenated here."""

    template = "CAST(%(expressions)s AS varchar(36))"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"({sql})::text", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        parts = [f"substr({sql}, {start}, {length})" for start, length in _UUID_GROUPS]
        return "(" + " || '-' || ".join(parts) + ")", [*params] * len(parts)


#: Where the groups of a UUID's 32 hex digits start (1-based) and how long each is.
_UUID_GROUPS = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
#: The claim's columns in the model's order (as ``Model.from_db`` takes them); all but the
#: case's are read with the claim's order (``payments_for_case_page``).
_CLAIM_COLUMNS = [field.attname for field in Claim._meta.concrete_fields]
_CLAIM_FIELDS = [name for name in _CLAIM_COLUMNS if name != "case_id"]


def payments_for_case_page(case: Case) -> list[CasePayment]:
    """``payments_of`` in one statement (the case pages, issue 13): the orders of the
    application and of every claim of the case, each claim's fields read with its order
    (one row per order; a claim without an order is not shown, as in ``payments_of``).
    The claims and their orders were two statements, ~0.15 ms each on PostgreSQL. Compiled
    once per connection (``core.rows``), per shape: with or without the application's fee."""
    case_id, application_id = case.pk, case.application_id

    def claims(using: str) -> QuerySet[Claim]:
        return (
            Claim.objects.using(using)
            .filter(case_id=case_id)
            .annotate(payable=_PayableId("id"))
            .order_by()
        )

    def build(using: str) -> QuerySet[PaymentOrder]:
        payable_ids = claims(using).values("payable")  # type: ignore[misc]
        wanted = Q(payable_kind="case", payable_id__in=payable_ids)
        if application_id:
            wanted |= Q(payable_kind="application", payable_id=str(application_id))
        claim = claims(using).filter(payable=OuterRef("payable_id"))  # type: ignore[misc]
        return (
            PaymentOrder.objects.using(using)
            .filter(wanted)
            .annotate(
                **{f"claim_{name}": Subquery(claim.values(name)[:1]) for name in _CLAIM_FIELDS}
            )
            .order_by("-created_at")
        )

    def params(connection: Any) -> list[Any]:
        # Each claim's subquery, then the claims of the case, then the application's fee
        # (Q(**kwargs) orders its conditions by name: payable_id before payable_kind).
        case_pk = _case_pk(case_id)(connection)[0]
        fee = [str(application_id), "application"] if application_id else []
        return [*[case_pk] * len(_CLAIM_FIELDS), case_pk, "case", *fee]

    orders = rows.every(
        PaymentOrder,
        ("cases.payments_for_case_page", bool(application_id)),
        build,
        params,
    )
    found: list[CasePayment] = []
    paid = next(
        (
            order
            for order in orders
            if order.payable_kind == "application" and order.state != PaymentOrder.State.CANCELLED
        ),
        None,
    )
    if paid is not None:
        found.append(CasePayment(paid, None))
    # Each claim's newest order (the orders are newest first), the claims in their order.
    newest: dict[Any, PaymentOrder] = {}
    for order in orders:
        if order.payable_kind == "case":
            newest.setdefault(order.claim_id, order)  # type: ignore[attr-defined]
    using = router.db_for_read(Claim)
    by_claim = sorted(
        newest.values(),
        key=lambda order: (order.claim_created_at, order.claim_id),  # type: ignore[attr-defined]
    )
    for order in by_claim:
        claim = Claim.from_db(
            using,
            _CLAIM_COLUMNS,
            [
                case_id if name == "case_id" else getattr(order, f"claim_{name}")
                for name in _CLAIM_COLUMNS
            ],
        )
        claim.case = case
        found.append(CasePayment(order, claim))
    return found
