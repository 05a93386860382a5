"""manage.py import_pabulib: a finished round from a real election (../shared/pabulib), counted
by the file's rule; the official outcomes are those in ../shared/pabulib/README.md."""

from __future__ import annotations

import datetime
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from wijkwerk.budgeting.audit_actions import BudgetAction
from wijkwerk.budgeting.models import (
    AreaResult,
    Ballot,
    BallotType,
    BudgetProcess,
    Channel,
    Participation,
    Plan,
    ProcessArea,
)
from wijkwerk.budgeting.states import FeasibilityVerdict, ProcessStatus
from wijkwerk.core.models import AuditEvent
from wijkwerk.counting import count, read_pb
from wijkwerk.initiatives.models import Initiative

pytestmark = pytest.mark.django_db

PABULIB = Path(__file__).resolve().parents[2].parent / "shared" / "pabulib"
ROOT = Path(__file__).resolve().parents[2]

# ../shared/pabulib/README.md, "official outcome"
OFFICIAL = {
    "Netherlands_Assen_2024.pb": ({"2", "3", "5", "6", "9", "11", "12", "13", "14"}, "76700"),
    "Netherlands_Assen_2025.pb": (
        {"249", "276", "282", "285", "288", "303", "306", "312", "315", "318", "330", "336", "345"},
        "94837",
    ),
    "Netherlands_Amsterdam_524.pb": (
        {
            "41623",
            "41624",
            "41625",
            "41626",
            "41628",
            "41629",
            "41630",
            "41632",
            "41634",
            "41637",
            "41640",
        },
        "150854",
    ),
    "Netherlands_Amsterdam_309.pb": (
        {
            "37815",
            "37816",
            "37817",
            "37824",
            "37825",
            "37827",
            "37829",
            "37851",
            "37860",
            "37867",
            "37870",
        },
        "290790",
    ),
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_pabulib", *args, stdout=out)
    return out.getvalue()


def imported(name: str) -> BudgetProcess:
    return BudgetProcess.objects.get(source_file=name)


def sizes() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (BudgetProcess, ProcessArea, Plan, Ballot, AreaResult, AuditEvent, Initiative)
    }


def recounted(result: AreaResult, process: BudgetProcess) -> tuple[set[str], str]:
    outcome = count(read_pb(result.pb_text, name="export.pb"), tie_break=process.tie_break)
    return set(outcome.selected), str(outcome.total_cost)


def test_assen_2025_becomes_a_counted_round_with_the_official_outcome(cast: Any) -> None:
    output = run(str(PABULIB / "Netherlands_Assen_2025.pb"), "--area", "WK082613")
    assert output.startswith(
        "Imported Netherlands_Assen_2025.pb into Dorst (Oosterhout) as “Assen Top Idee 2025”: "
        "32 plans, 332 ballots, counted by mes/add1: 13 plans funded. Took "
    )
    process = imported("Netherlands_Assen_2025.pb")
    assert process.municipality == cast.municipality
    assert process.title == "Assen Top Idee 2025"
    assert "Netherlands_Assen_2025.pb" in process.description
    assert "Assen" in process.description
    assert (process.status, process.budget_cents, process.fund) == (
        ProcessStatus.COUNTED,
        100_000_00,
        None,
    )
    assert (process.ballot_type, process.min_choices, process.max_choices) == (
        BallotType.APPROVAL,
        1,
        None,
    )
    assert (process.rule, process.completion, process.may_change_ballot) == ("mes", "add1", False)
    assert process.ballot_key is None
    assert list(process.process_areas.values_list("area__cbs_code", "budget_cents")) == [
        ("WK082613", 100_000_00)
    ]
    # the voting from the file's dates (20–30 November 2025), the result after it: all past
    phases = {p.kind: p for p in process.phases.all()}
    assert set(phases) == {"voting", "result"}
    local = timezone.localtime
    assert local(phases["voting"].starts_at).replace(tzinfo=None) == datetime.datetime(2025, 11, 20)
    assert local(phases["voting"].ends_at).replace(tzinfo=None) == datetime.datetime(2025, 12, 1)
    assert phases["result"].starts_at == phases["voting"].ends_at
    assert phases["result"].ends_at < timezone.now()
    # every project a feasible plan at its cost, every vote an anonymous ballot
    plans = Plan.objects.filter(process=process)
    assert plans.count() == 32
    plezier = plans.get(project_id="318")
    assert (plezier.title, plezier.estimated_cost_cents, plezier.municipal_cost_cents) == (
        "Plezier Ploeg: Kart & Connect",
        8_982_00,
        8_982_00,
    )
    assert plezier.feasibility == FeasibilityVerdict.FEASIBLE
    assert plezier.area == cast.district and plezier.author is None
    ballots = Ballot.objects.filter(process=process)
    assert ballots.count() == 332
    assert set(ballots.values_list("channel", flat=True)) == {Channel.IMPORTED}
    assert not ballots.exclude(receipt_hash=None).exists()
    assert not ballots.exclude(change_key=None).exists()
    assert not Participation.objects.filter(process=process).exists()
    # plezier's 87 votes (the file's `votes` column)
    assert sum(1 for b in ballots if plezier.pk in b.plan_ids()) == 87
    # counted: the official outcome, and the exported file recounts to it
    result = AreaResult.objects.get(process=process)
    expected, total = OFFICIAL["Netherlands_Assen_2025.pb"]
    assert set(result.outcome["selected"]) == expected
    assert result.outcome["total_cost"] == total
    assert result.voters == 332
    assert recounted(result, process) == (expected, total)
    # no initiatives for an imported round; the audit trail by the system, no person
    assert not Initiative.objects.exists()
    events = AuditEvent.objects.filter(object_id=str(process.pk))
    actions = list(events.order_by("id").values_list("action", flat=True))
    assert actions == [
        BudgetAction.PROCESS_CREATE,
        BudgetAction.PROCESS_IMPORT,
        BudgetAction.PROCESS_COUNT,
    ]
    assert not events.exclude(actor=None).exists()
    assert events.get(action=BudgetAction.PROCESS_IMPORT).after == {
        "source_file": "Netherlands_Assen_2025.pb",
        "ballots": 332,
        "plans": 32,
    }


def test_assen_2024_with_its_tie_and_a_title_of_our_own(cast: Any) -> None:
    run(
        str(PABULIB / "Netherlands_Assen_2024.pb"),
        "--area",
        "wk082613",
        "--title",
        "Top Idee (voorbeeld)",
    )
    process = imported("Netherlands_Assen_2024.pb")
    assert process.title == "Top Idee (voorbeeld)"
    assert (process.min_choices, process.ballot_type) == (2, BallotType.APPROVAL)
    result = process.results.get()
    expected, total = OFFICIAL["Netherlands_Assen_2024.pb"]
    assert set(result.outcome["selected"]) == expected and result.outcome["total_cost"] == total
    assert recounted(result, process) == (expected, total)
    # the file's description column becomes the plan's
    podium = process.plans.get(project_id="3")
    assert podium.description == "12x per jaar zal er een PopUp Podium opduiken in de stad"
    assert podium.summary == podium.description


def test_amsterdam_524_is_a_knapsack_ballot_counted_greedily(cast: Any) -> None:
    run(str(PABULIB / "Netherlands_Amsterdam_524.pb"), "--area", "WK082601")
    process = imported("Netherlands_Amsterdam_524.pb")
    assert process.title == "Buurtbudget Oud-Zuid 2021"
    assert (process.ballot_type, process.rule, process.completion) == (
        BallotType.KNAPSACK,
        "greedy",
        "none",
    )
    assert process.budget_cents == 155_000_00
    # a year only: the voting ran through 2021
    voting = process.phases.get(kind="voting")
    assert timezone.localtime(voting.starts_at).date() == datetime.date(2021, 1, 1)
    assert timezone.localtime(voting.ends_at).date() == datetime.date(2022, 1, 1)
    result = process.results.get()
    expected, total = OFFICIAL["Netherlands_Amsterdam_524.pb"]
    assert set(result.outcome["selected"]) == expected and result.outcome["total_cost"] == total
    assert result.voters == 3162
    assert recounted(result, process) == (expected, total)


def test_the_largest_amsterdam_file_in_reasonable_time(cast: Any) -> None:
    """West Begroot 2020: 14,411 ballots. Its META says greedy, but the official outcome
    stopped at the first plan that did not fit: --rule says so."""
    started = time.perf_counter()
    output = run(
        str(PABULIB / "Netherlands_Amsterdam_309.pb"),
        "--area",
        "WK082601",
        "--rule",
        "greedy-no-skip",
    )
    took = time.perf_counter() - started
    assert "58 plans, 14411 ballots, counted by greedy-no-skip: 11 plans funded" in output
    assert took < 30, took
    process = imported("Netherlands_Amsterdam_309.pb")
    assert process.ballots.count() == 14_411
    result = process.results.get()
    expected, total = OFFICIAL["Netherlands_Amsterdam_309.pb"]
    assert set(result.outcome["selected"]) == expected and result.outcome["total_cost"] == total
    assert recounted(result, process) == (expected, total)
    # the file's categories are not this municipality's: none is guessed
    assert not process.plans.exclude(category=None).exists()


def test_cumulative_ballots_keep_their_points(cast: Any) -> None:
    run(str(PABULIB / "Switzerland_Zurich_D10.pb"), "--area", "WK082613", "--any-currency")
    process = imported("Switzerland_Zurich_D10.pb")
    assert (process.ballot_type, process.points, process.max_choices) == (
        BallotType.CUMULATIVE,
        10,
        10,
    )
    election = read_pb(PABULIB / "Switzerland_Zurich_D10.pb")
    scores = dict(zip((p.id for p in election.projects), election.scores(), strict=True))
    given: dict[str, int] = {}
    project_of = dict(process.plans.values_list("pk", "project_id"))
    for ballot in process.ballots.all():
        for plan_id, points in ballot.choices:
            given[project_of[plan_id]] = given.get(project_of[plan_id], 0) + points
    assert given == {k: v for k, v in scores.items() if v}
    result = process.results.get()
    assert recounted(result, process)[0] == set(result.outcome["selected"])
    assert set(result.outcome["selected"]) == set(count(election, rule="greedy").selected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["nowhere.pb", "--area", "WK082613"],
            "nowhere.pb: no such file.",
        ),
        (
            [str(PABULIB / "Netherlands_Assen_2025.pb"), "--area", "WK000000"],
            "No area with the CBS code WK000000: give the code of a district, village or "
            "neighbourhood in the database (e.g. WK082613).",
        ),
        (
            [str(PABULIB / "Switzerland_Zurich_S5R.pb"), "--area", "WK082613", "--any-currency"],
            "Switzerland_Zurich_S5R.pb: The file's ballots are of the type ordinal; wijkwerk's "
            "ballots choose plans (approval, choose-1) or divide points (cumulative).\n"
            "Nothing was imported.",
        ),
        (
            [str(PABULIB / "Switzerland_Zurich_D10.pb"), "--area", "WK082613"],
            "Switzerland_Zurich_D10.pb: The file counts in CHF; wijkwerk's rounds are in euros.\n"
            "Nothing was imported.",
        ),
        (
            [
                str(PABULIB / "Poland_Wieliczka_2023_Green_Budget.pb"),
                "--area",
                "WK082613",
                "--any-currency",
            ],
            "Poland_Wieliczka_2023_Green_Budget.pb: The rule equalshares/add1-comparison "
            "compares equal shares with greedy at the end; wijkwerk's rounds do not (choose a "
            "rule without the comparison).\nNothing was imported.",
        ),
    ],
    ids=["missing-file", "unknown-area", "ordinal", "currency", "comparison"],
)
def test_bad_input_is_refused_and_saves_nothing(cast: Any, args: list[str], message: str) -> None:
    before = sizes()
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert str(refused.value) == message
    assert sizes() == before


def test_a_file_that_fails_validation_names_its_line(cast: Any, tmp_path: Path) -> None:
    text = (PABULIB / "Netherlands_Assen_2025.pb").read_text(encoding="utf-8")
    lines = text.split("\n")
    vote = next(i for i, line in enumerate(lines) if line.startswith("VOTES")) + 3
    voter = lines[vote].split(";")[0]
    lines[vote] = f"{voter};318,999"
    broken = tmp_path / "kapot.pb"
    broken.write_text("\n".join(lines), encoding="utf-8")
    before = sizes()
    with pytest.raises(CommandError) as refused:
        run(str(broken), "--area", "WK082613")
    assert str(refused.value) == (
        f"kapot.pb:{vote + 1}: unknown project '999' in vote of voter '{voter}'\n"
        "Nothing was imported."
    )
    assert sizes() == before


def test_a_file_is_imported_into_an_area_once(cast: Any) -> None:
    path = str(PABULIB / "Netherlands_Amsterdam_643.pb")
    output = run(path, "--area", "WK082613")
    assert "3 plans, 66 ballots, counted by greedy: 1 plans funded" in output
    process = imported("Netherlands_Amsterdam_643.pb")
    # choose-1: one plan at most
    assert (process.ballot_type, process.min_choices, process.max_choices) == ("approval", 1, 1)
    assert set(process.results.get().outcome["selected"]) == {"44251"}
    before = sizes()
    with pytest.raises(CommandError) as refused:
        run(path, "--area", "WK082613")
    assert str(refused.value) == (
        "Netherlands_Amsterdam_643.pb was imported into Dorst before.\nNothing was imported."
    )
    assert sizes() == before


def test_a_failing_count_saves_nothing(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The count runs in the import's transaction: when it fails, the round, plans and ballots
    go with it."""
    from wijkwerk.budgeting.services import results
    from wijkwerk.counting import CountingError

    def fail(process: BudgetProcess, *, actor: Any) -> None:
        assert Ballot.objects.filter(process=process).count() == 84
        raise CountingError("tie that the list cannot break")

    monkeypatch.setattr(results, "count_now", fail)
    before = sizes()
    with pytest.raises(CommandError) as refused:
        run(str(PABULIB / "Netherlands_Assen_2024.pb"), "--area", "WK082613")
    assert str(refused.value) == (
        "Netherlands_Assen_2024.pb: the count failed: tie that the list cannot break\n"
        "Nothing was imported."
    )
    assert sizes() == before


def test_exit_code_one_with_the_message() -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "import_pabulib", "nowhere.pb", "--area", "WK082613"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "CommandError: nowhere.pb: no such file."


def test_amounts_below_a_cent_are_refused(cast: Any, tmp_path: Path) -> None:
    text = (PABULIB / "Netherlands_Assen_2025.pb").read_text(encoding="utf-8")
    odd = tmp_path / "halve-cent.pb"
    odd.write_text(text.replace("318;8982;", "318;8982.005;"), encoding="utf-8")
    before = sizes()
    with pytest.raises(CommandError) as refused:
        run(str(odd), "--area", "WK082613")
    assert str(refused.value) == (
        "halve-cent.pb: The cost of project 318 is not a whole number of cents.\n"
        "Nothing was imported."
    )
    assert sizes() == before
    # a cent is fine: € 8.982,01
    odd.write_text(text.replace("318;8982;", "318;8982.01;"), encoding="utf-8")
    run(str(odd), "--area", "WK082613")
    plan = Plan.objects.get(process__source_file="halve-cent.pb", project_id="318")
    assert plan.cost_cents == 8_982_01
