"""The demo's neighbourhood budget rounds (data/budgeting.toml) and one real election.

Each round is taken through the budgeting services by whoever takes the step in real life: the
demo sets the round up and publishes it, residents submit and like plans while its ideas phase
runs, the area's broker or coordinator merges, hides and records feasibility, the round's
schedule then moves on to the phase it shows, residents vote through `ballot_cast`, and a counted
round is closed by the administrator and counted through the results service as the task worker
counts (its funded plans become approved initiatives).
So the audit trail, the register of who voted and the ballots are the platform's own.

The imported round is a real election from `../shared/pabulib` (beside the repository, or where
`WIJKWERK_PABULIB_DIR` points), read at load time and never copied into the repository; without
that directory the demo goes on without it and says so.

Loading again skips a round its municipality already has (by title).
"""

from __future__ import annotations

import datetime
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wijkwerk.accounts.models import User
from wijkwerk.accounts.profile_services import profile_update
from wijkwerk.areas.models import Area, Municipality
from wijkwerk.budgeting.eligibility import account_voter
from wijkwerk.budgeting.models import KINDS, BudgetProcess, Plan
from wijkwerk.budgeting.services import plans as plan_services
from wijkwerk.budgeting.services.imports import election_import
from wijkwerk.budgeting.services.results import count_now
from wijkwerk.budgeting.services.rounds import (
    AreaBudget,
    PhaseDates,
    process_publish,
    process_save,
)
from wijkwerk.budgeting.services.voting import ballot_cast, voting_close
from wijkwerk.budgeting.states import FeasibilityVerdict
from wijkwerk.core import notifications
from wijkwerk.core.actors import COUNT, DEMO
from wijkwerk.counting import read_pb
from wijkwerk.funds.models import Category, Fund

from . import DEMO_DIR

# A phase of a demo round lasts two weeks, midnight to midnight; the one running at load time
# began three days ago.
PHASE_DAYS = 14
RUNNING_FOR_DAYS = 3

# The real election the demo imports, and where (Oosterheide, a district of Oosterhout).
IMPORTED_FILE = "Netherlands_Assen_2025.pb"
IMPORTED_AREA = "WK082605"
IMPORTED_TITLE = "Top Idee Assen 2025 (echte stemmen)"


def pabulib_dir() -> Path:
    """Where the pabulib files are: the setting or environment variable WIJKWERK_PABULIB_DIR,
    else ../shared/pabulib beside the repository."""
    configured = getattr(settings, "WIJKWERK_PABULIB_DIR", None) or os.environ.get(
        "WIJKWERK_PABULIB_DIR"
    )
    if configured:
        return Path(configured)
    return Path(settings.PROJECT_DIR).parent / "shared" / "pabulib"


@dataclass
class Summary:
    rounds: int = 0
    plans: int = 0
    ballots: int = 0
    imported: str = ""
    skipped: list[str] = field(default_factory=list)


def load_rounds() -> dict[str, Any]:
    return tomllib.loads((DEMO_DIR / "budgeting.toml").read_text(encoding="utf-8"))


def phases_running(kind: str | None, now: datetime.datetime) -> list[PhaseDates]:
    """Every phase in order, PHASE_DAYS long from midnight to midnight, with `kind` running
    since RUNNING_FOR_DAYS days (None: every phase over, the last one ended yesterday)."""
    keys = [k.key for k in KINDS]
    today = timezone.localdate(now)
    if kind is None:
        first = today - datetime.timedelta(days=PHASE_DAYS * len(keys) + 1)
    else:
        first = today - datetime.timedelta(days=PHASE_DAYS * keys.index(kind) + RUNNING_FOR_DAYS)

    def midnight(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))

    return [
        PhaseDates(
            key,
            midnight(first + datetime.timedelta(days=PHASE_DAYS * n)),
            midnight(first + datetime.timedelta(days=PHASE_DAYS * (n + 1))),
        )
        for n, key in enumerate(keys)
    ]


def load_demo_budgeting() -> Summary:
    """The demo rounds in both municipalities and the imported election (idempotent);
    municipalities not loaded are skipped."""
    summary = Summary()
    data = load_rounds()
    loaded = set(Municipality.objects.values_list("cbs_code", flat=True))
    _birth_dates(data.get("born", {}))
    for entry in data["round"]:
        if entry["municipality"] not in loaded:
            continue
        municipality = Municipality.objects.get(cbs_code=entry["municipality"])
        if BudgetProcess.objects.filter(municipality=municipality, title=entry["title"]).exists():
            continue
        # the people are made up: their steps mail no one
        with transaction.atomic(), notifications.quiet():
            plans, ballots = _round(entry, municipality)
        summary.rounds += 1
        summary.plans += plans
        summary.ballots += ballots
    if "GM0826" in loaded:
        summary.imported = _import()
    return summary


def _birth_dates(born: dict[str, str]) -> None:
    for email, day in born.items():
        user = User.objects.filter(email=email, birth_date__isnull=True).first()
        if user is None:
            continue
        profile_update(
            actor=DEMO,
            user=user,
            full_name=user.full_name,
            home_area=user.home_area,
            phone=user.phone,
            expertise=user.expertise,
            birth_date=datetime.date.fromisoformat(day),
        )


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _round(entry: dict[str, Any], municipality: Municipality) -> tuple[int, int]:
    area = Area.objects.get(cbs_code=entry["area"])
    fund_name, year = entry["fund"]
    fund = Fund.objects.get(municipality=municipality, name=fund_name, year=year)
    areas = [AreaBudget(area, entry["budget"])]
    now = timezone.now()
    process = process_save(
        actor=DEMO,
        process=BudgetProcess(
            municipality=municipality,
            title=entry["title"],
            description=entry["description"],
            fund=fund,
            budget_cents=entry["budget"],
            minimum_age=entry.get("minimum_age", 16),
            likes_threshold=entry["likes_threshold"],
            ballot_type=entry["ballot"],
            min_choices=entry.get("min_choices", 1),
            max_choices=entry.get("max_choices"),
            rule=entry["rule"],
            completion=entry["completion"],
            # DigiD through the local OpenID Connect provider that ./dev run starts
            vote_with_digid=entry.get("vote_with_digid", False),
        ),
        areas=areas,
        phases=phases_running("ideas", now),
    )
    process = process_publish(actor=DEMO, process=process)

    # the ideas phase: residents submit plans and like each other's
    plans: dict[str, Plan] = {}
    for item in entry["plan"]:
        plans[item["key"]] = plan_services.plan_submit(
            actor=_user(item["author"]),
            process=process,
            values={
                "title": item["title"],
                "summary": item["summary"],
                "description": item["description"],
                "area": area,
                "address": item.get("address", ""),
                "category": Category.objects.get(municipality=municipality, slug=item["category"]),
                "estimated_cost_cents": item["cost"],
            },
        )
    for item in entry["plan"]:
        for email in item.get("likes", ()):
            plan_services.like_toggle(actor=_user(email), plan=plans[item["key"]])

    # the broker or coordinator: duplicates merged, abuse hidden, the municipality's check
    moderator = _user(entry["moderator"])
    for item in entry["plan"]:
        plan = Plan.objects.get(pk=plans[item["key"]].pk)
        if "merge" in item:
            target_key, reason = item["merge"]
            into = Plan.objects.get(pk=plans[target_key].pk)
            plan_services.plan_merge(actor=moderator, plan=plan, into=into, reason=reason)
        elif "hide" in item:
            plan_services.plan_hide(actor=moderator, plan=plan, reason=item["hide"])
        elif "feasible" in item:
            plan_services.feasibility_record(
                actor=moderator,
                plan=plan,
                verdict=FeasibilityVerdict.FEASIBLE,
                municipal_cost_cents=item["feasible"],
                reason="",
            )
        elif "infeasible" in item:
            plan_services.feasibility_record(
                actor=moderator,
                plan=plan,
                verdict=FeasibilityVerdict.INFEASIBLE,
                municipal_cost_cents=None,
                reason=item["infeasible"],
            )

    phase = entry["phase"]
    if phase == "ideas":
        return len(plans), 0
    # the schedule moves on to the phase the demo shows (a round may be rescheduled until its
    # voting begins)
    running = "voting" if phase == "counted" else phase
    process = process_save(
        actor=DEMO,
        process=BudgetProcess.objects.get(pk=process.pk),
        areas=areas,
        phases=phases_running(running, now),
    )
    ballots = 0
    for email, keys in entry.get("ballots", ()):
        voter_user = _user(email)
        voter = account_voter(process, voter_user)
        ballot_cast(
            actor=voter_user,
            process=process,
            voter=voter,
            choices={plans[key].pk: 1 for key in keys},
        )
        ballots += 1
    if phase == "counted":
        # the administrator closes the voting; the count is the task worker's (done here at
        # once, so the demo shows the result without a worker; the queued count then finds the
        # round counted and does nothing)
        process = voting_close(actor=_user(entry["closer"]), process=process)
        count_now(process, actor=COUNT)
    return len(plans), ballots


def _import() -> str:
    """The real election, counted again by its own rule; a message when it is not loaded."""
    area = Area.objects.filter(cbs_code=IMPORTED_AREA).first()
    path = pabulib_dir() / IMPORTED_FILE
    if area is None:
        return ""
    if BudgetProcess.objects.filter(source_file=IMPORTED_FILE).exists():
        return ""
    if not path.is_file():
        return (
            f"{path} is not there: the demo has no imported election (set "
            "WIJKWERK_PABULIB_DIR to the folder of the pabulib files)."
        )
    with notifications.quiet():
        election_import(
            actor=DEMO,
            election=read_pb(path),
            area=area,
            source_file=IMPORTED_FILE,
            title=IMPORTED_TITLE,
        )
    return f"{IMPORTED_FILE} imported into {area.name}."
