"""The demo data set (manage.py load_demo) as `./dev run` shows it: areas, people, councils and
groups, funds and initiatives in every state, budget rounds in every phase, pages that render.

The demo is loaded once for the module (about 20 seconds on PostgreSQL) in a transaction that is
rolled back when the module ends; each test runs inside it in a savepoint of its own, as a test
does, so what one test changes the next does not see. What the command itself does (loading
twice, --if-empty, in production, without the pabulib files, quietly) is tested on an empty
database in test_load_demo.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from wijkwerk.accounts.models import Role, RoleAssignment, User
from wijkwerk.areas.models import (
    Area,
    AreaCouncil,
    AreaKind,
    CouncilKind,
    CouncilMembership,
    GroupMembership,
    Municipality,
    ResidentGroup,
)
from wijkwerk.budgeting.models import (
    Ballot,
    BudgetProcess,
    Like,
    Participation,
    Plan,
)
from wijkwerk.budgeting.selectors import ballot_plans
from wijkwerk.budgeting.states import FeasibilityVerdict, PlanStatus, ProcessStatus
from wijkwerk.core.models import AuditEvent
from wijkwerk.counting import count as count_election
from wijkwerk.counting import read_pb
from wijkwerk.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from wijkwerk.funds.models import Category, Fund, LedgerEntry
from wijkwerk.funds.selectors import fund_figures, initiative_figures
from wijkwerk.initiatives.models import (
    AttachmentPurpose,
    Decision,
    DecisionKind,
    HelpOffer,
    Initiative,
    Message,
    Status,
)
from wijkwerk.initiatives.selectors import good_examples

pytestmark = pytest.mark.django_db

OOSTERHOUT_DISTRICTS = {f"WK0826{n:02d}" for n in range(14)}


@pytest.fixture(scope="module")
def _demo_database(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The demo, loaded once for the module's tests (its uploads in a folder of their own)."""
    uploads = tmp_path_factory.mktemp("demo-uploads")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=uploads),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        yield uploads
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_database: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = _demo_database


@pytest.mark.usefixtures("demo")
def test_oosterhout_areas_with_real_cbs_codes() -> None:
    oosterhout = Municipality.objects.get(cbs_code="GM0826")
    assert oosterhout.slug == "oosterhout"
    top = Area.objects.filter(municipality=oosterhout, parent=None)
    assert set(top.values_list("cbs_code", flat=True)) == OOSTERHOUT_DISTRICTS
    assert not top.filter(code_is_demo=True).exists()
    assert set(top.filter(kind=AreaKind.VILLAGE).values_list("name", flat=True)) == {
        "Den Hout",
        "Oosteind",
        "Dorst",
    }
    assert set(top.values_list("cbs_year", flat=True)) == {2020}
    neighbourhoods = {
        a.cbs_code: (a.name, a.parent.cbs_code if a.parent else None, a.code_is_demo)
        for a in Area.objects.filter(municipality=oosterhout, kind=AreaKind.NEIGHBOURHOOD)
    }
    assert neighbourhoods["BU08260102"] == ("Slotjes-West", "WK082601", False)
    assert neighbourhoods["BU08261300"] == ("Dorst", "WK082613", False)
    assert neighbourhoods["BU08261307"] == ("Buitengebied Dorst-Zuid", "WK082613", False)
    unconfirmed = {name: demo for name, _, demo in neighbourhoods.values() if demo}
    assert unconfirmed == {"Oosterheide-Oost": True, "Slotjes-Midden": True}
    with_boundary = Area.objects.filter(boundary__isnull=False)
    assert with_boundary.count() == 7
    for area in with_boundary:
        assert "schematisch" in area.description, area.name


@pytest.mark.usefixtures("demo")
def test_oss_areas_have_demo_codes_and_real_neighbourhoods() -> None:
    oss = Municipality.objects.get(cbs_code="GM0828")
    top = Area.objects.filter(municipality=oss, parent=None)
    assert top.count() == 11
    assert not top.filter(code_is_demo=False).exists()
    assert "Geffen" in set(top.values_list("name", flat=True))
    parents = dict(
        Area.objects.filter(municipality=oss, kind=AreaKind.NEIGHBOURHOOD).values_list(
            "cbs_code", "parent__name"
        )
    )
    assert parents == {
        "BU08280200": "Oss Centrum / Krinkelhoek / Mettegeupel",
        "BU08280303": "Schadewijk",
        "BU08280500": "Oss Noordwest",
        "BU08280503": "Oss Noordwest",
        "BU08280605": "Ruwaard",
        "BU08280909": "Oss Noordwest",
    }
    assert not Area.objects.filter(cbs_code__startswith="BU0828", code_is_demo=True).exists()


@pytest.mark.usefixtures("demo")
def test_officials_for_every_role() -> None:
    def holders(role: str, municipality: str) -> set[str]:
        return set(
            RoleAssignment.objects.filter(
                role=role, municipality__cbs_code=municipality
            ).values_list("user__email", flat=True)
        )

    assert len(holders(Role.BROKER, "GM0826")) == 3
    assert len(holders(Role.ALDERMAN, "GM0826")) == 5
    assert holders(Role.COMMUNITY_WORKER, "GM0826") == {"wijkwerker@oosterhout.example"}
    assert holders(Role.ADMIN, "GM0826") == {"beheer@oosterhout.example"}
    assert len(holders(Role.CLERK, "GM0826")) == len(holders(Role.CLERK, "GM0828")) == 1
    assert len(holders(Role.AREA_COORDINATOR, "GM0828")) == 4
    # Oss pays through a second administrator: a grant is paid by another official than the one
    # who approved it, and Oss has no wijkmakelaars.
    assert holders(Role.ADMIN, "GM0828") == {"beheer@oss.example", "financien@oss.example"}
    # Every Oosterhout district and village has a broker and an alderman; every Oss area a
    # coordinator.
    for role, municipality, expected in (
        (Role.BROKER, "GM0826", OOSTERHOUT_DISTRICTS),
        (Role.ALDERMAN, "GM0826", OOSTERHOUT_DISTRICTS),
        (Role.AREA_COORDINATOR, "GM0828", {f"WK0828{n}" for n in range(81, 92)}),
    ):
        covered = RoleAssignment.objects.filter(
            role=role, municipality__cbs_code=municipality
        ).values_list("area__cbs_code", flat=True)
        assert sorted(covered) == sorted(expected)


@pytest.mark.usefixtures("demo")
def test_officials_have_the_demo_two_factor_secret_and_everyone_a_verified_address() -> None:
    officials = User.objects.filter(role_assignments__isnull=False).distinct()
    assert officials.count() == 18
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
    for user in officials:
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        assert TOTP(authenticator).validate_code(code)
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == User.objects.count()
    user = User.objects.get(email="bewoner@oosterhout.example")
    assert user.check_password(DEMO_PASSWORD)
    assert user.home_area is not None and user.home_area.name == "Oosterheide-Oost"
    assert User.objects.exclude(expertise="").count() >= 5


@pytest.mark.usefixtures("demo")
def test_councils_and_groups() -> None:
    oss_councils = AreaCouncil.objects.filter(area__municipality__cbs_code="GM0828")
    assert oss_councils.count() == 11
    assert oss_councils.values("area").distinct().count() == 11
    noordwest = AreaCouncil.objects.get(name="Wijkraad Oss Noordwest")
    assert noordwest.kind == CouncilKind.DISTRICT_COUNCIL
    assert noordwest.memberships.count() == 7
    assert oss_councils.filter(kind=CouncilKind.VILLAGE_COUNCIL).count() == 6
    villages = AreaCouncil.objects.filter(area__municipality__cbs_code="GM0826")
    assert set(villages.values_list("name", "kind")) == {
        ("Dorpsraad Dorst", CouncilKind.VILLAGE_COUNCIL),
        ("Dorpsraad Den Hout", CouncilKind.VILLAGE_COUNCIL),
        ("Dorpsraad Oosteind", CouncilKind.VILLAGE_COUNCIL),
    }
    # Groups in every Oosterhout village, and groups where there is no council.
    group_areas = set(ResidentGroup.objects.values_list("area__cbs_code", flat=True))
    assert {"WK082611", "WK082612", "WK082613"} <= group_areas
    without_council = ResidentGroup.objects.exclude(area__councils__isnull=False)
    assert without_council.count() >= 2
    assert GroupMembership.objects.filter(role="contact").count() == ResidentGroup.objects.count()


@pytest.mark.usefixtures("demo")
def test_the_demo_is_written_through_the_services_with_their_audit() -> None:
    """No demo row skips a service: every one has the event its service records, by the
    system (no person), so the back office's validation and audit exist once. Groups that
    residents founded themselves (the groups app) have their founder's `group.found` instead,
    and their members their own joining."""
    founded = [
        int(pk)
        for pk in AuditEvent.objects.filter(action="group.found").values_list(
            "object_id", flat=True
        )
    ]
    assert founded
    expected = {
        "person.create": User.objects.count(),
        "role.assign": RoleAssignment.objects.count(),
        "council.create": AreaCouncil.objects.count(),
        "group.create": ResidentGroup.objects.exclude(pk__in=founded).count(),
        "council.member_add": CouncilMembership.objects.count(),
        "group.member_add": GroupMembership.objects.exclude(group__in=founded).count(),
        "area.create": Area.objects.count(),
        "municipality.create": Municipality.objects.count(),
        "fund.create": Fund.objects.count(),
    }
    for action, count in expected.items():
        events = AuditEvent.objects.filter(action=action)
        assert events.count() == count > 0, action
        assert not events.exclude(actor=None).exists(), action


@pytest.mark.usefixtures("demo")
def test_every_demo_area_and_municipality_page_renders(client: Client) -> None:
    for municipality in Municipality.objects.all():
        assert client.get(municipality.get_absolute_url()).status_code == 200
    areas = list(Area.objects.select_related("municipality"))
    assert len(areas) == 36
    for area in areas:
        response = client.get(area.get_absolute_url())
        assert response.status_code == 200, area.cbs_code
        assert area.name.encode() in response.content


@pytest.mark.usefixtures("demo")
def test_a_demo_official_logs_in_with_password_and_demo_totp(client: Client) -> None:
    response = client.post(
        "/accounts/login/",
        {"login": "beheer@oosterhout.example", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    code = StringIO()
    call_command("demo_totp", stdout=code, stderr=StringIO())
    response = client.post(response["Location"], {"code": code.getvalue().strip()})
    assert response.status_code == 302
    assert client.get("/beheer/").status_code == 200


@pytest.mark.usefixtures("demo")
def test_demo_has_the_funds_from_the_council_documents() -> None:
    oosterhout = Fund.objects.filter(municipality__cbs_code="GM0826")
    physical = {
        fund.year: fund.amount_cents
        for fund in oosterhout.filter(name__istartswith="Bewonersinitiatieven")
    }
    assert physical[2020] == 150_000_00
    assert physical[2021] == 300_000_00
    assert Fund.objects.filter(municipality__cbs_code="GM0828").exists()


# Every state of the workflow in both municipalities. In Oosterhout every area has a wijkmakelaar,
# who gets a submission for review at once: "submitted" is a state Oosterhout's initiatives pass
# through, not one they stay in; Oosterhout shows "returned for changes" instead.
EVERY_STATE = {
    Status.DRAFT,
    Status.UNDER_REVIEW,
    Status.APPROVED,
    Status.IN_PROGRESS,
    Status.ACCOUNTED,
    Status.COMPLETED,
    Status.REJECTED,
    Status.WITHDRAWN,
}


def state_counts() -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for code, status in Initiative.objects.values_list("area__municipality__cbs_code", "status"):
        counts.setdefault(code, {}).setdefault(status, 0)
        counts[code][status] += 1
    return counts


@pytest.mark.usefixtures("demo")
def test_initiatives_in_every_state_in_both_municipalities() -> None:
    counts = state_counts()
    assert set(counts["GM0826"]) == EVERY_STATE | {Status.RETURNED}
    assert set(counts["GM0828"]) == EVERY_STATE | {Status.SUBMITTED}
    # as docs/demo.md lists them: one of each, and more than one good example; in Oosterhout
    # also the three plans Den Hout's budget round funded (approved initiatives)
    assert counts["GM0826"] == dict.fromkeys(counts["GM0826"], 1) | {
        Status.COMPLETED: 3,
        Status.APPROVED: 4,
    }
    # in Oss also the five applications its councils decide (demo/councils.py): two approved
    # and one rejected at a past meeting, two on the agenda of the next
    assert counts["GM0828"] == dict.fromkeys(counts["GM0828"], 1) | {
        Status.COMPLETED: 2,
        Status.APPROVED: 3,
        Status.SUBMITTED: 3,
        Status.REJECTED: 2,
    }
    # each in the area's municipality, under a scheme and category of that municipality, by a
    # resident who lives there
    for initiative in Initiative.objects.select_related(
        "area", "scheme", "category", "applicant__home_area"
    ):
        municipality = initiative.area.municipality_id
        assert initiative.scheme.municipality_id == municipality, initiative.title
        assert initiative.category.municipality_id == municipality, initiative.title
        assert initiative.applicant.home_area.municipality_id == municipality, initiative.title


@pytest.mark.usefixtures("demo")
def test_the_initiatives_went_through_the_workflow_services() -> None:
    """Each step by a person, with its audit event and timeline entry; the grant paid by another
    official than the one who approved it. The plans a budget round funded became initiatives
    at the count, which is the system's (the task worker's)."""
    created = AuditEvent.objects.filter(action="initiative.create")
    assert created.count() == Initiative.objects.count()
    funded = {
        str(pk) for pk in Plan.objects.exclude(initiative=None).values_list("initiative", flat=True)
    }
    assert len(funded) == 3
    assert set(created.filter(actor=None).values_list("object_id", flat=True)) == funded
    for initiative in Initiative.objects.exclude(status=Status.DRAFT).exclude(pk__in=funded):
        assert initiative.status_changes.filter(action="submit").exists(), initiative.title
    for initiative in Initiative.objects.filter(pk__in=funded):
        assert initiative.status_changes.filter(action="award").exists(), initiative.title
    for initiative in Initiative.objects.filter(paid_cents__gt=0):
        payers = set(
            AuditEvent.objects.filter(
                action="initiative.pay", object_id=str(initiative.pk)
            ).values_list("actor_id", flat=True)
        )
        assert payers and initiative.approved_by_id not in payers, initiative.title


@pytest.mark.usefixtures("demo")
def test_the_ledger_matches_the_initiatives_and_the_fund_figures_add_up() -> None:
    entries = LedgerEntry.objects.all()
    assert {e.kind for e in entries} >= {"commitment", "payment", "release", "refund"}
    for fund in Fund.objects.filter(pk__in=entries.values("fund_id")):
        figures = fund_figures(fund)
        initiatives = list(Initiative.objects.filter(fund=fund))
        # other cases' money (the right to challenge in Lith) is booked for them, not corrected
        others = {
            kind: sum(
                e.amount_cents for e in entries.filter(fund=fund, case_id__isnull=False, kind=kind)
            )
            for kind in ("commitment", "payment")
        }
        assert (
            figures.committed
            == sum(i.granted_cents or 0 for i in initiatives) + others["commitment"]
        ), fund
        assert figures.paid == sum(i.paid_cents for i in initiatives) + others["payment"], fund
        assert figures.available == fund.amount_cents - figures.committed + (
            figures.released + figures.refunded + figures.corrected
        )
    for initiative in Initiative.objects.all():
        money = initiative_figures(initiative)
        granted = initiative.granted_cents or 0
        status = initiative.status
        if status in (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.RETURNED):
            assert money.committed == 0 and initiative.fund is None, initiative.title
        elif status == Status.REJECTED:
            assert money.committed == 0, initiative.title
        elif status == Status.APPROVED:
            assert (money.committed, money.paid) == (granted, 0), initiative.title
        elif status in (Status.IN_PROGRESS, Status.ACCOUNTED):  # the advance paid
            assert money.paid == granted > 0 and money.open_commitments == 0, initiative.title
        elif status == Status.COMPLETED:
            # paid the amount finally set (an advance above it paid back), nothing still open
            assert money.paid - money.refunded == initiative.final_cents, initiative.title
            assert money.open_commitments == 0, initiative.title
            assert money.released == granted - money.paid, initiative.title
        elif status == Status.WITHDRAWN:
            assert money.released == granted > 0 and money.paid == 0, initiative.title


@pytest.mark.usefixtures("demo")
def test_every_completed_initiative_is_a_good_example_with_a_photo() -> None:
    completed = set(Initiative.objects.filter(status=Status.COMPLETED))
    assert set(good_examples(limit=100)) == completed
    for initiative in completed:
        photos = initiative.attachments.filter(
            purpose=AttachmentPurpose.RESULT_PHOTO, is_image=True
        )
        assert photos.exists(), initiative.title
        for photo in photos:
            with photo.file.open("rb") as file:
                assert file.read(3) == b"\xff\xd8\xff"  # a JPEG


@pytest.mark.usefixtures("demo")
def test_every_rejection_is_an_awb_decision_with_its_reasons(client: Client) -> None:
    rejected = Initiative.objects.filter(status=Status.REJECTED)
    assert rejected.count() == 3  # one by Wijkraad Oss Noordwest (demo/councils.py)
    for initiative in rejected:
        decision = Decision.objects.get(initiative=initiative, kind=DecisionKind.REJECTION)
        assert len(decision.reasons) > 200, initiative.title
        assert decision.reasons == initiative.decision_reason
        assert "artikel" in decision.reasons
    grants = Decision.objects.filter(kind=DecisionKind.GRANT)
    assert grants.count() == Initiative.objects.filter(granted_cents__isnull=False).count()


@pytest.mark.usefixtures("demo")
def test_no_duplicate_categories() -> None:
    """Each municipality has its own three categories, once; the list filter groups them by
    municipality (tests/initiatives/test_own_municipality.py), so "Overig" is not listed twice
    without saying whose it is."""
    for municipality in Municipality.objects.all():
        names = list(
            Category.objects.filter(municipality=municipality).values_list("name", flat=True)
        )
        assert sorted(names) == ["Fysieke leefomgeving", "Overig", "Sociale samenhang"]


@pytest.mark.usefixtures("demo")
def test_conversations_notes_and_offers_of_help() -> None:
    """Some initiatives have a conversation with the official handling them, an internal note
    or a neighbour's offer of help, each by the person concerned."""
    messages = Message.objects.select_related("initiative", "author")
    public = messages.filter(is_internal=False)
    assert public.count() >= 4
    for message in public:
        initiative = message.initiative
        assert message.author == initiative.applicant or message.author.has_perm(
            "initiatives.view_internal", initiative
        )
    notes = messages.filter(is_internal=True)
    assert notes.exists()
    for note in notes:
        assert note.author != note.initiative.applicant
        assert note.author.has_perm("initiatives.view_internal", note.initiative)
    assert HelpOffer.objects.exclude(user__expertise="").exists()


@pytest.mark.usefixtures("demo")
def test_the_demo_pages_of_initiatives_render(client: Client) -> None:
    for initiative in Initiative.objects.filter(consent_to_publish=True).exclude(
        status__in=(Status.DRAFT, Status.WITHDRAWN)
    ):
        response = client.get(initiative.get_absolute_url())
        assert response.status_code == 200, initiative.title
    response = client.get("/initiatieven/")
    assert response.status_code == 200
    assert "Jeu-de-boulesbaan" in response.content.decode()


# --- Neighbourhood budget rounds (demo/data/budgeting.toml) ---------------------------------------


PABULIB = Path(__file__).resolve().parents[2].parent / "shared" / "pabulib"
# ../shared/pabulib/README.md: the official outcome of Netherlands_Assen_2025.pb
ASSEN_2025 = {
    "249",
    "276",
    "282",
    "285",
    "288",
    "303",
    "306",
    "312",
    "315",
    "318",
    "330",
    "336",
    "345",
}


def running(process: BudgetProcess) -> str | None:
    now = timezone.now()
    kinds = [p.kind for p in process.phases.all() if p.starts_at <= now < p.ends_at]
    return kinds[0] if kinds else None


@pytest.mark.usefixtures("demo")
def test_a_living_round_in_every_phase() -> None:
    rounds = {
        p.title: (p.municipality.cbs_code, p.status, running(p), p.plans.count(), p.ballots.count())
        for p in BudgetProcess.objects.select_related("municipality")
    }
    assert rounds == {
        "Wijkbudget Oss Noordwest 2027": ("GM0828", ProcessStatus.PUBLISHED, "ideas", 4, 0),
        "Dorpsbudget Lith 2027": ("GM0828", ProcessStatus.PUBLISHED, "feasibility", 5, 0),
        "Buurtbudget Dorst 2027": ("GM0826", ProcessStatus.PUBLISHED, "voting", 13, 9),
        "Buurtbudget Den Hout 2026": ("GM0826", ProcessStatus.COUNTED, "result", 6, 9),
        # the real election: its phases were in 2025
        "Top Idee Assen 2025 (echte stemmen)": ("GM0826", ProcessStatus.COUNTED, None, 32, 332),
    }
    # who voted: the register of the demo residents' rounds (none for the imported one)
    assert Participation.objects.count() == 19
    assert set(Ballot.objects.values_list("channel", flat=True)) == {"online", "paper", "imported"}
    # the account route lives on where no code or DigiD is: Den Hout voted with accounts, Oss
    # Noordwest and Lith will
    ways = {
        p.title: (p.vote_with_account, p.vote_with_code, p.vote_with_digid)
        for p in BudgetProcess.objects.exclude(source_file="Netherlands_Assen_2025.pb")
    }
    assert ways == {
        "Wijkbudget Oss Noordwest 2027": (True, False, False),
        "Dorpsbudget Lith 2027": (True, False, False),
        "Buurtbudget Dorst 2027": (False, True, True),
        "Buurtbudget Den Hout 2026": (True, False, False),
    }


@pytest.mark.usefixtures("demo")
def test_dorst_votes_on_the_plans_that_passed_likes_and_the_check() -> None:
    dorst = BudgetProcess.objects.get(title="Buurtbudget Dorst 2027")
    plans = {plan.title: plan for plan in dorst.plans.all()}
    on_ballot = {
        plan.title: plan.cost_cents for plan in ballot_plans(dorst, dorst.process_areas.get().area)
    }
    assert on_ballot == {
        "AED in een buitenkast bij de sporthal": 2_650_00,
        "Beweegtuin bij het dorpshuis": 19_750_00,
        "Moestuinbakken bij de basisschool": 4_200_00,
        "Ommetje rond Dorst met bankjes": 10_400_00,
        "Openluchtpodium op het kerkplein": 16_800_00,
        "Pluktuin met fruitbomen aan de Dorpsstraat": 6_500_00,
        "Veilige oversteek op de Kerkstraat bij de school": 14_200_00,
    }
    # merged: its like moved to the route (its author's own like did not)
    bankjes = plans["Bankjes langs de wandelpaden"]
    assert (bankjes.status, bankjes.merged_into) == (
        PlanStatus.MERGED,
        plans["Ommetje rond Dorst met bankjes"],
    )
    assert plans["Ommetje rond Dorst met bankjes"].like_count == 5
    hidden = plans["Jongeren weg bij de kerk"]
    assert hidden.status == PlanStatus.HIDDEN and hidden.hidden_reason.startswith("Verborgen")
    infeasible = {t for t, p in plans.items() if p.feasibility == FeasibilityVerdict.INFEASIBLE}
    assert infeasible == {"Skatebaan op het sportpark", "Verkeersdrempels in de hele Molenstraat"}
    assert all(plans[t].feasibility_reason for t in infeasible)
    below = {
        t
        for t, p in plans.items()
        if p.feasibility == FeasibilityVerdict.FEASIBLE and p.like_count < dorst.likes_threshold
    }
    assert below == {"Insectenhotels in de dorpskern", "Kunstgras op het trapveldje"}
    assert (
        sum(p.like_count for p in plans.values())
        == Like.objects.filter(plan__process=dorst).count()
        == 51
    )
    # seven neighbours voted online and three on paper, within the budget; no account voted
    assert dorst.participations.count() == 10
    assert not dorst.participations.exclude(user=None).exists()
    for ballot in dorst.ballots.all():
        assert (
            sum(on_ballot[Plan.objects.get(pk=pk).title] for pk in ballot.plan_ids()) <= 40_000_00
        )


@pytest.mark.usefixtures("demo")
def test_den_hout_was_counted_with_equal_shares_and_its_funded_plans_became_initiatives() -> None:
    den_hout = BudgetProcess.objects.get(title="Buurtbudget Den Hout 2026")
    assert (den_hout.rule, den_hout.completion, den_hout.ballot_key) == ("mes", "add1", None)
    result = den_hout.results.get()
    titles = dict(den_hout.plans.values_list("project_id", "title"))
    assert {titles[p] for p in result.outcome["selected"]} == {
        "Speelbos achter de school",
        "Buurtkoelkast bij het dorpshuis",
        "Bankjes en afvalbakken op het kerkplein",
    }
    assert (result.voters, result.outcome["total_cost"]) == (9, "14600")
    # the exported ballots recount to the same plans
    recount = count_election(
        read_pb(result.pb_text, name="den-hout.pb"), tie_break=den_hout.tie_break
    )
    assert set(recount.selected) == set(result.outcome["selected"])
    funded = den_hout.plans.exclude(initiative=None).select_related("initiative")
    assert {p.project_id for p in funded} == set(result.outcome["selected"])
    for plan in funded:
        initiative = plan.initiative
        assert initiative.status == Status.APPROVED, plan.title
        assert (initiative.granted_cents, initiative.fund) == (plan.cost_cents, den_hout.fund)
        assert initiative.applicant == plan.author
        assert initiative_figures(initiative).committed == plan.cost_cents


@pytest.mark.usefixtures("demo")
def test_the_imported_election_has_its_official_outcome() -> None:
    assen = BudgetProcess.objects.get(source_file="Netherlands_Assen_2025.pb")
    assert assen.process_areas.get().area.name == "Oosterheide"
    assert (assen.fund, assen.budget_cents) == (None, 100_000_00)
    result = assen.results.get()
    assert set(result.outcome["selected"]) == ASSEN_2025
    assert result.voters == 332
    assert not assen.plans.exclude(initiative=None).exists()
    official = {
        p.id
        for p in read_pb(PABULIB / "Netherlands_Assen_2025.pb").projects
        if p.extra["selected"] == "1"
    }
    assert official == ASSEN_2025


@pytest.mark.usefixtures("demo")
def test_the_demo_rounds_pages_render(client: Client) -> None:
    """What `./dev run` shows: every round's page and plans, the counted rounds' results, and
    the ballot for the Dorst resident who has not voted yet."""
    assert client.get(reverse("budgeting:round_list")).status_code == 200
    for process in BudgetProcess.objects.all():
        for name in ("round_detail", "plan_list"):
            response = client.get(reverse(f"budgeting:{name}", args=[process.pk]))
            assert response.status_code == 200, (process.title, name)
        assert process.title.encode() in response.content
        if process.status == ProcessStatus.COUNTED:
            response = client.get(reverse("budgeting:result", args=[process.pk]))
            assert response.status_code == 200, process.title
    for plan in Plan.objects.filter(process__title="Buurtbudget Dorst 2027"):
        assert client.get(reverse("budgeting:plan_detail", args=[plan.pk])).status_code == 200
    dorst = BudgetProcess.objects.get(title="Buurtbudget Dorst 2027")
    # someone not known at the ballot box of a round without accounts is shown the ways in
    response = client.get(reverse("budgeting:ballot", args=[dorst.pk]))
    assert response.status_code == 200
    assert reverse("budgeting:code_entry", args=[dorst.pk]) in response.content.decode()
    assert "Dorpsplein 3, Dorst" in response.content.decode()
