"""The count: every area of a closed round through `wijkwerk.counting`, the `.pb` file that
recounts it, funded plans as approved initiatives with their commitments."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from wijkwerk.budgeting.models import (
    AreaResult,
    Ballot,
    BallotType,
    BudgetProcess,
    Completion,
    CountingRule,
    Plan,
)
from wijkwerk.budgeting.refusals import BudgetRefused
from wijkwerk.budgeting.services import results, voting
from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.core.actors import COUNT
from wijkwerk.core.models import AuditEvent
from wijkwerk.counting import count, read_pb
from wijkwerk.funds.selectors import fund_figures
from wijkwerk.initiatives.models import Decision, Initiative, Status

from ..funds.factories import FundFactory, SchemeFactory
from .factories import PlanFactory, make_round

pytestmark = pytest.mark.django_db

BIN = Path(sys.executable).parent


def big_fund(cast: Any, amount_cents: int = 30_000_000, maximum: int = 2_500_000) -> Any:
    """A fund for the whole of Oosterhout whose scheme grants up to € 25.000 per initiative."""
    scheme = SchemeFactory(
        municipality=cast.municipality, name="Buurtbudget", max_per_initiative_cents=maximum
    )
    return FundFactory(
        scheme=scheme,
        municipality=cast.municipality,
        name="Buurtbudget Dorst",
        year=2026,
        amount_cents=amount_cents,
    )


def cast_ballots(process: BudgetProcess, area: Any, votes: list[list[Any]]) -> None:
    """Ballots as the voting service leaves them (each a list of plans, or of (plan, points))."""
    rows = []
    for vote in votes:
        choices = sorted(
            [item[0].pk, item[1]] if isinstance(item, tuple) else [item.pk, 1] for item in vote
        )
        rows.append(Ballot(process=process, area=area, choices=choices))
    Ballot.objects.bulk_create(rows)


def closed(cast: Any, process: BudgetProcess) -> BudgetProcess:
    return voting.voting_close(actor=cast.admin, process=process)


def three_plans(cast: Any, process: BudgetProcess) -> tuple[Plan, Plan, Plan]:
    """The example of the docs: € 30.000 for Dorst; four voters want the playground (€ 20.000)
    and the benches (€ 10.000), two want the flower boxes (€ 10.000)."""
    playground = PlanFactory(
        process=process,
        title="Speeltuin",
        estimated_cost_cents=2_000_000,
        author=cast.applicant,
        category=cast.category,
    )
    benches = PlanFactory(
        process=process, title="Bankjes", estimated_cost_cents=1_000_000, author=cast.neighbour
    )
    flowers = PlanFactory(process=process, title="Bloembakken", estimated_cost_cents=1_000_000)
    cast_ballots(process, cast.district, [[playground, benches]] * 4 + [[flowers]] * 2)
    return playground, benches, flowers


def mes_round(cast: Any, **fields: Any) -> tuple[BudgetProcess, Any, tuple[Plan, Plan, Plan]]:
    fund = big_fund(cast)
    process = make_round(
        cast,
        fund=fund,
        rule=CountingRule.MES,
        completion=Completion.NONE,
        areas=[(cast.district, 3_000_000)],
        **fields,
    )
    plans = three_plans(cast, process)
    return closed(cast, process), fund, plans


def test_equal_shares_funds_the_minority_plan_and_says_why(cast) -> None:
    process, _fund, (playground, benches, flowers) = mes_round(cast)
    [result] = results.count_now(process, actor=COUNT)
    # Each of the 6 voters holds € 5.000. Benches and playground both cost their 4 supporters
    # the same per effective vote (4); the cheaper benches go first (min-cost): € 2.500 each.
    # The 4 then hold € 2.500 each, € 10.000 together: not enough for the € 20.000 playground.
    # The two flower voters pay € 5.000 each for their flower boxes in round 2.
    assert result.outcome["selected"] == [benches.project_id, flowers.project_id]
    by_id = {p["project_id"]: p for p in result.outcome["projects"]}
    assert by_id[benches.project_id]["code"] == "mes-funded"
    assert by_id[benches.project_id]["data"]["round"] == 1
    assert by_id[benches.project_id]["data"]["most_paid"] == "2500"
    assert by_id[flowers.project_id]["code"] == "mes-funded"
    assert by_id[flowers.project_id]["data"]["round"] == 2
    assert by_id[flowers.project_id]["data"]["most_paid"] == "5000"
    assert by_id[playground.project_id]["code"] == "mes-unaffordable"
    assert by_id[playground.project_id]["data"]["money_behind_it"] == "10000"
    assert by_id[playground.project_id]["data"]["after_round"] == 1
    assert result.voters == 6
    assert result.figures["spent_cents"] == 2_000_000
    assert result.figures["budget_cents"] == 3_000_000
    assert result.pb_sha256 == hashlib.sha256(result.pb_text.encode()).hexdigest()
    process.refresh_from_db()
    assert process.status == ProcessStatus.COUNTED
    assert process.counted_at == result.counted_at
    event = AuditEvent.objects.get(action="process.count")
    assert event.after["selected"] == "Dorst: Bankjes; Dorst: Bloembakken"
    assert event.after["pb_sha256"] == f"Dorst: {result.pb_sha256}"


def test_the_file_is_pabulib_with_the_rule_and_the_selected_column(cast) -> None:
    process, _fund, (playground, benches, flowers) = mes_round(cast)
    [result] = results.count_now(process, actor=COUNT)
    text = result.pb_text
    meta, projects = text.split("PROJECTS\n")[0], text.split("PROJECTS\n")[1].split("VOTES\n")[0]
    for line in (
        "description;Buurtbudget Dorst: Dorst",
        "country;Netherlands",
        "unit;Oosterhout",
        "subunit;Dorst",
        "num_projects;3",
        "num_votes;6",
        "budget;30000",
        "currency;EUR",
        "vote_type;approval",
        "rule;equalshares",
        "min_length;1",
        "language;nl",
    ):
        assert line + "\n" in meta
    assert "date_begin;" in meta and "date_end;" in meta
    assert projects.splitlines() == [
        "project_id;cost;votes;name;category;selected",
        f"{benches.project_id};10000;4;Bankjes;;1",
        f"{flowers.project_id};10000;2;Bloembakken;;1",
        f"{playground.project_id};20000;4;Speeltuin;Fysieke leefomgeving;0",
    ]
    votes = text.split("VOTES\n")[1].splitlines()
    assert votes[0] == "voter_id;vote"
    assert [line.split(";")[0] for line in votes[1:]] == [str(n) for n in range(1, 7)]
    # a recount writes the same file: the same ballots in the same (random, fixed) order
    [again] = results.count_now(process, actor=COUNT)
    assert again.pb_sha256 == result.pb_sha256
    assert AreaResult.objects.count() == 1


def recount_all_ways(result: AreaResult, tmp_path: Path, tie_break: str | None = None) -> None:
    """The stored file, read back, gives the same winners by `count`, by the installed
    `wijkwerk count` and by pabutools."""
    path = tmp_path / "bestand.pb"
    path.write_text(result.pb_text, encoding="utf-8")
    expected = set(result.outcome["selected"])
    election = read_pb(str(path))
    recounted = count(election, rule=None, tie_break=tie_break)  # the file's META rule
    assert set(recounted.selected) == expected
    selected_column = {p.id for p in election.projects if p.extra["selected"] == "1"}
    assert selected_column == expected
    command = [str(BIN / "wijkwerk"), "count", str(path), "--json"]
    if tie_break:
        command += ["--tie-break", tie_break]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    import json

    assert set(json.loads(done.stdout)["selected"]) == expected
    assert set(pabutools_winners(path, election)) == expected


def pabutools_winners(path: Path, election: Any) -> list[str]:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    instance, profile = parse_pabulib(str(path))
    votes = dict(zip((p.id for p in election.projects), election.supporters(), strict=True))
    order = {p.id: i for i, p in enumerate(election.projects)}
    tie_breaking = TieBreakingRule(
        lambda _i, _p, proj: (proj.cost, -votes[proj.name], order[proj.name])
    )
    rule = election.meta["rule"]
    if rule.startswith("equalshares"):
        chosen = method_of_equal_shares(
            instance, profile, sat_class=Cost_Sat, tie_breaking=tie_breaking
        )
    else:
        assert rule == "greedy"
        chosen = greedy_utilitarian_welfare(
            instance, profile, sat_class=Cost_Sat, tie_breaking=tie_breaking
        )
    return [p.name for p in chosen]


def test_the_exported_file_recounts_to_the_same_winners(cast, tmp_path) -> None:
    process, _fund, _plans = mes_round(cast)
    [result] = results.count_now(process, actor=COUNT)
    recount_all_ways(result, tmp_path)


def greedy_round(cast: Any, rule: str, fund: Any) -> tuple[BudgetProcess, list[Plan]]:
    """€ 40.000; the square (€ 30.000) has 5 votes, the playground (€ 20.000) 4, the benches
    (€ 10.000) 3."""
    process = make_round(cast, fund=fund, rule=rule, areas=[(cast.district, 4_000_000)])
    square = PlanFactory(process=process, title="Plein", estimated_cost_cents=3_000_000)
    playground = PlanFactory(process=process, title="Speeltuin", estimated_cost_cents=2_000_000)
    benches = PlanFactory(process=process, title="Bankjes", estimated_cost_cents=1_000_000)
    cast_ballots(
        process,
        cast.district,
        [[square, playground, benches]] * 3 + [[square, playground]] + [[square]],
    )
    return closed(cast, process), [square, playground, benches]


def test_greedy_skips_what_does_not_fit_and_greedy_no_skip_stops(cast, tmp_path) -> None:
    fund = big_fund(cast, maximum=3_000_000)
    process, (square, playground, benches) = greedy_round(cast, CountingRule.GREEDY, fund)
    [result] = results.count_now(process, actor=COUNT)
    assert result.outcome["selected"] == [square.project_id, benches.project_id]
    codes = {p["project_id"]: p["code"] for p in result.outcome["projects"]}
    assert codes[playground.project_id] == "greedy-does-not-fit"
    assert "rule;greedy\n" in result.pb_text
    recount_all_ways(result, tmp_path)

    other, (square2, playground2, benches2) = greedy_round(cast, CountingRule.GREEDY_NO_SKIP, fund)
    [stopped] = results.count_now(other, actor=COUNT)
    assert stopped.outcome["selected"] == [square2.project_id]
    codes = {p["project_id"]: p["code"] for p in stopped.outcome["projects"]}
    assert codes[playground2.project_id] == "greedy-does-not-fit"
    assert codes[benches2.project_id] == "greedy-stopped"
    assert "rule;greedy-no-skip\n" in stopped.pb_text
    path = tmp_path / "stopped.pb"
    path.write_text(stopped.pb_text, encoding="utf-8")
    assert count(read_pb(str(path))).selected == [square2.project_id]


def test_a_knapsack_round_is_an_approval_file_with_its_budget_limit(cast, tmp_path) -> None:
    process, _fund, (_playground, benches, flowers) = mes_round(
        cast, ballot_type=BallotType.KNAPSACK
    )
    [result] = results.count_now(process, actor=COUNT)
    assert "vote_type;approval\n" in result.pb_text
    assert "max_sum_cost;30000\n" in result.pb_text
    assert result.outcome["selected"] == [benches.project_id, flowers.project_id]
    recount_all_ways(result, tmp_path)


def test_a_points_round_counts_points(cast, tmp_path) -> None:
    """Greedy by points: one voter's 5 points for the playground outweigh the benches' three
    voters with 1 point each."""
    process = make_round(
        cast,
        fund=big_fund(cast),
        rule=CountingRule.GREEDY,
        ballot_type=BallotType.CUMULATIVE,
        points=5,
        areas=[(cast.district, 2_000_000)],
    )
    playground = PlanFactory(process=process, title="Speeltuin", estimated_cost_cents=2_000_000)
    benches = PlanFactory(process=process, title="Bankjes", estimated_cost_cents=1_000_000)
    cast_ballots(
        process, cast.district, [[(playground, 5)]] + [[(benches, 1), (playground, 0)]] * 3
    )
    process = closed(cast, process)
    [result] = results.count_now(process, actor=COUNT)
    assert result.outcome["selected"] == [playground.project_id]
    plans = {p["project_id"]: p for p in result.figures["plans"]}
    assert (plans[playground.project_id]["score"], plans[playground.project_id]["votes"]) == (5, 1)
    assert (plans[benches.project_id]["score"], plans[benches.project_id]["votes"]) == (3, 3)
    assert "vote_type;cumulative\n" in result.pb_text
    assert "max_sum_points;5\n" in result.pb_text
    assert "voter_id;vote;points\n" in result.pb_text
    path = tmp_path / "punten.pb"
    path.write_text(result.pb_text, encoding="utf-8")
    assert count(read_pb(str(path))).selected == [playground.project_id]
    done = subprocess.run(
        [str(BIN / "wijkwerk"), "count", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    assert json.loads(done.stdout)["selected"] == [playground.project_id]


def test_each_area_is_counted_apart(cast) -> None:
    fund = big_fund(cast)
    process = make_round(
        cast,
        fund=fund,
        rule=CountingRule.GREEDY,
        areas=[(cast.district, 1_000_000), (cast.other_district, 2_000_000)],
    )
    dorst = PlanFactory(process=process, area=cast.district, estimated_cost_cents=1_000_000)
    dorst_too = PlanFactory(process=process, area=cast.district, estimated_cost_cents=900_000)
    slotjes = PlanFactory(process=process, area=cast.other_district, estimated_cost_cents=2_000_000)
    cast_ballots(process, cast.district, [[dorst]] * 3 + [[dorst_too]] * 2)
    cast_ballots(process, cast.other_district, [[slotjes]])
    process = closed(cast, process)
    by_area = {r.area: r for r in results.count_now(process, actor=COUNT)}
    assert by_area[cast.district].outcome["selected"] == [dorst.project_id]
    assert by_area[cast.district].voters == 5
    assert "budget;10000\n" in by_area[cast.district].pb_text
    assert by_area[cast.other_district].outcome["selected"] == [slotjes.project_id]
    assert by_area[cast.other_district].voters == 1
    assert "subunit;Slotjes\n" in by_area[cast.other_district].pb_text
    assert project_ids(by_area[cast.other_district]) == [slotjes.project_id]
    assert sorted(project_ids(by_area[cast.district])) == sorted(
        [dorst.project_id, dorst_too.project_id]
    )
    assert fund_figures(fund).committed == 3_000_000


def project_ids(result: AreaResult) -> list[str]:
    section = result.pb_text.split("PROJECTS\n")[1].split("VOTES\n")[0]
    return [line.split(";")[0] for line in section.splitlines()[1:]]


def test_funded_plans_become_approved_initiatives_with_their_money(cast) -> None:
    process, fund, (playground, benches, flowers) = mes_round(cast)
    results.count_now(process, actor=COUNT)
    benches.refresh_from_db()
    flowers.refresh_from_db()
    playground.refresh_from_db()
    assert playground.initiative is None
    made = benches.initiative
    assert made is not None
    assert (made.status, made.applicant, made.granted_cents, made.fund) == (
        Status.APPROVED,
        cast.neighbour,
        1_000_000,
        fund,
    )
    assert made.requested_cents == 1_000_000
    assert made.title == "Bankjes" and made.area == cast.district
    assert made.broker == cast.broker
    # a plan without an author: the area's broker carries it out
    assert flowers.initiative.applicant == cast.broker
    figures = fund_figures(fund)
    assert (figures.committed, figures.available, figures.initiatives) == (
        2_000_000,
        28_000_000,
        2,
    )
    decision = Decision.objects.get(initiative=made)
    assert decision.kind == "grant"
    assert decision.amount_cents == 1_000_000
    assert decision.official_name == cast.broker.full_name
    assert "met 4 stemmen" in decision.reasons
    assert AreaResult.objects.get().pb_sha256 in decision.reasons
    assert made.status_changes.get().action == "award"
    # counting again funds nothing twice
    results.count_now(process, actor=COUNT)
    assert Initiative.objects.count() == 2
    assert fund_figures(fund).committed == 2_000_000
    assert Decision.objects.count() == 2


def test_a_plan_entered_as_an_initiative_is_funded_through_it(cast) -> None:
    fund = big_fund(cast)
    process = make_round(
        cast,
        fund=fund,
        rule=CountingRule.GREEDY,
        areas=[(cast.district, 3_000_000)],
    )
    draft = cast.draft(lines=(80_000, 70_000))
    plan = PlanFactory(
        process=process,
        title=draft.title,
        estimated_cost_cents=150_000,
        municipal_cost_cents=200_000,
        author=cast.applicant,
        initiative=draft,
    )
    cast_ballots(process, cast.district, [[plan]])
    results.count_now(closed(cast, process), actor=COUNT)
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED
    assert draft.granted_cents == 200_000  # the municipality's estimate, on the ballot
    assert [line.amount_cents for line in draft.budget_lines.all()] == [80_000, 70_000, 50_000]
    assert Initiative.objects.count() == 1
    assert fund_figures(fund).committed == 200_000


def test_a_plan_the_scheme_cannot_pay_is_reported_and_funded_at_a_recount(cast) -> None:
    fund = big_fund(cast, maximum=1_500_000)
    process = make_round(
        cast, fund=fund, rule=CountingRule.GREEDY, areas=[(cast.district, 3_000_000)]
    )
    playground = PlanFactory(process=process, title="Speeltuin", estimated_cost_cents=2_000_000)
    cast_ballots(process, cast.district, [[playground]])
    [result] = results.count_now(closed(cast, process), actor=COUNT)
    assert result.outcome["selected"] == [playground.project_id]
    problem = result.figures["funding"][playground.project_id]
    assert problem["initiative"] is None
    assert problem["problem"] == (
        "“Speeltuin” kost € 20.000,00, maar Buurtbudget geeft hooguit € 15.000,00 per initiatief."
    )
    assert Initiative.objects.count() == 0
    assert fund_figures(fund).committed == 0
    fund.scheme.max_per_initiative_cents = 2_000_000
    fund.scheme.save()
    [again] = results.count_now(process, actor=COUNT)
    assert again.figures["funding"][playground.project_id]["problem"] == ""
    assert fund_figures(fund).committed == 2_000_000


def test_a_round_without_a_fund_funds_no_initiative(cast) -> None:
    process = make_round(cast, fund=None, rule=CountingRule.GREEDY)
    plan = PlanFactory(process=process, estimated_cost_cents=100_000)
    cast_ballots(process, cast.district, [[plan]])
    [result] = results.count_now(closed(cast, process), actor=COUNT)
    assert result.outcome["selected"] == [plan.project_id]
    assert Initiative.objects.count() == 0


def test_counting_a_round_that_is_not_closed_is_refused(cast) -> None:
    process = make_round(cast)
    with pytest.raises(BudgetRefused) as refused:
        results.count_now(process, actor=COUNT)
    assert refused.value.code == "not_closed"
    assert AreaResult.objects.count() == 0
    process.refresh_from_db()
    assert process.status == ProcessStatus.PUBLISHED


def test_the_close_queues_the_count_for_the_task_worker(
    cast, django_capture_on_commit_callbacks
) -> None:
    process = make_round(cast, fund=big_fund(cast), rule=CountingRule.GREEDY)
    plan = PlanFactory(process=process, estimated_cost_cents=100_000)
    cast_ballots(process, cast.district, [[plan]])
    with django_capture_on_commit_callbacks(execute=True):
        voting.voting_close(actor=cast.admin, process=process)
    process.refresh_from_db()
    assert process.status == ProcessStatus.COUNTED
    assert AreaResult.objects.get().outcome["selected"] == [plan.project_id]
    assert AuditEvent.objects.get(action="process.count").actor_id is None


def test_euros_with_cents_are_exact(cast, tmp_path) -> None:
    process = make_round(
        cast, fund=big_fund(cast), rule=CountingRule.GREEDY, areas=[(cast.district, 1_000_050)]
    )
    plan = PlanFactory(process=process, estimated_cost_cents=1_000_050)
    other = PlanFactory(process=process, estimated_cost_cents=1)
    cast_ballots(process, cast.district, [[plan]] * 2 + [[other]])
    [result] = results.count_now(closed(cast, process), actor=COUNT)
    assert "budget;10000.5\n" in result.pb_text
    assert f"{plan.project_id};10000.5;2;" in result.pb_text
    assert f"{other.project_id};0.01;1;" in result.pb_text
    election = read_pb(_write(tmp_path, result.pb_text))
    assert election.budget == Fraction(20001, 2)
    assert count(election).selected == [plan.project_id]


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bestand.pb"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_what_the_fund_cannot_pay_is_said_before_the_vote(cast) -> None:
    fund = big_fund(cast, amount_cents=2_000_000, maximum=1_500_000)
    process = make_round(
        cast,
        fund=fund,
        areas=[(cast.district, 3_000_000), (cast.other_district, 1_000_000)],
    )
    PlanFactory(
        process=process, area=cast.district, title="Speeltuin", estimated_cost_cents=2_000_000
    )
    PlanFactory(process=process, area=cast.district, title="Bankjes", estimated_cost_cents=600_000)
    assert results.funding_warnings(process) == [
        "“Speeltuin” kost € 20.000,00, maar Buurtbudget geeft hooguit € 15.000,00 per initiatief: "
        "als het geld krijgt, kan het niet uit Buurtbudget Dorst (2026) betaald worden.",
        "Het fonds Buurtbudget Dorst (2026) heeft € 20.000,00 beschikbaar, minder dan de "
        "€ 40.000,00 van de ronde.",
    ]
    assert results.funding_warnings(make_round(cast, fund=None, title="Zonder fonds")) == []


@pytest.mark.parametrize("completion", ["add1", "add1-exhaustive", "add1u"])
def test_an_area_without_ballots_or_plans_counts_to_nothing(cast, client, completion) -> None:
    process = make_round(
        cast,
        fund=big_fund(cast),
        rule=CountingRule.MES,
        completion=completion,
        areas=[(cast.district, 1_000_000), (cast.other_district, 1_000_000)],
    )
    PlanFactory(process=process, area=cast.district)
    counted = results.count_now(closed(cast, process), actor=COUNT)
    assert [(r.outcome["selected"], r.voters) for r in counted] == [([], 0), ([], 0)]
    assert f"rule;equalshares/{completion}\n" in counted[0].pb_text
    page = client.get(f"/buurtbudget/{process.pk}/uitslag/")
    assert page.status_code == 200
    assert "0 mensen hebben gestemd." in page.content.decode()
