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
