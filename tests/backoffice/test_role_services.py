"""Role assignment and revocation: scope rules, duplicates, last admin, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.accounts.roles import role_index
from wijkwerk.accounts.services import role_assign, role_revoke
from wijkwerk.core.models import AuditEvent

from ..accounts.factories import official
from ..cast import Cast


@pytest.fixture
def oosterhout(cast: Cast):
    return cast.municipality


@pytest.fixture
def admin(cast: Cast):
    return cast.admin


def role_pks() -> set[int]:
    return set(RoleAssignment.objects.values_list("pk", flat=True))


def test_assign_broker_to_area_is_recorded(cast, oosterhout, admin):
    area = cast.neighbourhood  # Dorst-Zuid: no broker of its own yet
    person = cast.neighbour
    assert not role_index(person).holds_for_area(Role.BROKER, [area.pk])
    assignment = role_assign(
        actor=admin,
        user=person,
        role=Role.BROKER,
        municipality=oosterhout,
        area=area,
        public_contact="  wijkmakelaar@oosterhout.nl ",
    )
    assert assignment.public_contact == "wijkmakelaar@oosterhout.nl"
    assert role_index(person).holds_for_area(Role.BROKER, [area.pk])
    event = AuditEvent.objects.get(action="role.assign")
    assert event.after == {
        "user": person.pk,
        "role": "broker",
        "municipality": oosterhout.pk,
        "area": area.pk,
        "public_contact": "wijkmakelaar@oosterhout.nl",
        "person": person.email,
    }


@pytest.mark.parametrize(
    ("role", "with_area", "field"),
    [
        (Role.BROKER, False, "area"),
        (Role.CLERK, True, "area"),
        ("emperor", False, "role"),
    ],
)
def test_scope_must_match_the_role(cast, oosterhout, admin, role, with_area, field):
    area = cast.neighbourhood if with_area else None
    before = role_pks()
    with pytest.raises(ValidationError) as raised:
        role_assign(actor=admin, user=cast.neighbour, role=role, municipality=oosterhout, area=area)
    assert field in raised.value.message_dict
    assert role_pks() == before
    assert not RoleAssignment.objects.filter(user=cast.neighbour).exists()


def test_area_of_another_municipality_is_refused(cast, oosterhout, admin):
    with pytest.raises(ValidationError) as raised:
        role_assign(
            actor=admin,
            user=cast.neighbour,
            role=Role.BROKER,
            municipality=oosterhout,
            area=cast.lith,
        )
    assert "area" in raised.value.message_dict
    assert not RoleAssignment.objects.filter(user=cast.neighbour).exists()


def test_duplicate_assignment_is_a_validation_error(cast, oosterhout, admin):
    person = cast.neighbour
    role_assign(actor=admin, user=person, role=Role.CLERK, municipality=oosterhout)
    with pytest.raises(ValidationError, match="already has this role"):
        role_assign(actor=admin, user=person, role=Role.CLERK, municipality=oosterhout)
    assert AuditEvent.objects.filter(action="role.assign").count() == 1


def test_too_long_contact_route_is_refused(cast, oosterhout, admin):
    with pytest.raises(ValidationError) as raised:
        role_assign(
            actor=admin,
            user=cast.neighbour,
            role=Role.CLERK,
            municipality=oosterhout,
            public_contact="x" * 201,
        )
    assert "public_contact" in raised.value.message_dict


def test_only_the_municipality_admin_assigns(cast, oosterhout):
    before = role_pks()
    for actor in (cast.oss_admin, cast.clerk, cast.broker):
        with pytest.raises(PermissionDenied):
            role_assign(actor=actor, user=cast.neighbour, role=Role.CLERK, municipality=oosterhout)
    assert role_pks() == before


def test_revoke_records_before_state(cast, oosterhout, admin):
    assignment = role_assign(
        actor=admin, user=cast.neighbour, role=Role.CLERK, municipality=oosterhout
    )
    role_revoke(actor=admin, assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.get(action="role.revoke")
    assert event.before["role"] == "clerk" and event.after is None


def test_last_admin_cannot_be_revoked(oosterhout, admin):
    own = RoleAssignment.objects.get(user=admin)
    with pytest.raises(ValidationError, match="last administrator"):
        role_revoke(actor=admin, assignment=own)
    second = official(Role.ADMIN, municipality=oosterhout)
    role_revoke(actor=second, assignment=own)
    assert not RoleAssignment.objects.filter(pk=own.pk).exists()
