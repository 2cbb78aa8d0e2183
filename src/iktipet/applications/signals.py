"""Files go with their rows: deleting an attachment or application deletes its stored file."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from iktipet.applications.models import Application, Attachment


def _delete_file_on_commit(field_file: Any) -> None:
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    # After commit: a rolled-back delete must not lose the file.
    transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Attachment)
def _attachment_deleted(sender: Any, instance: Attachment, **kwargs: Any) -> None:
    _delete_file_on_commit(instance.file)


@receiver(post_delete, sender=Application)
def _application_deleted(sender: Any, instance: Application, **kwargs: Any) -> None:
    _delete_file_on_commit(instance.receipt_pdf)
