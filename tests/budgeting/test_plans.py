"""Plans, likes, moderation and feasibility (budgeting/services/plans.py): every refusal by its
code, likes moved once on a merge, like counts exact, both authors told by mail."""

from __future__ import annotations

import ast
import io
import re
import threading
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from wijkwerk.accounts.models import User
from wijkwerk.budgeting import refusals
from wijkwerk.budgeting.models import Like, Plan
from wijkwerk.budgeting.refusals import BudgetRefused
from wijkwerk.budgeting.selectors import ballot_plans
from wijkwerk.budgeting.services import plans as services
from wijkwerk.budgeting.states import FeasibilityVerdict, PlanStatus
from wijkwerk.core.models import AuditEvent
from wijkwerk.core.ratelimit import RateLimited

from ..accounts.factories import UserFactory
from .factories import PlanFactory, make_round

pytestmark = pytest.mark.django_db


def values(cast, **overrides):
    data = {
        "title": "Bankjes op het Dorpsplein",
        "summary": "Drie bankjes in de schaduw van de lindes.",
        "description": "Voor wie even wil zitten bij het boodschappen doen.",
        "area": cast.district,
        "address": "Dorpsplein, Dorst",
        "latitude": None,
        "longitude": None,
        "category": cast.category,
        "estimated_cost_cents": 1_250_000,
    }
    data.update(overrides)
    return data


def submit(cast, process, actor=None, **overrides):
    return services.plan_submit(
        actor=actor or cast.applicant, process=process, values=values(cast, **overrides)
    )


def code_of(call) -> str:
    with pytest.raises(BudgetRefused) as refused:
        call()
    return refused.value.code


def png(size=(1200, 900), exif_gps: bool = False) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "green")
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "Telefoonmerk"  # Make
        exif[0x8825] = {1: "N", 2: (51.0, 36.0, 0.0)}  # GPSInfo
        image.save(buffer, format="PNG", exif=exif)
    else:
        image.save(buffer, format="PNG")
    return SimpleUploadedFile("plein.png", buffer.getvalue(), content_type="image/png")


# --- submitting and changing -------------------------------------------------------------------


def test_a_plan_is_submitted_with_the_next_number_and_an_audit_event(cast) -> None:
    process = make_round(cast, phase="ideas")
    PlanFactory(process=process, project_id="7")
    PlanFactory(process=process, project_id="K-12")  # an imported file's own id
    plan = submit(cast, process)
    second = submit(cast, process, actor=cast.neighbour, title="Een jeu-de-boulesbaan")
    assert (plan.project_id, second.project_id) == ("8", "9")
    assert plan.author == cast.applicant
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.feasibility == FeasibilityVerdict.PENDING
    assert plan.like_count == 0
    event = AuditEvent.objects.get(action="plan.submit", object_id=str(plan.pk))
    assert event.actor == cast.applicant
    assert event.municipality_id == cast.municipality.pk
    assert event.after["estimated_cost_cents"] == 1_250_000


def test_submitting_outside_the_ideas_phase_or_round_is_refused(cast) -> None:
    likes = make_round(cast, phase="likes")
    assert code_of(lambda: submit(cast, likes)) == "wrong_phase"
    ideas = make_round(cast, phase="ideas", title="Buurtbudget Dorst 2")
    assert code_of(lambda: submit(cast, ideas, area=cast.other_district)) == "not_in_round"
    assert code_of(lambda: submit(cast, ideas, estimated_cost_cents=0)) == "cost_required"
    assert code_of(lambda: submit(cast, ideas, estimated_cost_cents=None)) == "cost_required"
    assert code_of(lambda: submit(cast, ideas, title="  ")) == "incomplete"
    assert code_of(lambda: submit(cast, ideas, latitude=51.6)) == "incomplete"
    assert Plan.objects.count() == 0
    assert not AuditEvent.objects.filter(action="plan.submit").exists()


def test_a_draft_round_takes_no_plans(cast) -> None:
    draft = make_round(cast, phase="ideas", publish=False)
    assert code_of(lambda: submit(cast, draft)) == "wrong_phase"


def test_the_picture_is_checked_and_stored_as_jpeg_without_its_metadata(cast) -> None:
    process = make_round(cast, phase="ideas")
    plan = services.plan_submit(
        actor=cast.applicant,
        process=process,
        values=values(cast),
        picture=png(size=(3200, 1800), exif_gps=True),
    )
    assert plan.picture.name.startswith(f"plans/{process.pk}/")
    assert plan.picture.name.endswith(".jpg")
    with plan.picture.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1600, 900)
        assert not stored.getexif()
    text = SimpleUploadedFile("plein.png", b"<script>alert(1)</script>", "image/png")
    pdf = SimpleUploadedFile("plein.png", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    for upload in (text, pdf):
        refused = code_of(
            lambda upload=upload: services.plan_submit(
                actor=cast.applicant, process=process, values=values(cast), picture=upload
            )
        )
        assert refused == "bad_picture"
    assert Plan.objects.count() == 1


def test_an_initiative_of_ones_own_fills_the_plan_and_is_linked(cast) -> None:
    initiative = cast.draft()  # the applicant's, in Dorst-Zuid (in Dorst), € 1.500,00
    process = make_round(cast, phase="ideas")
    assert list(services.enterable_initiatives(cast.applicant, process)) == [initiative]
    assert services.round_area_of(process, initiative) == cast.district
    plan = services.plan_submit(
        actor=cast.applicant,
        process=process,
        values={"area": cast.district, "initiative": initiative},
    )
    assert plan.initiative == initiative
    assert (plan.title, plan.summary) == (initiative.title, initiative.summary)
    assert plan.estimated_cost_cents == 150_000
    assert plan.address == "Kerkstraat 1, Dorst"
    # somebody else's initiative, or one outside the plan's area, cannot be entered
    assert (
        code_of(lambda: submit(cast, process, actor=cast.neighbour, initiative=initiative))
        == "foreign_initiative"
    )
    two = make_round(
        cast,
        phase="ideas",
        title="Twee wijken",
        areas=[(cast.district, 3_000_000), (cast.other_district, 2_000_000)],
    )
    assert (
        code_of(lambda: submit(cast, two, area=cast.other_district, initiative=initiative))
        == "foreign_initiative"
    )


def test_only_the_author_changes_a_plan_in_the_ideas_phase_and_a_change_is_checked_again(
    cast,
) -> None:
    process = make_round(cast, phase="ideas")
    plan = submit(cast, process)
    services.feasibility_record(
        actor=cast.broker,
        plan=plan,
        verdict=FeasibilityVerdict.FEASIBLE,
        municipal_cost_cents=1_400_000,
        reason="",
    )
    with pytest.raises(PermissionDenied):
        services.plan_change(actor=cast.neighbour, plan=plan, values={"title": "Van mij"})
    plan = services.plan_change(actor=cast.applicant, plan=plan, values={"title": "Vier bankjes"})
    assert plan.title == "Vier bankjes"
    assert plan.feasibility == FeasibilityVerdict.PENDING
    assert plan.municipal_cost_cents is None
    event = AuditEvent.objects.get(action="plan.change")
    assert event.before == {
        "title": "Bankjes op het Dorpsplein",
        "feasibility": "feasible",
        "municipal_cost_cents": 1_400_000,
    }
    assert event.after == {
        "title": "Vier bankjes",
        "feasibility": "pending",
        "municipal_cost_cents": None,
    }
    # unchanged: the verdict stays
    services.feasibility_record(
        actor=cast.broker,
        plan=plan,
        verdict=FeasibilityVerdict.FEASIBLE,
        municipal_cost_cents=1_400_000,
        reason="",
    )
    plan = services.plan_change(actor=cast.applicant, plan=plan, values={"title": "Vier bankjes"})
    assert plan.feasibility == FeasibilityVerdict.FEASIBLE
    process_likes = make_round(cast, phase="likes", title="Later")
    later = PlanFactory(process=process_likes, author=cast.applicant)
    assert (
        code_of(lambda: services.plan_change(actor=cast.applicant, plan=later, values={}))
        == "wrong_phase"
    )


# --- likes ---------------------------------------------------------------------------------------


def test_like_and_withdraw_keep_the_count(cast) -> None:
    process = make_round(cast, phase="likes")
    plan = PlanFactory(process=process, author=cast.applicant)
    assert services.like_toggle(actor=cast.neighbour, plan=plan) is True
    assert services.like_toggle(actor=cast.outsider, plan=plan) is True
    plan.refresh_from_db()
    assert plan.like_count == 2 == Like.objects.filter(plan=plan).count()
    assert services.like_toggle(actor=cast.neighbour, plan=plan) is False
    plan.refresh_from_db()
    assert plan.like_count == 1
    assert list(Like.objects.values_list("user", flat=True)) == [cast.outsider.pk]
    actions = list(
        AuditEvent.objects.filter(object_type="budgeting.plan", object_id=str(plan.pk)).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["plan.like", "plan.like", "plan.unlike"]


def test_like_refusals(cast, settings) -> None:
    process = make_round(cast, phase="likes")
    plan = PlanFactory(process=process, author=cast.applicant)
    assert code_of(lambda: services.like_toggle(actor=cast.applicant, plan=plan)) == "own_plan"
    assert code_of(lambda: services.like_toggle(actor=cast.broker, plan=plan)) == "official_like"
    hidden = PlanFactory(process=process, status=PlanStatus.HIDDEN, hidden_reason="Reclame")
    assert code_of(lambda: services.like_toggle(actor=cast.neighbour, plan=hidden)) == (
        "not_visible"
    )
    feasibility = make_round(cast, phase="feasibility", title="Later")
    late = PlanFactory(process=feasibility)
    assert code_of(lambda: services.like_toggle(actor=cast.neighbour, plan=late)) == ("wrong_phase")
    assert Like.objects.count() == 0
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "like": "2/m"}
    services.like_toggle(actor=cast.outsider, plan=plan)
    services.like_toggle(actor=cast.outsider, plan=plan)
    with pytest.raises(RateLimited) as limited:
        services.like_toggle(actor=cast.outsider, plan=plan)
    assert limited.value.code == "rate_limited"
    plan.refresh_from_db()
    assert plan.like_count == 0 == Like.objects.filter(plan=plan).count()


def test_the_rate_limit_of_likes_is_a_setting() -> None:
    from django.conf import settings

    assert settings.WIJKWERK_RATE_LIMITS["like"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_likes_at_the_same_moment_are_counted_exactly(cast) -> None:
    process = make_round(cast, phase="likes")
    plan = PlanFactory(process=process, author=cast.applicant)
    people = [UserFactory().pk for _ in range(20)]
    # twenty people like at once; six of them click twice (a like and its withdrawal, in
    # whichever order the row lock lets them through)
    attempts = [*people, *people[:6]]
    barrier = threading.Barrier(len(attempts))
    errors: list[BaseException] = []

    def like(user_id: int) -> None:
        try:
            actor = User.objects.get(pk=user_id)
            target = Plan.objects.get(pk=plan.pk)
            barrier.wait(timeout=30)
            services.like_toggle(actor=actor, plan=target)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=like, args=(pk,)) for pk in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    plan.refresh_from_db()
    likes = Like.objects.filter(plan=plan).count()
    assert plan.like_count == likes == 14


# --- merging -------------------------------------------------------------------------------------


def test_a_merge_moves_the_likes_once_and_tells_both_authors(
    cast, smtp_server, django_capture_on_commit_callbacks
) -> None:
    process = make_round(cast, phase="likes")
    duplicate = PlanFactory(process=process, author=cast.neighbour, title="Bankjes bij de kerk")
    target = PlanFactory(process=process, author=cast.applicant, title="Bankjes op het plein")
    both = [UserFactory() for _ in range(2)]
    only_duplicate = [UserFactory() for _ in range(3)]
    only_target = [UserFactory()]
    for person in both + only_duplicate:
        services.like_toggle(actor=person, plan=duplicate)
    for person in both + only_target:
        services.like_toggle(actor=person, plan=target)
    services.like_toggle(actor=cast.applicant, plan=duplicate)  # the target's own author
    duplicate.refresh_from_db()
    target.refresh_from_db()
    assert (duplicate.like_count, target.like_count) == (6, 3)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.plan_merge(
            actor=cast.broker, plan=duplicate, into=target, reason="Hetzelfde plein."
        )
    assert result == target
    duplicate.refresh_from_db()
    target.refresh_from_db()
    # 2 who liked both count once, 3 move, the target's author's own like is dropped
    assert target.like_count == 6 == Like.objects.filter(plan=target).count()
    assert not Like.objects.filter(plan=target, user=cast.applicant).exists()
    assert duplicate.like_count == 0 == Like.objects.filter(plan=duplicate).count()
    assert duplicate.status == PlanStatus.MERGED
    assert duplicate.merged_into == target
    assert duplicate.hidden_reason == "Hetzelfde plein."
    event = AuditEvent.objects.get(action="plan.merge")
    assert event.after["into"] == target.pk and event.after["likes"] == 6
    to_neighbour = smtp_server.to(cast.neighbour.email)
    to_applicant = smtp_server.to(cast.applicant.email)
    assert len(to_neighbour) == len(to_applicant) == 1
    assert "Bankjes bij de kerk" in to_neighbour[0]["Subject"]
    assert "samengevoegd" in to_neighbour[0]["Subject"]
    body = smtp_server.body(to_neighbour[0])
    assert "Je plan “Bankjes bij de kerk”" in body
    assert "Hetzelfde plein." in body
    assert f"/buurtbudget/plan/{target.pk}/" in body or f"/plan/{target.pk}/" in body
    assert "jouw plan “Bankjes op het plein”" in smtp_server.body(to_applicant[0])


def test_merge_refusals(cast) -> None:
    process = make_round(
        cast,
        phase="ideas",
        areas=[(cast.district, 3_000_000), (cast.other_district, 2_000_000)],
    )
    plan = PlanFactory(process=process, area=cast.district)
    other = PlanFactory(process=process, area=cast.district)
    elsewhere = PlanFactory(process=process, area=cast.other_district)
    merge = services.plan_merge
    assert code_of(lambda: merge(actor=cast.admin, plan=plan, into=plan)) == "same_plan"
    assert code_of(lambda: merge(actor=cast.admin, plan=plan, into=elsewhere)) == "not_in_round"
    other_round = make_round(cast, phase="ideas", title="Ander")
    foreign = PlanFactory(process=other_round)
    assert code_of(lambda: merge(actor=cast.admin, plan=plan, into=foreign)) == "not_in_round"
    with pytest.raises(PermissionDenied):
        merge(actor=cast.neighbour, plan=plan, into=other)
    with pytest.raises(PermissionDenied):  # the broker of Dorst does not handle Slotjes
        merge(actor=cast.broker, plan=elsewhere, into=plan)
    merge(actor=cast.broker, plan=plan, into=other)
    assert code_of(lambda: merge(actor=cast.admin, plan=plan, into=other)) == "not_visible"
    third = PlanFactory(process=process, area=cast.district)
    assert code_of(lambda: merge(actor=cast.admin, plan=third, into=plan)) == "not_visible"
    voting = make_round(cast, phase="voting", title="Stemmen")
    a, b = PlanFactory(process=voting), PlanFactory(process=voting)
    assert code_of(lambda: merge(actor=cast.admin, plan=a, into=b)) == "wrong_phase"


# --- hiding --------------------------------------------------------------------------------------


def test_hide_with_a_public_reason_and_show_again(cast) -> None:
    process = make_round(cast, phase="ideas")
    plan = PlanFactory(process=process, author=cast.applicant)
    assert code_of(lambda: services.plan_hide(actor=cast.broker, plan=plan, reason=" ")) == (
        "reason_required"
    )
    assert code_of(lambda: services.plan_show(actor=cast.broker, plan=plan)) == "not_hidden"
    with pytest.raises(PermissionDenied):
        services.plan_hide(actor=cast.neighbour, plan=plan, reason="Weg ermee")
    services.plan_hide(actor=cast.broker, plan=plan, reason="Noemt een buurman bij naam.")
    plan.refresh_from_db()
    assert (plan.status, plan.hidden_reason) == (PlanStatus.HIDDEN, "Noemt een buurman bij naam.")
    assert code_of(lambda: services.plan_hide(actor=cast.admin, plan=plan, reason="Nog eens")) == (
        "not_visible"
    )
    services.plan_show(actor=cast.admin, plan=plan)
    plan.refresh_from_db()
    assert (plan.status, plan.hidden_reason) == (PlanStatus.PUBLISHED, "")
    events = AuditEvent.objects.filter(object_type="budgeting.plan", object_id=str(plan.pk))
    assert list(events.order_by("pk").values_list("action", flat=True)) == [
        "plan.hide",
        "plan.show",
    ]


# --- feasibility ---------------------------------------------------------------------------------


def test_feasibility_verdicts_and_the_ballot(cast) -> None:
    process = make_round(cast, phase="feasibility", likes_threshold=2)
    plan = PlanFactory(process=process, feasibility=FeasibilityVerdict.PENDING, like_count=2)
    record = services.feasibility_record
    assert (
        code_of(
            lambda: record(
                actor=cast.broker,
                plan=plan,
                verdict=FeasibilityVerdict.FEASIBLE,
                municipal_cost_cents=None,
                reason="",
            )
        )
        == "cost_required"
    )
    assert (
        code_of(
            lambda: record(
                actor=cast.broker,
                plan=plan,
                verdict=FeasibilityVerdict.INFEASIBLE,
                municipal_cost_cents=None,
                reason="",
            )
        )
        == "reason_required"
    )
    assert (
        code_of(
            lambda: record(
                actor=cast.broker,
                plan=plan,
                verdict=FeasibilityVerdict.PENDING,
                municipal_cost_cents=None,
                reason="",
            )
        )
        == "unknown_verdict"
    )
    with pytest.raises(PermissionDenied):
        record(
            actor=cast.neighbour,
            plan=plan,
            verdict=FeasibilityVerdict.FEASIBLE,
            municipal_cost_cents=100,
            reason="",
        )
    assert list(ballot_plans(process, cast.district)) == []
    record(
        actor=cast.broker,
        plan=plan,
        verdict=FeasibilityVerdict.FEASIBLE,
        municipal_cost_cents=1_750_000,
        reason="Kan, met een fundering.",
    )
    plan.refresh_from_db()
    assert plan.cost_cents == 1_750_000
    assert list(ballot_plans(process, cast.district)) == [plan]
    record(
        actor=cast.admin,
        plan=plan,
        verdict=FeasibilityVerdict.INFEASIBLE,
        municipal_cost_cents=1_750_000,
        reason="Het plein is van de provincie.",
    )
    plan.refresh_from_db()
    assert (plan.feasibility, plan.municipal_cost_cents, plan.feasibility_reason) == (
        FeasibilityVerdict.INFEASIBLE,
        None,
        "Het plein is van de provincie.",
    )
    assert list(ballot_plans(process, cast.district)) == []
    event = AuditEvent.objects.filter(action="plan.feasibility").order_by("pk").last()
    assert event.before["feasibility"] == "feasible"
    assert event.after["feasibility_reason"] == "Het plein is van de provincie."


@pytest.mark.parametrize("phase", ["ideas", "likes", "feasibility"])
def test_feasibility_may_be_recorded_until_voting_begins(cast, phase) -> None:
    process = make_round(cast, phase=phase)
    plan = PlanFactory(process=process, feasibility=FeasibilityVerdict.PENDING)
    services.feasibility_record(
        actor=cast.broker,
        plan=plan,
        verdict=FeasibilityVerdict.FEASIBLE,
        municipal_cost_cents=500_000,
        reason="",
    )
    assert Plan.objects.get(pk=plan.pk).feasibility == FeasibilityVerdict.FEASIBLE


def test_no_verdict_once_voting_began_nor_on_a_hidden_plan(cast) -> None:
    voting = make_round(cast, phase="voting")
    plan = PlanFactory(process=voting, feasibility=FeasibilityVerdict.PENDING)
    call = lambda plan=plan: services.feasibility_record(  # noqa: E731
        actor=cast.broker,
        plan=plan,
        verdict=FeasibilityVerdict.FEASIBLE,
        municipal_cost_cents=500_000,
        reason="",
    )
    assert code_of(call) == "wrong_phase"
    ideas = make_round(cast, phase="ideas", title="Ideeën")
    hidden = PlanFactory(process=ideas, status=PlanStatus.HIDDEN, hidden_reason="Reclame")
    assert code_of(lambda: call(hidden)) == "not_visible"
    assert Plan.objects.get(pk=plan.pk).feasibility == FeasibilityVerdict.PENDING


# --- the codes -----------------------------------------------------------------------------------


def test_every_code_the_plans_raise_is_documented() -> None:
    tree = ast.parse(Path(services.__file__).read_text())
    raised = {
        node.args[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "BudgetRefused"
        and len(node.args) > 1
        and isinstance(node.args[1], ast.Constant)
    }
    documented = set(re.findall(r"^    ([a-z_]+) {2,}", refusals.__doc__ or "", re.M))
    assert len(raised) == 13, raised
    assert raised <= documented, raised - documented


def test_the_plans_events_read_in_the_audit_log(cast) -> None:
    from ..core.test_auditlog import assert_readable, read

    process = make_round(cast, phase="ideas")
    plan = submit(cast, process)
    other = submit(cast, process, actor=cast.neighbour, title="Banken bij de kerk")
    services.plan_change(actor=cast.applicant, plan=plan, values={"estimated_cost_cents": 990_000})
    services.like_toggle(actor=cast.outsider, plan=plan)
    services.like_toggle(actor=cast.outsider, plan=plan)
    services.like_toggle(actor=cast.outsider, plan=other)
    services.feasibility_record(
        actor=cast.broker,
        plan=plan,
        verdict=FeasibilityVerdict.FEASIBLE,
        municipal_cost_cents=1_100_000,
        reason="Kan.",
    )
    services.plan_hide(actor=cast.broker, plan=other, reason="Reclame.")
    services.plan_show(actor=cast.broker, plan=other)
    services.plan_merge(actor=cast.broker, plan=other, into=plan, reason="Dubbel.")
    views = [v for v in read() if v.event.object_type == "budgeting.plan"]
    assert_readable(views)
    actions = {v.event.action: v.action for v in views}
    assert actions["plan.submit"] == "Plan ingediend"
    assert actions["plan.merge"] == "Plannen samengevoegd"
    merge = next(v for v in views if v.event.action == "plan.merge")
    assert "Samengevoegd met: Bankjes op het Dorpsplein" in merge.lines
    change = next(v for v in views if v.event.action == "plan.change")
    assert "Geschatte kosten: € 12.500,00 → € 9.900,00" in change.lines
    feasibility = next(v for v in views if v.event.action == "plan.feasibility")
    assert sorted(feasibility.lines) == [  # PostgreSQL's jsonb keeps its own key order
        "Haalbaarheid: nog niet beoordeeld → haalbaar",
        "Kostenraming van de gemeente: – → € 11.000,00",
        "Reden: – → Kan.",
    ]


def test_who_reviews_a_rounds_plans_agrees_in_all_three_forms(cast) -> None:
    from wijkwerk.budgeting.policy import PROCESS_POLICY

    dorst = make_round(cast, phase="feasibility")
    both = make_round(
        cast,
        phase="feasibility",
        title="Twee wijken",
        areas=[(cast.district, 3_000_000), (cast.other_district, 2_000_000)],
    )
    people = [cast.broker, cast.other_broker, cast.admin, cast.neighbour, cast.oss_admin]
    for process in (dorst, both):
        allowed = {p for p in people if p.has_perm("budgeting.review_plans", process)}
        users = set(PROCESS_POLICY.users_with_permission_for_instance("review_plans", process))
        assert allowed == users & set(people)
    assert {p for p in people if p.has_perm("budgeting.review_plans", dorst)} == {
        cast.broker,
        cast.admin,
    }
    assert {p for p in people if p.has_perm("budgeting.review_plans", both)} == {
        cast.broker,
        cast.other_broker,
        cast.admin,
    }
    for person in people:
        listed = set(PROCESS_POLICY.instances_user_has_permission_for(person, "review_plans"))
        assert listed == {p for p in (dorst, both) if person.has_perm("budgeting.review_plans", p)}
