"""The named sets of statuses (states.py) are declared once and agree with the workflow table."""

from __future__ import annotations

import pytest

from wijkwerk.initiatives import states
from wijkwerk.initiatives.models import Initiative, Status
from wijkwerk.initiatives.workflow import WORKFLOW


def test_ended_are_the_workflows_terminal_states():
    assert WORKFLOW.terminal_states == states.ENDED


def test_every_step_leaves_from_a_status_that_may_still_change():
    assert all(not (step.sources & states.ENDED) for step in WORKFLOW)
    assert WORKFLOW["withdraw"].sources == states.BEFORE_COMPLETION
    assert WORKFLOW["submit"].sources == states.EDITABLE
    assert WORKFLOW["submit_accountability"].sources == states.RUNNING


def test_money_is_accepted_where_the_steps_book_it():
    # approving commits while the initiative is still under review; accepting the
    # accountability pays while it is still accounted; the amount finally set is paid after
    assert WORKFLOW["approve"].sources <= states.COMMITMENTS_ACCEPTED
    assert WORKFLOW["accept_accountability"].sources <= states.PAYMENTS_ACCEPTED
    assert states.PAYABLE <= states.PAYMENTS_ACCEPTED
    assert not (states.COMMITMENTS_ACCEPTED & (states.ENDED | states.EDITABLE))


@pytest.mark.parametrize("status", Status.values)
def test_the_initiative_answers_for_the_funds_app(status):
    initiative = Initiative(status=status)
    assert initiative.accepts_commitments == (status in states.COMMITMENTS_ACCEPTED)
    assert initiative.accepts_payments == (status in states.PAYMENTS_ACCEPTED)
    assert initiative.states.editable == (status in states.EDITABLE)
    assert initiative.states[status] is True


def _status_sets_outside_states_py() -> list[str]:
    """Collections of two or more statuses (Python) and status comparisons with a literal
    (templates) anywhere in the apps but states.py."""
    import ast
    import re
    from pathlib import Path

    import wijkwerk

    names = set(Status.values)
    enum = {name.upper() for name in names}

    def is_status(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            return node.value in names
        return (
            isinstance(node, ast.Attribute)
            and node.attr in enum
            and isinstance(node.value, ast.Name)
            and node.value.id in ("Status", "S")
        )

    root = Path(wijkwerk.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or path == root / "initiatives" / "states.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            collection = isinstance(node, ast.Set | ast.List | ast.Tuple)
            if collection and sum(map(is_status, node.elts)) >= 2:  # type: ignore[attr-defined]
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    for path in root.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"status\s*==\s*['\"]", line):
                found.append(f"{path.relative_to(root)}:{number}")
    return found


def test_sets_of_statuses_are_declared_in_states_py_only():
    assert _status_sets_outside_states_py() == []
