"""Stored files as downloads: one response for every file a person may fetch."""

from __future__ import annotations

import logging
from typing import Any

from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


def file_download(file: Any, *, filename: str, content_type: str) -> FileResponse:
    """``file`` (a stored FieldFile) as an attachment named ``filename``. Call it only after
    the caller's own access check. A file gone from storage is a 404 (and logged), never a
    500; the browser may not guess another type, nor keep a copy."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        logger.error("stored file missing", extra={"file": str(getattr(file, "name", ""))})
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_download(stored: Any) -> FileResponse:
    """A ``documents.models.StoredFile`` (upload) under the name with its detected type."""
    return file_download(
        stored.file, filename=stored.download_name, content_type=stored.content_type
    )
