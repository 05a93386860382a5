"""Paper and online ballots weighed by the round's `paper_share` (Amsterdam Bloemenbuurt 2020:
50/50): the count applies the weights exactly, the ballots file carries them and recounts to
the same winners, and the result page says how many ballots came in each way and what they
weighed."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijkwerk.budgeting.models import (
    Ballot,
    BudgetProcess,
    Channel,
    Completion,
    CountingRule,
    Plan,
)
from wijkwerk.budgeting.refusals import BudgetRefused
from wijkwerk.budgeting.services import imports, results
from wijkwerk.core.actors import COUNT
from wijkwerk.counting import read_pb

from ..dutch import problems
from .factories import PlanFactory, make_round
from .test_count import BIN, closed

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def ballots(process: BudgetProcess, area: Any, channel: str, votes: list[list[Plan]]) -> None:
    Ballot.objects.bulk_create(
        Ballot(
            process=process,
            area=area,
            channel=channel,
            choices=sorted([plan.pk, 1] for plan in vote),
        )
        for vote in votes
    )


def weighted_round(
    cast: Any,
    paper_share: int | None,
    rule: str = CountingRule.GREEDY,
    completion: str = Completion.NONE,
) -> tuple[BudgetProcess, dict[str, Plan]]:
    """€ 10.000 for Dorst. On paper: two ballots for the square (€ 6.000), one for the
    playground (€ 8.000); online: one for the playground, one for the benches (€ 4.000).

    Unweighted the square and the playground have 2 votes each: the cheaper square goes first
    (min-cost), the playground no longer fits, the benches do: square and benches. At 50/50 a
    paper ballot weighs 2 and an online one 3 (3 paper and 2 online ballots: 50 × 2 : 50 × 3),
    so the playground has 2 + 3 = 5, the square 4, the benches 3: the playground alone."""
    process = make_round(
        cast,
        fund=None,
        rule=rule,
        completion=completion,
        paper_share=paper_share,
        vote_with_code=True,
        areas=[(cast.district, 1_000_000)],
    )
    plans = {
        "square": PlanFactory(process=process, title="Plein", estimated_cost_cents=600_000),
        "playground": PlanFactory(process=process, title="Speeltuin", estimated_cost_cents=800_000),
        "benches": PlanFactory(process=process, title="Bankjes", estimated_cost_cents=400_000),
    }
    square, playground, benches = plans["square"], plans["playground"], plans["benches"]
    ballots(process, cast.district, Channel.PAPER, [[square], [square], [playground]])
    ballots(process, cast.district, Channel.ONLINE, [[playground], [benches]])
    return closed(cast, process), plans


def test_channel_weights_make_each_channel_weigh_its_share() -> None:
    assert results.channel_weights(None, {"paper": 3, "online": 2}) is None
    assert results.channel_weights(50, {"paper": 3}) is None
    assert results.channel_weights(50, {"online": 2}) is None
    assert results.channel_weights(50, {"paper": 3, "online": 2}) == {"paper": 2, "other": 3}
    # Bloemenbuurt's worked example (docs/budgeting.md): 54 on paper, 165 online
    assert results.channel_weights(50, {"paper": 54, "online": 165}) == {
        "paper": 55,
        "other": 18,
    }
    # 30% for 10 paper ballots against 90 online: 30 × 90 : 70 × 10 = 27 : 7
    weights = results.channel_weights(30, {"paper": 10, "online": 80, "imported": 10})
    assert weights == {"paper": 27, "other": 7}
    assert 10 * 27 * 100 == 30 * (10 * 27 + 90 * 7)  # exactly 30%


def test_weighted_and_unweighted_winners_differ(cast) -> None:
    plain, plans = weighted_round(cast, None)
    [unweighted] = results.count_now(plain, actor=COUNT)
    assert unweighted.outcome["selected"] == [
        plans["square"].project_id,
        plans["benches"].project_id,
    ]
    assert unweighted.figures["weights"] is None
    assert unweighted.figures["paper_share_unused"] is False

    process, plans = weighted_round(cast, 50)
    [weighted] = results.count_now(process, actor=COUNT)
    assert weighted.outcome["selected"] == [plans["playground"].project_id]
    assert weighted.voters == 5
    assert weighted.figures["voters"] == 5
    assert weighted.figures["channels"] == [
        {"channel": "online", "ballots": 2},
        {"channel": "paper", "ballots": 3},
    ]
    assert weighted.figures["weights"] == {"paper_share": 50, "paper": 2, "online": 3}
    by_title = {plan["title"]: plan for plan in weighted.figures["plans"]}
    assert {title: (p["votes"], p["ballots"]) for title, p in by_title.items()} == {
        "Speeltuin": (5, 2),
        "Plein": (4, 2),
        "Bankjes": (3, 1),
    }
    explained = {p["project_id"]: p for p in weighted.outcome["projects"]}
    assert explained[plans["square"].project_id]["data"] == {
        "rank": 2,
        "score": 4,
        "money_left": "2000",
    }


def test_equal_shares_gives_a_voter_a_share_by_weight(cast) -> None:
    # 12 weight units: € 10.000 / 12 a unit; a paper ballot holds 2 units, an online one 3. The
    # playground's supporters (one paper, one online ballot: 5 units) hold € 4.166,67 < € 8.000;
    # the square's two paper ballots (4 units) € 3.333,33 < € 6.000: nothing is funded.
    process, plans = weighted_round(cast, 50, rule=CountingRule.MES)
    [result] = results.count_now(process, actor=COUNT)
    assert result.outcome["per_voter_budget"] == "2500/3"
    explained = {p["project_id"]: p for p in result.outcome["projects"]}
    assert explained[plans["playground"].project_id]["code"] == "mes-unaffordable"
    assert explained[plans["playground"].project_id]["data"]["money_behind_it"] == "12500/3"
    assert explained[plans["square"].project_id]["data"]["money_behind_it"] == "10000/3"
    assert result.outcome["selected"] == []


def test_equal_shares_with_add1_weighted_and_not(cast) -> None:
    # Add1 raises the share a unit (a voter unweighted) holds by € 1 at a time. Unweighted (€ 2.000
    # each, 2 voters for the square, 2 for the playground, 1 for the benches): at € 3.999 the
    # square is paid (€ 3.000 each), at € 4.000 the playground and the benches would be too:
    # over budget, so the square alone. Weighted: at € 1.599,33 a unit the square (4 units,
    # € 1.500 each) and the benches (3 units, € 1.333,33 each) are paid, € 10.000 in all; a unit
    # more and the playground (5 units, € 1.600) would be too.
    process, plans = weighted_round(cast, 50, rule=CountingRule.MES, completion=Completion.ADD1)
    [weighted] = results.count_now(process, actor=COUNT)
    assert weighted.outcome["selected"] == [plans["square"].project_id, plans["benches"].project_id]
    assert weighted.outcome["per_voter_budget"] == "4798/3"
    assert weighted.outcome["add1_steps"] == 766
    plain_round, plans = weighted_round(
        cast, None, rule=CountingRule.MES, completion=Completion.ADD1
    )
    [plain] = results.count_now(plain_round, actor=COUNT)
    assert plain.outcome["selected"] == [plans["square"].project_id]
    assert plain.outcome["per_voter_budget"] == "3999"


def test_the_ballots_file_carries_the_weights_and_recounts(cast, tmp_path: Path) -> None:
    process, plans = weighted_round(cast, 50)
    [result] = results.count_now(process, actor=COUNT)
    election = read_pb(result.pb_text)
    assert sorted(election.voter_weights or []) == [2, 2, 2, 3, 3]
    assert election.total_weight == 12
    assert election.meta["comment"] == (
        "Paper ballots weigh 2 and online ballots 3 (VOTES column weight), so that the paper "
        "ballots together count for 50% and the online ballots for 50%."
    )
    header = result.pb_text.split("VOTES\n")[1].splitlines()[0]
    assert header == "voter_id;vote;weight"
    # PROJECTS' votes column: ballots, as pabulib counts them
    votes = {p.id: p.extra["votes"] for p in election.projects}
    assert votes == {
        plans["square"].project_id: "2",
        plans["playground"].project_id: "2",
        plans["benches"].project_id: "1",
    }
    path = tmp_path / results.pb_filename(process, cast.district)
    path.write_text(result.pb_text, encoding="utf-8")
    done = subprocess.run(
        [str(BIN / "wijkwerk"), "count", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["selected"] == [plans["playground"].project_id]
    # the same file without its weight column counts the other way
    plain = re.sub(r"^(\d+;[^;\n]*);\d+$", r"\1", result.pb_text, flags=re.M)
    plain = plain.replace("voter_id;vote;weight", "voter_id;vote")
    path.write_text(plain, encoding="utf-8")
    done = subprocess.run(
        [str(BIN / "wijkwerk"), "count", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["selected"] == [
        plans["square"].project_id,
        plans["benches"].project_id,
    ]


def test_one_channel_only_weighs_every_ballot_one(cast) -> None:
    process = make_round(
        cast, fund=None, paper_share=50, vote_with_code=True, areas=[(cast.district, 1_000_000)]
    )
    square = PlanFactory(process=process, title="Plein", estimated_cost_cents=600_000)
    ballots(process, cast.district, Channel.PAPER, [[square], [square]])
    [result] = results.count_now(closed(cast, process), actor=COUNT)
    assert result.figures["channels"] == [{"channel": "paper", "ballots": 2}]
    assert result.figures["weights"] is None
    assert result.figures["paper_share_unused"] is True
    assert "weight" not in result.pb_text.split("VOTES\n")[1].splitlines()[0]
    assert read_pb(result.pb_text).voter_weights is None


def test_the_result_page_shows_the_channels_and_weights(cast, client) -> None:
    process, _plans = weighted_round(cast, 50)
    results.count_now(process, actor=COUNT)
    url = reverse("budgeting:result", kwargs={"pk": process.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= 15
    html = response.content.decode()
    assert problems(html) == []  # Dutch only
    text = text_of(html)
    assert (
        "Zo kwamen de stemmen binnen: 2 stembiljetten online, 3 stembiljetten op papier. "
        "Papieren stemmen tellen samen voor 50%, online stemmen voor 50%: een papieren stem "
        "weegt 2, een online stem 3. De stemmen hieronder zijn zo gewogen. In de uitleg telt "
        "een stem die meer weegt als zoveel stemmers, elk met een gelijk deel." in text
    )
    assert "Gewogen stemmen" in text
    assert (
        "Het bestand geeft elk stembiljet zijn gewicht in de kolom weight, die het telprogramma "
        "van wijkwerk leest. pabutools en het rekenprogramma op equalshares.net tellen elk "
        "stembiljet één keer, dus zij geven de uitslag zonder de gewichten." in text
    )
    assert "of met pabutools (Python)" not in text
    assert "Speeltuin 5 (2 stembiljetten) € 8.000,00" in text
    data = client.get(reverse("budgeting:result_json", kwargs={"pk": process.pk})).json()
    [area] = data["areas"]
    assert area["channels"] == [
        {"channel": "online", "ballots": 2},
        {"channel": "paper", "ballots": 3},
    ]
    assert area["weights"] == {"paper_share": 50, "paper": 2, "online": 3}
    assert {p["title"]: (p["votes"], p["ballots"]) for p in area["plans"]} == {
        "Speeltuin": (5, 2),
        "Plein": (4, 2),
        "Bankjes": (3, 1),
    }


def test_the_result_page_says_when_one_channel_weighs_one(cast, client) -> None:
    process = make_round(
        cast, fund=None, paper_share=50, vote_with_code=True, areas=[(cast.district, 1_000_000)]
    )
    square = PlanFactory(process=process, title="Plein", estimated_cost_cents=600_000)
    ballots(process, cast.district, Channel.ONLINE, [[square]])
    results.count_now(closed(cast, process), actor=COUNT)
    text = text_of(
        client.get(reverse("budgeting:result", kwargs={"pk": process.pk})).content.decode()
    )
    assert (
        "Zo kwamen de stemmen binnen: 1 stembiljet online. Papieren en online stemmen zouden "
        "gewogen worden, maar hier kwamen alle stemmen op één manier binnen: elke stem weegt 1."
        in text
    )
    assert "Gewogen stemmen" not in text


def test_a_weighted_file_is_not_imported(cast) -> None:
    election = read_pb(
        "META\nkey;value\nbudget;10\nvote_type;approval\ncurrency;EUR\nPROJECTS\n"
        "project_id;cost\na;6\nVOTES\nvoter_id;vote;weight\n1;a;2\n"
    )
    with pytest.raises(BudgetRefused) as refused:
        imports.election_import(
            actor=cast.admin, election=election, area=cast.district, source_file="w.pb"
        )
    assert refused.value.code == "import"
