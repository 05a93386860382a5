"""The vote count: majority of for over against decides, abstentions do not count, a tie is a
rejection; the quorum is more than half of the members (property tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wijkwerk.councils.models import Outcome
from wijkwerk.councils.votes import outcome, quorum, tally

votes = st.lists(st.sampled_from(["for", "against", "abstain"]), max_size=40)


@given(votes)
def test_approved_exactly_when_more_vote_for_than_against(choices: list[str]) -> None:
    expected = choices.count("for") > choices.count("against")
    assert (outcome(choices) == Outcome.APPROVED) is expected


@given(votes, st.randoms())
def test_the_order_of_the_votes_does_not_matter(choices: list[str], random) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(choices)
    random.shuffle(shuffled)
    assert outcome(shuffled) == outcome(choices)
    assert tally(shuffled) == tally(choices)


@given(votes, st.integers(min_value=0, max_value=10))
def test_abstentions_never_change_the_outcome(choices: list[str], more: int) -> None:
    assert outcome(choices + ["abstain"] * more) == outcome(choices)


@given(st.integers(min_value=0, max_value=20))
def test_a_tie_is_a_rejection(n: int) -> None:
    assert outcome(["for"] * n + ["against"] * n) == Outcome.REJECTED


@given(votes)
def test_one_more_vote_for_never_turns_an_approval_into_a_rejection(choices: list[str]) -> None:
    if outcome(choices) == Outcome.APPROVED:
        assert outcome([*choices, "for"]) == Outcome.APPROVED


@given(st.integers(min_value=1, max_value=500))
def test_the_quorum_is_the_smallest_number_above_half(members: int) -> None:
    needed = quorum(members)
    assert needed * 2 > members
    assert (needed - 1) * 2 <= members
    assert needed <= members


def test_tally_counts_each_kind() -> None:
    assert tally(["for", "against", "for", "abstain"]) == (2, 1, 1)
