"""The demo's self-service resident groups (src/wijkwerk/demo/groups.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from wijkwerk.areas.models import GroupMembership, GroupRole, JoinPolicy, ResidentGroup
from wijkwerk.groups.models import GroupInvitation, JoinRequest, RequestStatus

pytestmark = pytest.mark.django_db


def test_groups_of_each_policy_with_members_a_request_an_invitation_and_a_worker() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "4 resident groups founded by residents, with 5 members" in out.getvalue()
    moestuin = ResidentGroup.objects.get(name="Moestuin Dorst-Zuid")
    assert moestuin.join_policy == JoinPolicy.ON_REQUEST
    assert moestuin.area.municipality.slug == "oosterhout"
    assert moestuin.community_worker is not None
    assert moestuin.community_worker.email == "wijkwerker@oosterhout.example"
    roles = dict(GroupMembership.objects.filter(group=moestuin).values_list("user__email", "role"))
    assert roles == {
        "jeroen.franken@oosterhout.example": GroupRole.CONTACT,
        "wilma.broeders@oosterhout.example": GroupRole.TREASURER,
        "fien.hoeks@oosterhout.example": GroupRole.MEMBER,
    }
    [waiting] = JoinRequest.objects.filter(status=RequestStatus.PENDING)
    assert waiting.group == moestuin and waiting.user.email == "yara.bakker@oosterhout.example"
    oss = ResidentGroup.objects.filter(area__municipality__slug="oss", created_at__isnull=False)
    assert set(oss.values_list("name", flat=True)) >= {
        "Samen Koken Noordwest",
        "Zorgcirkel Oss-Oost",
    }
    [invitation] = GroupInvitation.objects.all()
    assert invitation.group.name == "Zorgcirkel Oss-Oost"
    assert invitation.email == "leo.vandijk@oss.example"
    # loading again adds nothing
    call_command("load_demo", stdout=StringIO())
    assert ResidentGroup.objects.filter(name="Moestuin Dorst-Zuid").count() == 1
    assert GroupInvitation.objects.count() == 1
