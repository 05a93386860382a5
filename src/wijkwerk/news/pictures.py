"""A news post's picture: JPEG, PNG or WebP, checked by its content, then re-encoded.

The uploader's name and type are never trusted: the type comes from the file's magic bytes
(filetype, as the initiatives' attachments) and the image must open and decode with Pillow. It is
then turned upright (the EXIF orientation), scaled down to at most `MAX_WIDTH` by `MAX_HEIGHT`
and saved anew in its own format without any of the original's metadata (EXIF, GPS, XMP, ICC
comments): a phone photo of a street tells nobody where the writer lives. The page shows it
with its width and height, so nothing jumps while it loads.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PICTURE_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # decompression bombs: refused before decoding
MAX_WIDTH, MAX_HEIGHT = 1600, 1600
FORMATS = {
    "image/jpeg": ("JPEG", "jpg"),
    "image/png": ("PNG", "png"),
    "image/webp": ("WEBP", "webp"),
}


@dataclass(frozen=True)
class Picture:
    content: bytes
    extension: str
    content_type: str
    width: int
    height: int


def process(upload: UploadedFile) -> Picture:
    """Check and re-encode an uploaded picture; `ValidationError` (a code and a message for the
    writer) for anything else."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The picture is empty."), code="empty")
    if size > MAX_PICTURE_BYTES:
        raise ValidationError(
            _("The picture is too large: at most %(mb)d MB is allowed.")
            % {"mb": MAX_PICTURE_BYTES // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in FORMATS:
        raise ValidationError(
            _("Only pictures in JPEG, PNG or WebP are allowed."), code="wrong_type"
        )
    pillow_format, extension = FORMATS[kind.mime]
    try:
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The picture has too many pixels."), code="too_many_pixels")
            image.load()
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_WIDTH, MAX_HEIGHT))
            if pillow_format == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            out = io.BytesIO()
            options: dict[str, object] = {"optimize": True}
            if pillow_format in ("JPEG", "WEBP"):
                options["quality"] = 85
            # saved without exif=, icc_profile= or pnginfo=: no metadata comes along
            upright.save(out, format=pillow_format, **options)
    except Image.DecompressionBombError as error:
        raise ValidationError(
            _("The picture has too many pixels."), code="too_many_pixels"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The picture is damaged or not a real picture."), code="bad_image"
        ) from error
    finally:
        upload.seek(0)
    return Picture(
        content=out.getvalue(),
        extension=extension,
        content_type=kind.mime,
        width=upright.width,
        height=upright.height,
    )
