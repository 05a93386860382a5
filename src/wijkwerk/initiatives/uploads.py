"""Checking uploads by their content: images (PNG, JPEG, WebP) and PDF only, at most 5 MB.

The name the uploader gives is never trusted: the type comes from the file's magic bytes
(filetype) and images must also open and verify with Pillow, so a script renamed to .png or a
truncated image is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
DOCUMENT_TYPES = {"application/pdf": "pdf"}
ALLOWED_TYPES = IMAGE_TYPES | DOCUMENT_TYPES
# Decompression bombs: an image of more pixels than this is refused before decoding.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    is_image: bool
    size: int


def check_upload(upload: UploadedFile) -> CheckedUpload:
    size = upload.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large: at most 5 MB is allowed."), code="too_large"
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("Only images (PNG, JPEG, WebP) and PDF files are allowed."), code="wrong_type"
        )
    if kind.mime in IMAGE_TYPES:
        try:
            # Pillow refuses to open an image of more than twice its own pixel limit; ours is
            # lower, and checked before any pixel is decoded.
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(_("The image is too large."), code="too_many_pixels")
                image.verify()
        except Image.DecompressionBombError as error:
            raise ValidationError(_("The image is too large."), code="too_many_pixels") from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValidationError(
                _("The image is damaged or not a real image."), code="bad_image"
            ) from error
        finally:
            upload.seek(0)
    elif not head.startswith(b"%PDF-"):
        raise ValidationError(_("The PDF file is damaged."), code="bad_pdf")
    return CheckedUpload(
        content_type=kind.mime,
        extension=ALLOWED_TYPES[kind.mime],
        is_image=kind.mime in IMAGE_TYPES,
        size=size,
    )


def download_name(original_name: str, content_type: str, extension: str) -> str:
    """The name a file is served under: the uploader's name with the extension of the type its
    content was checked to be, so a PDF named `poly.html` (or `.bat`, `.hta`) downloads as
    `poly.pdf`. Folders, control and direction characters and trailing dots are dropped."""
    name = original_name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = "".join(character for character in stem if character.isprintable()).strip(" .")
    return f"{stem or 'upload'}.{ALLOWED_TYPES.get(content_type, extension)}"
