"""Pictures made in memory for the news tests: a JPEG with a camera's EXIF and GPS position."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_with_gps(width: int = 2400, height: int = 1200, *, orientation: int = 1) -> bytes:
    image = Image.new("RGB", (width, height), (40, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0112] = orientation  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 38.0, 12.5)
    gps[3] = "E"
    gps[4] = (4.0, 51.0, 30.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", size, (200, 80, 40)).save(out, format=fmt)
    return out.getvalue()


def upload(content: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type)
