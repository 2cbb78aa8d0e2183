"""A step of the form: shown with its stored and prefilled answers, and saved from its POST."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Q
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from iktipet.accounts.parties import ActingParty
from iktipet.applications.engine.form import StepForm
from iktipet.applications.engine.journey import Journey
from iktipet.applications.fields import FieldError, field_type
from iktipet.applications.fields.base import every
from iktipet.applications.models import Application
from iktipet.applications.prefill import (
    RegisterLookups,
    address_answer,
    locked_fields,
    prefill_values,
)
from iktipet.applications.services.attachments import (
    file_inputs,
    remove_attachments,
    store_uploads,
)
from iktipet.applications.services.base import Incomplete, engine_context
from iktipet.core import rows
from iktipet.core.forms import has_disallowed_characters

if TYPE_CHECKING:
    from iktipet.accounts.types import User

#: Posted back by a step page for each warning it showed: the applicant has read it.
WARNED = "_warned"


@dataclass
class StepPage:
    """A step's form and the journey its answers give (progress, the previous step)."""

    form: StepForm
    journey: Journey


@dataclass
class StepOutcome(StepPage):
    """What became of a posted step. ``go``: "next", "summary", "stop", "saved", "back" or
    "stay"."""

    go: str = "stay"
    next_step: str = ""
    upload_errors: dict[str, str] = field(default_factory=dict)


def prepare_step(
    application: Application,
    step: Any,
    *,
    user: User,
    party: ActingParty,
    journey: Journey | None = None,
) -> StepPage:
    """The step's form with stored answers, prefilled from registers on first visit.

    ``journey``: the one the caller built for the stored answers; when the form's answers
    are still those, its rules are not evaluated again (issue 13)."""
    definition = application.service_version.form_model
    stored = application.answers
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
    known = (stored, journey.evaluator) if journey is not None else None
    form.clean(application.answers, known)
    if journey is not None and form.evaluator is journey.evaluator:
        return StepPage(form, journey)
    return StepPage(form, _journey(form))


def _journey(form: StepForm) -> Journey:
    assert form.evaluator is not None, "clean() first"
    return Journey.of(form.definition, form.evaluator)


def _locked_draft_answers(application: Application, step_id: str) -> dict[str, Any]:
    """The draft's answers as stored now, its row locked until the transaction ends;
    :class:`Incomplete` when it is no longer a draft (submitted in another tab).

    Every save of a step reads them: two columns with SQL compiled once per connection
    (core.rows), not the whole row through the ORM (measured ~0.25 ms of CPU a save).
    """
    found = rows.values(
        Application,
        "applications.locked_draft_answers",
        lambda using: (
            Application.objects.using(using)
            .select_for_update()
            .filter(pk=application.pk)
            .order_by()
            .values_list("status", "answers")
        ),
        lambda connection: [Application._meta.pk.get_db_prep_value(application.pk, connection)],
    )
    if not found or found[0][0] != Application.Status.DRAFT:
        raise Incomplete(step_id)
    return found[0][1]


#: The columns a save of a step writes, in the order of the compiled UPDATE's parameters.
SAVED_FIELDS = ("answers", "current_step", "updated_at")
#: Per connection: that UPDATE, compiled once (see :func:`_save_draft`).
_update_sql: weakref.WeakKeyDictionary[BaseDatabaseWrapper, str] = weakref.WeakKeyDictionary()


def _save_draft(application: Application) -> None:
    """``application.save(update_fields=SAVED_FIELDS)`` (the draft's row is locked, and
    Application has no save signals) as one UPDATE compiled once per connection: building
    and compiling it through the ORM cost ~0.15 ms of CPU on every save of a step."""
    connection = connections[router.db_for_write(Application)]
    fields = [cast(Field, Application._meta.get_field(name)) for name in SAVED_FIELDS]
    values = [field.pre_save(application, add=False) for field in fields]  # auto_now: now
    pk = Application._meta.pk
    params = [
        *(
            field.get_db_prep_save(value, connection=connection)
            for field, value in zip(fields, values, strict=True)
        ),
        pk.get_db_prep_value(application.pk, connection),
    ]
    sql = _update_sql.get(connection)
    if sql is None:
        query = UpdateQuery(Application)
        query.add_update_fields(
            [(field, None, value) for field, value in zip(fields, values, strict=True)]
        )
        query.add_q(Q(pk=application.pk))
        sql, example = query.get_compiler(connection=connection).as_sql()
        if len(example) != len(params):  # another shape than the parameters above
            raise AssertionError(f"unexpected UPDATE for a draft: {sql}")
        _update_sql[connection] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _parse_action(action: str) -> tuple[str, list[str]]:
    verb, _sep, rest = (action or "next").partition(":")
    return verb, rest.split(":") if rest else []


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
        application.answers = _locked_draft_answers(application, step.id)
        form = StepForm(definition, step, engine_context(application, lookups, step.fields))
        form.readonly = locked_fields(step.fields)
        form.read(data, application.answers, shown)
        verb, args = _parse_action(action)
        go = "next"
        if verb == "add-row" and args:
            form.add_row(args[0])
            go = "stay"
        elif verb == "remove-row" and len(args) == 2 and args[1].isdigit():
            remove_attachments(application, form, form.remove_row(args[0], int(args[1])))
            go = "stay"
        elif verb == "remove-file" and args:
            remove_attachments(application, form, [args[0]])
            go = "stay"
        elif verb in ("search", "pick", "upload"):
            go = "stay"
        elif verb == "save":
            go = "saved"
        elif verb == "back":
            go = "back"
        upload_errors = store_uploads(application, form, files, file_inputs(form))
        merged = form.clean(application.answers)
        if prefill_from_answers(form, step, merged, lookups):
            merged = form.clean(application.answers)
        if go == "saved" and form.field_errors:
            go = "stay"  # a value that cannot be kept is shown with its error, not dropped
        can_leave = form.check(require=go == "next", shown=shown)
        for name, message in upload_errors.items():
            form.add_error(name, FieldError(message, "upload"))
        if upload_errors and go == "next":
            can_leave = False
        if go == "next" and set(form.warning_ids) - set(every(data, WARNED)):
            can_leave = False  # a warning is shown once before the applicant goes on
        if verb in ("search", "pick") and args:
            _address_action(form, verb, args)
        journey = _journey(form)
        next_step = ""
        if go == "next":
            if not can_leave:
                go = "stay"
            elif form.stop is not None:
                go = "stop"
            else:
                following = journey.after(step.id)
                next_step = following.id if following else ""
                go = "next" if following else "summary"
        application.answers = merged
        application.current_step = next_step or step.id
        _save_draft(application)
    return StepOutcome(form, journey, go, next_step, upload_errors)


def prefill_from_answers(
    form: StepForm, step: Any, merged: dict[str, Any], lookups: RegisterLookups
) -> bool:
    """Fill empty fields whose register record an answer on this same step identifies
    (the address of the property just typed in); True if any was filled."""
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


def _address_action(form: StepForm, verb: str, args: list[str]) -> None:
    """Search the address register for a field, or fill the field from a search result."""
    name = args[0]
    search = form.ctx.address_search
    spec = form.spec_for_input(name)
    if search is None or spec is None or spec.type != "address":
        return
    raw = form.raw_for_input(name)
    query = str(raw.get("query", "")).strip()[:100] if isinstance(raw, dict) else ""
    # A query with control characters has its error on the field already (StepForm.clean).
    results = search(query) if len(query) >= 3 and not has_disallowed_characters(query) else []
    form.search = {"name": name, "query": query, "results": results}
    if verb == "pick" and len(args) == 2 and args[1].isdigit() and int(args[1]) < len(results):
        picked = address_answer(results[int(args[1])])
        if picked and isinstance(raw, dict):
            raw.update(picked)
            form.search["results"] = None


def save_plugin_answer(application: Application, step: Any, answer: Any, current_step: str) -> None:
    """Keep a plugin step's answer (what its plugin's ``save`` returned) in the draft."""
    from iktipet.catalog.plugins import answer_key

    with transaction.atomic():
        stored = _locked_draft_answers(application, step.id)
        application.answers = {**stored, answer_key(step): answer}
        application.current_step = current_step
        _save_draft(application)
