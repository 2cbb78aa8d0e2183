"""A document rendered on first use and kept: receipts, decision letters.

WeasyPrint costs 60–90 ms a page here, so documents are rendered when first asked for, not
in the request or task that makes their data, and then read back from storage.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import models


def kept_document(
    instance: models.Model, field_name: str, render: Callable[[], bytes], filename: str
) -> bytes:
    """The bytes in ``instance.<field_name>``, rendered with ``render()`` and stored first if
    there are none (or the stored file was lost). Two first uses may race: the first to record
    its file wins and the other's file is removed, so the field names exactly one file."""
    field_file: Any = getattr(instance, field_name)
    previous = field_file.name or ""
    if previous:
        try:
            with field_file.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            pass  # lost from storage: render it again below
    data = render()
    storage = field_file.storage
    upload_to = instance._meta.get_field(field_name).upload_to
    name = storage.save(upload_to(instance, filename), ContentFile(data))
    claimed = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, **{field_name: previous})
        .update(**{field_name: name})
    )
    if claimed:
        field_file.name = name
    else:
        storage.delete(name)
    return data
