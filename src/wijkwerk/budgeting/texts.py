"""A round's rules in plain words, written from its configuration (the round page, the ballot).

`rules_in_words(process)` gives one sentence per rule: who may vote, what a plan needs to go on
the ballot, what the ballot asks, how the votes are counted, and whether a vote can be changed.
The round's areas are read from `process.process_areas` (prefetch them with their areas).
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wijkwerk.core.money import format_money

from .models import BallotType, BudgetProcess, Completion, CountingRule, TieBreak


def who_may_vote(process: BudgetProcess) -> str:
    if process.source_file:
        # an imported election: its own rules decided who voted, not this round's set-up
        return _(
            "The votes come from the election file %(file)s (pabulib); who could vote there is "
            "written in its source, not here."
        ) % {"file": process.source_file}
    process_areas = list(process.process_areas.all())
    areas = get_text_list([item.area.name for item in process_areas], _("or"))
    if process.residents_vote and process.entrepreneurs_vote:
        where = _("who lives or has a business in %(areas)s") % {"areas": areas}
    elif process.entrepreneurs_vote:
        where = _("who has a business in %(areas)s") % {"areas": areas}
    else:
        where = _("who lives in %(areas)s") % {"areas": areas}
    low, high = process.minimum_age, process.maximum_age
    if high is not None and low:
        text = _("Everyone aged %(low)s to %(high)s %(where)s may vote.")
    elif high is not None:
        text = _("Everyone up to the age of %(high)s %(where)s may vote.")
    elif low:
        text = _("Everyone aged %(low)s or over %(where)s may vote.")
    else:
        text = _("Everyone %(where)s may vote.")
    sentence = text % {"low": low, "high": high, "where": where}
    if process.reference_date:
        sentence += " " + _("Age and address count as they are on %(date)s.") % {
            "date": date_format(process.reference_date, "DATE_FORMAT")
        }
    if len(process_areas) > 1:
        sentence += " " + _("You vote on the plans of your own area.")
    return sentence


def ballot_access(process: BudgetProcess) -> str:
    if process.source_file:
        return _("Every project in the election file was on the ballot.")
    if process.likes_threshold == 0:
        return _("Every plan the municipality finds feasible goes on the ballot.")
    return ngettext(
        "A plan goes on the ballot when it has at least %(likes)s like and the municipality "
        "finds it feasible.",
        "A plan goes on the ballot when it has at least %(likes)s likes and the municipality "
        "finds it feasible.",
        process.likes_threshold,
    ) % {"likes": process.likes_threshold}


def _how_many(process: BudgetProcess) -> str:
    low, high = process.min_choices, process.max_choices
    if high is None:
        return ngettext("Choose at least %(low)s plan.", "Choose at least %(low)s plans.", low) % {
            "low": low
        }
    if high == low:
        return ngettext("Choose %(high)s plan.", "Choose %(high)s plans.", high) % {"high": high}
    if low == 0:
        return ngettext("Choose at most %(high)s plan.", "Choose at most %(high)s plans.", high) % {
            "high": high
        }
    return ngettext(
        "Choose %(low)s to %(high)s plan.", "Choose %(low)s to %(high)s plans.", high
    ) % {"low": low, "high": high}


def the_ballot(process: BudgetProcess) -> str:
    if process.ballot_type == BallotType.KNAPSACK:
        budgets = {item.budget_cents for item in process.process_areas.all()}
        if len(budgets) == 1:
            sentence = _("Choose plans that together cost no more than %(budget)s.") % {
                "budget": format_money(budgets.pop())
            }
        else:
            sentence = _("Choose plans that together cost no more than your area's budget.")
    elif process.ballot_type == BallotType.CUMULATIVE:
        points = process.points or 0
        sentence = ngettext(
            "Divide %(points)s point over the plans you like.",
            "Divide %(points)s points over the plans you like; you may give one plan several.",
            points,
        ) % {"points": points}
    else:
        return _how_many(process)
    if process.min_choices > 1 or process.max_choices is not None:
        sentence += " " + _how_many(process)
    return sentence


RULES = {
    CountingRule.GREEDY: gettext_lazy(
        "Most votes first: the plans with the most votes get money, from the top down, until "
        "the budget is spent; a plan that no longer fits is skipped and the next one that fits "
        "gets money."
    ),
    CountingRule.GREEDY_NO_SKIP: gettext_lazy(
        "Most votes first: the plans with the most votes get money, from the top down, until "
        "the first plan that no longer fits; there the count stops."
    ),
    CountingRule.MES: gettext_lazy(
        "Method of Equal Shares: every voter gets an equal share of the budget. A plan gets "
        "money when the people who voted for it can pay for it together from their shares; the "
        "plan that costs its voters least per vote goes first. So every group of voters gets "
        "its fair part of the budget, not only the largest group."
    ),
}

COMPLETIONS = {
    Completion.NONE: gettext_lazy("Money left after this is not spent."),
    Completion.ADD1: gettext_lazy(
        "If money is left, every voter's share is raised and the count is done again, as long "
        "as that funds more."
    ),
    Completion.ADD1_EXHAUSTIVE: gettext_lazy(
        "If money is left, every voter's share is raised and the count is done again until no "
        "plan fits any more."
    ),
    Completion.ADD1U: gettext_lazy(
        "If money is left, every voter's share is raised and the count is done again; what is "
        "still left goes to the plans with the most votes that fit."
    ),
}

TIE_BREAKS = {
    TieBreak.MIN_COST: gettext_lazy(
        "When two plans are equal, the cheaper one goes first, then the one with more votes."
    ),
    TieBreak.MAX_VOTES: gettext_lazy(
        "When two plans are equal, the one with more votes goes first, then the cheaper one."
    ),
}


def the_count(process: BudgetProcess) -> str:
    parts = [str(RULES[CountingRule(process.rule)])]
    if process.rule == CountingRule.MES:
        parts.append(str(COMPLETIONS[Completion(process.completion)]))
    parts.append(str(TIE_BREAKS[TieBreak(process.tie_break)]))
    return " ".join(parts)


def changing(process: BudgetProcess) -> str:
    if process.may_change_ballot:
        return _("You can change your vote until the voting closes; only your last vote counts.")
    return _("Your vote is final: you cannot change it after casting it.")


def rules_in_words(process: BudgetProcess) -> list[str]:
    """The round's rules, one plain sentence each, in the current language."""
    return [
        who_may_vote(process),
        ballot_access(process),
        the_ballot(process),
        the_count(process),
        changing(process),
    ]
