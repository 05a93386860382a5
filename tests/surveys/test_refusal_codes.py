"""Every code the surveys raise is documented in refusals.py, and every documented code is
raised (read from the source's `SurveyRefused(message, code)` calls)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from wijkwerk.surveys import refusals

SOURCES = Path(refusals.__file__).parent


def test_every_code_raised_is_documented_and_every_documented_code_raised() -> None:
    raised = set()
    for module in SOURCES.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "SurveyRefused"
                and len(node.args) == 2
                and isinstance(node.args[1], ast.Constant)
            ):
                raised.add(node.args[1].value)
    raised.add("answers")  # AnswersRefused's own
    documented = set(re.findall(r"^    ([a-z_]+) {2,}", refusals.__doc__ or "", re.M))
    assert len(documented) == 12 and raised == documented
