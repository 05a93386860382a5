"""Every code the challenges raise is documented in refusals.py, and nothing more."""

from __future__ import annotations

import re
from pathlib import Path

from wijkwerk.challenges import refusals

SOURCES = Path(refusals.__file__).parent


def test_every_code_raised_is_documented_and_every_documented_code_raised() -> None:
    raised: set[str] = set()
    for module in SOURCES.glob("*.py"):
        if module.name != "forms.py":
            raised |= set(re.findall(r'code="([a-z_]+)"', module.read_text()))
    # the workflow's own codes: `<field>_required` for the reasons the table requires
    raised |= {"wrong_state", "reasons_required"}
    documented = set(re.findall(r"^    ([a-z_]+) {2,}", refusals.__doc__ or "", re.M))
    assert raised == documented
