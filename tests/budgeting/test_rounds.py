"""A round's set-up: `check_setup` refuses what does not hold together (each problem in words,
with its code), `process_save` stops changing a round once its voting began, publishing makes
the ballot key only where votes may change, the scheduled close, and the rules in plain Dutch."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from wijkwerk.budgeting.forms import RoundForm
from wijkwerk.budgeting.models import BudgetProcess
from wijkwerk.budgeting.refusals import BudgetRefused
from wijkwerk.budgeting.services.rounds import (
    AreaBudget,
    PhaseDates,
    check_setup,
    process_publish,
    process_save,
)
from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.budgeting.texts import rules_in_words
from wijkwerk.core.actors import DEMO

from ..cast import Cast
from ..funds.factories import FundFactory, SchemeFactory
from .factories import make_round, phases_around

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


def a_round(cast: Cast, **fields: Any) -> BudgetProcess:
    values = {
        "municipality": cast.municipality,
        "title": "Buurtbudget",
        "budget_cents": 5_000_000,
        "fund": cast.fund,
        **fields,
    }
    return BudgetProcess(**values)


def week(kind: str, start_day: int, days: int = 7) -> PhaseDates:
    start = AT + datetime.timedelta(days=start_day)
    return PhaseDates(kind, start, start + datetime.timedelta(days=days))


def refusal(process: BudgetProcess, areas: list[AreaBudget], phases: list[PhaseDates]) -> Any:
    with translation.override("nl"), pytest.raises(BudgetRefused) as caught:
        check_setup(process, areas, phases)
    return caught.value


def test_a_sound_setup_passes(cast: Cast) -> None:
    check_setup(
        a_round(cast),
        [AreaBudget(cast.district, 3_000_000), AreaBudget(cast.other_district, 2_000_000)],
        phases_around("ideas"),
    )


def test_area_budgets_that_do_not_add_up_name_both_amounts(cast: Cast) -> None:
    refused = refusal(
        a_round(cast),
        [AreaBudget(cast.district, 3_000_000), AreaBudget(cast.other_district, 1_500_000)],
        [week("voting", 0)],
    )
    assert refused.codes == ["budget_mismatch"]
    assert refused.messages == [
        "De budgetten van de gebieden tellen op tot € 45.000,00, maar het budget van de ronde "
        "is € 50.000,00 (€ 5.000,00 verschil)."
    ]


def test_overlapping_phases_are_refused(cast: Cast) -> None:
    refused = refusal(
        a_round(cast),
        [AreaBudget(cast.district, 5_000_000)],
        [week("ideas", 0), week("voting", 5)],
    )
    assert refused.codes == ["phase_order"]
    assert refused.messages == [
        "De fase Stemmen begint (6 maart 2027 10:00) voordat Plannen eindigt (8 maart 2027 10:00)."
    ]


def test_a_phase_that_ends_before_it_starts_is_refused(cast: Cast) -> None:
    reversed_voting = PhaseDates("voting", AT + datetime.timedelta(days=7), AT)
    refused = refusal(a_round(cast), [AreaBudget(cast.district, 5_000_000)], [reversed_voting])
    assert refused.codes == ["phase_order"]
    assert refused.messages == [
        "De fase Stemmen eindigt (1 maart 2027 10:00) voordat hij begint (8 maart 2027 10:00)."
    ]


def test_a_round_without_voting_is_refused(cast: Cast) -> None:
    refused = refusal(a_round(cast), [AreaBudget(cast.district, 5_000_000)], [week("ideas", 0)])
    assert refused.codes == ["phase_order"]
    assert refused.messages == ["Een ronde heeft een stemfase nodig."]


def test_another_municipalitys_area_and_fund_are_refused(cast: Cast) -> None:
    oss_fund = FundFactory(scheme=SchemeFactory(municipality=cast.oss), name="Wijkbudget Oss")
    refused = refusal(
        a_round(cast, fund=oss_fund),
        [AreaBudget(cast.district, 3_000_000), AreaBudget(cast.lith, 2_000_000)],
        [week("voting", 0)],
    )
    assert refused.codes == ["foreign_area", "foreign_area"]
    assert refused.messages == [
        "Lith ligt niet in Oosterhout.",
        "Het fonds is van een andere gemeente.",
    ]


def test_no_areas_is_refused(cast: Cast) -> None:
    refused = refusal(a_round(cast), [], [week("voting", 0)])
    assert refused.codes == ["no_areas"]
    assert refused.messages == ["Kies minstens één gebied."]


def test_a_likes_threshold_below_zero_is_refused_by_the_form(cast: Cast) -> None:
    with translation.override("nl"):
        form = RoundForm(
            {
                "title": "Buurtbudget",
                "budget_cents": "50.000,00",
                "minimum_age": "16",
                "likes_threshold": "-1",
                "ballot_type": "approval",
                "min_choices": "1",
                "rule": "mes",
                "completion": "add1",
                "tie_break": "min-cost,max-votes,file-order",
                "residents_vote": "on",
                "vote_with_account": "on",
                "register_retention_days": "30",
            },
            municipality=cast.municipality,
        )
        assert not form.is_valid()
        assert form.errors == {"likes_threshold": ["Het aantal likes kan niet onder 0 liggen."]}


def test_a_round_no_longer_changes_once_its_voting_began(cast: Cast) -> None:
    process = make_round(cast, phase="voting")
    process.title = "Iets anders"
    with pytest.raises(BudgetRefused) as refused:
        process_save(
            actor=DEMO,
            process=process,
            areas=[AreaBudget(cast.district, 5_000_000)],
            phases=phases_around("voting"),
        )
    assert refused.value.code == "not_editable"
    process.refresh_from_db()
    assert process.title == "Buurtbudget Dorst"


def test_a_published_round_changes_before_its_voting(cast: Cast) -> None:
    process = make_round(cast, phase="likes")
    process.likes_threshold = 25
    process_save(
        actor=DEMO,
        process=process,
        areas=[AreaBudget(cast.district, 5_000_000)],
        phases=phases_around("likes"),
    )
    process.refresh_from_db()
    assert process.likes_threshold == 25
    assert process.status == ProcessStatus.PUBLISHED


@pytest.mark.parametrize("may_change", [True, False])
def test_publishing_makes_the_ballot_key_only_where_votes_may_change(
    cast: Cast, may_change: bool
) -> None:
    process = make_round(cast, publish=False, may_change_ballot=may_change)
    assert process.ballot_key is None
    published = process_publish(actor=DEMO, process=process)
    assert published.status == ProcessStatus.PUBLISHED
    assert (published.ballot_key is not None) is may_change
    if may_change:
        assert len(bytes(published.ballot_key)) == 32


def test_the_scheduled_close_closes_rounds_whose_voting_ended(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[int] = []
    monkeypatch.setattr(
        "wijkwerk.budgeting.services.results.enqueue_count",
        lambda process: queued.append(process.pk),
    )
    ended = make_round(cast, phase="result", title="Voorbij")
    running = make_round(cast, phase="voting", title="Loopt")
    draft = make_round(cast, phase="result", publish=False, title="Concept")
    out = StringIO()
    call_command("close_budget_rounds", stdout=out)
    for process in (ended, running, draft):
        process.refresh_from_db()
    assert (ended.status, running.status, draft.status) == (
        ProcessStatus.CLOSED,
        ProcessStatus.PUBLISHED,
        ProcessStatus.DRAFT,
    )
    assert queued == [ended.pk]
    assert "1 round(s) closed." in out.getvalue()
    # a second run finds nothing more
    call_command("close_budget_rounds", stdout=StringIO())
    assert queued == [ended.pk]


# ----- The rules in words ----------------------------------------------------------------------


def rules(process: BudgetProcess) -> list[str]:
    with translation.override("nl"):
        return rules_in_words(BudgetProcess.objects.get(pk=process.pk))


def test_rules_of_a_knapsack_round_for_one_village(cast: Cast) -> None:
    process = make_round(cast, ballot_type="knapsack")
    assert rules(process) == [
        "Iedereen van 16 jaar of ouder die in Dorst woont, mag stemmen.",
        "Elk plan dat de gemeente haalbaar vindt, komt op het stembiljet.",
        "Kies plannen die samen niet meer kosten dan € 50.000,00.",
        "Methode van Gelijke Delen: elke stemmer krijgt een gelijk deel van het budget. Een plan "
        "krijgt geld als de mensen die erop stemden het samen uit hun delen kunnen betalen; het "
        "plan dat zijn stemmers per stem het minst kost, gaat voor. Zo krijgt elke groep "
        "stemmers een eerlijk deel van het budget, niet alleen de grootste groep. Blijft er "
        "geld over, dan wordt ieders deel verhoogd en opnieuw geteld, zolang dat meer plannen "
        "geld geeft. Zijn twee plannen gelijk, dan gaat het goedkoopste voor, daarna het plan "
        "met meer stemmen.",
        "Je kunt je stem veranderen tot het stemmen sluit; alleen je laatste stem telt.",
    ]


def test_rules_of_an_approval_round_for_two_areas(cast: Cast) -> None:
    process = make_round(
        cast,
        areas=[(cast.district, 3_000_000), (cast.other_district, 2_000_000)],
        minimum_age=12,
        maximum_age=18,
        reference_date=datetime.date(2027, 3, 1),
        residents_vote=True,
        entrepreneurs_vote=True,
        likes_threshold=50,
        max_choices=5,
        rule="greedy",
        tie_break="max-votes,min-cost,file-order",
        may_change_ballot=False,
    )
    assert rules(process) == [
        "Iedereen van 12 tot en met 18 jaar die in Dorst of Slotjes woont of er een bedrijf "
        "heeft, mag stemmen. Leeftijd en adres tellen zoals ze zijn op 1 maart 2027. Je stemt "
        "over de plannen van je eigen gebied.",
        "Een plan komt op het stembiljet als het minstens 50 likes heeft en de gemeente het "
        "haalbaar vindt.",
        "Kies 1 tot en met 5 plannen.",
        "Meeste stemmen eerst: de plannen met de meeste stemmen krijgen geld, van boven naar "
        "beneden, tot het budget op is; een plan dat niet meer past, wordt overgeslagen en het "
        "volgende dat wel past, krijgt geld. Zijn twee plannen gelijk, dan gaat het plan met "
        "meer stemmen voor, daarna het goedkoopste.",
        "Je stem is definitief: je kunt hem niet meer veranderen nadat je hebt gestemd.",
    ]


def test_rules_of_a_points_round_for_entrepreneurs(cast: Cast) -> None:
    process = make_round(
        cast,
        minimum_age=0,
        residents_vote=False,
        entrepreneurs_vote=True,
        likes_threshold=1,
        ballot_type="cumulative",
        points=10,
        rule="greedy-no-skip",
    )
    assert rules(process) == [
        "Iedereen die in Dorst een bedrijf heeft, mag stemmen.",
        "Een plan komt op het stembiljet als het minstens 1 like heeft en de gemeente het "
        "haalbaar vindt.",
        "Verdeel 10 punten over de plannen die je wilt; je mag een plan er meer dan één geven.",
        "Meeste stemmen eerst: de plannen met de meeste stemmen krijgen geld, van boven naar "
        "beneden, tot het eerste plan dat niet meer past; daar stopt de telling. Zijn twee "
        "plannen gelijk, dan gaat het goedkoopste voor, daarna het plan met meer stemmen.",
        "Je kunt je stem veranderen tot het stemmen sluit; alleen je laatste stem telt.",
    ]
