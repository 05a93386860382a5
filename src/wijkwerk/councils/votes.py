"""Counting a council's votes: the quorum and the outcome (pure functions, no database).

- Quorum: the council's own rule (`CouncilRules`): more than half of the council's members
  (the default: a council of 7 needs 4, of 6 needs 4) or a fixed number of members. Abstaining
  members are present.
- Outcome: approved when more members vote for than against; abstentions do not count either
  way; a tie (also when everyone abstains) is a rejection: a proposal needs a majority.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Choice, Outcome, QuorumRule


def quorum(members: int, rule: str = QuorumRule.MAJORITY, number: int | None = None) -> int:
    """How many members must be present: more than half, or the council's fixed number."""
    if rule == QuorumRule.NUMBER and number is not None:
        return number
    return members // 2 + 1


def tally(choices: Iterable[str]) -> tuple[int, int, int]:
    """(for, against, abstain)."""
    counted = {Choice.FOR: 0, Choice.AGAINST: 0, Choice.ABSTAIN: 0}
    for choice in choices:
        counted[Choice(choice)] += 1
    return counted[Choice.FOR], counted[Choice.AGAINST], counted[Choice.ABSTAIN]


def outcome(choices: Iterable[str]) -> Outcome:
    votes_for, votes_against, _abstentions = tally(choices)
    return Outcome.APPROVED if votes_for > votes_against else Outcome.REJECTED
