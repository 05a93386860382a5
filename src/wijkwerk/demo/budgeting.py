"""The demo's neighbourhood budget rounds (data/budgeting.toml) and one real election.

Each round is taken through the budgeting services by whoever takes the step in real life: the
demo sets the round up and publishes it, residents submit and like plans while its ideas phase
runs, the area's broker or coordinator merges, hides and records feasibility, the round's
schedule then moves on to the phase it shows, residents vote through `ballot_cast`, and a counted
round is closed by the administrator and counted through the results service as the task worker
counts (its funded plans become approved initiatives).
So the audit trail, the register of who voted and the ballots are the platform's own.

A round with voting codes (Dorst) goes the way a register round goes: the administrator uploads
the register extract (`register_upload`, from a CSV of made-up people the loader writes in memory
at load time) and makes the codes and their letters (the PDF, which in real life is the download,
is written to MEDIA_ROOT/demo/ so that whoever runs the demo can open it and type a code); the
residents vote with the codes from their letters (the code page's pass, `CHECKS["code"]`), one
changes their ballot after a DigiD login (`digid.admit`); the desk takes in codes for paper
(`paper_intake`), two officials enter the paper ballots (`paper_enter`), one of them disputed,
and the desk hands out a code to someone with a secret address (`hand_out_code`). The summary
names the PDF and two codes of people who have not voted (made-up people of a demo: the codes
are in the PDF anyway, and only their keyed hashes are stored).

The imported round is a real election from `../shared/pabulib` (beside the repository, or where
`WIJKWERK_PABULIB_DIR` points), read at load time and never copied into the repository; without
that directory the demo goes on without it and says so.

Loading again skips a round its municipality already has (by title).
"""

from __future__ import annotations

import datetime
import io
import json
import os
import random
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from wijkwerk.accounts.models import User
from wijkwerk.accounts.profile_services import profile_update
from wijkwerk.areas.models import Area, Municipality
from wijkwerk.budgeting.eligibility import (
    CHECKS,
    account_voter,
    age_on,
    code_stamp,
    reference_day,
)
from wijkwerk.budgeting.models import KINDS, BudgetProcess, PaperStatus, Plan, RegisterEntry
from wijkwerk.budgeting.oidc import Identity, Kind
from wijkwerk.budgeting.services import codes as code_services
from wijkwerk.budgeting.services import digid, paper
from wijkwerk.budgeting.services import plans as plan_services
from wijkwerk.budgeting.services.codes import Issued
from wijkwerk.budgeting.services.imports import election_import
from wijkwerk.budgeting.services.letters import render_letters
from wijkwerk.budgeting.services.register import bsn_hash, eleven_test, register_upload
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

# The "DigiD (demo)" people (./dev run's local OpenID Connect provider): their BSNs and KvK
# number go into the register extract so that their login finds its row.
DIGID_ACCOUNTS = Path(settings.PROJECT_DIR) / "tools" / "oidc-provider" / "demo.json"
# Where the letters of a round with codes are written (under MEDIA_ROOT), by the round's key.
LETTERS_PATH = "demo/stemcodebrieven-{key}.pdf"
# Fictional BSNs for the made-up people: the test range 9999xxxxx, passing the eleven test.
FIRST_BSN = 999_991_000


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
    # what whoever runs the demo needs to know: where the letters are, codes to try
    notes: list[str] = field(default_factory=list)


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
            plans, ballots = _round(entry, municipality, summary.notes)
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


def _round(entry: dict[str, Any], municipality: Municipality, notes: list[str]) -> tuple[int, int]:
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
            vote_with_account=entry.get("vote_with_account", True),
            vote_with_code=entry.get("vote_with_code", False),
            # DigiD through the local OpenID Connect provider that ./dev run starts
            vote_with_digid=entry.get("vote_with_digid", False),
            entrepreneurs_vote=entry.get("entrepreneurs_vote", False),
            paper_share=entry.get("paper_share"),
            help_routes=entry.get("help_routes", ""),
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
    if process.vote_with_code:
        ballots = _code_round(entry, process, plans, notes)
    for email, keys in () if process.vote_with_code else entry.get("ballots", ()):
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


# --- A round with voting codes ------------------------------------------------------------------


@dataclass
class _Row:
    """A row of the register extract the loader writes (made up)."""

    reference: str
    postcode: str
    house_number: str
    birth_date: str = ""
    area: str = ""
    secret: bool = False
    kvk: str = ""
    bsn: str = ""
    neighbour: bool = False


def _bsns(taken: set[str]) -> Any:
    """Fictional BSNs passing the eleven test, none of them `taken`."""
    number = FIRST_BSN
    while True:
        number += 1
        if eleven_test(str(number)) and str(number) not in taken:
            yield str(number)


def _digid_accounts() -> list[dict[str, Any]]:
    if not DIGID_ACCOUNTS.is_file():
        return []
    return [
        account["claims"]
        for account in json.loads(DIGID_ACCOUNTS.read_text(encoding="utf-8"))["accounts"]
    ]


def _register_rows(
    entry: dict[str, Any], process: BudgetProcess
) -> tuple[list[_Row], dict[str, str]]:
    """The rows of the round's register extract and the demo residents' references (by e-mail).
    The same every load: the neighbours come from a seeded random generator."""
    register = entry["register"]
    neighbourhoods = {
        area.cbs_code for area in Area.objects.filter(parent__cbs_code=entry["area"])
    } | {entry["area"]}
    postcodes: dict[str, str] = {}  # postcode -> neighbourhood code
    for line in (DEMO_DIR / "postcodes.csv").read_text(encoding="utf-8").splitlines()[1:]:
        postcode, _street, code = line.split(";")
        if code in neighbourhoods:
            postcodes[postcode] = code
    day = reference_day(process)
    claims = [
        c
        for c in _digid_accounts()
        if c.get("kvk")
        or age_on(datetime.date.fromisoformat(c["birthdate"]), day) >= process.minimum_age
    ]
    bsns = _bsns({c["bsn"] for c in claims if c.get("bsn")})
    rows: list[_Row] = []
    references: dict[str, str] = {}

    def reference() -> str:
        return f"DORST-{len(rows) + 1:04d}"

    for email, postcode, number in register["residents"]:
        user = _user(email)
        references[email] = reference()
        rows.append(
            _Row(
                references[email],
                postcode,
                number,
                user.birth_date.isoformat() if user.birth_date else "",
                postcodes[postcode],
                bsn=next(bsns),
            )
        )
    for claim in claims:
        if claim.get("kvk"):
            if process.entrepreneurs_vote:
                rows.append(
                    _Row(
                        reference(),
                        claim["postcode"],
                        claim["huisnummer"],
                        area=postcodes[claim["postcode"]],
                        kvk=claim["kvk"],
                    )
                )
            continue
        rows.append(
            _Row(
                reference(),
                claim["postcode"],
                claim["huisnummer"],
                claim["birthdate"],
                postcodes[claim["postcode"]],
                bsn=claim["bsn"],
            )
        )
    rng = random.Random(2027)  # made-up people, the same every load
    codes = sorted(postcodes)
    oldest = datetime.date(day.year - 90, 1, 1)
    youngest = datetime.date(day.year - process.minimum_age - 1, 1, 1)
    for n in range(register["neighbours"]):
        postcode = rng.choice(codes)
        rows.append(
            _Row(
                reference(),
                postcode,
                str(rng.randint(1, 80)),
                (
                    oldest + datetime.timedelta(days=rng.randrange((youngest - oldest).days))
                ).isoformat(),
                postcodes[postcode],
                secret=n < register["secret"],
                bsn=next(bsns),
                neighbour=True,
            )
        )
    return rows, references


def _register_csv(rows: list[_Row]) -> io.BytesIO:
    """The rows as the municipality's extract: semicolons, Dutch dates."""
    lines = ["kenmerk;postcode;huisnummer;geboortedatum;gebiedscode;geheim;kvk;bsn"]
    for row in rows:
        born = (
            datetime.date.fromisoformat(row.birth_date).strftime("%d-%m-%Y")
            if row.birth_date
            else ""
        )
        lines.append(
            ";".join(
                (
                    row.reference,
                    f"{row.postcode[:4]} {row.postcode[4:]}",
                    row.house_number,
                    born,
                    row.area,
                    "ja" if row.secret else "nee",
                    row.kvk,
                    row.bsn,
                )
            )
        )
    file = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))
    file.name = "register-dorst.csv"
    return file


def _code_voter(process: BudgetProcess, plain: str, *, to_change: bool = False) -> Any:
    """The voter a typed code makes (the code page grants this pass; the ballot checks it);
    `to_change`: the code typed again to change the ballot it cast."""
    code = code_services.find_code(process, plain, to_change=to_change)
    return CHECKS["code"](
        process, AnonymousUser(), {"route": "code", "code_id": code.pk, "stamp": code_stamp(code)}
    )


def _code_round(
    entry: dict[str, Any], process: BudgetProcess, plans: dict[str, Plan], notes: list[str]
) -> int:
    """The register, the letters, the votes by code, DigiD and paper, the desk; the number of
    ballots counted (online and agreed paper ballots)."""
    administrator = _user(entry["administrator"])
    rows, references = _register_rows(entry, process)
    register_upload(actor=administrator, process=process, file=_register_csv(rows))

    # the codes and their letters, as make_letters makes them; the plain codes are kept here
    # only to vote with them below (and to name two in the summary)
    plain: dict[str, str] = {}
    written: dict[str, bytes] = {}

    def letters(issued: list[Issued]) -> None:
        written["pdf"] = render_letters(process, issued)
        plain.update({item.entry.reference: item.plain for item in issued})

    count = code_services.issue_codes(actor=administrator, process=process, letters=letters)
    path = Path(settings.MEDIA_ROOT) / LETTERS_PATH.format(key=entry["key"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(written["pdf"])

    ballots = 0
    anonymous = AnonymousUser()
    changed = {email: (first, way) for email, first, way in entry.get("changed", ())}
    for email, keys in entry.get("ballots", ()):
        code = plain[references[email]]
        first, way = changed.get(email, (keys, ""))
        ballot_cast(
            actor=anonymous,
            process=process,
            voter=_code_voter(process, code),
            choices={plans[key].pk: 1 for key in first},
        )
        ballots += 1
        if way == "code":
            # later, the code from the letter typed again: the new ballot replaces the first
            voter = _code_voter(process, code, to_change=True)
        elif way == "digid":
            # later, logged in with DigiD: found in the register by the BSN's keyed hash, the
            # same voter as the letter's code
            bsn = next(row.bsn for row in rows if row.reference == references[email])
            granted = digid.admit(
                process, Identity(kind=Kind.DIGID, bsn_hash=bsn_hash(process.municipality_id, bsn))
            )
            voter = CHECKS["digid"](process, anonymous, {"route": "digid", **granted})
        else:
            continue
        ballot_cast(
            actor=anonymous,
            process=process,
            voter=voter,
            choices={plans[key].pk: 1 for key in keys},
        )

    neighbours = [row.reference for row in rows if row.neighbour and not row.secret]
    ballots += _paper(entry, process, plans, [plain[r] for r in neighbours])
    secret = RegisterEntry.objects.filter(process=process, secret_address=True).order_by(
        "reference"
    )[0]
    desk = _user(entry["paper"]["desk"])
    code_services.hand_out_code(actor=desk, process=process, entry=secret)

    not_voted = [email for email in references if email not in dict(entry.get("ballots", ()))]
    intake = entry["paper"]["intake"]
    examples = [
        f"{_user(email).full_name} ({references[email]}): {plain[references[email]]}"
        for email in not_voted[:1]
    ] + [
        f"a neighbour ({reference}): {plain[reference]}"
        for reference in neighbours[intake : intake + 1]
    ]
    notes.append(
        f"{process.title}: {count} letters with voting codes in {path} (the demo's copy of the "
        f"download). Codes not used yet: {'; '.join(examples)}."
    )
    return ballots


def _paper(
    entry: dict[str, Any], process: BudgetProcess, plans: dict[str, Plan], neighbours: list[str]
) -> int:
    """Codes taken in at the desk and the paper ballots' double entry; the number of paper
    ballots counted (the agreed ones)."""
    config = entry["paper"]
    desk = _user(config["desk"])
    for code in neighbours[: config["intake"]]:
        paper.paper_intake(actor=desk, process=process, typed_code=code)
    first, second = (_user(email) for email in config["officials"])
    process_area = process.process_areas.get()
    counted = 0
    for number, one, two in config["ballots"]:
        for official, keys in ((first, one), (second, two)):
            result = paper.paper_enter(
                actor=official,
                process=process,
                number=number,
                process_area=process_area,
                choices={plans[key].pk: 1 for key in keys},
            )
        counted += result.status == PaperStatus.AGREED
    return counted


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
