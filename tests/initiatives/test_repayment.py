"""An advance above the actual costs is owed back, and booked as a refund when it arrives."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wijkwerk.core.models import AuditEvent
from wijkwerk.funds.models import EntryKind, LedgerEntry
from wijkwerk.funds.selectors import fund_figures
from wijkwerk.initiatives import services
from wijkwerk.initiatives.models import Initiative, StatusChange

pytestmark = pytest.mark.django_db


def _accounted(cast, actual: tuple[int, int], *, advance: bool = True) -> Initiative:
    """Approved for € 1,250, the whole grant paid as an advance, accountability accepted."""
    initiative = cast.approved(125_000)
    if advance:
        services.initiatives_mark_paid(actor=cast.admin, initiatives=[initiative])
    initiative = Initiative.objects.get(pk=initiative.pk)
    lines = list(initiative.budget_lines.all())
    services.accountability_submit(
        actor=cast.applicant,
        initiative=initiative,
        report="Gelukt!",
        took_place=True,
        participants=20,
        actual_costs={lines[0].pk: actual[0], lines[1].pk: actual[1]},
    )
    return services.initiative_transition(
        actor=cast.broker, initiative=initiative, action="accept_accountability"
    )


def test_unspent_advance_is_owed_and_said_on_acceptance(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        initiative = _accounted(cast, (60_000, 50_000))
    assert services.repayment_due(initiative) == 15_000
    figures = fund_figures(cast.fund)
    assert (figures.paid, figures.released, figures.refunded) == (125_000, 0, 0)
    note = StatusChange.objects.filter(initiative=initiative, action="accept_accountability")
    assert "150,00" in note.get().note
    mails = smtp_server.to(cast.applicant.email)
    accepted = [m for m in mails if "1.100,00" in smtp_server.body(m)]
    assert accepted and "150,00" in smtp_server.body(accepted[-1])


def test_repayment_is_booked_as_a_refund_and_recorded(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    initiative = _accounted(cast, (60_000, 50_000))
    available = fund_figures(cast.fund).available
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_repayment_received(
            actor=cast.broker, initiative=initiative, amount_cents=10_000, note="Eerste deel"
        )
    assert services.repayment_due(initiative) == 5_000
    figures = fund_figures(cast.fund)
    assert figures.refunded == 10_000
    assert figures.available == available + 10_000
    entry = LedgerEntry.objects.get(kind=EntryKind.REFUND)
    assert entry.author == cast.broker and "Eerste deel" in entry.reason
    event = AuditEvent.objects.get(action="initiative.repayment")
    assert event.before["repayment_due_cents"] == 15_000
    assert event.after["repayment_due_cents"] == 5_000
    assert StatusChange.objects.filter(initiative=initiative, action="repayment").exists()
    subjects = [m["Subject"] for m in smtp_server.to(cast.applicant.email)]
    assert any("Terugbetaling" in s or "Repayment" in s for s in subjects)
    services.initiative_repayment_received(
        actor=cast.broker, initiative=initiative, amount_cents=5_000
    )
    assert services.repayment_due(initiative) == 0
    assert fund_figures(cast.fund).available == available + 15_000


@pytest.mark.parametrize("amount", [0, -100, 15_001, 10**12])
def test_wrong_repayment_amounts_are_refused_and_book_nothing(cast, amount):
    initiative = _accounted(cast, (60_000, 50_000))
    with pytest.raises(ValidationError, match=r"150,00") as refused:
        services.initiative_repayment_received(
            actor=cast.broker, initiative=initiative, amount_cents=amount
        )
    assert refused.value.code == "repayment_amount"
    assert not LedgerEntry.objects.filter(kind=EntryKind.REFUND).exists()


def test_nothing_owed_without_an_advance_or_before_acceptance(cast):
    paid_on_acceptance = _accounted(cast, (60_000, 50_000), advance=False)
    assert services.repayment_due(paid_on_acceptance) == 0
    assert fund_figures(cast.fund).released == 15_000
    with pytest.raises(ValidationError, match=r"Nothing is to be paid back|Er hoeft niets") as no:
        services.initiative_repayment_received(
            actor=cast.broker, initiative=paid_on_acceptance, amount_cents=100
        )
    assert no.value.code == "nothing_to_repay"
    advanced = cast.approved(50_000, title="Buurtfeest")
    services.initiatives_mark_paid(actor=cast.admin, initiatives=[advanced])
    assert services.repayment_due(Initiative.objects.get(pk=advanced.pk)) == 0


def test_costs_above_the_grant_owe_nothing(cast):
    initiative = _accounted(cast, (100_000, 50_000))
    assert services.repayment_due(initiative) == 0


@pytest.mark.parametrize("who", ["applicant", "neighbour", "other_broker"])
def test_only_who_books_money_records_a_repayment(cast, who):
    initiative = _accounted(cast, (60_000, 50_000))
    with pytest.raises(PermissionDenied):
        services.initiative_repayment_received(
            actor=getattr(cast, who), initiative=initiative, amount_cents=1_000
        )
    assert fund_figures(cast.fund).refunded == 0


def test_the_broker_books_a_repayment_on_the_detail_page(cast):
    from django.test import Client
    from django.urls import reverse

    initiative = _accounted(cast, (60_000, 50_000))
    url = reverse("initiatives:detail", kwargs={"pk": initiative.pk})
    broker = Client()
    broker.force_login(cast.broker)
    page = broker.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Nog terug te betalen" in page and 'value="150,00"' in page
    applicant = Client()
    applicant.force_login(cast.applicant)
    own_page = applicant.get(url).content.decode()
    assert "150,00" in own_page and "terugbetaling" not in own_page.split("<main")[1].lower()
    post = reverse("initiatives:repayment", kwargs={"pk": initiative.pk})
    refused = broker.post(post, {"amount": "200,00"}, follow=True).content.decode()
    assert "150,00" in refused and fund_figures(cast.fund).refunded == 0
    broker.post(post, {"amount": "150,00", "note": "Bankoverschrijving 12 mei"})
    assert fund_figures(cast.fund).refunded == 15_000
    assert "Nog terug te betalen" not in broker.get(url).content.decode()
