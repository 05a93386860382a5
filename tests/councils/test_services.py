"""The council decides: meetings, agenda, minutes, and decisions booked in the ledger."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wijkwerk.core.models import AuditEvent
from wijkwerk.councils import services
from wijkwerk.councils.models import CouncilDecision, Meeting, MeetingDocument, Vote
from wijkwerk.events.models import Event
from wijkwerk.funds.models import LedgerEntry
from wijkwerk.funds.selectors import fund_figures
from wijkwerk.initiatives import services as initiative_services
from wijkwerk.initiatives.models import Decision, Initiative

from .factories import Council, council_world

pytestmark = pytest.mark.django_db

REASONS = "Het plan past bij de leefbaarheid van Dorst en de buren doen mee."


def decide(world: Council, item: Any, *choices: str, amount: int | None = 45_000, **kw: Any):
    votes = world.votes(*choices)
    return services.council_decide(
        actor=kw.pop("actor", world.secretary),
        item=item,
        present=kw.pop("present", set(votes)),
        choices=votes,
        reasons=kw.pop("reasons", REASONS),
        amount_cents=amount,
    )


def refused(code: str, call: Any, *args: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value.messages
    return info.value


# --- Meetings ------------------------------------------------------------------------------------


def test_a_meeting_is_a_council_event_of_the_council_area(world: Council) -> None:
    meeting = world.meeting(is_public=False)
    event = meeting.event
    assert (event.kind, event.council, event.area) == (
        "council_meeting",
        world.council,
        world.cast.district,
    )
    assert (event.is_public, event.rsvp_enabled) == (False, False)
    assert AuditEvent.objects.filter(action="council.meeting_create").count() == 1


def test_a_meeting_that_ends_before_it_starts_is_refused_and_nothing_saved(world: Council) -> None:
    start = timezone.now()
    data = services.MeetingData(
        title="Vergadering", starts_at=start, ends_at=start, place_name="De Wissel"
    )
    error = refused(
        "ends_before_start",
        services.meeting_create,
        actor=world.chair,
        council=world.council,
        data=data,
    )
    assert error.messages == ["De vergadering moet eindigen na het begin."]
    assert (Meeting.objects.count(), Event.objects.count()) == (0, 0)


def test_only_the_chair_secretary_and_supporting_officials_plan_meetings(world: Council) -> None:
    cast = world.cast
    start = timezone.now() + datetime.timedelta(days=3)
    data = services.MeetingData("V", start, start + datetime.timedelta(hours=1), "De Wissel")
    for person in (cast.council_member, cast.neighbour, cast.other_broker, cast.alderman):
        with pytest.raises(PermissionDenied):
            services.meeting_create(actor=person, council=world.council, data=data)
    for person in (world.chair, world.secretary, cast.broker, cast.coordinator, cast.admin):
        services.meeting_create(actor=person, council=world.council, data=data)
    assert Meeting.objects.count() == 5


# --- Handing over and the agenda ----------------------------------------------------------------


def test_the_broker_hands_an_initiative_to_the_council_and_may_no_longer_decide_it(
    world: Council,
) -> None:
    initiative = world.addressed()
    assert initiative.deciding_council == world.council
    audit = AuditEvent.objects.get(action="initiative.hand_to_council")
    assert audit.after == {"deciding_council": world.council.pk}
    assert initiative.status == "under_review"  # the broker took it on submission
    error = refused(
        "council_decides",
        initiative_services.initiative_transition,
        actor=world.cast.broker,
        initiative=initiative,
        action="approve",
        amount_cents=10_000,
        fund=world.cast.fund,
    )
    assert error.messages == [
        "Dit initiatief is gericht aan Dorpsraad Dorst: de raad beslist erover."
    ]


def test_a_broker_cannot_grant_from_a_council_fund(world: Council) -> None:
    initiative = world.cast.submitted()
    refused(
        "council_fund",
        initiative_services.initiative_transition,
        actor=world.cast.broker,
        initiative=initiative,
        action="approve",
        amount_cents=10_000,
        fund=world.fund,
    )


def test_only_an_initiative_addressed_to_the_council_goes_on_its_agenda_once(
    world: Council,
) -> None:
    meeting = world.meeting()
    other = world.cast.submitted()
    refused(
        "not_addressed",
        services.agenda_item_add,
        actor=world.chair,
        meeting=meeting,
        title="",
        initiative=other,
    )
    item = world.on_agenda(meeting)
    assert (item.position, item.title) == (1, "Geveltuinen in de Kerkstraat")
    refused(
        "on_agenda",
        services.agenda_item_add,
        actor=world.chair,
        meeting=world.meeting(),
        title="",
        initiative=item.initiative,
    )


# --- The decision -----------------------------------------------------------------------------


def test_an_approval_commits_the_amount_in_the_council_fund_with_an_awb_letter(
    world: Council, django_capture_on_commit_callbacks: Any
) -> None:
    item = world.on_agenda()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record = decide(world, item, "for", "for", "against", "abstain")
    assert (record.outcome, record.votes_for, record.votes_against, record.abstentions) == (
        "approved",
        2,
        1,
        1,
    )
    initiative = Initiative.objects.get(pk=item.initiative_id)
    assert (initiative.status, initiative.granted_cents, initiative.fund) == (
        "approved",
        45_000,
        world.fund,
    )
    assert initiative.approved_by is None
    figures = fund_figures(world.fund)
    assert (figures.committed, figures.paid, figures.available) == (45_000, 0, 455_000)
    entry = LedgerEntry.objects.get(fund=world.fund)
    assert (entry.kind, entry.amount_cents, entry.author) == ("commitment", 45_000, world.secretary)
    decision = Decision.objects.get(initiative=initiative)
    assert (decision.kind, decision.amount_cents, decision.official_name) == (
        "grant",
        45_000,
        "Dorpsraad Dorst",
    )
    assert decision.official_role == (
        "wijkraad, namens het college van burgemeester en wethouders (mandaat)"
    )
    assert REASONS in decision.reasons
    assert "2 voor, 1 tegen, 1 onthouding, 4 van de 5 leden aanwezig" in decision.reasons
    present = ", ".join(sorted(m.display_name for m in world.members[:4]))
    assert f"Quorum: 3 van de 5 leden (meer dan de helft). Aanwezig: {present}." in (
        decision.reasons
    )
    assert record.quorum == 3
    assert record.decision == decision
    assert Vote.objects.filter(decision=record).count() == 4
    audit = AuditEvent.objects.get(action="council.decide")
    assert audit.after["votes_for"] == 2 and audit.after["present"] == 4
    assert "Henk van Gils: voor" in audit.after["votes"]
    assert callbacks  # the applicant's mail waits for the commit


def test_the_applicant_receives_the_letter_naming_the_council(
    world: Council, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    item = world.on_agenda()
    with django_capture_on_commit_callbacks(execute=True):
        decide(world, item, "for", "for", "for")
    mails = smtp_server.to(world.cast.applicant.email)
    assert len(mails) == 1
    (letter,) = list(mails[0].iter_attachments())
    assert letter.get_content_type() == "application/pdf"
    assert letter.get_filename().startswith("besluit-WW-")


def test_a_tie_is_a_rejection_with_the_reasons_and_nothing_booked(world: Council) -> None:
    item = world.on_agenda()
    record = decide(world, item, "for", "against", "abstain")
    assert record.outcome == "rejected"
    assert record.amount_cents is None
    initiative = Initiative.objects.get(pk=item.initiative_id)
    assert initiative.status == "rejected"
    assert LedgerEntry.objects.count() == 0
    decision = Decision.objects.get(initiative=initiative)
    assert decision.kind == "rejection"
    assert "De stemmen staakten, dus het voorstel is afgewezen." in decision.reasons


@pytest.mark.parametrize(
    ("kwargs", "code", "message"),
    [
        (
            {"reasons": "   "},
            "no_reasons",
            "Schrijf de motivering van de raad op: een besluit zegt waarom (Awb 3:46).",
        ),
        (
            {"choices": ("for", "for")},
            "no_quorum",
            "Geen quorum: 2 van de 5 leden zijn aanwezig. Het quorum van Dorpsraad Dorst is 3 "
            "van de 5 leden (meer dan de helft): de raad kan niet besluiten.",
        ),
        (
            {"amount": None},
            "amount_required",
            "De raad keurde goed: vul het bedrag in dat hij toekent (meer dan nul).",
        ),
        (
            {"amount": 600_000},
            "above_requested",
            "Het toegekende bedrag kan niet hoger zijn dan het gevraagde bedrag (€ 1.500,00).",
        ),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_saved(
    world: Council, kwargs: dict[str, Any], code: str, message: str
) -> None:
    item = world.on_agenda()
    choices = kwargs.pop("choices", ("for", "for", "for"))
    error = refused(code, decide, world, item, *choices, **kwargs)
    assert error.messages == [message]
    assert CouncilDecision.objects.count() == 0
    assert Decision.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
    assert Initiative.objects.get(pk=item.initiative_id).status == "under_review"


def test_votes_from_non_members_and_absent_members_are_refused(world: Council) -> None:
    item = world.on_agenda()
    stranger = world.cast.neighbour
    choices = {**world.votes("for", "for", "for"), stranger.pk: "for"}
    refused(
        "not_a_member",
        services.council_decide,
        actor=world.chair,
        item=item,
        present=set(choices),
        choices=choices,
        reasons=REASONS,
        amount_cents=10_000,
    )
    choices = world.votes("for", "for", "for", "against")
    error = refused(
        "absent_vote",
        services.council_decide,
        actor=world.chair,
        item=item,
        present=set(list(choices)[:3]),
        choices=choices,
        reasons=REASONS,
        amount_cents=10_000,
    )
    assert error.messages == ["Alleen aanwezige leden stemmen; afwezig: Piet Pannekoek."]
    assert CouncilDecision.objects.count() == 0


def test_the_fund_never_overspends_a_clear_refusal_and_nothing_saved(cast: Any) -> None:
    world = council_world(cast, fund_cents=100_000)
    item = world.on_agenda()
    error = refused("not_enough_money", decide, world, item, "for", "for", "for", amount=120_000)
    assert error.messages == [
        "Niet genoeg geld in fonds Leefbaarheidsbudget Dorpsraad Dorst: beschikbaar € 1.000,00, "
        "gevraagd € 1.200,00."
    ]
    assert (CouncilDecision.objects.count(), LedgerEntry.objects.count()) == (0, 0)
    assert Initiative.objects.get(pk=item.initiative_id).status == "under_review"
    assert fund_figures(world.fund).available == 100_000


def test_the_scheme_maximum_holds_for_the_council_too(world: Council) -> None:
    item = world.on_agenda()
    world.cast.scheme.max_per_initiative_cents = 40_000
    world.cast.scheme.save()
    error = refused("above_scheme_maximum", decide, world, item, "for", "for", "for")
    assert error.messages == [
        "Regeling bewonersinitiatieven kent hoogstens € 400,00 per initiatief toe."
    ]


def test_a_decision_waits_for_the_meeting_and_is_taken_once(world: Council) -> None:
    later = world.meeting(starts_in=datetime.timedelta(days=2))
    item = world.on_agenda(later)
    refused("not_started", decide, world, item, "for", "for", "for")
    now = world.on_agenda(title="Bankje bij de kerk")
    decide(world, now, "for", "for", "for")
    refused("decided", decide, world, now, "for", "for", "for")


def test_only_those_running_the_meeting_record_a_decision(world: Council) -> None:
    item = world.on_agenda()
    with pytest.raises(PermissionDenied):
        decide(world, item, "for", "for", "for", actor=world.cast.council_member)
    record = decide(world, item, "for", "for", "for", actor=world.cast.coordinator)
    assert record.recorded_by == world.cast.coordinator


# --- Minutes and documents ---------------------------------------------------------------------


def test_minutes_are_published_only_after_approval(world: Council) -> None:
    meeting = world.meeting()
    refused("minutes_not_approved", services.minutes_publish, actor=world.chair, meeting=meeting)
    services.minutes_save(actor=world.secretary, meeting=meeting, text="Aanwezig: vijf leden.")
    error = refused(
        "minutes_not_approved", services.minutes_publish, actor=world.chair, meeting=meeting
    )
    assert error.messages == [
        "De raad heeft deze notulen nog niet vastgesteld: ze worden daarna gepubliceerd."
    ]
    refused(
        "approved_on_future",
        services.minutes_approve,
        actor=world.chair,
        meeting=meeting,
        approved_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    services.minutes_approve(actor=world.chair, meeting=meeting, approved_on=timezone.localdate())
    meeting = services.minutes_publish(actor=world.chair, meeting=meeting)
    assert meeting.minutes_status == "published"
    assert meeting.minutes_published_at is not None
    refused(
        "minutes_published",
        services.minutes_save,
        actor=world.chair,
        meeting=meeting,
        text="Anders",
    )


def test_changed_minutes_go_back_to_draft(world: Council) -> None:
    meeting = world.meeting()
    services.minutes_save(actor=world.secretary, meeting=meeting, text="Eerste versie.")
    services.minutes_approve(actor=world.chair, meeting=meeting, approved_on=timezone.localdate())
    meeting = services.minutes_save(actor=world.secretary, meeting=meeting, text="Tweede versie.")
    assert (meeting.minutes_status, meeting.minutes_approved_on) == ("draft", None)


def pdf(size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile("stukken.pdf", b"%PDF-1.4\n" + b"0" * size, "application/pdf")


def office(kind: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind == "odt":
            archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<x/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(f"voorstel.{kind}", buffer.getvalue(), "application/octet-stream")


def test_documents_pdf_odt_docx_are_kept_others_refused(world: Council) -> None:
    meeting = world.meeting()
    for upload, extension in ((pdf(), "pdf"), (office("odt"), "odt"), (office("docx"), "docx")):
        document = services.document_add(
            actor=world.secretary, meeting=meeting, title="Stukken", upload=upload
        )
        assert document.extension == extension
    script = SimpleUploadedFile("stukken.pdf", b"<script>alert(1)</script>", "application/pdf")
    error = refused(
        "wrong_type",
        services.document_add,
        actor=world.secretary,
        meeting=meeting,
        title="Stukken",
        upload=script,
    )
    assert error.messages == [
        "Alleen PDF-, ODT- (OpenDocument) en DOCX-bestanden (Word) zijn toegestaan."
    ]
    big = pdf(10 * 1024 * 1024)
    error = refused(
        "too_large",
        services.document_add,
        actor=world.secretary,
        meeting=meeting,
        title="Stukken",
        upload=big,
    )
    assert error.messages == ["Het bestand is te groot: maximaal 10 MB is toegestaan."]
    assert MeetingDocument.objects.count() == 3


def test_the_audit_log_reads_the_councils_events_in_dutch(world: Council) -> None:
    from django.utils import translation

    from wijkwerk.core import auditlog

    item = world.on_agenda()
    decide(world, item, "for", "for", "against")
    events = list(AuditEvent.objects.filter(action__startswith="council.").order_by("pk"))
    with translation.override("nl"):
        views = auditlog.describe(events)
    by_action = {view.event.action: view for view in views}
    assert set(by_action) == {
        "council.meeting_create",
        "council.meeting_agenda_add",
        "council.decide",
    }
    assert by_action["council.decide"].action == "Raad besloot over een initiatief"
    lines = by_action["council.decide"].lines
    assert "Uitkomst: toegekend" in lines
    assert "Toegekend bedrag: € 450,00" in lines
    assert "Stemmen voor: 2" in lines
    assert "Aanwezige leden: 3" in lines, lines
    # the votes by name, sorted by name (the cast's member has a random name)
    assert any(line.startswith("Stemmen: ") and "Henk van Gils: voor" in line for line in lines)
    assert "Quorum: 3" in lines
    meeting = by_action["council.meeting_create"].lines
    assert "Titel: Vergadering Dorpsraad Dorst" in meeting, meeting
    assert "Openbaar: ja" in meeting, meeting


def test_the_decision_letter_names_the_council_in_dutch(world: Council) -> None:
    from wijkwerk.initiatives.decisions import letter_html

    from ..dutch import problems

    item = world.on_agenda()
    record = decide(world, item, "for", "for", "against")
    html = letter_html(record.decision)
    assert "Dorpsraad Dorst" in html
    assert "namens het college van burgemeester en wethouders (mandaat)" in html
    assert "bezwaar" in html
    assert not problems(html), problems(html)
