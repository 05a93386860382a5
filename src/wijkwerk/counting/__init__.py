"""Exact participatory-budgeting counting (greedy, Method of Equal Shares) for wijkwerk.

Pure Python (numpy as accelerator), no Django. Typical use::

    from wijkwerk.counting import read_pb, count
    election = read_pb("Poland_Wieliczka_2023_Green_Budget.pb")
    outcome = count(election, rule="mes", completion="add1")
    outcome.selected, outcome.total_cost, outcome.explanations["24"].reason
"""

from .completion import COMPARISONS, COMPLETIONS
from .engine import META_RULES, RULES, Explanation, Outcome, Settings, count
from .model import Amount, Ballot, CountingError, Election, Project, TieError, format_amount
from .pabulib import PabulibError, read_pb, write_pb
from .tiebreak import DEFAULT_TIE_BREAK, TieBreak

__all__ = [
    "COMPARISONS",
    "COMPLETIONS",
    "DEFAULT_TIE_BREAK",
    "META_RULES",
    "RULES",
    "Amount",
    "Ballot",
    "CountingError",
    "Election",
    "Explanation",
    "Outcome",
    "PabulibError",
    "Project",
    "Settings",
    "TieBreak",
    "TieError",
    "count",
    "format_amount",
    "read_pb",
    "write_pb",
]
