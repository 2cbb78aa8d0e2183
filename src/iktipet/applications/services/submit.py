"""The summary check and the submit: the draft frozen, its reference drawn, handed over."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import LazyObject
from django.utils.translation import gettext as _

from iktipet.accounts.parties import ActingParty
from iktipet.applications import selectors, tasks
from iktipet.applications.engine.journey import (
    Checked,
    Journey,
    check_all,
    check_plugin_steps,
    plugin_steps,
    summary_sections,
)
from iktipet.applications.engine.names import field_id_of
from iktipet.applications.fields import Context
from iktipet.applications.handover import hand_over
from iktipet.applications.models import Application, Attachment
from iktipet.applications.prefill import RegisterLookups
from iktipet.applications.reference import new_reference
from iktipet.applications.services.base import Incomplete, PaymentRequired, engine_context
from iktipet.catalog import plugins
from iktipet.catalog.rules import FeeLineValue, FeeUnavailable
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.money import format_nok
from iktipet.core.selectors import current_municipality
from iktipet.core.tasks import enqueue
from iktipet.documents.uploads import format_size

if TYPE_CHECKING:
    from iktipet.accounts.types import User
    from iktipet.payments.models import PaymentOrder

#: A draft saved in another tab between its check and its claim is checked again, at most
#: this many times.
SUBMIT_ATTEMPTS = 5
#: A random reference already taken is drawn again, at most this many times.
REFERENCE_DRAWS = 5


def review(application: Application, *, user: User, party: ActingParty) -> tuple[Checked, Context]:
    """The whole draft checked as a submit would, for the summary page."""
    definition = application.service_version.form_model
    lookups = RegisterLookups(user, party)
    fields = [item for step in definition.steps for item in getattr(step, "fields", [])]
    ctx = engine_context(application, lookups, fields)
    checked = check_all(definition, application.answers, ctx)
    check_plugin_steps(checked, definition, user)
    return checked, ctx


def fee_for(checked: Checked) -> int | None:
    try:
        return checked.evaluator.fee_ore()
    except FeeUnavailable:
        return None


def fee_lines_for(checked: Checked, language: str | None = None) -> list[FeeLineValue] | None:
    """The fee's breakdown (None while it cannot be computed)."""
    try:
        return checked.evaluator.fee_lines(language)
    except FeeUnavailable:
        return None


def fee_due_at_application(application: Application) -> bool:
    """Whether the service's fee (if any) is paid before the application is submitted."""
    fee = application.service_version.form_model.fee
    return fee is not None and fee.charged and fee.when == "application"


@dataclass
class _Checked:
    """A draft checked for submission: what the claim writes and what goes with it."""

    answers: dict[str, Any]
    fee: int
    summary: dict[str, Any]
    orphans: list[Attachment]


class DraftChanged(Exception):
    """The draft changed after the summary the person submitted from (another tab)."""


def draft_version(application: Application) -> str:
    """A digest of what the summary shows (the answers and who applies): the summary's form
    carries it, so a submit from a summary that no longer matches the draft is caught."""
    shown = {
        "answers": application.answers,
        "party": [application.party_kind, application.party_identifier],
    }
    text = json.dumps(shown, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def submit_application(
    application: Application,
    *,
    user: User,
    party: ActingParty,
    paid: PaymentOrder | None = None,
    version: str | None = None,
) -> Application:
    """Freeze the draft, assign its reference and hand it over.

    A fee the service takes with the application must be paid first: without ``paid`` (the
    authorised order, from the "application" payable inside the transaction that records
    the authorisation) such a draft is refused with :class:`PaymentRequired`, and with it
    the draft's fee must still be the order's amount (else :class:`ActionRefused`, and the
    payment is cancelled). A fee of 0 needs no payment.

    The draft is checked before the write transaction, which then only claims it: one
    conditional UPDATE that succeeds while it is a draft unchanged since it was read, so
    exactly one request moves it from draft to submitted, with the answers that were checked.
    (On SQLite a write transaction holds the database's only write lock: checking inside it
    made every submit wait for all the others, measured in bench/bench_submit.py.) A draft
    saved meanwhile in another tab is read and checked again; a second submit of the same
    application (two tabs, the back button) returns it as it is. With ``version`` (the
    summary's :func:`draft_version`) a draft that no longer has it raises
    :class:`DraftChanged`; the claim's condition keeps that true up to the write.
    """
    current = application  # as the caller read it: if it is stale, the claim says so
    for attempt in range(SUBMIT_ATTEMPTS):
        if attempt:
            current = (
                Application.objects.select_related("service_version")
                .defer(*selectors.WITHOUT_DEFINITION)
                .get(pk=application.pk)
            )
        if not current.is_draft:
            return current  # already submitted: show its receipt
        if version is not None and draft_version(current) != version:
            raise DraftChanged
        try:
            checked = _check_for_submit(current, user=user, party=party, paid=paid)
        except Incomplete:
            if attempt:
                raise
            continue  # perhaps completed in another tab since the caller read it: read again
        try:
            submitted = _claim_and_hand_over(current, checked, user=user, party=party)
        except plugins.StepRefused as refused:
            # The claim was undone with the transaction: still a draft, answers kept.
            raise Incomplete(getattr(refused, "step_id", ""), message=refused.message) from None
        if submitted is not None:
            return submitted
    raise RuntimeError("the draft kept changing while it was being submitted")


class _ReferenceTaken(Exception):
    """The random reference the claim drew belongs to another application."""


def _claim_and_hand_over(
    application: Application, checked: _Checked, *, user: User, party: ActingParty
) -> Application | None:
    """The claim and everything after it in one transaction; None if the draft was submitted
    or saved by another request since it was read. The claim is the transaction's first
    write, so a reference already taken rolls back nothing else: the whole transaction is
    tried again with a new one, and the claim needs no savepoint of its own (two statements
    fewer per submit)."""
    user = _unwrapped(user)
    for _draw in range(REFERENCE_DRAWS):
        try:
            with transaction.atomic():
                if not _claim(application, checked):
                    return None
                if application.applicant_id == user.pk:
                    # The case opened below names the applicant: no second read of the user.
                    application.applicant = user
                _finish_plugin_steps(application, user=user, party=party)
                return _hand_over_submitted(application, checked, user=user)
        except _ReferenceTaken:
            continue
    raise RuntimeError("could not assign a unique application reference")


def _unwrapped(user: Any) -> Any:
    """``request.user`` is a lazy object; a foreign key takes only the model instance."""
    if isinstance(user, LazyObject):
        user.pk  # noqa: B018 (evaluates it)
        return user._wrapped
    return user


def _finish_plugin_steps(application: Application, *, user: User, party: ActingParty) -> None:
    """Each plugin step makes its answer final inside the submit transaction (a hold becomes
    a booking); what it reports is kept with the receipt. StepRefused undoes the submit."""
    definition = application.service_version.form_model
    evaluator = Journey.for_answers(definition, application.answers).evaluator
    results = []
    for step in plugin_steps(definition, evaluator):
        plugin = plugins.plugin_for(step.kind)
        assert plugin is not None
        try:
            result = plugin.on_submit(
                step,
                application.answers.get(plugins.answer_key(step)),
                application_id=application.pk,
                user=user,
                party=party,
            )
        except plugins.StepRefused as refused:
            refused.step_id = step.id  # type: ignore[attr-defined]
            raise
        if result:
            results.append({"title": step.title.get(), **result})
    if results:
        application.summary = {**(application.summary or {}), "step_results": results}
        Application.objects.filter(pk=application.pk).update(summary=application.summary)


def complete_draft(
    application: Application, *, user: User, party: ActingParty
) -> tuple[Checked, Context, int]:
    """The draft checked as a submit checks it, with its fee in øre; :class:`Incomplete`
    names the step to see to (or the stop rule that ended it)."""
    checked, ctx = review(application, user=user, party=party)
    if checked.stop is not None:
        raise Incomplete(checked.stop_step.id, stopped=True)  # type: ignore[union-attr]
    if checked.incomplete:
        first = checked.incomplete[0].id
        raise Incomplete(first, message=checked.problems.get(first, ""))
    fee = fee_for(checked)
    if fee is None:
        last = Journey.of(application.service_version.form_model, checked.evaluator).last
        raise Incomplete(last.id if last else "")
    return checked, ctx, fee


def _check_for_submit(
    application: Application, *, user: User, party: ActingParty, paid: PaymentOrder | None
) -> _Checked:
    definition = application.service_version.form_model
    checked, ctx, fee = complete_draft(application, user=user, party=party)
    due_now = fee > 0 and fee_due_at_application(application)
    if paid is None and due_now:
        raise PaymentRequired(fee)
    if paid is not None and (not due_now or paid.amount_ore != fee):
        raise ActionRefused(
            _(
                "Gebyret er endret etter at betalingen ble startet. "
                "Se over søknaden og betal på nytt."
            )
        )
    language = (translation.get_language() or "nb")[:2]
    attachment_ids = _referenced_attachments(checked.answers)
    summary = {
        "language": language,
        "issuer": current_municipality().name,
        "service_title": definition.title.get(language),
        "submitter": user.get_full_name() or party.name or "",
        "receipt_text": checked.evaluator.text(definition.receipt, language),
        "processing_time": definition.processing_time.get(language),
        "sections": summary_sections(
            definition, checked.answers, ctx, user=user, evaluator=checked.answers_evaluator
        ),
        "attachments": [
            {
                "label": _attachment_label(definition, item.field_id),
                "name": item.original_name,
                "size": format_size(item.size),
            }
            for item in ctx.attachments.values()
            if str(item.pk) in attachment_ids
        ],
        # What the fee was and when it is paid, as the receipt shows it.
        "fee_when": definition.fee.when if definition.fee and definition.fee.charged else "",
        "fee_lines": [
            {"text": line.text, "amount": format_nok(line.amount_ore, language)}
            for line in checked.evaluator.fee_lines(language)
        ],
        "payment": _payment_summary(paid, language),
    }
    # Files no answer refers to any more (hidden fields, replaced uploads) are not sent. An
    # upload after this read changes updated_at, so the claim below fails and we look again.
    orphans = [item for key, item in ctx.attachments.items() if key not in attachment_ids]
    return _Checked(checked.answers, fee, summary, orphans)


def _payment_summary(paid: PaymentOrder | None, language: str) -> dict[str, Any]:
    if paid is None:
        return {}
    return {
        "reference": paid.reference,
        "amount": format_nok(paid.amount_ore, language),
        "provider": paid.provider,
        "paid_at": timezone.now().isoformat(),
    }


def _hand_over_submitted(application: Application, checked: _Checked, *, user: User) -> Application:
    for orphan in checked.orphans:
        orphan.delete()
    received = hand_over(application)
    if not received.details.get("notified"):
        # A destination that does not tell the applicant itself: the receipt email does.
        enqueue(tasks.send_confirmation_email, str(application.pk))
    # No receipt PDF here: WeasyPrint's ~60–90 ms each kept the worker far below the pace of
    # submits (bench/README.md), so the PDF is rendered on first download and kept.
    audit.append(
        user,
        "applications.submitted",
        application,
        {
            "service": application.service_id,
            "version": application.service_version.number,
            "reference": application.reference,
            "fee_ore": checked.fee,
            "payment": (application.summary or {}).get("payment", {}).get("reference", ""),
        },
    )
    return application


def _claim(application: Application, checked: _Checked) -> bool:
    """draft → submitted as one conditional UPDATE, with a fresh random reference; False if
    the draft was submitted or saved by another request since ``application`` was read.
    Raises :class:`_ReferenceTaken` (the transaction is then unusable on PostgreSQL: the
    caller rolls it back and tries again)."""
    now = timezone.now()
    changes = {
        "status": Application.Status.SUBMITTED,
        "reference": new_reference(timezone.localtime(now).year),
        "submitted_at": now,
        "updated_at": now,
        "answers": checked.answers,
        "fee_ore": checked.fee,
        "summary": checked.summary,
    }
    try:
        claimed = Application.objects.filter(
            pk=application.pk,
            status=Application.Status.DRAFT,
            updated_at=application.updated_at,
        ).update(**changes)
    except IntegrityError as taken:  # the random reference was taken: draw again
        raise _ReferenceTaken from taken
    if claimed:
        for name, value in changes.items():
            setattr(application, name, value)
    return bool(claimed)


def _referenced_attachments(answers: dict[str, Any]) -> set[str]:
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    found.add(item)
                else:
                    walk(item)

    walk(answers)
    return found


def _attachment_label(definition: Any, input_name: str) -> str:
    field_id = field_id_of(input_name)
    for item in definition.attachments():
        if item.id == field_id:
            return item.label.get()
    return field_id
