"""Writes of the applications app: one transactional function per action."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from iktipet.accounts.parties import ORGANISATION, ActingParty
from iktipet.applications import selectors, tasks
from iktipet.applications.engine.form import StepForm
from iktipet.applications.engine.journey import (
    Checked,
    check_all,
    step_after,
    summary_sections,
    visible_steps,
)
from iktipet.applications.fields import Context
from iktipet.applications.fields.base import every
from iktipet.applications.handover import hand_over
from iktipet.applications.models import Application, Attachment
from iktipet.applications.prefill import (
    RegisterLookups,
    choices_for,
    locked_fields,
    prefill_values,
)
from iktipet.applications.reference import new_reference
from iktipet.applications.register_adapters import address_search
from iktipet.catalog.rules import Evaluator, FeeUnavailable
from iktipet.core import audit
from iktipet.core.forms import has_disallowed_characters
from iktipet.core.selectors import current_municipality
from iktipet.core.tasks import enqueue
from iktipet.documents.uploads import (
    UploadRejected,
    check_upload,
    clean_name,
    format_size,
    store_upload,
)

if TYPE_CHECKING:
    from iktipet.accounts.types import User

logger = logging.getLogger(__name__)
#: Posted back by a step page for each warning it showed: the applicant has read it.
WARNED = "_warned"


class Incomplete(Exception):
    """The draft cannot be submitted: ``step`` needs attention (or it ended at a stop rule)."""

    def __init__(self, step_id: str, stopped: bool = False) -> None:
        self.step_id = step_id
        self.stopped = stopped
        super().__init__(step_id)


# --- starting ---------------------------------------------------------------------------------


def start_application(
    *, user: User, party: ActingParty, version: Any, start_token: uuid.UUID | None = None
) -> Application:
    """A new draft for ``version``; the same draft again for a repeated start form."""
    definition = version.definition_model
    if start_token is not None:
        existing = Application.objects.filter(applicant=user, start_token=start_token).first()
        if existing is not None:
            return existing
    first_step = next(iter(visible_steps(definition, Evaluator(definition, {}))), None)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                service_version=version,
                service_id=definition.id,
                applicant=user,
                party_kind=party.kind,
                party_identifier=party.identifier if party.kind == ORGANISATION else "",
                party_name=party.name[:200],
                start_token=start_token,
                current_step=first_step.id if first_step else "",
            )
            audit.record(
                user,
                "applications.started",
                application,
                {"service": definition.id, "version": version.number, "party": party.kind},
            )
    except IntegrityError:  # the same start form posted twice at once
        return Application.objects.get(applicant=user, start_token=start_token)
    return application


# --- steps ----------------------------------------------------------------------------------


def _has_file_fields(fields: list[Any]) -> bool:
    return any(
        item.type == "file"
        or (item.type == "group" and any(child.type == "file" for child in item.fields))
        for item in fields
    )


def engine_context(
    application: Application, lookups: RegisterLookups, fields: list[Any]
) -> Context:
    # Only file inputs show attachments: a step without one needs no query for them.
    attachments = (
        {str(item.pk): item for item in application.attachments.all()}
        if _has_file_fields(fields)
        else {}
    )
    return Context(
        allow_synthetic_ids=settings.ALLOW_SYNTHETIC_IDS,
        choices=choices_for(fields, application.answers, lookups),
        attachments=attachments,
        address_search=address_search(),
    )


def prepare_step(
    application: Application, step: Any, *, user: User, party: ActingParty
) -> StepForm:
    """The step's form with stored answers, prefilled from registers on first visit."""
    definition = application.service_version.form_model
    lookups = RegisterLookups(user, party)
    found = prefill_values(step.fields, application.answers, lookups)
    if found:
        application.answers = {**application.answers, **found}
        Application.objects.filter(pk=application.pk, status=Application.Status.DRAFT).update(
            answers=application.answers, updated_at=timezone.now()
        )
    form = StepForm(definition, step, engine_context(application, lookups, step.fields))
    form.readonly = locked_fields(step.fields)
    form.load(application.answers)
    form.clean(application.answers)
    return form


@dataclass
class StepOutcome:
    """What became of a posted step. ``go``: "next", "summary", "stop", "saved" or "stay"."""

    form: StepForm
    go: str
    next_step: str = ""
    upload_errors: dict[str, str] = field(default_factory=dict)


def _parse_action(action: str) -> tuple[str, list[str]]:
    verb, _sep, rest = (action or "next").partition(":")
    return verb, rest.split(":") if rest else []


def _store_uploads(
    application: Application, form: StepForm, files: Any, names: list[str]
) -> dict[str, str]:
    """Check and keep the files posted for these file inputs; errors by input name."""
    errors: dict[str, str] = {}
    stored = sum(application.attachments.values_list("size", flat=True))
    for name in names:
        spec = form._spec_by_name(name)
        if spec is None or spec.type != "file":
            continue
        for uploaded in files.getlist(name) if files else []:
            current = _file_ids(form, name)
            if len(current) >= (spec.max_items or 1):
                errors[name] = _too_many(spec)
                break
            try:
                checked = check_upload(
                    uploaded,
                    accept=spec.accept,
                    already_stored=stored,
                    max_bytes=spec.max_size_mb * 1_000_000 if spec.max_size_mb else None,
                )
            except UploadRejected as exc:
                errors[name] = f"{uploaded_name(uploaded)}: {exc.message}"
                continue
            attachment = _keep(application, name, uploaded, checked)
            stored += checked.size
            form.ctx.attachments[str(attachment.pk)] = attachment  # type: ignore[index]
            _set_file_ids(form, name, [*current, str(attachment.pk)])
    return errors


def uploaded_name(uploaded: UploadedFile) -> str:
    return clean_name(uploaded.name)


def _too_many(spec: Any) -> str:
    from django.utils.translation import gettext as _

    return _("Du kan laste opp høyst %(count)d filer til «%(label)s».") % {
        "count": spec.max_items or 1,
        "label": spec.label,
    }


def _keep(application: Application, name: str, uploaded: UploadedFile, checked: Any) -> Attachment:
    return store_upload(Attachment(application=application, field_id=name), uploaded, checked)


def _file_ids(form: StepForm, name: str) -> list[str]:
    if "-" in name:
        group_id, index, child_id = name.split("-", 2)
        rows = form.raw.get(group_id) or []
        return list(rows[int(index)].get(child_id) or []) if int(index) < len(rows) else []
    return list(form.raw.get(name) or [])


def _set_file_ids(form: StepForm, name: str, ids: list[str]) -> None:
    if "-" in name:
        group_id, index, child_id = name.split("-", 2)
        rows = form.raw.get(group_id) or []
        if int(index) < len(rows):
            rows[int(index)][child_id] = ids
    else:
        form.raw[name] = ids


def _remove_attachments(application: Application, form: StepForm, ids: list[str]) -> None:
    for attachment in Attachment.objects.filter(application=application, pk__in=_uuids(ids)):
        attachment.delete()
        form.ctx.attachments.pop(str(attachment.pk), None)  # type: ignore[attr-defined]
    for name in _all_file_inputs(form):
        current = _file_ids(form, name)
        kept = [item for item in current if item not in ids]
        if kept != current:
            _set_file_ids(form, name, kept)


def _uuids(ids: list[str]) -> list[uuid.UUID]:
    result = []
    for item in ids:
        try:
            result.append(uuid.UUID(str(item)))
        except ValueError:
            continue
    return result


def _all_file_inputs(form: StepForm) -> list[str]:
    names = []
    for spec in form.specs:
        if spec.type == "file":
            names.append(spec.id)
        elif spec.type == "group":
            for index, _row in enumerate(form.raw.get(spec.id) or []):
                names.extend(
                    f"{spec.id}-{index}-{child.id}"
                    for child in spec.children
                    if child.type == "file"
                )
    return names


def save_step(
    application: Application,
    step: Any,
    *,
    user: User,
    party: ActingParty,
    data: Any,
    files: Any,
    action: str,
    shown: set[str] | None,
) -> StepOutcome:
    """Save what the step's POST holds, and say where the applicant goes next.

    Valid answers are kept whatever the action; invalid ones are shown again as typed.
    """
    definition = application.service_version.form_model
    lookups = RegisterLookups(user, party)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not locked.is_draft:
            raise Incomplete(step.id)
        application.answers = locked.answers
        form = StepForm(definition, step, engine_context(application, lookups, step.fields))
        form.readonly = locked_fields(step.fields)
        form.read(data, application.answers, shown)
        verb, args = _parse_action(action)
        go = "next"
        if verb == "add-row" and args:
            form.add_row(args[0])
            go = "stay"
        elif verb == "remove-row" and len(args) == 2 and args[1].isdigit():
            _remove_attachments(application, form, form.remove_row(args[0], int(args[1])))
            go = "stay"
        elif verb == "remove-file" and args:
            _remove_attachments(application, form, [args[0]])
            go = "stay"
        elif verb in ("search", "pick"):
            go = "stay"
        elif verb == "save":
            go = "saved"
        elif verb == "back":
            go = "back"
        elif verb == "upload":
            go = "stay"
        upload_errors = _store_uploads(application, form, files, _all_file_inputs(form))
        merged = form.clean(application.answers)
        if _prefill_from_answers(form, step, merged, lookups):
            merged = form.clean(application.answers)
        if go == "saved" and form.field_errors:
            go = "stay"  # a value that cannot be kept is shown with its error, not dropped
        can_leave = form.check(require=go == "next", shown=shown)
        for name, message in upload_errors.items():
            form._add_error(name, _upload_error(message))
        if upload_errors and go == "next":
            can_leave = False
        if go == "next" and set(form.warning_ids) - set(every(data, WARNED)):
            can_leave = False  # a warning is shown once before the applicant goes on
        if verb in ("search", "pick") and args:
            _address_action(form, verb, args)
        next_step = ""
        if go == "next":
            if not can_leave:
                go = "stay"
            elif form.stop is not None:
                go = "stop"
            else:
                evaluator = form.evaluator or Evaluator(definition, merged)
                following = step_after(definition, evaluator, step.id)
                next_step = following.id if following else ""
                go = "next" if following else "summary"
        application.answers = merged
        application.current_step = next_step or step.id
        application.save(update_fields=["answers", "current_step", "updated_at"])
    return StepOutcome(form=form, go=go, next_step=next_step, upload_errors=upload_errors)


def _prefill_from_answers(
    form: StepForm, step: Any, merged: dict[str, Any], lookups: RegisterLookups
) -> bool:
    """Fill empty fields whose register record an answer on this same step identifies
    (the address of the property just typed in); True if any was filled."""
    from iktipet.applications.fields import field_type

    empty = [
        item
        for item in step.fields
        if getattr(item, "prefill", None) is not None
        and item.prefill.from_field
        and merged.get(item.prefill.from_field)
        and item.type != "group"
        and field_type(item.type).is_empty(form.raw.get(item.id))
    ]
    pending = {key: value for key, value in merged.items() if key not in {f.id for f in empty}}
    found = prefill_values(empty, pending, lookups)
    for field_id, value in found.items():
        spec = form.spec(field_id)
        if spec is not None:
            form.raw[field_id] = field_type(spec.type).raw_from_value(spec, value)
    return bool(found)


def _upload_error(message: str) -> Any:
    from iktipet.applications.fields import FieldError

    return FieldError(message, "upload")


def _address_action(form: StepForm, verb: str, args: list[str]) -> None:
    """Search the address register for a field, or fill the field from a search result."""
    name = args[0]
    search = form.ctx.address_search
    spec = form._spec_by_name(name)
    if search is None or spec is None or spec.type != "address":
        return
    raw = _raw_for(form, name)
    query = str(raw.get("query", "")).strip()[:100] if isinstance(raw, dict) else ""
    # A query with control characters has its error on the field already (StepForm.clean).
    results = search(query) if len(query) >= 3 and not has_disallowed_characters(query) else []
    form.search = {"name": name, "query": query, "results": results}
    if verb == "pick" and len(args) == 2 and args[1].isdigit() and int(args[1]) < len(results):
        from iktipet.applications.prefill import _address

        picked = _address(results[int(args[1])])
        if picked and isinstance(raw, dict):
            raw.update(picked)
            form.search["results"] = None


def _raw_for(form: StepForm, name: str) -> Any:
    if "-" in name:
        group_id, index, child_id = name.split("-", 2)
        rows = form.raw.get(group_id) or []
        return rows[int(index)].get(child_id) if int(index) < len(rows) else None
    return form.raw.get(name)


# --- summary and submit --------------------------------------------------------------------


def review(application: Application, *, user: User, party: ActingParty) -> tuple[Checked, Context]:
    """The whole draft checked as a submit would, for the summary page."""
    definition = application.service_version.form_model
    lookups = RegisterLookups(user, party)
    fields = [item for step in definition.steps for item in getattr(step, "fields", [])]
    ctx = engine_context(application, lookups, fields)
    return check_all(definition, application.answers, ctx), ctx


def fee_for(checked: Checked) -> int | None:
    try:
        return checked.evaluator.fee_ore()
    except FeeUnavailable:
        return None


def _submitter_name(user: User, party: ActingParty) -> str:
    return user.get_full_name() or party.name or ""


#: A draft saved in another tab between its check and its claim is checked again, at most
#: this many times.
SUBMIT_ATTEMPTS = 5


@dataclass
class _Checked:
    """A draft checked for submission: what the claim writes and what goes with it."""

    answers: dict[str, Any]
    fee: int
    summary: dict[str, Any]
    orphans: list[Attachment]


def submit_application(application: Application, *, user: User, party: ActingParty) -> Application:
    """Freeze the draft, assign its reference and hand it over.

    The draft is checked before the write transaction, which then only claims it: one
    conditional UPDATE that succeeds while it is a draft unchanged since it was read, so
    exactly one request moves it from draft to submitted, with the answers that were checked.
    (On SQLite a write transaction holds the database's only write lock: checking inside it
    made every submit wait for all the others, measured in bench/bench_submit.py.) A draft
    saved meanwhile in another tab is read and checked again; a second submit of the same
    application (two tabs, the back button) returns it as it is.
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
        try:
            checked = _check_for_submit(current, user=user, party=party)
        except Incomplete:
            if attempt:
                raise
            continue  # perhaps completed in another tab since the caller read it: read again
        with transaction.atomic():
            if _claim(current, checked):
                return _hand_over_submitted(current, checked, user=user)
    raise RuntimeError("the draft kept changing while it was being submitted")


def _check_for_submit(application: Application, *, user: User, party: ActingParty) -> _Checked:
    definition = application.service_version.form_model
    checked, ctx = review(application, user=user, party=party)
    if checked.stop is not None:
        raise Incomplete(checked.stop_step.id, stopped=True)  # type: ignore[union-attr]
    if checked.incomplete:
        raise Incomplete(checked.incomplete[0].id)
    fee = fee_for(checked)
    if fee is None:
        raise Incomplete(visible_steps(definition, checked.evaluator)[-1].id)
    language = (translation.get_language() or "nb")[:2]
    attachment_ids = _referenced_attachments(checked.answers)
    summary = {
        "language": language,
        "issuer": current_municipality().name,
        "service_title": definition.title.get(language),
        "submitter": _submitter_name(user, party),
        "receipt_text": checked.evaluator.text(definition.receipt, language),
        "processing_time": definition.processing_time.get(language),
        "sections": summary_sections(definition, checked.answers, ctx),
        "attachments": [
            {
                "label": _attachment_label(definition, item.field_id),
                "name": item.original_name,
                "size": format_size(item.size),
            }
            for item in ctx.attachments.values()
            if str(item.pk) in attachment_ids
        ],
    }
    # Files no answer refers to any more (hidden fields, replaced uploads) are not sent. An
    # upload after this read changes updated_at, so the claim below fails and we look again.
    orphans = [item for key, item in ctx.attachments.items() if key not in attachment_ids]
    return _Checked(checked.answers, fee, summary, orphans)


def _hand_over_submitted(application: Application, checked: _Checked, *, user: User) -> Application:
    for orphan in checked.orphans:
        orphan.delete()
    received = hand_over(application)
    if not received.details.get("notified"):
        # A destination that does not tell the applicant itself: the receipt email does.
        enqueue(tasks.send_confirmation_email, str(application.pk))
    # No receipt PDF here: WeasyPrint's ~60–90 ms each kept the worker far below the pace of
    # submits (bench/README.md), so the PDF is rendered on first download and kept.
    audit.record(
        user,
        "applications.submitted",
        application,
        {
            "service": application.service_id,
            "version": application.service_version.number,
            "reference": application.reference,
            "fee_ore": checked.fee,
        },
    )
    return application


def _claim(application: Application, checked: _Checked) -> bool:
    """draft → submitted as one conditional UPDATE, with a fresh random reference; False if
    the draft was submitted or saved by another request since ``application`` was read."""
    now = timezone.now()
    for _attempt in range(5):
        reference = new_reference(timezone.localtime(now).year)
        changes = {
            "status": Application.Status.SUBMITTED,
            "reference": reference,
            "submitted_at": now,
            "updated_at": now,
            "answers": checked.answers,
            "fee_ore": checked.fee,
            "summary": checked.summary,
        }
        try:
            with transaction.atomic():
                claimed = Application.objects.filter(
                    pk=application.pk,
                    status=Application.Status.DRAFT,
                    updated_at=application.updated_at,
                ).update(**changes)
        except IntegrityError:  # the random reference was taken: draw again
            continue
        if claimed:
            for name, value in changes.items():
                setattr(application, name, value)
        return bool(claimed)
    raise RuntimeError("could not assign a unique application reference")


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
    field_id = input_name.split("-")[-1]
    for item in definition.attachments():
        if item.id == field_id:
            return item.label.get()
    return field_id


# --- drafts ---------------------------------------------------------------------------------


def delete_draft(application: Application, *, user: User) -> None:
    with transaction.atomic():
        deleted, _counts = Application.objects.filter(
            pk=application.pk, status=Application.Status.DRAFT
        ).delete()
        if deleted:
            audit.record(
                user,
                "applications.draft_deleted",
                ("applications.application", str(application.pk)),
            )


def delete_drafts_older_than(cutoff: datetime) -> int:
    """Delete drafts last saved before ``cutoff`` (their files go with them)."""
    count = 0
    stale = Application.objects.filter(status=Application.Status.DRAFT, updated_at__lt=cutoff)
    for pk in stale.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            # Re-checked per draft: one saved meanwhile is kept.
            deleted, _counts = Application.objects.filter(
                pk=pk, status=Application.Status.DRAFT, updated_at__lt=cutoff
            ).delete()
            count += 1 if deleted else 0
    if count:
        audit.record(None, "applications.drafts_expired", None, {"count": count})
    return count
