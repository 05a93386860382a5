"""Who may do what with a council and its meetings (councils/policy.py): the three answers of
each policy agree, and the roles the brief names hold."""

from __future__ import annotations

from typing import Any

import pytest

from wijkwerk.councils.policy import (
    COUNCIL_POLICY,
    DOCUMENT_POLICY,
    HANDING_POLICY,
    MEETING_POLICY,
    forget_positions,
)

from .factories import Council

pytestmark = pytest.mark.django_db


def people(world: Council) -> dict[str, Any]:
    cast = world.cast
    return {
        "chair": world.chair,
        "secretary": world.secretary,
        "member": cast.council_member,
        "resident": cast.neighbour,
        "broker": cast.broker,
        "other_broker": cast.other_broker,
        "coordinator": cast.coordinator,
        "alderman": cast.alderman,
        "admin": cast.admin,
        "oss_admin": cast.oss_admin,
    }


def agree(policy: Any, action: str, obj: Any, users: dict[str, Any]) -> set[str]:
    """The names allowed; asserts that check, objects and users agree."""
    allowed = set()
    holders = set(
        policy.users_with_permission_for_instance(action, obj).values_list("pk", flat=True)
    )
    for name, user in users.items():
        forget_positions(user)
        check = policy.user_has_permission_for_instance(user, action, obj)
        listed = policy.instances_user_has_permission_for(user, action).filter(pk=obj.pk).exists()
        assert check == listed == (user.pk in holders), (action, name, check, listed)
        if check:
            allowed.add(name)
    return allowed


def test_running_the_council_and_its_meetings(world: Council) -> None:
    users = people(world)
    runners = {"chair", "secretary", "broker", "coordinator", "admin"}
    assert agree(COUNCIL_POLICY, "manage_council", world.council, users) == runners
    public = world.meeting()
    closed = world.meeting(is_public=False)
    assert agree(MEETING_POLICY, "manage_meeting", closed, users) == runners
    assert agree(MEETING_POLICY, "view_documents", closed, users) == runners | {"member"}
    assert agree(MEETING_POLICY, "view_documents", public, users) == set(users)
    assert agree(MEETING_POLICY, "view_minutes", public, users) == runners | {"member"}


def test_a_closed_meetings_document_is_for_members_and_runners(world: Council) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wijkwerk.councils import services

    closed = world.meeting(is_public=False)
    document = services.document_add(
        actor=world.chair,
        meeting=closed,
        title="Stukken",
        upload=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n00", "application/pdf"),
    )
    allowed = agree(DOCUMENT_POLICY, "view_document", document, people(world))
    assert allowed == {"chair", "secretary", "member", "broker", "coordinator", "admin"}


def test_handing_over_is_for_the_broker_coordinator_and_admin(world: Council) -> None:
    initiative = world.cast.submitted()
    allowed = agree(HANDING_POLICY, "hand_to_council", initiative, people(world))
    assert allowed == {"broker", "coordinator", "admin"}
