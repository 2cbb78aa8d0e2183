"""Files on a step: uploads checked and kept, removed with their row or on request."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from iktipet.applications.engine.form import StepForm
from iktipet.applications.engine.names import row_input
from iktipet.applications.models import Application, Attachment
from iktipet.core.errors import ActionRefused
from iktipet.core.ids import valid_uuids
from iktipet.documents.uploads import check_upload, clean_name, store_upload


def store_uploads(
    application: Application, form: StepForm, files: Any, names: list[str]
) -> dict[str, str]:
    """Check and keep the files posted for these file inputs; errors by input name."""
    errors: dict[str, str] = {}
    stored: int | None = None  # the draft's files' bytes, read only when a file came
    for name in names:
        spec = form.spec_for_input(name)
        if spec is None or spec.type != "file":
            continue
        for uploaded in files.getlist(name) if files else []:
            current = _file_ids(form, name)
            if len(current) >= (spec.max_items or 1):
                errors[name] = _too_many(spec)
                break
            if stored is None:
                stored = sum(application.attachments.values_list("size", flat=True))
            try:
                checked = check_upload(
                    uploaded,
                    accept=spec.accept,
                    already_stored=stored,
                    max_bytes=spec.max_size_mb * 1_000_000 if spec.max_size_mb else None,
                )
            except ActionRefused as exc:
                errors[name] = f"{clean_name(uploaded.name)}: {exc.message}"
                continue
            attachment = store_upload(
                Attachment(application=application, field_id=name), uploaded, checked
            )
            stored += checked.size
            form.ctx.attachments[str(attachment.pk)] = attachment  # type: ignore[index]
            form.set_raw_for_input(name, [*current, str(attachment.pk)])
    return errors


def _too_many(spec: Any) -> str:
    return _("Du kan laste opp høyst %(count)d filer til «%(label)s».") % {
        "count": spec.max_items or 1,
        "label": spec.label,
    }


def _file_ids(form: StepForm, name: str) -> list[str]:
    return list(form.raw_for_input(name) or [])


def remove_attachments(application: Application, form: StepForm, ids: list[str]) -> None:
    """Delete these files of the draft and take them out of the step's inputs."""
    for attachment in Attachment.objects.filter(application=application, pk__in=valid_uuids(ids)):
        attachment.delete()
        form.ctx.attachments.pop(str(attachment.pk), None)  # type: ignore[attr-defined]
    for name in file_inputs(form):
        current = _file_ids(form, name)
        kept = [item for item in current if item not in ids]
        if kept != current:
            form.set_raw_for_input(name, kept)


def file_inputs(form: StepForm) -> list[str]:
    """The names of the step's file inputs, in every row of its groups."""
    names = []
    for spec in form.specs:
        if spec.type == "file":
            names.append(spec.id)
        elif spec.type == "group":
            for index, _row in enumerate(form.raw.get(spec.id) or []):
                names.extend(
                    row_input(spec.id, index, child.id)
                    for child in spec.children
                    if child.type == "file"
                )
    return names
