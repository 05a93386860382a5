"""core.workflow and core.phases with a tiny example domain: a right to challenge (uitdaagrecht).

Residents propose to take over a task of the municipality while the call for proposals runs;
officials review the proposals; the council votes while the voting phase runs. No models: the
machinery is generic and needs none.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models
from django.template import Context, Template
from django.test.utils import isolate_apps

from wijkwerk.core import phases
from wijkwerk.core.phases import (
    Capability,
    PhaseKind,
    PhaseKinds,
    PhaseModel,
    Schedule,
    allows,
    phase_allows,
)
from wijkwerk.core.workflow import (
    Refused,
    States,
    StateSet,
    Transition,
    UnknownStateSet,
    Workflow,
)

# --- the example domain ------------------------------------------------------------------------

KINDS = PhaseKinds(
    PhaseKind("call", "Call for proposals", {Capability.PROPOSE, Capability.COMMENT}),
    PhaseKind("review", "Review", {Capability.REVIEW}),
    PhaseKind("vote", "Voting", {Capability.VOTE, Capability.SEE_RESULTS}),
    PhaseKind("results", "Results", {Capability.SEE_RESULTS}),
)
T0 = datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@dataclass
class Period:
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    @property
    def phase_kind(self) -> PhaseKind:
        return KINDS[self.kind]


SCHEDULE = Schedule(
    [
        Period("vote", T0 + 20 * DAY, T0 + 27 * DAY),
        Period("call", T0, T0 + 10 * DAY),
        Period("review", T0 + 10 * DAY, T0 + 20 * DAY),
        Period("results", T0 + 27 * DAY, T0 + 60 * DAY),
    ]
)


class ChallengeRefused(Refused):
    pass


@dataclass
class Challenge:
    status: str = "draft"
    proposer: str = "resident"
    schedule: Schedule = SCHEDULE
    log: list[str] = field(default_factory=list)


@dataclass
class Person:
    name: str
    is_official: bool = False


def is_proposer(user: Any, challenge: Any) -> bool:
    return user.name == challenge.proposer


def is_official(user: Any, challenge: Any) -> bool:
    return bool(user.is_official)


PROPOSING_OPEN = phase_allows(Capability.PROPOSE, lambda challenge: challenge.schedule)
REVIEW_OPEN = phase_allows(Capability.REVIEW, lambda challenge: challenge.schedule)

EDITABLE = StateSet("editable", {"draft", "returned"}, "The proposer edits the proposal.")
DECIDED = StateSet("decided", {"accepted", "declined"}, "Reviewed and decided.")
STATES = States(
    ["draft", "proposed", "returned", "accepted", "declined", "withdrawn"], (EDITABLE, DECIDED)
)


def _propose(move: Any) -> None:
    move.obj.log.append(f"proposed in {move.source}")
    move.note = "Proposed."


def _decline(move: Any) -> None:
    if move.value("reason") == "refuse-me":
        raise ChallengeRefused("The effect refuses.", code="effect_refused")
    move.notice = f"Declined: {move.value('reason')}"


WORKFLOW = Workflow(
    states=STATES,
    transitions=(
        Transition(
            "propose",
            EDITABLE,
            "proposed",
            lambda user, c: is_proposer(user, c) and PROPOSING_OPEN(user, c),
            label="Propose",
            effect=_propose,
            for_staff=False,
        ),
        Transition(
            "accept",
            frozenset({"proposed"}),
            "accepted",
            lambda user, c: is_official(user, c) and REVIEW_OPEN(user, c),
        ),
        Transition(
            "decline",
            frozenset({"proposed"}),
            "declined",
            is_official,
            ("reason",),
            label="Decline",
            effect=_decline,
        ),
        Transition("return", frozenset({"proposed"}), "returned", is_official, ("reason",)),
        Transition("withdraw", EDITABLE | {"proposed"}, "withdrawn", is_proposer),
    ),
    refusal=ChallengeRefused,
    required_messages={"reason": "Give a reason."},
)
RESIDENT = Person("resident")
OFFICIAL = Person("official", is_official=True)
NEIGHBOUR = Person("neighbour")


@pytest.fixture
def during_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(phases.timezone, "now", lambda: T0 + 2 * DAY)


@pytest.fixture
def during_review(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(phases.timezone, "now", lambda: T0 + 12 * DAY)


# --- workflow -----------------------------------------------------------------------------------


def test_a_step_runs_its_effect_before_the_state_changes(during_call: None) -> None:
    challenge = Challenge()
    move = WORKFLOW.take(RESIDENT, challenge, "propose")
    assert challenge.status == "proposed"
    assert challenge.log == ["proposed in draft"]
    assert (move.action, move.source, move.target, move.note) == (
        "propose",
        "draft",
        "proposed",
        "Proposed.",
    )


def test_refusals_carry_stable_codes(during_call: None) -> None:
    challenge = Challenge(status="proposed")
    with pytest.raises(ChallengeRefused) as unknown:
        WORKFLOW.take(OFFICIAL, challenge, "fly")
    assert unknown.value.code == "unknown_step"
    with pytest.raises(ChallengeRefused) as wrong:
        WORKFLOW.take(RESIDENT, challenge, "propose")
    assert wrong.value.code == "wrong_state"
    assert "Propose" in wrong.value.messages[0]
    with pytest.raises(ChallengeRefused) as missing:
        WORKFLOW.take(OFFICIAL, challenge, "decline", reason="   ")
    assert missing.value.code == "reason_required"
    assert missing.value.messages == ["Give a reason."]
    with pytest.raises(ChallengeRefused) as by_effect:
        WORKFLOW.take(OFFICIAL, challenge, "decline", reason="refuse-me")
    assert by_effect.value.code == "effect_refused"
    assert challenge.status == "proposed", "a refused step leaves the state alone"
    with pytest.raises(PermissionDenied):
        WORKFLOW.take(NEIGHBOUR, challenge, "withdraw")
    move = WORKFLOW.take(OFFICIAL, challenge, "decline", reason="Te duur.")
    assert move.notice == "Declined: Te duur." and challenge.status == "declined"


def test_a_system_step_asks_nobody_s_permission(during_call: None) -> None:
    challenge = Challenge(status="proposed")
    WORKFLOW.take(None, challenge, "return", system=True, reason="Vul aan.")
    assert challenge.status == "returned"


def test_available_steps_follow_state_person_and_phase(
    monkeypatch: pytest.MonkeyPatch, during_call: None
) -> None:
    challenge = Challenge()
    assert [t.action for t in WORKFLOW.available(RESIDENT, challenge, staff_only=False)] == [
        "propose",
        "withdraw",
    ]
    assert [t.action for t in WORKFLOW.available(RESIDENT, challenge)] == ["withdraw"]
    monkeypatch.setattr(phases.timezone, "now", lambda: T0 + 12 * DAY)  # the call has closed
    assert [t.action for t in WORKFLOW.available(RESIDENT, challenge, staff_only=False)] == [
        "withdraw"
    ]
    with pytest.raises(PermissionDenied):
        WORKFLOW.take(RESIDENT, challenge, "propose")
    proposed = Challenge(status="proposed")
    assert "accept" in [t.action for t in WORKFLOW.available(OFFICIAL, proposed)]


def test_state_sets_and_terminal_states() -> None:
    assert WORKFLOW.terminal_states == {"accepted", "declined", "withdrawn"}
    assert ("draft", "proposed", "propose") in WORKFLOW.edges
    assert STATES.in_set(Challenge(status="returned"), "editable")
    assert STATES.in_set(Challenge(status="returned"), "returned"), "a state is its own set"
    assert not STATES.in_set(None, "editable")
    with pytest.raises(UnknownStateSet):
        STATES.in_set(Challenge(), "editabel")
    assert EDITABLE.q().children == [("status__in", ["draft", "returned"])]
    assert "draft" in EDITABLE and EDITABLE | {"x"} == {"draft", "returned", "x"}
    assert copy.deepcopy(EDITABLE).name == "editable"


def test_templates_read_state_sets_by_name_and_fail_on_a_misspelt_one() -> None:
    flags = STATES.flags(Challenge(status="accepted"))
    template = Template(
        "{% if c.states.decided %}decided{% endif %}/{% if c.states.draft %}d{% endif %}"
    )
    assert template.render(Context({"c": {"states": flags}})) == "decided/"
    with pytest.raises(UnknownStateSet):
        Template("{{ c.states.decidd }}").render(Context({"c": {"states": flags}}))


def test_inconsistent_declarations_are_refused_when_built() -> None:
    with pytest.raises(ImproperlyConfigured):
        States(["a"], (StateSet("s", {"a", "b"}),))
    with pytest.raises(ImproperlyConfigured):
        States(["a", "s"], (StateSet("s", {"a"}),))
    states = States(["a", "b"])
    ok = Transition("go", frozenset({"a"}), "b", is_official)
    with pytest.raises(ImproperlyConfigured):
        Workflow(states=states, transitions=(ok, ok))
    with pytest.raises(ImproperlyConfigured):
        Workflow(states=states, transitions=(Transition("go", frozenset({"a"}), "c", is_official),))
    with pytest.raises(ImproperlyConfigured):
        Workflow(states=states, transitions=(Transition("go", frozenset(), "b", is_official),))


def test_a_refusal_with_several_messages_codes_each_of_them() -> None:
    refused = Refused(["One.", ValidationError("Two.", code="own")], code="several")
    assert refused.code == "several"
    assert refused.codes == ["several", "own"]
    assert refused.messages == ["One.", "Two."]


# --- phases -------------------------------------------------------------------------------------


def test_a_kind_of_phase_allows_what_it_declares() -> None:
    assert allows(KINDS["call"], Capability.PROPOSE)
    assert allows(KINDS["call"], "comment")
    assert not allows(KINDS["call"], Capability.VOTE)
    assert not allows(None, Capability.PROPOSE)
    assert KINDS.choices[0] == ("call", "Call for proposals")
    with pytest.raises(ImproperlyConfigured):
        PhaseKinds(PhaseKind("x", "X"), PhaseKind("x", "Y"))
    with pytest.raises(ValueError):
        KINDS["call"].allows("dance")


@pytest.mark.parametrize(
    ("moment", "running", "proposing", "voting", "results"),
    [
        (T0 - DAY, None, False, False, False),
        (T0, "call", True, False, False),
        (T0 + 10 * DAY, "review", False, False, False),  # a phase ends before the next starts
        (T0 + 21 * DAY, "vote", False, True, True),
        (T0 + 30 * DAY, "results", False, False, True),
        (T0 + 60 * DAY, None, False, False, False),
    ],
)
def test_the_running_phase_decides(
    moment: datetime.datetime, running: str | None, proposing: bool, voting: bool, results: bool
) -> None:
    current = SCHEDULE.current(moment)
    assert (current.kind if current else None) == running
    assert allows(SCHEDULE, Capability.PROPOSE, now=moment) is proposing
    assert allows(SCHEDULE, Capability.VOTE, now=moment) is voting
    assert allows(SCHEDULE, Capability.SEE_RESULTS, now=moment) is results
    if current is not None:
        assert allows(current, Capability.VOTE, now=moment) is voting


def test_schedules_find_overlaps_and_the_next_phase() -> None:
    assert SCHEDULE.overlaps() == []
    assert SCHEDULE.upcoming(T0 - DAY).kind == "call"  # type: ignore[union-attr]
    clash = Schedule(
        [Period("call", T0, T0 + 10 * DAY), Period("vote", T0 + 9 * DAY, T0 + 12 * DAY)]
    )
    assert len(clash.overlaps()) == 1


@isolate_apps("wijkwerk.core")
def test_a_domain_model_of_phases_validates_its_rows() -> None:
    class RoundPhase(PhaseModel):
        KINDS = KINDS

        class Meta(PhaseModel.Meta):
            app_label = "core"

    running = RoundPhase(kind="vote", starts_at=T0, ends_at=T0 + DAY)
    assert running.label == "Voting"
    assert running.allows(Capability.VOTE, now=T0)
    assert not running.allows(Capability.VOTE, now=T0 + DAY)
    assert allows(running, Capability.SEE_RESULTS, now=T0)
    assert [c.name for c in RoundPhase._meta.constraints] == ["core_roundphase_ends_after_start"]
    with pytest.raises(ValidationError) as wrong:
        RoundPhase(kind="party", starts_at=T0, ends_at=T0 - DAY).clean()
    assert set(wrong.value.message_dict) == {"kind", "ends_at"}
    assert isinstance(RoundPhase(kind="call", starts_at=T0, ends_at=T0), models.Model)
