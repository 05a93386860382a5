"""The count: after the close, in the task worker, through `wijkwerk.counting`.

`voting_close` queues `count_round` (`enqueue_count`, once the close is committed); the worker
runs `count_now`, which the pabulib import and the administrator's recount call directly. Each
area of the round is one election (one `.pb` file, as pabulib keeps one file per district): its
plans as they stood on the ballot and the voted ones, its ballots numbered 1..n in random order
(no link to anyone), META in pabulib's conventions with the rule in pabulib's names. The engine
counts it under the round's rule, completion and tie-breaking; the file is written again with a
`selected` column and kept with its SHA-256, so that `wijkwerk count FILE`, pabutools or
equalshares.net reproduce the result from the file alone.

Funded plans of a round that is not imported and has a fund become approved initiatives
(`initiatives.services.initiative_award`): the plan's own initiative where it was entered with
one, else a new one, the plan's author its applicant (the area's broker for a plan without
one), its cost committed in the round's fund. A plan the fund cannot pay (more than the scheme
allows per initiative, a fund that does not cover the area or lacks the money) stays funded in
the result and gets its reason in the result's figures; a recount after the fund or scheme is
put right funds it then. A recount replaces the results and funds no plan twice.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.core import audit
from wijkwerk.core.actors import COUNT
from wijkwerk.core.language import site_language
from wijkwerk.core.money import format_money
from wijkwerk.counting import Ballot as EngineBallot
from wijkwerk.counting import Election, Outcome, Project, count, format_amount, write_pb
from wijkwerk.counting.model import normalize_amount
from wijkwerk.funds.selectors import fund_covers_area, fund_figures
from wijkwerk.initiatives import services as initiative_services
from wijkwerk.initiatives.models import Initiative

from ..audit_actions import BudgetAction
from ..explanations import render, statement_from_json
from ..models import (
    AreaResult,
    Ballot,
    BallotType,
    BudgetProcess,
    Channel,
    CountingRule,
    Participation,
    Plan,
    ProcessArea,
)
from ..notifications import notify_results_published
from ..paper_selectors import outstanding as outstanding_paper
from ..refusals import BudgetRefused
from ..selectors import ballot_plans
from ..states import VOTING_ENDED, ProcessStatus

# The round's rule and completion under pabulib's META `rule` names (engine.META_RULES reads
# them back).
PB_RULES: dict[tuple[str, str], str] = {
    (CountingRule.GREEDY, "none"): "greedy",
    (CountingRule.GREEDY_NO_SKIP, "none"): "greedy-no-skip",
    (CountingRule.MES, "none"): "equalshares",
    (CountingRule.MES, "add1"): "equalshares/add1",
    (CountingRule.MES, "add1-exhaustive"): "equalshares/add1-exhaustive",
    (CountingRule.MES, "add1u"): "equalshares/add1u",
}
NO_CATEGORY = ""


def engine_settings(process: BudgetProcess) -> dict[str, str]:
    """The engine's `count` settings of the round: rule, completion (MES only), tie-break."""
    completion = process.completion if process.rule == CountingRule.MES else "none"
    return {"rule": process.rule, "completion": completion, "tie_break": process.tie_break}


def pabulib_rule(process: BudgetProcess) -> str:
    chosen = engine_settings(process)
    return PB_RULES[(chosen["rule"], chosen["completion"])]


def recount_command(process: BudgetProcess, filename: str = "bestand.pb") -> str:
    """The command that recounts an area's file as the round was counted (the file's META
    names the rule; the tie-break list is the round's)."""
    chosen = engine_settings(process)
    command = f"wijkwerk count {filename}"
    if chosen["tie_break"] != "min-cost,max-votes,file-order":
        command += f" --tie-break {chosen['tie_break']}"
    return command


def pb_filename(process: BudgetProcess, area: Any) -> str:
    return f"{process.municipality.slug}-{process.slug}-{area.slug}.pb"


def _euros(cents: int) -> Any:
    return normalize_amount(Fraction(cents, 100))


def _day(moment: Any) -> str:
    """A day as pabulib writes it (`dd.mm.yyyy`)."""
    return timezone.localtime(moment).strftime("%d.%m.%Y") if moment else ""


@dataclass
class AreaCount:
    """One area's election, counted, with its ballots per channel and their weights."""

    process_area: ProcessArea
    plans: list[Plan]
    election: Election
    outcome: Outcome
    pb_text: str
    pb_sha256: str
    channels: dict[str, int] = field(default_factory=dict)
    weights: dict[str, int] | None = None
    paper_share: int | None = None


def channel_weights(paper_share: int | None, channels: Mapping[str, int]) -> dict[str, int] | None:
    """The whole weights of a paper and an other (online, imported) ballot under the round's
    `paper_share` (percent of the count for the paper ballots), or None: every ballot weighs 1
    (no share set, or only one of the two kinds has ballots).

    The paper ballots together weigh exactly `p`% and the others `100 - p`%: with `P` paper and
    `O` other ballots a paper ballot weighs `p * O` and another `(100 - p) * P`, both divided by
    their greatest common divisor (docs/budgeting.md, "Paper and online ballots")."""
    paper = channels.get(Channel.PAPER, 0)
    other = sum(n for channel, n in channels.items() if channel != Channel.PAPER)
    if paper_share is None or not paper or not other:
        return None
    paper_weight, other_weight = paper_share * other, (100 - paper_share) * paper
    divisor = math.gcd(paper_weight, other_weight)
    return {"paper": paper_weight // divisor, "other": other_weight // divisor}


def area_plans(process: BudgetProcess, area: Any, voted: Iterable[int]) -> list[Plan]:
    """The plans of an area's election: those on its ballot and any a ballot voted for that is
    no longer on it (hidden during the voting): each voted plan is a project of the file."""
    on_ballot = list(ballot_plans(process, area))
    known = {plan.pk for plan in on_ballot}
    missing = set(voted) - known
    if missing:
        on_ballot += list(
            Plan.objects.filter(process=process, area=area, pk__in=missing)
            .select_related("category")
            .order_by("title", "id")
        )
    return on_ballot


def build_election(
    process: BudgetProcess, process_area: ProcessArea
) -> tuple[Election, list[Plan], dict[str, int], dict[str, int] | None]:
    """The area's election: its plans (cost in euros, exactly), its ballots numbered 1..n in
    the order of their random keys (a random order that no one chose, the same at every
    recount, so that a recount writes the same file), META in pabulib's conventions; with the
    number of ballots per channel and, under the round's `paper_share`, the weights of a paper
    and another ballot (`channel_weights`), which the file carries in a `weight` column."""
    area = process_area.area
    ballot_rows = list(
        Ballot.objects.filter(process=process, area=area)
        .order_by("id")
        .values_list("choices", "channel")
    )
    rows = [choices for choices, _channel in ballot_rows]
    channels = dict(Counter(channel for _choices, channel in ballot_rows))
    weights = channel_weights(process.paper_share, channels)
    voted = {plan_id for choices in rows for plan_id, _points in choices}
    plans = area_plans(process, area, voted)
    index = {plan.pk: i for i, plan in enumerate(plans)}
    cumulative = process.ballot_type == BallotType.CUMULATIVE
    ballots: list[EngineBallot] = []
    ballot_of: dict[tuple[Any, ...], int] = {}
    voter_ballot: list[int] = []
    for choices in rows:
        chosen = sorted(
            (index[plan_id], int(points))
            for plan_id, points in choices
            if plan_id in index and int(points) > 0
        )
        key = tuple(chosen)
        b = ballot_of.get(key)
        if b is None:
            b = ballot_of[key] = len(ballots)
            ballots.append(
                EngineBallot(
                    tuple(p for p, _points in chosen),
                    tuple(pt for _p, pt in chosen) if cumulative else None,
                )
            )
        voter_ballot.append(b)
    with_category = any(plan.category_id for plan in plans)
    projects = [
        Project(
            plan.project_id,
            _euros(plan.cost_cents),
            plan.title,
            {"category": plan.category.name} if with_category and plan.category else {},
        )
        for plan in plans
    ]
    vote_type = "cumulative" if cumulative else "approval"
    voting = next((p for p in process.phases.all() if p.kind == "voting"), None)
    meta = {
        "description": f"{process.title}: {area.name}",
        "country": "Netherlands",
        "unit": process.municipality.name,
        "subunit": area.name,
        "instance": str(timezone.localdate(process.closed_at or timezone.now()).year),
        "num_projects": str(len(projects)),
        "num_votes": str(len(voter_ballot)),
        "budget": format_amount(_euros(process_area.budget_cents)),
        "currency": "EUR",
        "vote_type": vote_type,
        "rule": pabulib_rule(process),
    }
    lengths = [len(ballot.projects) for ballot in ballots]
    if process.min_choices and all(n >= process.min_choices for n in lengths):
        meta["min_length"] = str(process.min_choices)
    if process.max_choices is not None and all(n <= process.max_choices for n in lengths):
        meta["max_length"] = str(process.max_choices)
    if cumulative and process.points:
        meta["max_sum_points"] = str(process.points)
    if process.ballot_type == BallotType.KNAPSACK:
        meta["max_sum_cost"] = meta["budget"]
    if voting is not None:
        meta["date_begin"] = _day(voting.starts_at)
        meta["date_end"] = _day(process.closed_at or voting.ends_at)
    meta["language"] = "nl"
    if weights is not None:
        meta["comment"] = (
            f"Paper ballots weigh {weights['paper']} and online ballots {weights['other']} "
            f"(VOTES column weight), so that the paper ballots together count for "
            f"{process.paper_share}% and the online ballots for {100 - (process.paper_share or 0)}"
            "%."
        )
    election = Election(
        meta=meta,
        projects=projects,
        ballots=ballots,
        voter_ids=[str(n) for n in range(1, len(voter_ballot) + 1)],
        voter_ballot=voter_ballot,
        vote_type=vote_type,
        budget=_euros(process_area.budget_cents),
        project_columns=["project_id", "cost", "name", *(["category"] if with_category else [])],
        voter_weights=None
        if weights is None
        else [
            weights["paper"] if channel == Channel.PAPER else weights["other"]
            for _choices, channel in ballot_rows
        ],
    )
    return election, plans, channels, weights


def with_selected(election: Election, outcome: Outcome) -> Election:
    """The election with pabulib's `votes` and `selected` columns in PROJECTS (1 funded, 0 not)."""
    selected = set(outcome.selected)
    # pabulib's number of votes: ballots, unweighted (the weights are in VOTES)
    votes = dataclasses.replace(election, voter_weights=None).supporters()
    columns = ["project_id", "cost", "votes", *election.project_columns[2:], "selected"]
    projects = [
        Project(
            project.id,
            project.cost,
            project.name,
            {
                **project.extra,
                "votes": str(votes[i]),
                "selected": "1" if project.id in selected else "0",
            },
        )
        for i, project in enumerate(election.projects)
    ]
    return Election(
        meta=election.meta,
        projects=projects,
        ballots=election.ballots,
        voter_ids=election.voter_ids,
        voter_ballot=election.voter_ballot,
        vote_type=election.vote_type,
        budget=election.budget,
        project_columns=columns,
        voter_weights=election.voter_weights,
    )


def count_area(process: BudgetProcess, process_area: ProcessArea) -> AreaCount:
    election, plans, channels, weights = build_election(process, process_area)
    chosen = engine_settings(process)
    outcome = count(
        election,
        rule=chosen["rule"],
        completion=chosen["completion"],
        tie_break=chosen["tie_break"],
    )
    text = write_pb(with_selected(election, outcome))
    return AreaCount(
        process_area=process_area,
        plans=plans,
        election=election,
        outcome=outcome,
        pb_text=text,
        pb_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        channels=channels,
        weights=weights,
        paper_share=process.paper_share,
    )


def _turnout(process: BudgetProcess) -> dict[int, dict[str, int]]:
    """Voters per area and age band, from the register of who voted (never the ballots)."""
    per_area: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Participation.objects.filter(process=process).values_list("area_id", "age_band").order_by()
    )
    for (area_id, band), n in Counter(rows).items():
        per_area[area_id][band or ""] = n
    return per_area


def figures(counted: AreaCount, turnout: dict[str, int]) -> dict[str, Any]:
    """What the result page draws for an area, in whole cents and counts."""
    by_project = {plan.project_id: plan for plan in counted.plans}
    outcome = counted.outcome.to_json()
    scores = counted.election.scores()
    weighted = counted.election.weighted
    if weighted:  # each plan's ballots, unweighted
        ballots = dataclasses.replace(counted.election, voter_weights=None).supporters()
    plans = []
    money: dict[str, int] = defaultdict(int)
    for i, project in enumerate(outcome["projects"]):
        plan = by_project[project["project_id"]]
        cost = plan.cost_cents
        category = plan.category.name if plan.category else NO_CATEGORY
        plans.append(
            {
                "plan": plan.pk,
                "project_id": plan.project_id,
                "title": plan.title,
                "cost_cents": cost,
                "votes": project["votes"],
                "score": scores[i],
                "funded": project["funded"],
                "category": category,
                **({"ballots": ballots[i]} if weighted else {}),
            }
        )
        if project["funded"]:
            money[category] += cost
    plans.sort(key=lambda p: (not p["funded"], -p["score"], p["cost_cents"], p["title"]))
    return {
        "budget_cents": counted.process_area.budget_cents,
        "spent_cents": sum(p["cost_cents"] for p in plans if p["funded"]),
        "voters": counted.election.num_voters,
        "plans": plans,
        "categories": sorted(money.items(), key=lambda item: (-item[1], item[0])),
        "turnout": sorted(turnout.items()),
        "funding": {},
        **channel_figures(counted),
    }


def channel_figures(counted: AreaCount) -> dict[str, Any]:
    """The ballots per channel (online, paper, imported; those with ballots) and the weights:
    `weights` {"paper_share", "paper", "online"} when the count weighed the channels, else None;
    `paper_share_unused`: the round has a paper share but only one channel had ballots, so every
    ballot weighed 1. With weights, each plan's `ballots`: its ballots, unweighted."""
    channels = [
        {"channel": str(channel), "ballots": counted.channels[channel]}
        for channel in Channel.values
        if counted.channels.get(channel)
    ]
    share = counted.paper_share
    weights = counted.weights
    return {
        "channels": channels,
        "weights": None
        if weights is None
        else {"paper_share": share, "paper": weights["paper"], "online": weights["other"]},
        "paper_share_unused": share is not None and weights is None,
    }


# --- Funded plans as initiatives ------------------------------------------------------------


def _broker_of(area: Any) -> Any | None:
    """The broker of the area, or of the nearest area it lies in."""
    lineage = area.lineage_ids
    assignments = RoleAssignment.objects.filter(
        role=Role.BROKER, area_id__in=lineage
    ).select_related("user")
    nearest = sorted(assignments, key=lambda a: (lineage.index(a.area_id or 0), a.pk))
    return nearest[0].user if nearest else None


def _is_person(actor: Any) -> bool:
    return bool(getattr(actor, "pk", None)) and not getattr(actor, "is_system", False)


def _reasons(process: BudgetProcess, counted: AreaCount, project: dict[str, Any]) -> str:
    """The decision's reasons: the count (in the site's language, as records are written)."""
    url = settings.WIJKWERK_BASE_URL.rstrip("/") + reverse(
        "budgeting:result", kwargs={"pk": process.pk}
    )
    explanation = render(statement_from_json(project), money=True)
    return _(
        "Residents chose this plan in the vote of %(round)s in %(area)s, with %(votes)s votes. "
        "The votes were counted on %(date)s by the rule of the round (%(rule)s): %(explanation)s "
        "The ballots file of %(area)s (SHA-256 %(sha)s) is published with the result at "
        "%(url)s, so that anyone can count it again."
    ) % {
        "round": process.title,
        "area": counted.process_area.area.name,
        "votes": project["votes"],
        "date": date_format(timezone.localdate(), "DATE_FORMAT"),
        "rule": rule_name(process),
        "explanation": explanation,
        "sha": counted.pb_sha256,
        "url": url,
    }


def _fund_plan(
    process: BudgetProcess, counted: AreaCount, plan: Plan, project: dict[str, Any], actor: Any
) -> tuple[Initiative | None, str]:
    """Make a funded plan an approved initiative; (the initiative, "") or (None, why not)."""
    assert process.fund is not None
    area = counted.process_area.area
    existing = plan.initiative
    if existing is not None and existing.status_changes.filter(action="award").exists():
        return existing, ""  # funded by this vote at an earlier count
    broker = _broker_of(area)
    applicant = plan.author or broker
    booker = actor if _is_person(actor) else (broker or process.created_by)
    if applicant is None or booker is None:
        return None, _(
            "%(area)s has no broker to carry out a plan without an author: assign one and "
            "count again."
        ) % {"area": area.name}
    award = initiative_services.Award(
        title=plan.title,
        summary=plan.summary,
        description=plan.description,
        area=plan.area,
        applicant=applicant,
        fund=process.fund,
        amount_cents=plan.cost_cents,
        reasons=_reasons(process, counted, project),
        booker=booker,
        official=broker,
        category=plan.category,
        address=plan.address,
        latitude=plan.latitude,
        longitude=plan.longitude,
        submitted_at=plan.created_at,
        budget_line=plan.title,
    )
    try:
        with transaction.atomic():
            initiative = initiative_services.initiative_award(
                actor=actor, award=award, initiative=existing
            )
    except ValidationError as refused:
        return None, " ".join(refused.messages)
    except PermissionDenied:
        return None, _("%(name)s may not book money for %(area)s.") % {
            "name": booker.display_name,
            "area": area.name,
        }
    plan.initiative = initiative
    plan.save(update_fields=["initiative"])
    audit.record(
        actor=actor,
        action=BudgetAction.PLAN_FUNDED,
        instance=plan,
        after={"initiative": initiative.pk},
    )
    return initiative, ""


def funding_warnings(process: BudgetProcess) -> list[str]:
    """What would keep funded plans from becoming initiatives, said before the vote (for the
    round's set-up and feasibility pages): a plan on a ballot that costs more than the fund's
    scheme grants per initiative, an area the fund does not cover, a fund with less money
    available than the round's budget. Empty for a round without a fund or an imported one."""
    fund = process.fund
    if fund is None or process.source_file:
        return []
    scheme = fund.scheme
    warnings = []
    for process_area in process.process_areas.select_related("area__parent__parent"):
        area = process_area.area
        if not fund_covers_area(fund, area):
            warnings.append(
                _("The fund %(fund)s does not cover %(area)s.") % {"fund": fund, "area": area.name}
            )
        for plan in ballot_plans(process, area):
            if plan.cost_cents > scheme.max_per_initiative_cents:
                warnings.append(
                    _(
                        "“%(title)s” costs %(amount)s, but %(scheme)s grants at most %(max)s per "
                        "initiative: if it is funded, it cannot be paid from %(fund)s."
                    )
                    % {
                        "title": plan.title,
                        "amount": format_money(plan.cost_cents),
                        "scheme": scheme.name,
                        "max": format_money(scheme.max_per_initiative_cents),
                        "fund": fund,
                    }
                )
    available = fund_figures(fund).available
    if available < process.budget_cents:
        warnings.append(
            _("The fund %(fund)s has %(available)s available, less than the round's %(budget)s.")
            % {
                "fund": fund,
                "available": format_money(available),
                "budget": format_money(process.budget_cents),
            }
        )
    return warnings


# --- The count ------------------------------------------------------------------------------


def count_now(process: BudgetProcess, *, actor: Any) -> list[AreaResult]:
    """Count every area of a closed round apart, keep the results and their files, fund the
    funded plans; the round is counted. A recount replaces the results (the same ballots give
    the same result) and funds only what was not funded yet."""
    with transaction.atomic():
        process = (
            BudgetProcess.objects.select_for_update(of=("self",))
            .select_related("municipality", "fund__scheme")
            .get(pk=process.pk)
        )
        if process.status not in VOTING_ENDED:
            raise BudgetRefused(
                _("The voting in %(round)s has not been closed yet: it cannot be counted.")
                % {"round": process.title},
                "not_closed",
            )
        waiting = outstanding_paper(process)
        if waiting:
            raise BudgetRefused(
                ngettext(
                    "%(n)s paper ballot still waits for its second entry or a third official: "
                    "the votes cannot be counted yet.",
                    "%(n)s paper ballots still wait for their second entry or a third official: "
                    "the votes cannot be counted yet.",
                    waiting,
                )
                % {"n": waiting},
                "paper_pending",
            )
        areas = list(process.process_areas.select_related("area__parent__parent"))
        turnout = _turnout(process)
        now = timezone.now()
        results: list[AreaResult] = []
        selected: list[str] = []
        hashes: list[str] = []
        funds_plans = process.fund_id is not None and not process.source_file
        for process_area in areas:
            counted = count_area(process, process_area)
            outcome = counted.outcome.to_json()
            drawn = figures(counted, turnout.get(process_area.area_id, {}))
            if funds_plans:
                by_project = {plan.project_id: plan for plan in counted.plans}
                with site_language():
                    for project in outcome["projects"]:
                        if not project["funded"]:
                            continue
                        plan = by_project[project["project_id"]]
                        initiative, problem = _fund_plan(process, counted, plan, project, actor)
                        drawn["funding"][plan.project_id] = {
                            "initiative": initiative.pk if initiative else None,
                            "problem": problem,
                        }
            result, _created = AreaResult.objects.update_or_create(
                process=process,
                area=process_area.area,
                defaults={
                    "counted_at": now,
                    "voters": counted.election.num_voters,
                    "outcome": outcome,
                    "pb_text": counted.pb_text,
                    "pb_sha256": counted.pb_sha256,
                    "figures": drawn,
                },
            )
            results.append(result)
            selected += [
                f"{process_area.area.name}: {project['name']}"
                for project in outcome["projects"]
                if project["funded"]
            ]
            hashes.append(f"{process_area.area.name}: {counted.pb_sha256}")
        AreaResult.objects.filter(process=process).exclude(
            area_id__in=[a.area_id for a in areas]
        ).delete()
        before = {"status": process.status}
        process.status = ProcessStatus.COUNTED
        process.counted_at = now
        process.save(update_fields=["status", "counted_at"])
        audit.record(
            actor=actor,
            action=BudgetAction.PROCESS_COUNT,
            instance=process,
            before=before,
            after={
                "status": process.status,
                "selected": "; ".join(selected) or "–",
                "pb_sha256": "; ".join(hashes),
            },
        )
        if before["status"] != ProcessStatus.COUNTED:  # a recount tells no one again
            notify_results_published(process, actor=actor)
        transaction.on_commit(functools.partial(_warm, process.pk))
    return results


def _warm(process_id: int) -> None:
    from ..result_sections import warm  # the page's rendering, which imports this module

    warm(process_id)


@task()
def count_round(*, process_id: int) -> None:
    """The task worker's count of a closed round (queued by `enqueue_count`)."""
    process = BudgetProcess.objects.filter(pk=process_id).first()
    if process is None or process.status != ProcessStatus.CLOSED:
        return  # gone, or counted already
    if outstanding_paper(process):
        return  # the last paper ballot's entry queues the count again (services/paper.py)
    count_now(process, actor=COUNT)


def _enqueue(process_id: int) -> None:
    count_round.enqueue(process_id=process_id)


def enqueue_count(process: BudgetProcess) -> None:
    """Queue the count of a closed round once the close is committed."""
    process_id = process.pk
    transaction.on_commit(lambda: _enqueue(process_id))


# --- Words ----------------------------------------------------------------------------------


def rule_name(process: BudgetProcess) -> str:
    """The rule's short name in the active language."""
    return str(process.get_rule_display())


def rule_explained(process: BudgetProcess) -> list[str]:
    """The round's rule in plain words, one paragraph each."""
    chosen = engine_settings(process)
    texts: list[str] = []
    if chosen["rule"] == CountingRule.GREEDY:
        texts.append(
            _(
                "The plans were ranked by their number of votes. Starting with the plan with the "
                "most votes, each plan was funded if the money left was enough for it; a plan "
                "that did not fit was skipped, and the next one was tried."
            )
        )
    elif chosen["rule"] == CountingRule.GREEDY_NO_SKIP:
        texts.append(
            _(
                "The plans were ranked by their number of votes. Starting with the plan with the "
                "most votes, each plan was funded as long as the money left was enough; the "
                "count stopped at the first plan that did not fit."
            )
        )
    else:
        texts.append(
            _(
                "The Method of Equal Shares: the budget was divided equally among the voters. A "
                "plan was funded when its supporters together could pay for it from their "
                "shares, each paying as equal a part as possible. Round by round the plan that "
                "cost its supporters the least per voter was funded first. So a plan with fewer "
                "votes can be funded when its supporters have not had anything funded yet."
            )
        )
        if chosen["completion"] == "add1":
            texts.append(
                _(
                    "Because equal shares usually leaves money over, the count was repeated with "
                    "each voter's share raised step by step, as long as the funded plans still "
                    "fitted the budget (completion Add1)."
                )
            )
        elif chosen["completion"] == "add1-exhaustive":
            texts.append(
                _(
                    "Because equal shares usually leaves money over, the count was repeated with "
                    "each voter's share raised step by step, until no other plan fitted the "
                    "budget (completion Add1, exhaustive)."
                )
            )
        elif chosen["completion"] == "add1u":
            texts.append(
                _(
                    "Because equal shares usually leaves money over, the count was repeated with "
                    "each voter's share raised step by step; what was still left went to the "
                    "plans with the most votes that fitted (completion Add1U)."
                )
            )
    if process.ballot_type == BallotType.CUMULATIVE:
        texts.append(_("Voters divided points over the plans: a plan's points count as its votes."))
    texts.append(
        _("When two plans were equal, %(tie_break)s went first.")
        % {"tie_break": process.get_tie_break_display()}
    )
    return texts
