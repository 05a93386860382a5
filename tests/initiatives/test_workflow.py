"""The workflow table: every allowed step works, every other step is refused on the server."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wijkwerk.core.models import AuditEvent
from wijkwerk.funds.selectors import fund_figures
from wijkwerk.initiatives import services, workflow
from wijkwerk.initiatives.models import Initiative, Status, StatusChange

from ..funds.factories import CategoryFactory, SchemeFactory

pytestmark = pytest.mark.django_db


def test_submit_assigns_the_area_broker_and_starts_review(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        initiative = cast.submitted()
    assert initiative.status == Status.UNDER_REVIEW
    assert initiative.broker == cast.broker
    assert initiative.requested_cents == 150_000
    assert initiative.decision_due is not None
    assert [c.to_status for c in initiative.status_changes.all()] == ["submitted", "under_review"]
    subjects = [m["Subject"] for m in smtp_server.to(cast.applicant.email)]
    assert any("ontvangen" in s or "received" in s for s in subjects)
    assert smtp_server.to(cast.broker.email), "the broker hears of the new initiative"


def test_approve_commits_money_and_records_everything(cast):
    initiative = cast.approved(125_000)
    assert initiative.status == Status.APPROVED
    assert initiative.granted_cents == 125_000
    figures = fund_figures(cast.fund)
    assert figures.committed == 125_000
    assert figures.available == 30_000_000 - 125_000
    assert AuditEvent.objects.filter(action="initiative.approve").count() == 1
    assert StatusChange.objects.filter(initiative=initiative, to_status="approved").exists()


def test_full_lifecycle_releases_unspent_money(cast):
    initiative = cast.accounted(
        cast.approved(125_000), (60_000, 50_000), report="Gelukt!", participants=35
    )
    initiative = services.initiative_transition(
        actor=cast.broker, initiative=initiative, action="accept_accountability"
    )
    assert initiative.status == Status.COMPLETED
    assert initiative.final_cents == 110_000
    figures = fund_figures(cast.fund)
    # the broker granted the money, so a second official pays the amount finally set
    assert (figures.paid, figures.released, figures.open_commitments) == (0, 15_000, 110_000)
    assert figures.available == 30_000_000 - 110_000
    with pytest.raises(ValidationError, match=r"another official|andere ambtenaar") as refused:
        services.initiatives_mark_paid(actor=cast.broker, initiatives=[initiative])
    assert refused.value.code == "same_official"
    assert services.initiatives_mark_paid(actor=cast.admin, initiatives=[initiative]) == 1
    figures = fund_figures(cast.fund)
    assert (figures.paid, figures.released, figures.open_commitments) == (110_000, 15_000, 0)
    assert figures.available == 30_000_000 - 110_000
    services.initiative_transition(actor=cast.broker, initiative=initiative, action="close")
    assert Initiative.objects.get(pk=initiative.pk).status == Status.CLOSED


def test_paying_a_rejected_initiative_is_refused(cast):
    initiative = cast.submitted()
    services.initiative_transition(
        actor=cast.broker, initiative=initiative, action="reject", reason="Past niet."
    )
    with pytest.raises(ValidationError) as refused:
        services.initiatives_mark_paid(actor=cast.broker, initiatives=[initiative])
    assert refused.value.code == "not_payable"
    assert fund_figures(cast.fund).paid == 0


def test_reject_needs_a_reason(cast):
    initiative = cast.submitted()
    with pytest.raises(ValidationError) as refused:
        services.initiative_transition(
            actor=cast.broker, initiative=initiative, action="reject", reason="   "
        )
    assert refused.value.code == "reason_required"
    assert Initiative.objects.get(pk=initiative.pk).status == Status.UNDER_REVIEW


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (0, "amount_not_positive"),
        (-1, "amount_not_positive"),
        (150_001, "above_requested"),
        (600_000, "above_requested"),
        (None, "amount_required"),
    ],
)
def test_approve_refuses_bad_amounts_and_books_nothing(cast, amount, code):
    initiative = cast.submitted(lines=(100_000, 50_000))
    with pytest.raises(ValidationError) as refused:
        services.initiative_transition(
            actor=cast.broker,
            initiative=initiative,
            action="approve",
            amount_cents=amount,
            fund=cast.fund,
        )
    assert refused.value.code == code
    assert Initiative.objects.get(pk=initiative.pk).status == Status.UNDER_REVIEW
    assert fund_figures(cast.fund).committed == 0


def test_submit_above_scheme_maximum_is_refused(cast):
    initiative = cast.draft(lines=(400_000, 200_000))
    with pytest.raises(ValidationError, match=r"5\.000,00") as refused:
        services.initiative_submit(actor=cast.applicant, initiative=initiative)
    assert refused.value.code == "not_submittable"
    assert refused.value.codes == ["amount_above_maximum"]


def test_approve_above_scheme_maximum_is_refused(cast):
    initiative = cast.submitted(lines=(100_000, 50_000))
    cast.scheme.max_per_initiative_cents = 100_000
    cast.scheme.save()
    with pytest.raises(ValidationError, match=r"1\.000,00") as refused:
        services.initiative_transition(
            actor=cast.broker,
            initiative=initiative,
            action="approve",
            amount_cents=125_000,
            fund=cast.fund,
        )
    assert refused.value.code == "above_scheme_maximum"
    assert fund_figures(cast.fund).committed == 0


def test_not_enough_money_leaves_nothing_half_done(cast):
    cast.fund.amount_cents = 100_000
    cast.fund.save()
    initiative = cast.submitted()
    with pytest.raises(ValidationError) as refused:
        services.initiative_transition(
            actor=cast.broker,
            initiative=initiative,
            action="approve",
            amount_cents=125_000,
            fund=cast.fund,
        )
    assert refused.value.code == "not_enough_money"
    initiative.refresh_from_db()
    assert initiative.status == Status.UNDER_REVIEW
    assert initiative.granted_cents is None
    assert not StatusChange.objects.filter(initiative=initiative, to_status="approved").exists()


def test_withdraw_releases_the_open_commitment(cast):
    initiative = cast.approved(125_000)
    services.initiative_transition(actor=cast.applicant, initiative=initiative, action="withdraw")
    figures = fund_figures(cast.fund)
    assert figures.released == 125_000
    assert figures.available == 30_000_000


def test_request_more_sends_the_accountability_back(cast):
    initiative = cast.approved()
    lines = list(initiative.budget_lines.all())
    services.accountability_submit(
        actor=cast.applicant,
        initiative=initiative,
        report="Kort.",
        took_place=True,
        participants=3,
        actual_costs={line.pk: 1_000 for line in lines},
    )
    services.initiative_transition(
        actor=cast.broker, initiative=initiative, action="request_more", reason="Bonnetjes?"
    )
    initiative.refresh_from_db()
    assert initiative.status == Status.IN_PROGRESS
    assert initiative.accountability.feedback == "Bonnetjes?"


STAFF_ACTIONS = [t.action for t in workflow.TRANSITIONS if t.for_staff]


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_other_people_may_not_take_staff_steps(cast, action):
    initiative = cast.submitted()
    for person in (cast.neighbour, cast.other_broker, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.initiative_transition(
                actor=person, initiative=initiative, action=action, reason="x"
            )


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (status, t.action)
        for t in workflow.TRANSITIONS
        if t.for_staff
        for status in Status.values
        if status not in t.sources
    ],
)
def test_steps_from_the_wrong_state_are_refused(cast, status, action):
    initiative = cast.draft()
    Initiative.objects.filter(pk=initiative.pk).update(status=status)
    initiative.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.initiative_transition(
            actor=cast.broker,
            initiative=initiative,
            action=action,
            reason="x",
            amount_cents=100,
            fund=cast.fund,
        )
    assert refused.value.code == "wrong_state"
    assert Initiative.objects.get(pk=initiative.pk).status == status


def test_submit_refuses_an_incomplete_application(cast):
    initiative = cast.draft(lines=(), summary="", planned_start=None, planned_end=None)
    with pytest.raises(ValidationError) as caught:
        services.initiative_submit(actor=cast.applicant, initiative=initiative)
    assert len(caught.value.messages) >= 3
    assert caught.value.code == "not_submittable"
    assert caught.value.codes.count("incomplete") == 3  # summary, dates, budget
    assert Initiative.objects.get(pk=initiative.pk).status == Status.DRAFT


def test_submit_checks_the_schemes_lead_time(cast):
    import datetime

    from django.utils import timezone

    soon = timezone.localdate() + datetime.timedelta(days=2)
    initiative = cast.draft(planned_start=soon, planned_end=soon)
    with pytest.raises(ValidationError, match="14") as refused:
        services.initiative_submit(actor=cast.applicant, initiative=initiative)
    assert refused.value.codes == ["lead_time_too_short"]


def test_only_the_applicant_submits(cast):
    initiative = cast.draft()
    with pytest.raises(PermissionDenied):
        services.initiative_submit(actor=cast.neighbour, initiative=initiative)


def test_returned_initiative_can_be_changed_and_resubmitted(cast):
    initiative = cast.submitted()
    services.initiative_transition(
        actor=cast.broker, initiative=initiative, action="return", reason="Meer uitleg."
    )
    initiative.refresh_from_db()
    services.initiative_save_draft(
        actor=cast.applicant,
        initiative=initiative,
        values={"description": "Nu met meer uitleg."},
        budget_lines=[services.BudgetLineData("Planten", 90_000)],
    )
    initiative = services.initiative_submit(actor=cast.applicant, initiative=initiative)
    assert initiative.status == Status.UNDER_REVIEW
    assert initiative.requested_cents == 90_000


def test_reassign_to_another_broker_of_the_area(cast):
    from wijkwerk.accounts.models import Role

    from ..accounts.factories import official

    second = official(Role.BROKER, area=cast.neighbourhood)
    initiative = cast.submitted()
    services.initiative_assign(actor=cast.broker, initiative=initiative, broker=second)
    assert Initiative.objects.get(pk=initiative.pk).broker == second
    with pytest.raises(ValidationError) as refused:
        services.initiative_assign(
            actor=cast.broker, initiative=initiative, broker=cast.other_broker
        )
    assert refused.value.code == "not_a_broker"


def test_each_step_mails_the_applicant_what_happened(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        initiative = cast.approved(125_000)
    lines = list(initiative.budget_lines.all())
    with django_capture_on_commit_callbacks(execute=True):
        services.accountability_submit(
            actor=cast.applicant,
            initiative=initiative,
            report="Klaar.",
            took_place=True,
            participants=4,
            actual_costs={line.pk: 10_000 for line in lines},
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_transition(
            actor=cast.broker, initiative=initiative, action="request_more", reason="Foto's?"
        )
    mails = smtp_server.to(cast.applicant.email)
    subjects = [m["Subject"] for m in mails]
    assert len(subjects) == 5
    assert "toegekend" in subjects[2]
    assert "€ 1.250,00" in smtp_server.body(mails[2])
    assert "Meer informatie" in subjects[4]
    assert "Foto's?" in smtp_server.body(mails[4])


def test_a_resubmitted_initiative_in_another_municipality_leaves_the_old_broker(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    """Returned, moved to an area of another municipality, resubmitted: the old broker no
    longer handles it (nor hears of it); the new area's broker does."""
    from ..accounts.factories import official

    oss, lith = cast.oss, cast.lith
    new_broker = official("broker", area=lith, full_name="Nina Nieuw")
    initiative = cast.submitted()
    services.initiative_transition(
        actor=cast.broker, initiative=initiative, action="return", reason="Ander gebied?"
    )
    cast.applicant.home_area = lith
    cast.applicant.save()
    initiative = services.initiative_save_draft(
        actor=cast.applicant,
        initiative=Initiative.objects.get(pk=initiative.pk),
        values=cast.values(area=lith, scheme=None, category=None),
        budget_lines=[services.BudgetLineData("Planten", 50_000)],
    )
    initiative.scheme = SchemeFactory(municipality=oss, name="Leefbaarheid")
    initiative.save()
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        initiative = services.initiative_submit(actor=cast.applicant, initiative=initiative)
    assert initiative.broker == new_broker
    assert not smtp_server.to(cast.broker.email)
    assert smtp_server.to(new_broker.email)


def test_without_a_broker_in_the_new_area_the_old_one_is_let_go(cast):
    oss, lith = cast.oss, cast.lith
    initiative = cast.submitted()
    services.initiative_transition(
        actor=cast.broker, initiative=initiative, action="return", reason="Ander gebied?"
    )
    initiative = Initiative.objects.get(pk=initiative.pk)
    initiative.area = lith
    initiative.scheme = SchemeFactory(municipality=oss, name="Leefbaarheid", lead_time_days=0)
    initiative.category = CategoryFactory(municipality=oss, name="Overig")  # Oss's, like the area
    initiative.save()
    cast.applicant.home_area = lith
    cast.applicant.save()
    initiative = services.initiative_submit(actor=cast.applicant, initiative=initiative)
    assert initiative.broker is None
    assert initiative.status == Status.SUBMITTED
