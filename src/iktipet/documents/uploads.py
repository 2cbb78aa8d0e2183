"""Checking an uploaded file before it is kept: type by content, size, virus scan.

Every upload goes through here, whoever keeps it: form attachments (``applications``),
message attachments (``messaging``), a neighbour's reply (``nabovarsel``).
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from iktipet.core.errors import ActionRefused
from iktipet.documents.antivirus import BaseVirusScanner, Verdict, configured_scanner

# The types a file field accepts when its definition names none.
DEFAULT_TYPES = ("pdf", "png", "jpeg")
# Names a service author may use → the MIME type the content must have.
KNOWN_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "tiff": "image/tiff",
    "heic": "image/heic",
    "webp": "image/webp",
}
LABELS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/tiff": "TIFF",
    "image/heic": "HEIC",
    "image/webp": "WebP",
}


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    content_type: str
    size: int
    sha256: str
    scanned: bool


def format_size(size: int) -> str:
    """A file size for people: ``"12 kB"``, ``"3,4 MB"``."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{round(size / 1000)} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def allowed_mime_types(types: Sequence[str] | None) -> list[str]:
    """The MIME types for a field's ``accept`` list (names like ``pdf`` or MIME types)."""
    names = types or DEFAULT_TYPES
    result: list[str] = []
    for name in names:
        mime = KNOWN_TYPES.get(name.lower().lstrip("."), name.lower())
        if mime not in result:
            result.append(mime)
    return result


def type_labels(mime_types: Sequence[str]) -> str:
    return ", ".join(LABELS.get(mime, mime) for mime in mime_types)


def max_file_bytes() -> int:
    return settings.UPLOAD_MAX_FILE_MB * 1_000_000


def max_total_bytes() -> int:
    return settings.UPLOAD_MAX_TOTAL_MB * 1_000_000


def clean_name(name: str | None) -> str:
    """A display name: the last path part, no control characters, at most 200 characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    printable = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (printable or _("vedlegg"))[-200:]


def detect_type(uploaded: UploadedFile) -> str | None:
    """The MIME type the content's magic bytes say, whatever the name or the browser claim."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def check_upload(
    uploaded: UploadedFile,
    *,
    accept: Sequence[str] | None,
    already_stored: int,
    max_bytes: int | None = None,
    scanner: BaseVirusScanner | None = None,
) -> CheckedUpload:
    """Check ``uploaded`` for a field; raise :class:`~iktipet.core.errors.ActionRefused`
    with the reason (``code``: empty, too_large, total_too_large, type, infected or
    scan_failed)."""
    limit = max_bytes or max_file_bytes()
    size = uploaded.size or 0
    if size == 0:
        raise ActionRefused(_("Filen er tom."), code="empty")
    if size > limit:
        raise ActionRefused(
            _("Filen er for stor. Den kan være på høyst %(limit)s.")
            % {"limit": format_size(limit)},
            code="too_large",
        )
    if already_stored + size > max_total_bytes():
        raise ActionRefused(
            _("Vedleggene til søknaden kan til sammen være på høyst %(limit)s.")
            % {"limit": format_size(max_total_bytes())},
            code="total_too_large",
        )
    allowed = allowed_mime_types(accept)
    detected = detect_type(uploaded)
    if detected not in allowed:
        raise ActionRefused(
            _("Filtypen er ikke tillatt. Last opp en fil av typen %(types)s.")
            % {"types": type_labels(allowed)},
            code="type",
        )
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    result = (scanner or configured_scanner()).scan(uploaded.chunks())
    uploaded.seek(0)
    if result.verdict == Verdict.INFECTED:
        raise ActionRefused(
            _("Filen inneholder skadelig innhold og ble ikke lastet opp."), code="infected"
        )
    if result.verdict == Verdict.ERROR:
        raise ActionRefused(
            _("Vi kunne ikke sjekke filen for virus akkurat nå. Prøv igjen om litt."),
            code="scan_failed",
        )
    return CheckedUpload(
        original_name=clean_name(uploaded.name),
        content_type=str(detected),
        size=size,
        sha256=digest.hexdigest(),
        scanned=result.verdict == Verdict.CLEAN,
    )


def check_uploads(
    files: Sequence[UploadedFile], *, accept: Sequence[str] = DEFAULT_TYPES
) -> tuple[list[CheckedUpload], list[str]]:
    """Each file checked as :func:`check_upload` does, the sizes counted together; the
    refused ones as sentences naming the file."""
    checked: list[CheckedUpload] = []
    errors: list[str] = []
    stored = 0
    for uploaded in files:
        try:
            result = check_upload(uploaded, accept=accept, already_stored=stored)
        except ActionRefused as exc:
            errors.append(f"{clean_name(uploaded.name)}: {exc.message}")
            continue
        stored += result.size
        checked.append(result)
    return checked, errors


def store_upload(record: Any, uploaded: UploadedFile, checked: CheckedUpload) -> Any:
    """Fill a stored-file model (``original_name``, ``content_type``, ``size``, ``sha256``,
    ``scan_status``, ``file``) from a checked upload and save it. The stored name is the
    model's ``upload_to``: never the uploader's file name, which can hold personal data."""
    record.original_name = checked.original_name
    record.content_type = checked.content_type
    record.size = checked.size
    record.sha256 = checked.sha256
    record.scan_status = "clean" if checked.scanned else "not_scanned"
    uploaded.seek(0)
    record.file.save("upload", uploaded, save=False)
    record.save()
    return record
