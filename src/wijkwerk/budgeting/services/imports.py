"""A finished round from a real election: a pabulib `.pb` file's plans and anonymous ballots,
counted by the file's rule (`manage.py import_pabulib`, and the demo's imported round).

The file is read and checked by `wijkwerk.counting.read_pb` (its errors name the line). The round
is written through `rounds.process_save`, its plans and ballots in bulk, closed and counted by
`results.count_now` in one transaction: a file that fails anywhere saves nothing. Imported
ballots are anonymous from the start: no participation, no receipt, no change key, no time.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijkwerk.core import audit
from wijkwerk.core.language import site_language
from wijkwerk.counting import META_RULES, Election
from wijkwerk.funds.models import Category

from ..audit_actions import BudgetAction
from ..models import (
    Ballot,
    BallotType,
    BudgetProcess,
    Channel,
    CountingRule,
    Plan,
)
from ..refusals import BudgetRefused
from ..states import FeasibilityVerdict, PlanStatus, ProcessStatus
from .rounds import AreaBudget, PhaseDates, process_save

# pabulib's vote types that are a ballot of ours; ordinal (a ranking) and scoring (a score per
# project, no total) are not.
SUPPORTED_VOTE_TYPES = ("approval", "choose-1", "cumulative")
# How long an imported round's result phase lasts after its voting (the file has no date for it).
RESULT_DAYS = 28
BATCH = 2_000

_DAY = re.compile(r"^(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Imported:
    process: BudgetProcess
    plans: int
    ballots: int


def meta_rule(name: str) -> tuple[str, str]:
    """A pabulib rule name (`greedy`, `equalshares/add1`, …) as our rule and completion."""
    key = name.strip().lower()
    base = META_RULES.get(key)
    if base is None:
        raise BudgetRefused(
            _("The rule %(rule)s is not one wijkwerk counts with (use one of %(known)s).")
            % {
                "rule": name,
                "known": ", ".join(r for r, v in META_RULES.items() if v[2] == "none"),
            },
            "import",
        )
    rule, completion, comparison = base
    if comparison != "none":
        raise BudgetRefused(
            _(
                "The rule %(rule)s compares equal shares with greedy at the end; wijkwerk's rounds "
                "do not (choose a rule without the comparison)."
            )
            % {"rule": name},
            "import",
        )
    return rule, completion


def _cents(amount: Any, what: str) -> int:
    cents = Fraction(amount) * 100
    if cents.denominator != 1:
        raise BudgetRefused(
            _("%(what)s is not a whole number of cents.") % {"what": what}, "import"
        )
    return int(cents)


def _day(text: str, *, end: bool) -> datetime.date | None:
    """A pabulib date (`20.11.2025`, `2025-11-20` or a year): its first day, or with `end` the
    day after its last."""
    text = text.strip()
    if match := _DAY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _YEAR.match(text):
        year = int(match.group(1))
        return datetime.date(year + 1, 1, 1) if end else datetime.date(year, 1, 1)
    else:
        return None
    try:
        found = datetime.date(year, month, day)
    except ValueError:
        return None
    return found + datetime.timedelta(days=1) if end else found


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def voting_days(election: Election) -> tuple[datetime.date, datetime.date]:
    """The voting's first day and the day after its last, from META date_begin/date_end; a file
    without them voted in the four weeks ending six weeks ago."""
    begin = _day(election.meta.get("date_begin", ""), end=False)
    end = _day(election.meta.get("date_end", ""), end=True)
    if begin and not end:
        end = begin + datetime.timedelta(days=14)
    if end and not begin:
        begin = end - datetime.timedelta(days=14)
    if begin is None or end is None or end <= begin:
        end = timezone.localdate() - datetime.timedelta(days=42)
        begin = end - datetime.timedelta(days=28)
    return begin, end


def _period(begin: datetime.date, end: datetime.date) -> str:
    last = end - datetime.timedelta(days=1)
    if (begin.month, begin.day) == (1, 1) and (last.month, last.day) == (12, 31):
        return str(begin.year) if begin.year == last.year else f"{begin.year}–{last.year}"
    return f"{date_format(begin, 'DATE_FORMAT')} – {date_format(last, 'DATE_FORMAT')}"


def default_title(election: Election, stem: str) -> str:
    """META description with the year: "Assen Top Idee 2025", "West Begroot 2020"."""
    meta = election.meta
    base = meta.get("description", "").strip() or stem
    instance = meta.get("instance", "").strip()
    year = instance if _YEAR.match(instance) else str(voting_days(election)[0].year)
    title = base if year in base else f"{base} {year}"
    return title[:150]


def _place(election: Election) -> str:
    meta = election.meta
    parts = [meta.get("unit", "").strip()]
    for key in ("subunit", "district"):
        value = meta.get(key, "").strip()
        if value and value not in parts:
            parts.append(value)
    return " ".join(p for p in parts if p) or meta.get("country", "").strip()


def _coordinate(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip()).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None
    return value if abs(value) <= 180 else None


def _ballot_type(election: Election) -> tuple[str, int, int | None, int | None]:
    """(ballot type, at least, at most, points) of the file's ballots."""
    meta = election.meta
    vote_type = election.vote_type
    if vote_type not in SUPPORTED_VOTE_TYPES:
        raise BudgetRefused(
            _(
                "The file's ballots are of the type %(type)s; wijkwerk's ballots choose plans "
                "(approval, choose-1) or divide points (cumulative)."
            )
            % {"type": vote_type},
            "import",
        )

    def number(key: str) -> int | None:
        value = meta.get(key, "").strip()
        return int(value) if value.isdigit() else None

    least = number("min_length")
    most = 1 if vote_type == "choose-1" else number("max_length")
    if least is None:
        least = 0 if any(not ballot.projects for ballot in election.ballots) else 1
    if most is not None and most < least:
        most = least
    if vote_type == "cumulative":
        points = number("max_sum_points") or max(
            (sum(ballot.points or ()) for ballot in election.ballots), default=1
        )
        return BallotType.CUMULATIVE, least, most, points
    if meta.get("max_sum_cost", "").strip():
        return BallotType.KNAPSACK, least, most, None
    return BallotType.APPROVAL, least, most, None


def election_import(
    *,
    actor: Any,
    election: Election,
    area: Any,
    source_file: str,
    title: str | None = None,
    rule: str | None = None,
    any_currency: bool = False,
) -> Imported:
    """Create a counted round for `area` from an election read by `read_pb`: its plans, its
    ballots (anonymous, channel imported) and its count by the file's rule (or `rule`, a
    pabulib name such as `greedy-no-skip`)."""
    currency = election.meta.get("currency", "").strip().upper()
    if currency and currency != "EUR" and not any_currency:
        raise BudgetRefused(
            _("The file counts in %(currency)s; wijkwerk's rounds are in euros.")
            % {"currency": currency},
            "import",
        )
    if election.weighted:  # a ballot of the round weighs 1, or by its channel at the count
        raise BudgetRefused(
            _(
                "The file's ballots have weights (a weight column): wijkwerk imports ballots "
                "that each count once."
            ),
            "import",
        )
    meta_name = election.meta.get("rule", "").strip()
    if rule is None and meta_name.lower() in ("", "unknown"):
        rule = "greedy"
    counting_rule, completion = meta_rule(rule or meta_name)
    ballot_type, least, most, points = _ballot_type(election)
    budget = _cents(election.budget, _("The budget"))
    if budget <= 0:
        raise BudgetRefused(_("The file's budget is zero."), "import")
    costs = [
        _cents(project.cost, _("The cost of project %(id)s") % {"id": project.id})
        for project in election.projects
    ]
    if not election.projects:
        raise BudgetRefused(_("The file has no projects."), "import")
    for project in election.projects:
        if len(project.id) > 40:
            raise BudgetRefused(
                _("The project id %(id)s is longer than 40 characters.") % {"id": project.id},
                "import",
            )
    if BudgetProcess.objects.filter(source_file=source_file, process_areas__area=area).exists():
        raise BudgetRefused(
            _("%(file)s was imported into %(area)s before.")
            % {"file": source_file, "area": area.name},
            "import",
        )
    begin, end = voting_days(election)
    meta = election.meta
    with site_language():
        description = _(
            "Real votes from %(place)s: the plans and ballots of %(name)s (%(period)s), from the "
            "public pabulib file %(file)s, counted again here by that round's rule."
        ) % {
            "place": _place(election) or area.name,
            "name": meta.get("description", "").strip() or source_file,
            "period": _period(begin, end),
            "file": source_file,
        }
    process = BudgetProcess(
        municipality=area.municipality,
        title=(title or default_title(election, source_file.rsplit(".", 1)[0]))[:150],
        description=description,
        status=ProcessStatus.CLOSED,
        budget_cents=budget,
        likes_threshold=0,
        ballot_type=ballot_type,
        min_choices=least,
        max_choices=most,
        points=points,
        may_change_ballot=False,
        rule=counting_rule,
        completion=completion if counting_rule == CountingRule.MES else "none",
        source_file=source_file,
    )
    voting_start, voting_end = _moment(begin), _moment(end)
    phases = [
        PhaseDates("voting", voting_start, voting_end),
        PhaseDates("result", voting_end, voting_end + datetime.timedelta(days=RESULT_DAYS)),
    ]
    categories = {
        category.name.lower(): category
        for category in Category.objects.filter(municipality=area.municipality)
    }
    with transaction.atomic():
        process = process_save(
            actor=actor, process=process, areas=[AreaBudget(area, budget)], phases=phases
        )
        # the voting closed at the end of its last day
        process.closed_at = voting_end - datetime.timedelta(seconds=1)
        process.save(update_fields=["closed_at"])
        plans = Plan.objects.bulk_create(
            _plan(process, area, project, cost, categories)
            for project, cost in zip(election.projects, costs, strict=True)
        )
        plan_ids = [plan.pk for plan in plans]
        choices: list[list[list[int]]] = []
        for ballot in election.ballots:
            given = ballot.points or (1,) * len(ballot.projects)
            choices.append(
                sorted(
                    [plan_ids[k], int(p)]
                    for k, p in zip(ballot.projects, given, strict=True)
                    if p > 0
                )
            )
        Ballot.objects.bulk_create(
            (
                Ballot(
                    process=process,
                    area=area,
                    choices=choices[b],
                    channel=Channel.IMPORTED,
                )
                for b in election.voter_ballot
            ),
            batch_size=BATCH,
        )
        audit.record(
            actor=actor,
            action=BudgetAction.PROCESS_IMPORT,
            instance=process,
            after={
                "source_file": source_file,
                "ballots": election.num_voters,
                "plans": len(plans),
            },
        )
        from .results import count_now

        count_now(process, actor=actor)
    process.refresh_from_db()
    return Imported(process=process, plans=len(plans), ballots=election.num_voters)


def _plan(
    process: BudgetProcess,
    area: Any,
    project: Any,
    cost: int,
    categories: dict[str, Category],
) -> Plan:
    extra = project.extra
    name = project.name.strip() or _("Project %(id)s") % {"id": project.id}
    title = name if len(name) <= 150 else name[:149] + "…"
    description = extra.get("description", "").strip()
    if title != name:
        description = f"{name}\n\n{description}".strip()
    latitude = _coordinate(extra.get("latitude", ""))
    longitude = _coordinate(extra.get("longitude", ""))
    return Plan(
        process=process,
        area=area,
        title=title,
        summary=_shorten(description, 300),
        description=description,
        category=categories.get(extra.get("category", "").strip().lower()),
        latitude=latitude if latitude is not None and longitude is not None else None,
        longitude=longitude if latitude is not None and longitude is not None else None,
        estimated_cost_cents=cost,
        municipal_cost_cents=cost,
        status=PlanStatus.PUBLISHED,
        feasibility=FeasibilityVerdict.FEASIBLE,
        project_id=project.id,
    )


def _shorten(text: str, length: int) -> str:
    """The first paragraph of `text`, cut at a word to at most `length` characters."""
    first = text.split("\n", 1)[0].strip()
    if len(first) <= length:
        return first
    return first[: length - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
