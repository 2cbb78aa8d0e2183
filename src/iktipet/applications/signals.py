"""Files go with their rows: deleting an attachment or application deletes its stored file.

Connected by ``ApplicationsConfig.ready`` through :func:`connect`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete

from iktipet.applications.models import Application, Attachment


def _delete_file_on_commit(field_file: Any) -> None:
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    # After commit: a rolled-back delete must not lose the file.
    transaction.on_commit(lambda: storage.delete(name))


def _attachment_deleted(sender: Any, instance: Attachment, **kwargs: Any) -> None:
    _delete_file_on_commit(instance.file)


def _application_deleted(sender: Any, instance: Application, **kwargs: Any) -> None:
    _delete_file_on_commit(instance.receipt_pdf)


def connect() -> None:
    post_delete.connect(
        _attachment_deleted, sender=Attachment, dispatch_uid="applications.attachment_deleted"
    )
    post_delete.connect(
        _application_deleted, sender=Application, dispatch_uid="applications.application_deleted"
    )
