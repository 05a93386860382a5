"""Screenshots of pages for a person to look at: written only where WIJKWERK_SHOTS names a
folder (never in CI, never to a fixed machine path)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def folder() -> Path | None:
    where = os.environ.get("WIJKWERK_SHOTS")
    return Path(where) if where else None


def shot(page: Any, name: str) -> None:
    """`page` (Playwright) as WIJKWERK_SHOTS/<name>.png, the whole page."""
    where = folder()
    if where is not None:
        where.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(where / f"{name}.png"), full_page=True)
