"""Fixtures for the counting tests (no Django, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

PABULIB = Path(__file__).resolve().parents[2].parent / "shared" / "pabulib"


@pytest.fixture(scope="session")
def pabulib_dir() -> Path:
    if not PABULIB.is_dir():
        pytest.fail(f"pabulib data directory missing: {PABULIB}")
    return PABULIB
