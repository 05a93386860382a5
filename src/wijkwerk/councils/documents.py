"""Checking a meeting's documents by their content: PDF, ODT or DOCX only, at most 10 MB.

As the initiatives' uploads (initiatives/uploads.py): the name the uploader gives is never
trusted; the type comes from the file's magic bytes (filetype), a PDF must start as one, and an
ODT or DOCX must be a ZIP archive that is really that kind of document.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
# the part each office document must hold
REQUIRED_PART = {"odt": "content.xml", "docx": "word/document.xml"}


@dataclass(frozen=True)
class CheckedDocument:
    content_type: str
    extension: str
    size: int


def check_document(upload: UploadedFile) -> CheckedDocument:
    size = upload.size or 0
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is too large: at most 10 MB is allowed."), code="too_large"
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Only PDF, ODT (OpenDocument) and DOCX (Word) files are allowed."),
            code="wrong_type",
        )
    extension = DOCUMENT_TYPES[kind.mime]
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise ValidationError(_("The PDF file is damaged."), code="bad_document")
    else:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise ValidationError(_("The document is damaged."), code="bad_document") from error
        finally:
            upload.seek(0)
        if REQUIRED_PART[extension] not in names:
            raise ValidationError(_("The document is damaged."), code="bad_document")
    return CheckedDocument(content_type=kind.mime, extension=extension, size=size)


def download_name(document: object) -> str:
    """The name a document is served under: its title with the checked extension."""
    title = str(getattr(document, "title", "") or "document")
    stem = "".join(c for c in title if c.isalnum() or c in " -_").strip() or "document"
    return f"{stem[:80]}.{getattr(document, 'extension', 'pdf')}"
