from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from wijkwerk.core.quarters import Quarter


@pytest.fixture
def quarter() -> Quarter:
    return Quarter.current()


def in_quarter(quarter: Quarter, days: int = 3) -> datetime.datetime:
    """A moment inside the quarter, `days` after its start (never after now)."""
    moment = quarter.start + datetime.timedelta(days=days, hours=10)
    return min(moment, timezone.now() - datetime.timedelta(minutes=5))


@pytest.fixture
def pdf_tools() -> Any:
    import shutil

    if not all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdftoppm")):
        pytest.fail("poppler-utils is missing: ./dev installs it; the PDF checks must run")
