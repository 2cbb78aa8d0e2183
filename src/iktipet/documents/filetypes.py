"""File names for stored uploads: the extension is the one of the type the content has.

An upload is accepted by its content (magic bytes), never by its name, so ``poly.html`` that
starts with ``%PDF-`` is a PDF. Kept and downloaded under its own name it would be saved as
``.html`` and opened by a browser as a page. So the stored file and every download carry the
detected type's extension; the uploader's name is shown only as text.
"""

from __future__ import annotations

import mimetypes
import os
import uuid
from typing import Any

#: The types uploads accept (``documents.uploads.KNOWN_TYPES``) → their extensions, the
#: usual one first.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/tiff": (".tif", ".tiff"),
    "image/heic": (".heic",),
    "image/webp": (".webp",),
}
#: For a type with no known extension: nothing opens it by guessing.
UNKNOWN_EXTENSION = ".bin"


def extensions_for(content_type: str) -> tuple[str, ...]:
    """The extensions of ``content_type``, the usual one first (never empty)."""
    known = EXTENSIONS.get(content_type.lower())
    if known:
        return known
    guessed = mimetypes.guess_extension(content_type, strict=False)
    return (guessed,) if guessed else (UNKNOWN_EXTENSION,)


def download_name(original_name: str, content_type: str) -> str:
    """``original_name`` with an extension of ``content_type``: ``poly.html`` holding a PDF
    becomes ``poly.pdf``; ``Kart.JPEG`` holding a JPEG stays as it is."""
    stem, extension = os.path.splitext(original_name)
    extensions = extensions_for(content_type)
    if extension.lower() in extensions:
        return original_name
    return (stem or "vedlegg") + extensions[0]


def stored_upload_path(instance: Any, folder: str) -> str:
    """A stored upload's name for a model's ``upload_to``: ``<folder>/<random><extension>``.

    Never the uploader's file name, which can hold personal data; the extension is the
    detected type's (``content_type`` is set before the file is saved).
    """
    return f"{folder}/{uuid.uuid4().hex}{extensions_for(instance.content_type or '')[0]}"
