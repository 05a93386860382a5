"""Resident groups' services: founding, joining by each policy, requests, invitations, roles,
leaving, the contact form, the community worker and dissolving; refusals save nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkwerk.accounts.models import Role
from wijkwerk.areas.models import GroupMembership, GroupRole, JoinPolicy, ResidentGroup
from wijkwerk.core.models import AuditEvent
from wijkwerk.core.ratelimit import RateLimited
from wijkwerk.groups import services
from wijkwerk.groups.models import ContactMessage, GroupInvitation, JoinRequest, RequestStatus
from wijkwerk.groups.refusals import CODES, GroupRefused

from ..accounts.factories import UserFactory, official
from ..areas.factories import AreaFactory
from ..cast import Cast


def found(cast: Cast, policy: str = JoinPolicy.OPEN, name: str = "Moestuin Dorst-Zuid", **kw):
    return services.group_found(
        actor=cast.applicant,
        data=services.GroupData(
            area=cast.neighbourhood,
            name=name,
            description=kw.get("description", "Samen tuinieren."),
            interest="groen",
            join_policy=policy,
        ),
    )


def resident(cast: Cast, name: str = "Rita Buurvrouw") -> object:
    return UserFactory(full_name=name, home_area=cast.neighbourhood)


def refused(code: str, call, *args, **kwargs) -> GroupRefused:
    assert code in CODES
    with pytest.raises(GroupRefused) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def contacts(group: ResidentGroup) -> set[int]:
    return set(
        GroupMembership.objects.filter(group=group, role=GroupRole.CONTACT).values_list(
            "user_id", flat=True
        )
    )


# ----- Founding ------------------------------------------------------------------------------


def test_the_founder_becomes_contact_and_the_founding_is_audited(cast: Cast) -> None:
    group = found(cast)
    assert contacts(group) == {cast.applicant.pk}
    assert group.join_policy == JoinPolicy.OPEN and group.area == cast.neighbourhood
    event = AuditEvent.objects.get(action="group.found")
    assert event.actor == cast.applicant
    assert event.municipality_id == cast.municipality.pk
    assert event.after["name"] == "Moestuin Dorst-Zuid"


def test_a_duplicate_name_in_the_area_is_refused_whatever_its_capitals(cast: Cast) -> None:
    found(cast)
    error = refused("duplicate_name", found, cast, name="  moestuin   DORST-zuid ")
    assert error.messages == [
        "Er is al een groep die “moestuin DORST-zuid” heet in Dorst-Zuid. Kies een andere naam."
    ]
    assert ResidentGroup.objects.count() == 1
    # the same name in another area is fine, and so is a dissolved group's name
    other = services.group_found(
        actor=cast.applicant,
        data=services.GroupData(area=cast.district, name="Moestuin Dorst-Zuid"),
    )
    assert other.area == cast.district


def test_a_dissolved_groups_name_is_free_again(cast: Cast) -> None:
    group = found(cast)
    services.dissolve(actor=cast.applicant, group=group)
    again = found(cast)
    assert again.pk != group.pk


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("name", "<script>alert(1)</script>", "markup"),
        ("description", "Hallo <b>buren</b>", "markup"),
        ("name", "   ", "name_required"),
        ("name", "x" * 151, "too_long"),
        ("description", "x" * 4001, "too_long"),
    ],
)
def test_bad_texts_are_refused_and_nothing_is_saved(
    cast: Cast, field: str, value: str, code: str
) -> None:
    data = {"name": "Groen Dorst", "description": ""}
    data[field] = value
    refused(
        code,
        services.group_found,
        actor=cast.applicant,
        data=services.GroupData(area=cast.neighbourhood, **data),
    )
    assert not ResidentGroup.objects.exists() and not AuditEvent.objects.exists()


def test_a_group_lies_in_the_founders_municipality(cast: Cast) -> None:
    oss_area = AreaFactory(municipality=cast.oss)
    refused(
        "area_elsewhere",
        services.group_found,
        actor=cast.applicant,
        data=services.GroupData(area=oss_area, name="Elders"),
    )


# ----- Joining -------------------------------------------------------------------------------


def test_an_open_group_takes_a_member_at_once(cast: Cast) -> None:
    group = found(cast)
    membership = services.join(actor=cast.neighbour, group=group)
    assert isinstance(membership, GroupMembership) and membership.role == GroupRole.MEMBER
    refused("already_member", services.join, actor=cast.neighbour, group=group)


def test_an_invitation_only_group_refuses_joining_and_saves_nothing(cast: Cast) -> None:
    group = found(cast, JoinPolicy.INVITATION)
    error = refused("invitation_only", services.join, actor=cast.neighbour, group=group)
    assert "alleen nieuwe leden aan op uitnodiging" in error.messages[0]
    assert not JoinRequest.objects.exists()
    assert GroupMembership.objects.filter(group=group).count() == 1


def test_a_request_mails_the_contacts_and_the_answer_the_resident(
    cast: Cast, smtp_server, django_capture_on_commit_callbacks
) -> None:
    group = found(cast, JoinPolicy.ON_REQUEST)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.join(actor=cast.neighbour, group=group, message="Ik heb een schoffel.")
    assert isinstance(request, JoinRequest) and request.status == RequestStatus.PENDING
    [mail] = smtp_server.to(cast.applicant.email)
    assert "Ik heb een schoffel." in smtp_server.body(mail)
    refused("already_asked", services.join, actor=cast.neighbour, group=group)
    # only the contacts answer
    with pytest.raises(PermissionDenied):
        services.request_answer(actor=cast.neighbour, join_request=request, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_answer(actor=cast.applicant, join_request=request, accept=True)
    assert GroupMembership.objects.filter(group=group, user=cast.neighbour).exists()
    [answer] = smtp_server.to(cast.neighbour.email)
    assert "is geaccepteerd" in smtp_server.body(answer)
    refused(
        "request_decided",
        services.request_answer,
        actor=cast.applicant,
        join_request=request,
        accept=False,
    )


def test_a_declined_request_makes_no_member(
    cast: Cast, smtp_server, django_capture_on_commit_callbacks
) -> None:
    group = found(cast, JoinPolicy.ON_REQUEST)
    request = services.join(actor=cast.neighbour, group=group)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_answer(actor=cast.applicant, join_request=request, accept=False)
    assert not GroupMembership.objects.filter(group=group, user=cast.neighbour).exists()
    [answer] = smtp_server.to(cast.neighbour.email)
    assert "is afgewezen" in smtp_server.body(answer)


# ----- Invitations ---------------------------------------------------------------------------


def test_an_invitation_works_once_for_the_address_invited(
    cast: Cast, smtp_server, django_capture_on_commit_callbacks
) -> None:
    group = found(cast, JoinPolicy.INVITATION)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invite(
            actor=cast.applicant, group=group, email=cast.neighbour.email.upper()
        )
    assert invitation.token_hash == services.token_hash(token) and token not in str(
        GroupInvitation.objects.values_list()
    )
    [mail] = smtp_server.to(cast.neighbour.email)
    assert f"/groepen/uitnodiging/{token}/" in smtp_server.body(mail)
    refused("invitation_email", services.invitation_accept, actor=cast.broker, token=token)
    membership = services.invitation_accept(actor=cast.neighbour, token=token)
    assert membership.group == group and membership.role == GroupRole.MEMBER
    refused("invitation_used", services.invitation_accept, actor=cast.neighbour, token=token)
    refused("invitation_unknown", services.invitation_accept, actor=cast.neighbour, token="nee")


def test_an_expired_invitation_is_refused(cast: Cast) -> None:
    group = found(cast, JoinPolicy.INVITATION)
    invitation, token = services.invite(actor=cast.applicant, group=group, email="a@example.org")
    GroupInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    person = UserFactory(email="a@example.org")
    refused("invitation_expired", services.invitation_accept, actor=person, token=token)


def test_only_contacts_invite(cast: Cast) -> None:
    group = found(cast)
    services.join(actor=cast.neighbour, group=group)
    with pytest.raises(PermissionDenied):
        services.invite(actor=cast.neighbour, group=group, email="x@example.org")
    refused("bad_email", services.invite, actor=cast.applicant, group=group, email="geen adres")


# ----- Roles and leaving ---------------------------------------------------------------------


def test_the_last_contact_leaves_only_by_naming_a_successor(cast: Cast) -> None:
    group = found(cast)
    services.join(actor=cast.neighbour, group=group)
    refused("successor_invalid", services.leave, actor=cast.applicant, group=group)
    refused(
        "successor_invalid",
        services.leave,
        actor=cast.applicant,
        group=group,
        successor=cast.broker,
    )
    services.leave(actor=cast.applicant, group=group, successor=cast.neighbour)
    assert contacts(group) == {cast.neighbour.pk}
    assert not GroupMembership.objects.filter(group=group, user=cast.applicant).exists()


def test_the_only_member_cannot_leave_but_can_dissolve(cast: Cast) -> None:
    group = found(cast)
    refused("last_contact", services.leave, actor=cast.applicant, group=group)
    assert contacts(group) == {cast.applicant.pk}


def test_the_last_contact_steps_down_only_by_naming_another(cast: Cast) -> None:
    group = found(cast)
    member = services.join(actor=cast.neighbour, group=group)
    own = GroupMembership.objects.get(group=group, user=cast.applicant)
    refused("last_contact", services.set_role, actor=cast.applicant, membership=own, role="member")
    services.set_role(actor=cast.applicant, membership=member, role=GroupRole.TREASURER)
    assert GroupMembership.objects.get(pk=member.pk).role == GroupRole.TREASURER
    services.set_role(
        actor=cast.applicant, membership=own, role=GroupRole.MEMBER, successor=cast.neighbour
    )
    assert contacts(group) == {cast.neighbour.pk}


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["join", "leave", "role", "dissolve_never"]),
        st.integers(0, 4),
        st.integers(0, 4),
        st.sampled_from(GroupRole.values),
    ),
    max_size=12,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
@pytest.mark.django_db
def test_a_group_with_members_always_has_a_contact(cast: Cast, actions) -> None:
    """Whatever members join, leave and get roles (refused steps included), a living group with
    members has at least one contact, and contacts are members."""
    people = [cast.applicant, *(resident(cast, f"Bewoner {n}") for n in range(4))]
    group = found(cast, name=f"Groep {ResidentGroup.objects.count()}")
    for action, who, other, role in actions:
        actor, successor = people[who], people[other]
        try:
            if action == "join":
                services.join(actor=actor, group=group)
            elif action == "leave":
                services.leave(actor=actor, group=group, successor=successor)
            elif action == "role":
                membership = GroupMembership.objects.filter(group=group, user=successor).first()
                if membership is not None:
                    services.set_role(
                        actor=actor, membership=membership, role=role, successor=people[who]
                    )
        except (GroupRefused, PermissionDenied, RateLimited):
            pass
        members = GroupMembership.objects.filter(group=group)
        assert not members.exists() or members.filter(role=GroupRole.CONTACT).exists()


# ----- The contact form ----------------------------------------------------------------------


def test_a_message_reaches_each_contact_with_reply_to_the_sender_and_no_address_shown(
    cast: Cast, smtp_server, django_capture_on_commit_callbacks
) -> None:
    group = found(cast)
    second = services.join(actor=cast.neighbour, group=group)
    services.set_role(actor=cast.applicant, membership=second, role=GroupRole.CONTACT)
    with django_capture_on_commit_callbacks(execute=True):
        services.contact(
            actor=None,
            group=group,
            data=services.ContactData("Els Vraag", "els@example.org", "Mag ik komen kijken?"),
            client="192.0.2.1",
        )
    mails = smtp_server.messages
    assert sorted(m["To"] for m in mails) == sorted(
        [
            f"{cast.applicant.full_name} <{cast.applicant.email}>",
            f"{cast.neighbour.full_name} <{cast.neighbour.email}>",
        ]
    )
    for mail in mails:
        assert mail["Reply-To"] == "els@example.org"
        body = smtp_server.body(mail)
        assert "Mag ik komen kijken?" in body
        # neither contact's address is in the other's mail
        assert cast.applicant.email not in body and cast.neighbour.email not in body
    assert AuditEvent.objects.get(action="group.contact").after["message"] == (
        ContactMessage.objects.get().pk
    )


def test_the_contact_form_is_rate_limited_per_address(cast: Cast) -> None:
    group = found(cast)
    data = services.ContactData("Els", "els@example.org", "Hallo")
    for _ in range(3):
        services.contact(actor=None, group=group, data=data, client="192.0.2.9")
    with pytest.raises(RateLimited):
        services.contact(actor=None, group=group, data=data, client="192.0.2.9")
    assert ContactMessage.objects.count() == 3


@pytest.mark.parametrize(
    ("name", "email", "message", "code"),
    [
        ("Els", "els@example.org", "<script>x</script>", "markup"),
        ("", "els@example.org", "Hallo", "name_required"),
        ("Els", "geen-adres", "Hallo", "bad_email"),
        ("Els", "els@example.org", "   ", "message_required"),
        ("Els", "els@example.org", "x" * 2001, "too_long"),
    ],
)
def test_bad_contact_messages_are_refused(cast: Cast, name, email, message, code) -> None:
    group = found(cast)
    refused(
        code,
        services.contact,
        actor=None,
        group=group,
        data=services.ContactData(name, email, message),
    )
    assert not ContactMessage.objects.exists()


# ----- Community worker ----------------------------------------------------------------------


def test_a_community_worker_links_themself_and_a_broker_links_them(cast: Cast) -> None:
    group = found(cast)
    worker = cast.community_worker  # of Dorst, around Dorst-Zuid
    services.worker_link(actor=worker, group=group, worker=worker)
    assert ResidentGroup.objects.get(pk=group.pk).community_worker == worker
    services.worker_unlink(actor=cast.broker, group=group)
    services.worker_link(actor=cast.broker, group=group, worker=worker)
    assert ResidentGroup.objects.get(pk=group.pk).community_worker == worker
    # a resident is no community worker; a worker elsewhere is not this area's
    refused(
        "not_a_worker", services.worker_link, actor=cast.broker, group=group, worker=cast.neighbour
    )
    elsewhere = official(Role.COMMUNITY_WORKER, area=cast.other_district)
    refused("not_a_worker", services.worker_link, actor=cast.broker, group=group, worker=elsewhere)
    with pytest.raises(PermissionDenied):
        services.worker_link(actor=cast.applicant, group=group, worker=worker)
    other_worker = official(Role.COMMUNITY_WORKER, area=cast.neighbourhood)
    refused("worker_self", services.worker_link, actor=worker, group=group, worker=other_worker)


# ----- Dissolving ----------------------------------------------------------------------------


def test_dissolving_keeps_the_name_and_removes_the_members_data(
    cast: Cast, smtp_server, django_capture_on_commit_callbacks
) -> None:
    from wijkwerk.follows.services import follow

    group = found(cast, JoinPolicy.ON_REQUEST)
    services.set_name_shown(actor=cast.applicant, group=group, shown=True)
    services.join(actor=cast.neighbour, group=group)
    services.invite(actor=cast.applicant, group=group, email="later@example.org")
    services.contact(
        actor=None, group=group, data=services.ContactData("Els", "els@example.org", "Hoi")
    )
    fan = resident(cast, "Frank Volger")
    follow(fan, group, frequency="immediate")
    with pytest.raises(PermissionDenied):
        services.dissolve(actor=cast.neighbour, group=group)
    with django_capture_on_commit_callbacks(execute=True):
        services.dissolve(actor=cast.applicant, group=group)
    group.refresh_from_db()
    assert group.dissolved_at is not None and group.name == "Moestuin Dorst-Zuid"
    assert not GroupMembership.objects.filter(group=group).exists()
    assert not JoinRequest.objects.filter(group=group).exists()
    assert not GroupInvitation.objects.filter(group=group).exists()
    assert not ContactMessage.objects.filter(group=group).exists()
    event = AuditEvent.objects.get(action="group.dissolve")
    assert event.actor == cast.applicant and event.before["members"] == 1
    [told] = smtp_server.to(fan.email)
    assert "is opgeheven" in smtp_server.body(told)
    refused("dissolved", services.join, actor=cast.neighbour, group=group)
    with pytest.raises(PermissionDenied):
        services.dissolve(actor=cast.admin, group=group)


def test_the_administrator_dissolves_a_group(cast: Cast) -> None:
    group = found(cast)
    services.dissolve(actor=cast.admin, group=group)
    assert AuditEvent.objects.get(action="group.dissolve").actor == cast.admin
