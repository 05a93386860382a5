"""Granting, rejecting and finally setting the amount are Awb decisions: each is recorded with its
content frozen, numbered per municipality and year, and has a letter (PDF) that states the
decision, the amounts, the reasons and how to object; it goes with the decision mail and can be
downloaded by the applicant and the officials of the area."""

from __future__ import annotations

import re
import subprocess
import threading
import zlib
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from wijkwerk.accounts.models import Role, User
from wijkwerk.core.models import AuditEvent
from wijkwerk.initiatives import decisions, services
from wijkwerk.initiatives.models import Decision, DecisionKind, Initiative

from ..accounts.factories import official
from ..areas.factories import AreaFactory
from .factories import InitiativeFactory


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext (poppler-utils) reads it, keeping the rows of a table
    together (-layout), with all white space (line breaks, non-breaking spaces) as one space, so
    phrases can be looked for across line breaks."""
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return " ".join(text.replace("\u00a0", " ").split())


def today_in_dutch() -> str:
    return date_format(timezone.localdate(), "j F Y")  # e.g. "2 december 2026"


def accounted(cast: Any, initiative: Initiative, costs: tuple[int, ...]) -> Initiative:
    lines = list(initiative.budget_lines.all())
    services.accountability_submit(
        actor=cast.applicant,
        initiative=initiative,
        report="Op zaterdag hebben tien buren de geveltuinen aangelegd.",
        took_place=True,
        participants=10,
        actual_costs={line.pk: cost for line, cost in zip(lines, costs, strict=True)},
    )
    return initiative


def test_approval_records_the_decision_with_its_content_frozen(cast):
    initiative = services.initiative_transition(
        actor=cast.broker,
        initiative=cast.submitted(),
        action="approve",
        amount_cents=125_000,
        fund=cast.fund,
        conditions="Stuur na afloop foto's.",
        reason="Een mooi plan met veel steun in de straat.",
    )
    decision = Decision.objects.get(initiative=initiative)
    year = timezone.localdate().year
    assert decision.kind == DecisionKind.GRANT
    assert (decision.year, decision.number) == (year, 1)
    assert decision.reference == f"WW-{year}-000001"
    assert decision.decided_by == cast.broker
    assert decision.municipality == cast.municipality
    assert decision.municipality_name == "Oosterhout"
    assert (decision.official_name, decision.official_role) == ("Bram Makelaar", "wijkmakelaar")
    assert decision.applicant_name == "Anna Aanvrager"
    assert decision.applicant_email == cast.applicant.email
    assert decision.applicant_area == "Dorst-Zuid"
    assert decision.initiative_title == "Geveltuinen in de Kerkstraat"
    assert (decision.requested_cents, decision.amount_cents) == (150_000, 125_000)
    assert decision.fund_name == str(cast.fund)
    assert decision.conditions == "Stuur na afloop foto's."
    assert decision.reasons == "Een mooi plan met veel steun in de straat."
    event = AuditEvent.objects.get(action="initiative.decision")
    assert event.actor == cast.broker
    assert event.municipality_id == cast.municipality.pk
    assert event.after == {
        "decision": decision.pk,
        "reference": decision.reference,
        "kind": "grant",
        "amount_cents": 125_000,
    }

    # Later changes to the initiative and the people do not change the decision or its letter.
    Initiative.objects.filter(pk=initiative.pk).update(title="Iets heel anders")
    User.objects.filter(pk=cast.applicant.pk).update(full_name="Anna Andersnaam")
    User.objects.filter(pk=cast.broker.pk).update(full_name="Iemand Anders")
    decision = Decision.objects.get(pk=decision.pk)
    text = pdf_text(decisions.letter_pdf(decision))
    assert "Geveltuinen in de Kerkstraat" in text
    assert "Anna Aanvrager" in text and "Bram Makelaar" in text
    assert "Iets heel anders" not in text and "Andersnaam" not in text


def test_the_letter_of_a_grant_states_decision_amount_conditions_and_objection(cast):
    services.initiative_transition(
        actor=cast.broker,
        initiative=cast.submitted(),
        action="approve",
        amount_cents=125_000,
        fund=cast.fund,
        conditions="Stuur na afloop foto's.",
        reason="Een mooi plan met veel steun in de straat.",
    )
    decision = Decision.objects.get()
    text = pdf_text(decisions.letter_pdf(decision))
    year = timezone.localdate().year
    for expected in (
        "Gemeente Oosterhout",
        f"WW-{year}-000001",
        today_in_dutch(),
        "Anna Aanvrager",
        "Toekenning subsidie voor je initiatief “Geveltuinen in de Kerkstraat”",
        "We verlenen je een subsidie van € 1.250,00 voor je initiatief "
        "“Geveltuinen in de Kerkstraat”.",
        "Gevraagd bedrag € 1.500,00",
        "Toegekend bedrag € 1.250,00",
        str(cast.fund),
        "Stuur na afloop foto's.",
        "Een mooi plan met veel steun in de straat.",
        "namens het college van burgemeester en wethouders van Oosterhout",
        "Bram Makelaar Wijkmakelaar",
        # the objection clause (Awb 3:45, 6:5, 6:7, 6:8) and the provisional measure
        "binnen zes weken na de dag waarop dit besluit is verzonden",
        "college van burgemeester en wethouders van Oosterhout",
        "je naam en adres",
        f"kenmerk WW-{year}-000001",
        "je handtekening",
        "voorlopige voorziening",
    ):
        assert expected in text, f"{expected!r} not in the letter:\n{text}"


def test_the_letter_is_an_accessible_tagged_pdf_in_dutch(cast):
    cast.approved()
    pdf = decisions.letter_pdf(Decision.objects.get())
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Tagged:          yes" in info
    assert "Page size:       595.276 x 841.89 pts (A4)" in info
    assert "Title:           Besluit WW-" in info
    # the document's language, in the catalog (inside a compressed object stream)
    streams = re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL)
    assert any(b"/Lang (nl)" in zlib.decompress(stream) for stream in streams)


def test_a_rejection_is_a_decision_with_its_reasons(cast):
    initiative = services.initiative_transition(
        actor=cast.broker,
        initiative=cast.submitted(),
        action="reject",
        reason="Het plein wordt volgend jaar heringericht.",
    )
    decision = Decision.objects.get(initiative=initiative)
    assert decision.kind == DecisionKind.REJECTION
    assert decision.amount_cents is None
    text = pdf_text(decisions.letter_pdf(decision))
    assert "We wijzen je aanvraag voor een subsidie voor je initiatief" in text
    assert "Het plein wordt volgend jaar heringericht." in text
    assert "zes weken" in text
    assert "€ 1.500,00" in text  # what was asked


def test_returning_for_changes_and_other_steps_are_not_decisions(cast):
    initiative = services.initiative_transition(
        actor=cast.broker, initiative=cast.submitted(), action="return", reason="Graag foto's."
    )
    assert initiative.status == "returned"
    assert not Decision.objects.exists()


def test_the_final_setting_states_costs_and_consequences(cast):
    initiative = accounted(cast, cast.approved(125_000), (60_000, 50_000))
    services.initiative_transition(
        actor=cast.broker, initiative=initiative, action="accept_accountability"
    )
    grant, settlement = Decision.objects.order_by("number")
    assert grant.kind == DecisionKind.GRANT
    assert settlement.kind == DecisionKind.SETTLEMENT
    assert settlement.number == grant.number + 1
    assert (
        settlement.granted_cents,
        settlement.actual_cents,
        settlement.amount_cents,
        settlement.advance_cents,
        settlement.to_pay_cents,
        settlement.owed_cents,
        settlement.released_cents,
    ) == (125_000, 110_000, 110_000, 0, 110_000, 0, 15_000)
    text = pdf_text(decisions.letter_pdf(settlement))
    for expected in (
        "Vaststelling subsidie voor je initiatief “Geveltuinen in de Kerkstraat”",
        "We stellen de subsidie voor je initiatief “Geveltuinen in de Kerkstraat” vast op "
        "€ 1.100,00.",
        "Toegekend bedrag € 1.250,00",
        "Aanvaarde werkelijke kosten € 1.100,00",
        "Vastgesteld bedrag € 1.100,00",
        "We betalen je nog € 1.100,00.",
        "€ 150,00",
        "zes weken",
        settlement.reference,
    ):
        assert expected in text, f"{expected!r} not in the letter:\n{text}"


def test_the_final_setting_after_a_larger_advance_says_what_is_owed_back(cast):
    initiative = accounted(cast, cast.approved(125_000), (60_000, 50_000))
    initiative = services.initiative_transition(
        actor=cast.broker, initiative=initiative, action="accept_accountability"
    )
    # as if € 1.250 had been paid as an advance before the accountability was accepted
    decision = decisions.decision_record(
        actor=cast.broker,
        initiative=Initiative.objects.select_related("area__municipality", "applicant").get(
            pk=initiative.pk
        ),
        action="accept_accountability",
        paid_before=125_000,
    )
    assert (decision.amount_cents, decision.to_pay_cents, decision.owed_cents) == (
        110_000,
        0,
        15_000,
    )
    assert decision.released_cents == 0
    text = pdf_text(decisions.letter_pdf(decision))
    assert "Door jou terug te betalen € 150,00" in text
    assert "Je hebt een voorschot van € 1.250,00 ontvangen" in text


def test_numbers_run_per_municipality(cast):
    first = cast.approved()
    second = services.initiative_transition(
        actor=cast.broker,
        initiative=cast.submitted(title="Bankjes bij de vijver"),
        action="reject",
        reason="Past niet in de regeling.",
    )
    elzenburg = AreaFactory(municipality=cast.oss, name="Elzenburg", slug="elzenburg")
    coordinator = official(Role.BROKER, area=elzenburg, full_name="Olga Os")
    elsewhere = InitiativeFactory(area=elzenburg, requested_cents=50_000)
    services.initiative_transition(
        actor=coordinator, initiative=elsewhere, action="reject", reason="Te laat ingediend."
    )
    year = timezone.localdate().year
    numbers = {d.initiative_id: (d.municipality_name, d.reference) for d in Decision.objects.all()}
    assert numbers == {
        first.pk: ("Oosterhout", f"WW-{year}-000001"),
        second.pk: ("Oosterhout", f"WW-{year}-000002"),
        elsewhere.pk: ("Oss", f"WW-{year}-000001"),
    }
    # a new year starts at 1 again
    decision = Decision.objects.get(initiative=first)
    decision.pk = None
    decision.year = year + 1
    decisions._save_numbered(decision)
    assert decision.reference == f"WW-{year + 1}-000001"


def test_the_letter_is_rendered_once_and_kept(cast, monkeypatch):
    cast.approved()
    decision = Decision.objects.get()
    first = decisions.letter_pdf(decision)
    monkeypatch.setattr(decisions, "render_letter", lambda d: pytest.fail("rendered again"))
    stored = Decision.objects.get(pk=decision.pk)
    assert stored.letter.name.endswith(".pdf")
    assert decisions.letter_pdf(stored) == first


def test_the_decision_mails_carry_the_letter(cast, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        initiative = cast.approved(125_000)
    with django_capture_on_commit_callbacks(execute=True):
        accounted(cast, initiative, (60_000, 50_000))
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_transition(
            actor=cast.broker, initiative=initiative, action="accept_accountability"
        )
    with django_capture_on_commit_callbacks(execute=True):
        rejected = services.initiative_transition(
            actor=cast.broker,
            initiative=cast.submitted(title="Bankjes bij de vijver"),
            action="reject",
            reason="Past niet in de regeling.",
        )
    by_subject: dict[str, Any] = {m["Subject"]: m for m in smtp_server.to(cast.applicant.email)}
    letters = {}
    for subject, message in by_subject.items():
        attached = list(message.iter_attachments())
        if attached:
            assert len(attached) == 1
            assert attached[0].get_content_type() == "application/pdf"
            letters[subject] = (attached[0].get_filename(), pdf_text(attached[0].get_content()))
    grant, settlement, rejection = (
        Decision.objects.get(initiative=initiative, kind=DecisionKind.GRANT),
        Decision.objects.get(initiative=initiative, kind=DecisionKind.SETTLEMENT),
        Decision.objects.get(initiative=rejected),
    )
    assert len(letters) == 3, list(by_subject)
    found = dict(letters.values())
    assert "We verlenen je een subsidie van € 1.250,00" in found[grant.filename]
    assert "vast op € 1.100,00" in found[settlement.filename]
    assert "Past niet in de regeling." in found[rejection.filename]
    assert grant.filename == f"besluit-{grant.reference}.pdf"
    # the mail says the letter is attached; the broker's mails carry no letter
    approved_mail = next(m for s, m in by_subject.items() if "toegekend" in s)
    assert grant.reference in smtp_server.body(approved_mail)
    assert all(not list(m.iter_attachments()) for m in smtp_server.to(cast.broker.email))


def test_applicant_and_officials_download_the_letter_others_get_404(cast, client):
    initiative = cast.approved()
    decision = Decision.objects.get()
    url = reverse("initiatives:decision", kwargs={"pk": initiative.pk, "decision": decision.pk})
    assert url == f"/initiatieven/{initiative.pk}/besluiten/{decision.pk}/"
    for user in (cast.applicant, cast.broker, cast.admin):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="besluit-{decision.reference}.pdf"'
        )
        assert "We verlenen je" in pdf_text(response.content)
    for user in (cast.neighbour, cast.outsider, cast.other_broker):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client.logout()
    assert client.get(url).status_code == 404
    # a decision only under its own initiative
    other = cast.approved(title="Bankjes bij de vijver")
    client.force_login(cast.applicant)
    wrong = reverse("initiatives:decision", kwargs={"pk": other.pk, "decision": decision.pk})
    assert client.get(wrong).status_code == 404


def test_the_detail_page_lists_the_decisions_for_those_who_may_download_them(cast, client):
    initiative = cast.approved()
    decision = Decision.objects.get()
    client.force_login(cast.applicant)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Besluiten" in page
    assert decision.get_absolute_url() in page
    assert f"brief {decision.reference}, PDF" in page
    client.force_login(cast.neighbour)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Besluiten" not in page
    assert decision.get_absolute_url() not in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_decisions_in_one_municipality_get_distinct_numbers(cast) -> None:
    # The cast's broker of Dorst refuses eight initiatives in Dorst at the same moment.
    parallel = 8
    area = cast.district
    broker = cast.broker
    ids = [
        InitiativeFactory(area=area, applicant=cast.applicant, requested_cents=10_000).pk
        for _ in range(parallel)
    ]
    barrier = threading.Barrier(parallel)
    errors: list[BaseException] = []

    def reject(initiative_id: int) -> None:
        try:
            actor = User.objects.get(pk=broker.pk)
            initiative = Initiative.objects.get(pk=initiative_id)
            barrier.wait(timeout=30)
            services.initiative_transition(
                actor=actor, initiative=initiative, action="reject", reason="Past niet."
            )
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reject, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    numbers = sorted(Decision.objects.values_list("number", flat=True))
    assert numbers == list(range(1, parallel + 1))
