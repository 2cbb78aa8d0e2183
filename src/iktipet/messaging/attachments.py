"""Files sent with messages: checked like application uploads, served only after a check."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse

from iktipet.documents.downloads import stored_file_download
from iktipet.documents.uploads import CheckedUpload, check_uploads, store_upload
from iktipet.messaging.models import Message, MessageAttachment


def check_files(files: Sequence[UploadedFile]) -> tuple[list[CheckedUpload], list[str]]:
    """Each file checked by content, size and virus scan; the errors as sentences."""
    return check_uploads(files)


def keep(message: Message, uploaded: UploadedFile, checked: CheckedUpload) -> MessageAttachment:
    return store_upload(MessageAttachment(message=message), uploaded, checked)


def serve_attachment(attachment: MessageAttachment) -> FileResponse:
    """The file as a download. Call only after your own access check (cases views do).

    A file gone from storage is a 404 (and logged), not a server error.
    """
    return stored_file_download(attachment)
