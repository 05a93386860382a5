"""Changing a meeting's agenda (before it starts) and its documents (until the minutes are
approved): change, reorder, remove, each audited; a removed document is gone from the page and
its file from the storage."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijkwerk.core.models import AuditEvent
from wijkwerk.councils import services
from wijkwerk.councils.models import AgendaItem, MeetingDocument

from .factories import Council

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=5)


def titles(meeting: Any) -> list[tuple[int, str]]:
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position")
        .values_list("position", "title")
    )


def coming_meeting(world: Council) -> tuple[Any, list[Any]]:
    meeting = world.meeting(starts_in=LATER)
    items = [
        services.agenda_item_add(actor=world.chair, meeting=meeting, title=title)
        for title in ("Opening", "Speeltuin", "Rondvraag")
    ]
    return meeting, items


def pdf(name: str = "stukken.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n0000", "application/pdf")


def refused(code: str, call: Any, **kwargs: Any) -> list[str]:
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    assert info.value.code == code, info.value.messages
    return list(info.value.messages)


def test_items_are_changed_moved_and_removed_before_the_meeting(world: Council) -> None:
    meeting, (opening, playground, questions) = coming_meeting(world)
    services.agenda_item_change(
        actor=world.secretary, item=playground, title="Speeltuin Kerkstraat", description="Plan"
    )
    services.agenda_item_move(actor=world.chair, item=questions, direction="up")
    assert titles(meeting) == [(1, "Opening"), (2, "Rondvraag"), (3, "Speeltuin Kerkstraat")]
    services.agenda_item_move(actor=world.chair, item=opening, direction="up")  # stays first
    services.agenda_item_move(actor=world.chair, item=opening, direction="down")
    assert titles(meeting) == [(1, "Rondvraag"), (2, "Opening"), (3, "Speeltuin Kerkstraat")]
    services.agenda_item_remove(actor=world.chair, item=opening)
    assert titles(meeting) == [(1, "Rondvraag"), (2, "Speeltuin Kerkstraat")]
    actions = list(
        AuditEvent.objects.filter(action__startswith="council.meeting_agenda_")
        .exclude(action="council.meeting_agenda_add")
        .order_by("pk")
        .values_list("action", "after")
    )
    assert actions == [
        (
            "council.meeting_agenda_change",
            {"title": "Speeltuin Kerkstraat", "description": "Plan", "position": 2},
        ),
        ("council.meeting_agenda_move", {"title": "Rondvraag", "position": 2}),
        ("council.meeting_agenda_move", {"title": "Opening", "position": 2}),
        ("council.meeting_agenda_remove", {"title": "Opening", "position": 2, "initiative": None}),
    ]


def test_the_agenda_is_fixed_once_the_meeting_started(world: Council) -> None:
    item = world.on_agenda()  # a meeting that started an hour ago
    message = (
        "De vergadering is begonnen: de agenda verandert niet meer. Leg wat besproken is vast "
        "in de notulen."
    )
    kwargs: dict[str, Any] = {"actor": world.chair, "item": item}
    assert refused("meeting_started", services.agenda_item_remove, **kwargs) == [message]
    assert refused(
        "meeting_started", services.agenda_item_change, title="Iets anders", **kwargs
    ) == [message]
    assert refused("meeting_started", services.agenda_item_move, direction="up", **kwargs) == [
        message
    ]
    assert AgendaItem.objects.get(pk=item.pk).title == item.title


def test_bad_changes_are_refused(world: Council) -> None:
    meeting, (opening, *_rest) = coming_meeting(world)
    assert refused(
        "incomplete", services.agenda_item_change, actor=world.chair, item=opening, title=" "
    ) == ["Geef het agendapunt een titel."]
    assert refused(
        "too_long", services.agenda_item_change, actor=world.chair, item=opening, title="x" * 201
    ) == ["De titel mag hoogstens 200 tekens lang zijn (nu 201)."]
    assert refused(
        "bad_direction", services.agenda_item_move, actor=world.chair, item=opening, direction="x"
    ) == ["Een agendapunt gaat een plaats omhoog of omlaag."]
    with pytest.raises(PermissionDenied):
        services.agenda_item_remove(actor=world.cast.council_member, item=opening)
    assert titles(meeting)[0] == (1, "Opening")


def test_an_initiative_removed_from_the_agenda_can_go_on_another(world: Council) -> None:
    meeting = world.meeting(starts_in=LATER)
    item = world.on_agenda(meeting)
    services.agenda_item_remove(actor=world.chair, item=item)
    other = world.meeting(starts_in=LATER * 2, title="Volgende vergadering")
    again = services.agenda_item_add(
        actor=world.chair, meeting=other, title="", initiative=item.initiative
    )
    assert again.initiative_id == item.initiative_id


def test_documents_change_until_the_minutes_are_approved_and_a_removed_one_is_gone(
    world: Council, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = world.meeting()  # held already: documents may still change
    document = services.document_add(
        actor=world.chair, meeting=meeting, title="Stukken", upload=pdf()
    )
    kept = services.document_add(
        actor=world.chair, meeting=meeting, title="Begroting", upload=pdf()
    )
    services.document_change(actor=world.secretary, document=document, title="Voorstel speeltuin")
    url = meeting.get_absolute_url()
    page = Client().get(url).content.decode()
    assert "Voorstel speeltuin" in page
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_remove(actor=world.chair, document=document)
    assert not storage.exists(name)
    page = Client().get(url).content.decode()
    assert "Voorstel speeltuin" not in page and "Begroting" in page
    download = reverse("councils:document", kwargs={"pk": meeting.pk, "document": document.pk})
    assert Client().get(download).status_code == 404
    removed = AuditEvent.objects.get(action="council.meeting_document_remove")
    assert removed.after == {"title": "Voorstel speeltuin", "size": 13, "type": "pdf"}
    renamed = AuditEvent.objects.get(action="council.meeting_document_change")
    assert (renamed.before, renamed.after) == (
        {"title": "Stukken"},
        {"title": "Voorstel speeltuin"},
    )

    services.minutes_save(actor=world.chair, meeting=meeting, text="Notulen.")
    services.minutes_approve(actor=world.chair, meeting=meeting, approved_on=timezone.localdate())
    message = [
        "De raad heeft de notulen van deze vergadering goedgekeurd: de stukken worden niet meer "
        "gewijzigd of verwijderd."
    ]
    assert (
        refused("minutes_approved", services.document_remove, actor=world.chair, document=kept)
        == message
    )
    assert (
        refused(
            "minutes_approved",
            services.document_change,
            actor=world.chair,
            document=kept,
            title="Anders",
        )
        == message
    )
    assert MeetingDocument.objects.get(pk=kept.pk).title == "Begroting"


def test_the_pages_change_reorder_and_remove(world: Council) -> None:
    meeting, (opening, playground, questions) = coming_meeting(world)
    document = services.document_add(
        actor=world.chair, meeting=meeting, title="Stukken", upload=pdf()
    )
    chair = Client()
    chair.force_login(world.chair)
    page = chair.get(meeting.get_absolute_url()).content.decode()
    assert reverse("councils:agenda_edit", kwargs={"pk": playground.pk}) in page
    assert 'value="up"' in page and 'value="down"' in page
    edit = reverse("councils:agenda_edit", kwargs={"pk": playground.pk})
    failed = chair.post(edit, {"title": "", "description": ""})
    assert failed.status_code == 400
    assert "Dit veld is verplicht." in failed.content.decode()
    assert chair.post(edit, {"title": "Speelplek", "description": ""}).status_code == 302
    moved = chair.post(
        reverse("councils:agenda_move", kwargs={"pk": questions.pk}), {"direction": "up"}
    )
    assert moved["Location"] == f"{meeting.get_absolute_url()}#agenda-item-{questions.pk}"
    remove = reverse("councils:agenda_remove", kwargs={"pk": opening.pk})
    confirm = chair.get(remove).content.decode()
    assert "De punten erna schuiven een plaats op." in confirm
    assert chair.post(remove).status_code == 302
    assert titles(meeting) == [(1, "Rondvraag"), (2, "Speelplek")]
    doc_url = reverse(
        "councils:document_remove", kwargs={"pk": meeting.pk, "document": document.pk}
    )
    assert chair.post(doc_url).status_code == 302
    assert not MeetingDocument.objects.filter(pk=document.pk).exists()
    # a resident sees no buttons
    resident = Client()
    resident.force_login(world.cast.neighbour)
    assert 'value="up"' not in resident.get(meeting.get_absolute_url()).content.decode()
