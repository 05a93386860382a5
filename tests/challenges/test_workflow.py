"""The right to challenge through its services: the proposal's seven items and legal entity,
the admissibility decision (reasons, term, dates), the agreement, money from a fund, progress
reports; every refusal with its code and message, nothing half saved, every step audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from wijkwerk.challenges import services
from wijkwerk.challenges.models import (
    Agreement,
    Booking,
    Challenge,
    ChallengeDecision,
    ProgressReport,
)
from wijkwerk.challenges.schedule import add_months, next_report_due
from wijkwerk.challenges.states import STATES, Status
from wijkwerk.challenges.workflow import WORKFLOW
from wijkwerk.core.models import AuditEvent
from wijkwerk.funds.models import EntryKind, LedgerEntry
from wijkwerk.funds.selectors import fund_figures

from .factories import PROPOSAL, admitted, agreed, agreement_values, draft, in_dialogue, running
from .factories import submitted as submitted_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The messages as their ids (English); the Dutch ones are checked on the pages."""
    with translation.override("en"):
        yield


def refusal(call: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


def test_the_workflow_table_ends_in_the_finished_states() -> None:
    assert WORKFLOW.terminal_states == STATES.sets["finished"]


def test_a_complete_proposal_is_submitted_with_the_municipalitys_term(cast) -> None:
    challenge = draft(cast)
    assert challenge.status == Status.DRAFT
    challenge = services.challenge_submit(actor=cast.applicant, challenge=challenge)
    assert challenge.status == Status.SUBMITTED
    # no settings: eight weeks (Awb 4:13)
    assert challenge.decision_due_on == timezone.localdate() + datetime.timedelta(days=56)
    assert list(
        AuditEvent.objects.filter(object_type="challenges.challenge")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["challenge.create", "challenge.submit"]


def test_the_term_is_the_municipalitys_own(cast) -> None:
    services.settings_save(
        actor=cast.admin, municipality=cast.municipality, decision_term=10, term_unit="days"
    )
    challenge = submitted_challenge(cast)
    assert challenge.decision_due_on == timezone.localdate() + datetime.timedelta(days=10)
    with pytest.raises(PermissionDenied):
        services.settings_save(
            actor=cast.broker, municipality=cast.municipality, decision_term=4, term_unit="weeks"
        )
    assert (
        refusal(
            lambda: services.settings_save(
                actor=cast.admin, municipality=cast.municipality, decision_term=0, term_unit="weeks"
            )
        ).code
        == "term"
    )


def test_each_missing_item_is_named_and_nothing_is_submitted(cast) -> None:
    challenge = draft(
        cast,
        why_better="",
        support="",
        cost_estimate_cents=None,
        continuity=" ",
        legal_form="",
        kvk_number="",
    )
    error = refusal(lambda: services.challenge_submit(actor=cast.applicant, challenge=challenge))
    assert error.code == "incomplete"
    assert error.messages == [
        "Choose the legal form: an association, foundation or cooperative.",
        "Give the organisation's KvK number.",
        "Explain why you can do it better or cheaper.",
        "Describe the support among the residents concerned.",
        "Give a cost estimate.",
        "Explain how you ensure quality and continuity.",
    ]
    challenge.refresh_from_db()
    assert challenge.status == Status.DRAFT and challenge.submitted_at is None
    assert not AuditEvent.objects.filter(action="challenge.submit").exists()


def test_support_needs_evidence_signatures_or_a_file(cast) -> None:
    challenge = draft(cast, support_signatures=None)
    error = refusal(lambda: services.challenge_submit(actor=cast.applicant, challenge=challenge))
    assert error.messages == [
        "Show the support: give the number of signatures or add a file as evidence."
    ]
    pdf = SimpleUploadedFile("handtekeningen.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    services.attachment_add(
        actor=cast.applicant, challenge=challenge, upload=pdf, purpose="support"
    )
    assert services.challenge_submit(actor=cast.applicant, challenge=challenge).status == (
        Status.SUBMITTED
    )


def test_an_invalid_kvk_number_or_amount_is_refused_and_nothing_saved(cast) -> None:
    for kvk in ("1234567", "12345678a", "ABCDEFGH"):
        error = refusal(lambda kvk=kvk: draft(cast, kvk_number=kvk))
        assert (error.code, error.messages) == (
            "kvk_invalid",
            ["A KvK number has exactly 8 digits."],
        )
    error = refusal(lambda: draft(cast, cost_estimate_cents=-1))
    assert (error.code, error.messages) == (
        "amount_negative",
        ["Cost estimate cannot be below zero."],
    )
    error = refusal(lambda: draft(cast, cost_estimate_cents=10_000_000_001))
    assert error.code == "amount_too_large"
    error = refusal(lambda: draft(cast, title="x" * 151))
    assert error.code == "too_long"
    assert Challenge.objects.count() == 0


def test_only_the_submitter_submits_a_draft(cast) -> None:
    challenge = draft(cast)
    with pytest.raises(PermissionDenied):
        services.challenge_submit(actor=cast.neighbour, challenge=challenge)
    with pytest.raises(PermissionDenied):
        services.challenge_update(
            actor=cast.neighbour, challenge=challenge, area=cast.neighbourhood, data=PROPOSAL
        )


def test_admission_is_a_decision_with_reasons_a_number_and_the_entity_check(cast) -> None:
    challenge = submitted_challenge(cast)
    error = refusal(
        lambda: services.challenge_decide(
            actor=cast.broker, challenge=challenge, action="admit", reasons="  "
        )
    )
    assert (error.code, error.messages) == (
        "reasons_required",
        ["Give the reasons: a decision without reasons is not allowed."],
    )
    error = refusal(
        lambda: services.challenge_decide(
            actor=cast.broker, challenge=challenge, action="admit", reasons="Goed plan."
        )
    )
    assert error.code == "entity_not_confirmed"
    assert ChallengeDecision.objects.count() == 0
    challenge = services.challenge_decide(
        actor=cast.broker,
        challenge=challenge,
        action="admit",
        reasons="Goed plan.",
        entity_confirmed=True,
    )
    assert challenge.status == Status.ADMITTED
    assert challenge.entity_confirmed_by == cast.broker
    decision = ChallengeDecision.objects.get()
    year = timezone.localdate().year
    assert (decision.reference, decision.kind, decision.late) == (
        f"UR-{year}-000001",
        "admitted",
        False,
    )
    assert decision.official_role == "wijkmakelaar"
    assert AuditEvent.objects.filter(action="challenge.decision").count() == 1
    assert AuditEvent.objects.filter(action="challenge.admit").count() == 1


def test_a_decision_past_its_term_is_recorded_as_late(cast) -> None:
    challenge = submitted_challenge(cast)
    Challenge.objects.filter(pk=challenge.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=70),
        decision_due_on=timezone.localdate() - datetime.timedelta(days=14),
    )
    challenge.refresh_from_db()
    assert challenge.is_overdue(timezone.localdate())
    challenge = services.challenge_decide(
        actor=cast.admin, challenge=challenge, action="refuse", reasons="Geen wettelijke taak."
    )
    assert challenge.status == Status.NOT_ADMITTED and challenge.decided_late
    assert ChallengeDecision.objects.get().late is True


def test_a_decision_dated_before_the_submission_or_in_the_future_is_refused(cast) -> None:
    challenge = submitted_challenge(cast)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    error = refusal(
        lambda: services.challenge_decide(
            actor=cast.broker,
            challenge=challenge,
            action="refuse",
            reasons="Nee.",
            decided_on=yesterday,
        )
    )
    assert error.code == "decided_before_submission"
    assert error.messages[0].startswith(
        "The date of the decision cannot be before the proposal was submitted"
    )
    error = refusal(
        lambda: services.challenge_decide(
            actor=cast.broker,
            challenge=challenge,
            action="refuse",
            reasons="Nee.",
            decided_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    )
    assert error.code == "decided_in_future"
    challenge.refresh_from_db()
    assert challenge.status == Status.SUBMITTED and ChallengeDecision.objects.count() == 0


def test_residents_and_other_officials_do_not_decide(cast) -> None:
    challenge = submitted_challenge(cast)
    for person in (
        cast.applicant,
        cast.neighbour,
        cast.other_broker,
        cast.alderman,
        cast.oss_admin,
    ):
        with pytest.raises(PermissionDenied):
            services.challenge_decide(
                actor=person, challenge=challenge, action="refuse", reasons="Nee."
            )
    # the area coordinator handles cases too
    services.challenge_decide(
        actor=cast.coordinator, challenge=challenge, action="refuse", reasons="Nee."
    )


def test_an_agreement_that_ends_before_it_starts_is_refused(cast) -> None:
    challenge = in_dialogue(cast)
    today = timezone.localdate()
    error = refusal(
        lambda: services.agreement_record(
            actor=cast.broker,
            challenge=challenge,
            **agreement_values(ends_on=today - datetime.timedelta(days=1)),
        )
    )
    assert (error.code, error.messages) == (
        "term_order",
        ["The end of the term cannot be before its start."],
    )
    error = refusal(
        lambda: services.agreement_record(
            actor=cast.broker, challenge=challenge, **agreement_values(budget_cents=-5)
        )
    )
    assert error.code == "amount_negative"
    error = refusal(
        lambda: services.agreement_record(
            actor=cast.broker, challenge=challenge, **agreement_values(tasks="", result="")
        )
    )
    assert error.messages == ["Fill in: Tasks.", "Fill in: Intended result."]
    challenge.refresh_from_db()
    assert challenge.status == Status.IN_DIALOGUE and Agreement.objects.count() == 0


def test_an_agreement_only_after_the_dialogue(cast) -> None:
    challenge = admitted(cast)
    error = refusal(
        lambda: services.agreement_record(
            actor=cast.broker, challenge=challenge, **agreement_values()
        )
    )
    assert error.code == "wrong_state"


def test_money_is_committed_from_a_fund_never_above_budget_or_fund(cast) -> None:
    challenge, _agreement = agreed(cast, budget_cents=1_500_000)
    before = fund_figures(cast.fund).available
    with pytest.raises(PermissionDenied):  # the broker does not book: the administrator does
        services.money_commit(
            actor=cast.broker, challenge=challenge, fund=cast.fund, amount_cents=100_000
        )
    booking = services.money_commit(
        actor=cast.admin, challenge=challenge, fund=cast.fund, amount_cents=1_000_000
    )
    assert fund_figures(cast.fund).available == before - 1_000_000
    # a commitment of its own in the ledger, for the challenge (not a correction)
    entry = LedgerEntry.objects.get(pk=booking.ledger_entry_id)
    assert (entry.kind, entry.amount_cents, entry.initiative_id) == (
        EntryKind.COMMITMENT,
        1_000_000,
        None,
    )
    assert (entry.case_type, entry.case_id) == ("challenge", challenge.pk)
    assert entry.case_title == f"{challenge.title} ({challenge.organisation_name})"
    assert entry.case_url == challenge.get_absolute_url()
    figures = fund_figures(cast.fund)
    assert (figures.corrected, figures.initiatives) == (0, 0)
    error = refusal(
        lambda: services.money_commit(
            actor=cast.admin, challenge=challenge, fund=cast.fund, amount_cents=500_001
        )
    )
    assert error.code == "above_budget"
    # the fund never goes below zero
    challenge2, _ = agreed(cast, budget_cents=100_000_000)
    error = refusal(
        lambda: services.money_commit(
            actor=cast.admin,
            challenge=challenge2,
            fund=cast.fund,
            amount_cents=fund_figures(cast.fund).available + 1,
        )
    )
    assert error.code == "not_enough_money"
    assert Booking.objects.count() == 1


PAYEE = {"payee_iban": "NL44RABO0123456789", "payee_name": "Dorpsvereniging"}


def test_payments_never_exceed_what_was_committed(cast) -> None:
    challenge = running(cast)
    services.money_commit(
        actor=cast.admin, challenge=challenge, fund=cast.fund, amount_cents=400_000
    )
    payment = services.money_pay(
        actor=cast.admin, challenge=challenge, amount_cents=300_000, note="Eerste termijn", **PAYEE
    )
    entry = LedgerEntry.objects.select_related("instruction").get(pk=payment.ledger_entry_id)
    assert (entry.kind, entry.amount_cents, entry.case_type, entry.case_id) == (
        EntryKind.PAYMENT,
        300_000,
        "challenge",
        challenge.pk,
    )
    # to the organisation's account, waiting for the fund's next payment batch
    assert (entry.instruction.payee_iban, entry.instruction.batch_id) == (PAYEE["payee_iban"], None)
    error = refusal(
        lambda: services.money_pay(
            actor=cast.admin, challenge=challenge, amount_cents=100_001, note="Tweede", **PAYEE
        )
    )
    assert error.code == "more_than_committed"
    assert error.messages == [
        "Cannot pay € 1.000,01: only € 1.000,00 is committed and not yet paid."
    ]
    assert services.money_figures(challenge) == {
        "committed": 400_000,
        "paid": 300_000,
        "open": 100_000,
    }


def test_progress_is_reported_only_while_running(cast) -> None:
    challenge, _agreement = agreed(cast)
    error = refusal(
        lambda: services.report_add(actor=cast.applicant, challenge=challenge, text="Gemaaid.")
    )
    assert error.code == "not_running"
    challenge = services.challenge_step(actor=cast.broker, challenge=challenge, action="start")
    with pytest.raises(PermissionDenied):
        services.report_add(actor=cast.neighbour, challenge=challenge, text="Gemaaid.")
    error = refusal(lambda: services.report_add(actor=cast.applicant, challenge=challenge, text=""))
    assert error.code == "report_empty"
    report = services.report_add(
        actor=cast.applicant,
        challenge=challenge,
        text="Drie keer gemaaid.",
        spent_cents=120_000,
        hours=64,
        residents_reached=300,
    )
    assert ProgressReport.objects.get() == report
    assert AuditEvent.objects.filter(action="challenge.report").count() == 1


def test_a_challenge_starts_only_with_an_agreement_and_ends_with_reasons(cast) -> None:
    challenge = admitted(cast)
    error = refusal(
        lambda: services.challenge_step(actor=cast.broker, challenge=challenge, action="start")
    )
    assert error.code == "wrong_state"
    error = refusal(
        lambda: services.challenge_step(actor=cast.broker, challenge=challenge, action="end")
    )
    assert error.code == "reasons_required"
    challenge = services.challenge_step(
        actor=cast.broker, challenge=challenge, action="end", reasons="De vereniging stopt."
    )
    assert (challenge.status, challenge.ended_reason) == (Status.ENDED, "De vereniging stopt.")
    assert challenge.closed_on == timezone.localdate()


def test_reports_are_due_every_period_from_the_start() -> None:
    start = datetime.date(2026, 1, 31)
    assert add_months(start, 1) == datetime.date(2026, 2, 28)
    assert next_report_due(start, 3, 0) == datetime.date(2026, 4, 30)
    assert next_report_due(start, 3, 2) == datetime.date(2026, 10, 31)
    assert next_report_due(start, 12, 0) == datetime.date(2027, 1, 31)


def test_starting_proposals_is_rate_limited(cast, settings) -> None:
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "challenge": "2/h"}
    draft(cast)
    draft(cast)
    error = refusal(lambda: draft(cast))
    assert error.code == "rate_limited"
    assert Challenge.objects.count() == 2
