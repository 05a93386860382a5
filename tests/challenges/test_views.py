"""The pages of the right to challenge: the proposal form and its refusals (each missing item
named, a wrong KvK number, amounts), the decision page (no reasons, dated before submission,
late), the agreement (end before start), the progress report on a challenge that is not running;
the register without personal data; the letter (PDF) with the objection clause, mailed to the
submitter with the decision."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from wijkwerk.challenges import decisions, services
from wijkwerk.challenges.models import Agreement, Challenge, ChallengeDecision, ProgressReport
from wijkwerk.challenges.states import Status
from wijkwerk.core.models import AuditEvent

from ..initiatives.test_decisions import pdf_text
from .factories import PROPOSAL, admitted, agreed, draft, in_dialogue, running, submitted

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(user)
    return client


def form_data(cast: Any, **overrides: Any) -> dict[str, Any]:
    data = {**PROPOSAL, "area": cast.neighbourhood.pk, "cost_estimate_cents": "18.500,00"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def dutch(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def test_a_resident_saves_a_proposal_and_submits_it(cast) -> None:
    client = client_for(cast.applicant)
    response = client.post(reverse("challenges:create"), form_data(cast))
    assert response.status_code == 302
    challenge = Challenge.objects.get()
    assert (challenge.status, challenge.cost_estimate_cents, challenge.kvk_number) == (
        Status.DRAFT,
        1_850_000,
        "12345678",
    )
    page = client.get(reverse("challenges:submit", args=[challenge.pk])).content.decode()
    assert "Je voorstel is compleet." in page
    response = client.post(reverse("challenges:submit", args=[challenge.pk]))
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == Status.SUBMITTED


def test_submitting_an_incomplete_proposal_names_every_missing_item(cast) -> None:
    client = client_for(cast.applicant)
    client.post(
        reverse("challenges:create"),
        form_data(cast, task="", experience="", cooperation="", support_signatures=None),
    )
    challenge = Challenge.objects.get()
    response = client.post(reverse("challenges:submit", args=[challenge.pk]))
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Beschrijf de taak die je wilt overnemen.",
        "Beschrijf jullie ervaring en deskundigheid.",
        "Beschrijf de medewerking die je van de gemeente vraagt.",
        "Laat het draagvlak zien: geef het aantal handtekeningen of voeg een bestand toe als "
        "bewijs.",
    ):
        assert message in page
    challenge.refresh_from_db()
    assert challenge.status == Status.DRAFT


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kvk_number": "1234567"}, "Een KvK-nummer heeft precies 8 cijfers."),
        ({"kvk_number": "1234567X"}, "Een KvK-nummer heeft precies 8 cijfers."),
        ({"cost_estimate_cents": "-10,00"}, "Het bedrag kan niet negatief zijn."),
        (
            {"cost_estimate_cents": "200.000.000,00"},
            "Het bedrag is te hoog: maximaal € 100.000.000,00.",
        ),
        (
            {"title": "x" * 151},
            "Zorg dat deze waarde niet meer dan 150 tekens bevat (het zijn er nu 151).",
        ),
    ],
)
def test_bad_input_is_refused_with_its_message_and_nothing_saved(cast, overrides, message) -> None:
    response = client_for(cast.applicant).post(
        reverse("challenges:create"), form_data(cast, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Challenge.objects.count() == 0


def test_a_file_that_is_no_pdf_or_image_is_refused(cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    script = SimpleUploadedFile("lijst.pdf", b"<script>alert(1)</script>", "application/pdf")
    response = client_for(cast.applicant).post(
        reverse("challenges:create"), {**form_data(cast), "support_file": script}
    )
    assert response.status_code == 400
    assert Challenge.objects.count() == 0


def test_the_decision_page_refuses_no_reasons_and_a_date_before_submission(cast) -> None:
    challenge = submitted(cast)
    client = client_for(cast.broker)
    url = reverse("challenges:decide", args=[challenge.pk])
    today = timezone.localdate()
    response = client.post(
        url, {"decision": "refuse", "decided_on": today.isoformat(), "reasons": ""}
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()
    response = client.post(
        url,
        {
            "decision": "refuse",
            "decided_on": (today - datetime.timedelta(days=3)).isoformat(),
            "reasons": "Geen taak van de gemeente.",
        },
    )
    assert response.status_code == 400
    assert (
        f"De datum van het besluit kan niet voor de indiening van het voorstel liggen "
        f"({dutch(today)})." in response.content.decode()
    )
    response = client.post(
        url, {"decision": "admit", "decided_on": today.isoformat(), "reasons": "Prima plan."}
    )
    assert response.status_code == 400
    assert "Bevestig de controle van de rechtspersoon" in response.content.decode()
    assert ChallengeDecision.objects.count() == 0
    response = client.post(
        url,
        {
            "decision": "admit",
            "decided_on": today.isoformat(),
            "reasons": "Prima plan.",
            "entity_confirmed": "on",
        },
    )
    assert response.status_code == 302
    assert Challenge.objects.get().status == Status.ADMITTED


def test_a_late_decision_is_shown_as_late(cast) -> None:
    challenge = submitted(cast)
    due = timezone.localdate() - datetime.timedelta(days=2)
    Challenge.objects.filter(pk=challenge.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=60), decision_due_on=due
    )
    client = client_for(cast.broker)
    page = client.get(reverse("challenges:detail", args=[challenge.pk])).content.decode()
    assert f"Het besluit over de toelating moest er uiterlijk {dutch(due)} zijn" in page
    worklist = client.get(reverse("challenges:worklist")).content.decode()
    assert f"Besluit te laat (uiterlijk {dutch(due)})" in worklist
    response = client.post(
        reverse("challenges:decide", args=[challenge.pk]),
        {
            "decision": "refuse",
            "decided_on": timezone.localdate().isoformat(),
            "reasons": "Geen taak van de gemeente.",
        },
        follow=True,
    )
    assert "als te laat vastgelegd" in response.content.decode()
    register = Client().get(reverse("challenges:register")).content.decode()
    assert "na de termijn" in register
    text = pdf_text(decisions.letter_pdf(ChallengeDecision.objects.get()))
    assert f"We hadden uiterlijk {dutch(due)} moeten besluiten." in text


def test_the_letter_states_decision_reasons_and_objection(cast) -> None:
    challenge = admitted(cast)
    decision = ChallengeDecision.objects.get()
    text = pdf_text(decisions.letter_pdf(decision))
    year = timezone.localdate().year
    for expected in (
        "Gemeente Oosterhout",
        f"UR-{year}-000001",
        dutch(timezone.localdate()),
        "Dorpsvereniging Dorst",
        "ter attentie van Anna Aanvrager",
        "12345678",
        f"Je uitdaging “{challenge.title}” is toegelaten",
        f"We laten je uitdaging “{challenge.title}” toe.",
        "De vereniging is geworteld in het dorp en het voorstel is goedkoper.",
        "Bram Makelaar",
        "binnen zes weken na de dag waarop dit besluit is verzonden",
        f"noem het kenmerk UR-{year}-000001",
    ):
        assert expected in text, expected
    url = decision.get_absolute_url()
    for user, status in (
        (cast.applicant, 200),
        (cast.broker, 200),
        (cast.admin, 200),
        (cast.neighbour, 404),
        (cast.oss_admin, 404),
    ):
        assert client_for(user).get(url).status_code == status
    assert Client().get(url).status_code == 404


def test_the_decision_mail_carries_the_letter(
    cast, smtp_server, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        challenge = submitted(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_decide(
            actor=cast.broker,
            challenge=challenge,
            action="refuse",
            reasons="Onderhoud van groen is al uitbesteed tot 2028.",
        )
    mails = {
        m["Subject"].removeprefix("[wijkwerk] "): m for m in smtp_server.to(cast.applicant.email)
    }
    assert sorted(mails) == [
        f"Besluit over je uitdaging “{challenge.title}”",
        f"We hebben je uitdaging “{challenge.title}” ontvangen",
    ]
    decision_mail = mails[f"Besluit over je uitdaging “{challenge.title}”"]
    (letter,) = list(decision_mail.iter_attachments())
    year = timezone.localdate().year
    assert letter.get_filename() == f"besluit-UR-{year}-000001.pdf"
    text = pdf_text(letter.get_content())
    assert "We laten je uitdaging" in text and "niet toe." in text
    assert "Onderhoud van groen is al uitbesteed tot 2028." in text
    assert "Je uitdaging “" in smtp_server.body(decision_mail)
    assert "helaas niet toegelaten" in smtp_server.body(decision_mail)


def test_an_agreement_that_ends_before_it_starts_is_refused_on_the_page(cast) -> None:
    challenge = in_dialogue(cast)
    response = client_for(cast.broker).post(
        reverse("challenges:agreement", args=[challenge.pk]),
        {
            "tasks": "Maaien",
            "result": "Kort gras",
            "parties": "De vereniging",
            "budget_cents": "1.000,00",
            "starts_on": "2027-03-01",
            "ends_on": "2027-02-01",
            "report_every_months": "3",
        },
    )
    assert response.status_code == 400
    assert "Het einde van de looptijd kan niet voor het begin liggen." in response.content.decode()
    assert Agreement.objects.count() == 0


def test_a_report_on_a_challenge_that_is_not_running_is_refused(cast) -> None:
    challenge, _agreement = agreed(cast)
    response = client_for(cast.applicant).post(
        reverse("challenges:report", args=[challenge.pk]), {"text": "Gemaaid."}
    )
    assert response.status_code == 400
    assert (
        "Voortgang wordt alleen gerapporteerd zolang de uitdaging loopt; de status is nu: "
        "afspraken gemaakt." in response.content.decode()
    )
    assert ProgressReport.objects.count() == 0


def test_the_register_shows_status_and_agreement_without_personal_data(cast) -> None:
    challenge = running(cast)
    services.report_add(actor=cast.applicant, challenge=challenge, text="Twee keer gemaaid.")
    draft(cast, title="Geheim concept")
    page = Client(HTTP_ACCEPT_LANGUAGE="nl").get(reverse("challenges:register")).content.decode()
    assert challenge.title in page and "Dorpsvereniging Dorst" in page and "Loopt" in page
    assert 'budget <span class="amount">€ 15.000,00</span>' in page
    assert "Geheim concept" not in page
    assert "Anna Aanvrager" not in page and cast.applicant.email not in page
    detail = Client().get(challenge.get_absolute_url()).content.decode()
    assert "Twee keer gemaaid." in detail
    assert "Anna Aanvrager" not in detail and "Handtekeningen van bewoners" not in detail


def test_the_register_answers_in_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for _ in range(3):
        running(cast)
    client = Client()
    with django_assert_max_num_queries(8):
        client.get(reverse("challenges:register"))


def test_every_step_is_audited_with_who(cast) -> None:
    challenge = running(cast)
    services.report_add(actor=cast.applicant, challenge=challenge, text="Gemaaid.")
    events = list(
        AuditEvent.objects.filter(object_type="challenges.challenge", object_id=str(challenge.pk))
        .order_by("id")
        .values_list("action", "actor_id")
    )
    assert events == [
        ("challenge.create", cast.applicant.pk),
        ("challenge.submit", cast.applicant.pk),
        ("challenge.decision", cast.broker.pk),
        ("challenge.admit", cast.broker.pk),
        ("challenge.open_dialogue", cast.broker.pk),
        ("challenge.agree", cast.broker.pk),
        ("challenge.start", cast.broker.pk),
        ("challenge.report", cast.applicant.pk),
    ]


def test_both_letters_are_dutch(cast) -> None:
    """The admitting and the refusing letter, read as tests/dutch.py reads every page."""
    from ..dutch import problems

    admitted(cast)
    late = submitted(cast, title="Te laat besloten")
    Challenge.objects.filter(pk=late.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=70),
        decision_due_on=timezone.localdate() - datetime.timedelta(days=14),
    )
    late.refresh_from_db()
    services.challenge_decide(
        actor=cast.admin, challenge=late, action="refuse", reasons="Geen taak van de gemeente."
    )
    letters = list(ChallengeDecision.objects.order_by("id"))
    assert [letter.kind for letter in letters] == ["admitted", "not_admitted"]
    found = [f"{d.kind}: {k}: {t}" for d in letters for k, t in problems(decisions.letter_html(d))]
    assert not found, "\n".join(found)


def test_the_administrator_finds_the_money_page_by_what_it_does(cast) -> None:
    challenge = running(cast)
    money = reverse("challenges:money", args=[challenge.pk])
    page = client_for(cast.admin).get(challenge.get_absolute_url()).content.decode()
    assert f'href="{money}">Geld reserveren en betalen</a>' in page
    # the two forms' amounts have ids of their own, each with its label
    money_page = client_for(cast.admin).get(money).content.decode()
    assert 'for="commit-amount"' in money_page and 'id="commit-amount"' in money_page
    assert 'for="pay-amount"' in money_page and 'id="pay-amount"' in money_page
    # only the administrator books money (tests/challenges/test_policy.py)
    assert money not in client_for(cast.broker).get(challenge.get_absolute_url()).content.decode()
