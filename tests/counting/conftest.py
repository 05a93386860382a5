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


def _pulp_compat() -> None:
    """pabutools 1.2.3 imports ``pulp.PULP_CBC_CMD``, which pulp 4.2 (locked) dropped
    (as it dropped ``LpStatusOptimal``).

    The rules we compare against (greedy, MES, completions, EJR checks) never use the
    solver, so a placeholder is enough to import pabutools.
    """
    try:
        import pulp
    except ImportError:  # pragma: no cover
        return
    if not hasattr(pulp, "PULP_CBC_CMD"):
        pulp.PULP_CBC_CMD = getattr(pulp, "COIN_CMD", object)  # type: ignore[attr-defined]
    if not hasattr(pulp, "LpStatusOptimal"):
        pulp.LpStatusOptimal = 1  # type: ignore[attr-defined]


_pulp_compat()
