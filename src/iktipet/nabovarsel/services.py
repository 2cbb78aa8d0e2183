"""Writes of the nabovarsel app: sending the notices, a neighbour's reply, closing a round.

``send_notices`` runs in the submit transaction (through the cases app's
``on_case_opened`` hook); the others are one transaction each, audited.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iktipet.accounts import pid as pid_crypto
from iktipet.cases import deadlines
from iktipet.cases.models import Case, CaseEvent
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.forms import disallowed_text_error
from iktipet.core.ids import valid_uuids
from iktipet.documents.uploads import check_uploads, store_upload
from iktipet.messaging import services as messaging
from iktipet.nabovarsel.contents import address_text, matrikkel_text
from iktipet.nabovarsel.models import NeighbourNotice, NeighbourReplyAttachment, NoticeSummary

if TYPE_CHECKING:
    from iktipet.accounts.types import User

logger = logging.getLogger(__name__)

SERVICE_ID = "nabovarsel"
MAX_REMARK_CHARS = 10_000
MAX_FILES = 10
Delivery = NeighbourNotice.Delivery
OwnerKind = NeighbourNotice.OwnerKind


# --- sending the notices ---------------------------------------------------------------------


@dataclass
class _Addressee:
    property: str
    relation: str
    name: str
    address: str
    pid: str = ""
    orgnr: str = ""
    in_register: bool = True


def _norm(text: str) -> str:
    return " ".join(str(text or "").split()).casefold()


def _form_rows(answers: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for row in answers.get("neighbours") or [] if isinstance(row, dict)]


def _row_addressee(row: dict[str, Any]) -> _Addressee | None:
    name = " ".join(str(row.get("name") or "").split())
    if not name:
        return None
    return _Addressee(
        property=matrikkel_text(row.get("property")),
        relation=str(row.get("relation") or "owner")[:20],
        name=name[:200],
        address=address_text(row.get("address"))[:300],
        in_register=False,
    )


def _addressees_from_register(rows: list[dict[str, Any]]) -> list[_Addressee]:
    """Every owner of every neighbouring property the rows name, one per (owner, property).

    The register is the authority on owners (hjemmelshavere): a co-owner the applicant left
    out is notified all the same. A row for a property the register does not know, and a
    row for a known property naming someone other than an owner as fester, gjenboer, sameie
    or the municipality, is kept as the applicant wrote it. Raises whatever the register
    raises (``RegisterUnavailable``).
    """
    from iktipet.registers.property import property_register

    register = property_register()
    by_property: dict[str, list[dict[str, Any]]] = {}
    unknown: list[_Addressee] = []
    for row in rows:
        label = matrikkel_text(row.get("property"))
        if label:
            by_property.setdefault(label, []).append(row)
        elif (addressee := _row_addressee(row)) is not None:
            unknown.append(addressee)
    found: list[_Addressee] = []
    for label, property_rows in by_property.items():
        prop = register.get(label)
        if prop is None:
            found.extend(a for a in map(_row_addressee, property_rows) if a is not None)
            continue
        owner_names = {_norm(owner.name) for owner in prop.owners}
        relation_of = {
            _norm(str(r.get("name") or "")): str(r.get("relation") or "owner")
            for r in property_rows
        }
        address = prop.address.one_line if prop.address else ""
        for owner in prop.owners:
            found.append(
                _Addressee(
                    property=label,
                    relation=relation_of.get(_norm(owner.name), "owner")[:20],
                    name=owner.name[:200],
                    address=address[:300],
                    pid=owner.pid or "",
                    orgnr=owner.orgnr or "",
                )
            )
        for row in property_rows:
            if row.get("relation") not in (None, "", "owner") and _norm(
                str(row.get("name") or "")
            ) not in (owner_names):
                addressee = _row_addressee(row)
                if addressee is not None:
                    found.append(addressee)
    return found + unknown


@dataclass
class _Neighbour:
    """One addressee of the round with every adjoining property they own: (label, address)."""

    addressee: _Addressee
    properties: list[tuple[str, str]]


def _one_per_neighbour(
    addressees: list[_Addressee], own_pid: str, own_orgnr: str
) -> list[_Neighbour]:
    """One entry per neighbour (person or organisation) listing all their properties, so
    someone owning two adjoining properties gets one notice and answers once.

    A row the register did not confirm has no identity but a name: two such rows are one
    neighbour only for the same property (two people may share a name).
    """
    by_key: dict[tuple[str, str], _Neighbour] = {}
    for addressee in addressees:
        if (own_pid and addressee.pid == own_pid) or (own_orgnr and addressee.orgnr == own_orgnr):
            continue  # the sender is not notified as their own neighbour
        if addressee.pid or addressee.orgnr:
            key = ("id", addressee.pid or f"org:{addressee.orgnr}")
        else:
            key = (addressee.property, f"row:{_norm(addressee.name)}")
        place = (addressee.property, addressee.address)
        if key not in by_key:
            by_key[key] = _Neighbour(addressee, [place])
        elif place[0] not in {label for label, _address in by_key[key].properties}:
            by_key[key].properties.append(place)
    for neighbour in by_key.values():
        neighbour.properties.sort(key=lambda place: (place[0] == "", place[0]))
    return list(by_key.values())


def _digital_pids(pids: list[str]) -> set[str] | None:
    """The pids the contact register lets us notify digitally; None when it cannot answer
    (the notification worker asks again when it sends, and falls back to a letter)."""
    if not pids:
        return set()
    from iktipet.registers.contact import contact_register

    try:
        contacts = contact_register().get_contacts(pids)
    except Exception:  # a register outage must not lose the submission
        logger.warning("contact register unavailable while sending neighbour notices")
        return None
    return {pid for pid, contact in contacts.items() if contact.digital}


def _applicant_ids(case: Case) -> tuple[str, str]:
    """(pid, orgnr) of the sender: they are not notified as their own neighbour."""
    person = getattr(case.applicant, "person", None)
    pid = person.pid if person is not None else ""
    orgnr = case.party_identifier if case.party_kind == "organisation" else ""
    answers = (case.application.answers or {}) if case.application else {}
    if answers.get("tiltakshaver_kind") == "organisation":
        orgnr = orgnr or str(answers.get("tiltakshaver_orgnr") or "")
    return pid, orgnr


def notice_link(notice: NeighbourNotice) -> str:
    return reverse("nabovarsel:notice", args=[notice.pk])


def _notify_neighbour(case: Case, notice: NeighbourNotice, pid: str, deadline: dt.datetime) -> Any:
    """Queue the notice for the notification worker, which asks the contact register when
    it sends and queues a printed letter for someone it may not reach digitally.

    A notice it refuses (a number from the register it does not accept) is logged and left
    to the applicant to deliver: the submission itself must not fail.
    """
    try:
        return messaging.notify(
            event="nabovarsel.notice",
            pid=pid,
            agency=case.agency,
            link_path=notice_link(notice),
            context={
                "reference": case.reference,
                # A date: the notice template formats it in the reader's language.
                "deadline": deadlines.local_date(deadline),
                "service_title": case.title,
            },
        )
    except ValueError:
        logger.exception("neighbour notice could not be queued", extra={"case": str(case.pk)})
        return None


def send_notices(case: Case, *, now: dt.datetime | None = None) -> list[NeighbourNotice]:
    """Create one notice per neighbour (each owner of the neighbouring properties, listing
    every adjoining property they own) and notify the persons.

    Runs inside the submit transaction. When the property register fails, the notices are
    made from the applicant's rows as they wrote them, to be sent by letter: the submission
    is never lost, and the case worker sees the fallback in the timeline.
    """
    if case.neighbour_notices.exists():  # opened twice: the first call sent them
        return list(case.neighbour_notices.all())
    now = now or timezone.now()
    rows = _form_rows(case.application.answers or {}) if case.application else []
    register_failed = False
    try:
        addressees = _addressees_from_register(rows)
    except Exception:  # RegisterUnavailable, or an adapter bug: keep the rows as written
        logger.exception("property register failed; neighbour notices made from the form rows")
        register_failed = True
        addressees = [a for a in map(_row_addressee, rows) if a is not None]
    unique = _one_per_neighbour(addressees, *_applicant_ids(case))
    digital = _digital_pids(sorted({n.addressee.pid for n in unique if n.addressee.pid}))
    deadline = deadlines.neighbour_deadline(now)
    notices: list[NeighbourNotice] = []
    for neighbour in unique:
        addressee = neighbour.addressee
        if addressee.pid:
            kind = OwnerKind.PERSON
            delivery = (
                Delivery.LETTER
                if digital is not None and addressee.pid not in digital
                else Delivery.DIGITAL
            )
        elif addressee.orgnr:
            kind, delivery = OwnerKind.ORGANISATION, Delivery.LETTER
        else:
            kind, delivery = OwnerKind.PERSON, Delivery.LETTER
        first, *further = neighbour.properties
        notice = NeighbourNotice(
            case=case,
            property=first[0],
            relation=addressee.relation,
            name=addressee.name,
            address=first[1],
            further_properties=[{"property": p, "address": a} for p, a in further],
            owner_kind=kind,
            pid_hash=pid_crypto.pid_lookup_hash(addressee.pid) if addressee.pid else "",
            pid_encrypted=pid_crypto.encrypt_pid(addressee.pid) if addressee.pid else "",
            orgnr=addressee.orgnr,
            in_register=addressee.in_register and not register_failed,
            sent_at=now,
            deadline=deadline,
            delivery=delivery,
        )
        if addressee.pid:
            notice.notification = _notify_neighbour(case, notice, addressee.pid, deadline)
            if notice.notification is None:
                notice.delivery = Delivery.LETTER
        notices.append(notice)
    NeighbourNotice.objects.bulk_create(notices)
    # The round is open until the deadline (also with nobody to notify: the minimum time).
    Case.objects.filter(pk=case.pk).update(waiting_until=deadline)
    case.waiting_until = deadline
    by_hand = sum(1 for n in notices if n.by_post_or_hand)
    CaseEvent.objects.create(
        case=case,
        kind="neighbours_notified",
        actor_label=_("Systemet"),
        details={
            "notices": len(notices),
            "by_post_or_hand": by_hand,
            "deadline": deadline.isoformat(),
            "register_failed": register_failed,
        },
        visible_to_applicant=True,
    )
    audit.record(
        None,
        "nabovarsel.notices_sent",
        case,
        {"reference": case.reference, "notices": len(notices), "register_failed": register_failed},
    )
    return notices


# --- a neighbour opens and answers ----------------------------------------------------------


def mark_notice_opened(
    notice: NeighbourNotice, *, user: User, now: dt.datetime | None = None
) -> None:
    """The neighbour opened the notice (the receipt list shows it). The first time counts."""
    now = now or timezone.now()
    with transaction.atomic():
        if NeighbourNotice.objects.filter(pk=notice.pk, opened_at__isnull=True).update(
            opened_at=now
        ):
            notice.opened_at = now
            audit.record(user, "nabovarsel.opened", notice, {"case": notice.case.reference})


def is_closed(notice: NeighbourNotice, now: dt.datetime | None = None) -> bool:
    return deadlines.is_past(notice.deadline, now or timezone.now())


def _check_files(files: Sequence[UploadedFile], already: int) -> tuple[list[Any], str]:
    if len(files) + already > MAX_FILES:
        return [], _("Du kan legge ved høyst %(count)d filer til svaret.") % {"count": MAX_FILES}
    checked, errors = check_uploads(files)
    return checked, " ".join(errors)


def reply_to_notice(
    notice: NeighbourNotice,
    *,
    user: User,
    consent: bool | None,
    remark: str,
    files: Sequence[UploadedFile] = (),
    remove_files: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> NeighbourNotice:
    """Record (or change, until the deadline) a neighbour's consent or remarks.

    The caller fetched ``notice`` through :func:`selectors.notice_for_neighbour`. Every
    check runs before the transaction, so a refused reply (ActionRefused, by form field:
    "consent", "remark", "files") stores nothing and the form is shown again with what the
    person wrote.
    """
    now = now or timezone.now()
    files = list(files)
    text = (remark or "").strip()
    if is_closed(notice, now):
        raise ActionRefused({"consent": _("Fristen for å svare på nabovarselet har gått ut.")})
    errors: dict[str, str] = {}
    if consent is None:
        errors["consent"] = _("Velg om du samtykker eller har merknader.")
    elif not consent and not text:
        errors["remark"] = _("Skriv merknadene dine til tiltaket.")
    refused = disallowed_text_error(remark)
    if refused:
        errors["remark"] = refused
    elif len(text) > MAX_REMARK_CHARS:
        errors["remark"] = _(
            "Merknaden kan være på høyst %(limit)s tegn. Nå er den på %(count)s tegn."
        ) % {"limit": f"{MAX_REMARK_CHARS:,}".replace(",", " "), "count": len(text)}
    removing = [str(item) for item in remove_files]
    kept = notice.attachments.exclude(pk__in=valid_uuids(removing)).count()
    checked, file_error = _check_files(files, kept) if files else ([], "")
    if file_error:
        errors["files"] = file_error
    if errors:
        raise ActionRefused(errors)
    changed = notice.replied_at is not None
    case = notice.case
    with transaction.atomic():
        # Conditional on the deadline: a reply racing the deadline cannot slip in after it.
        if not NeighbourNotice.objects.filter(pk=notice.pk, deadline__gte=now).update(
            consent=consent, remark=text, replied_at=now
        ):
            raise ActionRefused({"consent": _("Fristen for å svare på nabovarselet har gått ut.")})
        notice.consent, notice.remark, notice.replied_at = consent, text, now
        removed = notice.attachments.filter(pk__in=valid_uuids(removing))
        for attachment in removed:
            attachment.file.delete(save=False)
        removed_count = removed.delete()[0] if removing else 0
        for uploaded, result in zip(files, checked, strict=True):
            store_upload(NeighbourReplyAttachment(notice=notice), uploaded, result)
        # No names in the timeline: the applicant reads who answered in the replies section.
        CaseEvent.objects.create(
            case=case,
            kind="neighbour_replied",
            actor_label=_("En nabo"),
            details={
                "property": notice.properties_text,
                "consent": consent,
                "changed": changed,
            },
            visible_to_applicant=True,
        )
        audit.record(
            user,
            "nabovarsel.replied",
            notice,
            {
                "case": case.reference,
                "consent": consent,
                "changed": changed,
                "files_added": len(checked),
                "files_removed": removed_count,
            },
        )
        from iktipet.cases.services import notify_applicant

        notify_applicant(case, "nabovarsel.reply")
    return notice


# --- after the deadline ---------------------------------------------------------------------


def _summary_pdf(case: Case) -> bytes:
    from iktipet.nabovarsel.summary import summary_pdf

    return summary_pdf(case)


def close_notice_round(case: Case, *, now: dt.datetime | None = None) -> bool:
    """Close one round whose deadlines have all passed: the summary PDF, the case moved to
    "deadline_passed", the applicant told. False when there was nothing to do."""
    from iktipet.cases.services import notify_applicant, system_transition

    now = now or timezone.now()
    if case.status != "notices_sent" or case.neighbour_notices.filter(deadline__gte=now).exists():
        return False
    pdf = _summary_pdf(case)  # slow (WeasyPrint): outside the transaction
    with transaction.atomic():
        try:
            system_transition(case, "deadline_passed")
        except ActionRefused:
            return False  # moved meanwhile (another worker): nothing more to do
        if not NoticeSummary.objects.filter(case=case).exists():
            summary = NoticeSummary(case=case)
            summary.pdf.save("oppsummering.pdf", ContentFile(pdf), save=False)
            summary.save()
        audit.record(None, "nabovarsel.round_closed", case, {"reference": case.reference})
        notify_applicant(case, "nabovarsel.deadline_passed")
    return True


def close_expired_notice_rounds(now: dt.datetime | None = None) -> int:
    """Every nabovarsel case still waiting whose neighbours' deadlines have all passed.

    Idempotent (a closed round is in another status); one case failing is logged and the
    others go on.
    """
    now = now or timezone.now()
    due = (
        Case.objects.filter(workflow=SERVICE_ID, status="notices_sent")
        .exclude(neighbour_notices__deadline__gte=now)
        .exclude(waiting_until__gte=now)
        .select_related("agency", "application", "applicant")
        .order_by("received_at")
    )
    closed = 0
    for case in list(due[:500]):
        try:
            closed += close_notice_round(case, now=now)
        except Exception:
            logger.exception(
                "closing a neighbour notice round failed", extra={"case": str(case.pk)}
            )
    return closed
