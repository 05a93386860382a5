"""The refusal codes news and comments raise are the ones their refusals.py documents, and no
documented code is left unused."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import wijkwerk
from wijkwerk.comments import refusals as comment_refusals
from wijkwerk.news import refusals as news_refusals

SRC = Path(wijkwerk.__file__).parent


def raised_codes(source: str, name: str) -> set[str]:
    """The last string of every `<name>(...)` call: its code."""
    codes = set()
    for match in re.finditer(rf"\b{name}\(", source):
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(source[end], 0)
            end += 1
        strings = re.findall(r'"([^"]*)"', source[match.end() : end])
        codes.add(strings[-1])
    return codes


@pytest.mark.parametrize(
    "app, module, name",
    [("news", news_refusals, "NewsRefused"), ("comments", comment_refusals, "CommentRefused")],
)
def test_raised_and_documented_codes_agree(app, module, name) -> None:
    raised = raised_codes((SRC / app / "services.py").read_text(), name)
    documented = set(re.findall(r"^([a-z_]+)\s{2,}", inspect.cleandoc(module.__doc__), re.M))
    assert raised == documented == set(module.CODES)
