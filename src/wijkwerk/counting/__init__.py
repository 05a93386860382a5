"""Exact participatory-budgeting counting (greedy, Method of Equal Shares) for wijkwerk.

Pure Python (numpy as accelerator), no Django. Typical use::

    from wijkwerk.counting import read_pb, count, render_english
    election = read_pb("Poland_Wieliczka_2023_Green_Budget.pb")
    outcome = count(election, rule="mes", completion="add1")
    outcome.selected, outcome.total_cost, outcome.explanations["24"].code
    render_english(outcome.explanations["24"])  # the sentence; the engine makes none
"""

from .codes import Code, Note
from .completion import COMPARISONS, COMPLETIONS
from .engine import META_RULES, RULES, Explanation, Outcome, Rule, Settings, count
from .english import render as render_english
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
    "Code",
    "CountingError",
    "Election",
    "Explanation",
    "Note",
    "Outcome",
    "PabulibError",
    "Project",
    "Rule",
    "Settings",
    "TieBreak",
    "TieError",
    "count",
    "format_amount",
    "read_pb",
    "render_english",
    "write_pb",
]
