"""Assigning and revoking roles: who works for the municipality where.

The scope rule (area roles need an area of the municipality, municipality-wide roles have none) is
also a database constraint; checking it here first turns a violation into a clear message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core.audit import record, snapshot

from .models import AREA_ROLES, Role, RoleAssignment, User
from .roles import forget_roles

ASSIGNMENT_FIELDS = ("user", "role", "municipality", "area", "public_contact")
PUBLIC_CONTACT_MAX_LENGTH = 200


def _state(assignment: RoleAssignment) -> dict[str, Any]:
    return {**snapshot(assignment, ASSIGNMENT_FIELDS), "person": assignment.user.email}


@transaction.atomic
def role_assign(
    *,
    actor: Any,
    user: User,
    role: str,
    municipality: Municipality,
    area: Area | None = None,
    public_contact: str = "",
) -> RoleAssignment:
    if not actor.has_perm("areas.manage_municipality", municipality):
        raise PermissionDenied(_("You may not assign roles in this municipality."))
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Choose a role from the list.")]
    elif role in AREA_ROLES:
        if area is None:
            errors["area"] = [_("This role is held for an area: choose the area.")]
        elif area.municipality_id != municipality.pk:
            errors["area"] = [_("Choose an area of this municipality.")]
    elif area is not None:
        errors["area"] = [_("This role holds for the whole municipality: leave the area empty.")]
    public_contact = " ".join((public_contact or "").split())
    if len(public_contact) > PUBLIC_CONTACT_MAX_LENGTH:
        errors["public_contact"] = [
            _("The contact route can be at most %(max)d characters.")
            % {"max": PUBLIC_CONTACT_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    duplicate = RoleAssignment.objects.filter(
        user=user, role=role, municipality=municipality, area=area
    )
    if duplicate.exists():
        raise ValidationError(
            _("%(person)s already has this role here.") % {"person": user}, code="duplicate"
        )
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                user=user,
                role=role,
                municipality=municipality,
                area=area,
                public_contact=public_contact,
            )
    except IntegrityError:
        # Assigned by someone else at the same moment: the unique constraint decides.
        raise ValidationError(
            _("%(person)s already has this role here.") % {"person": user}, code="duplicate"
        ) from None
    record(actor=actor, action="role.assign", instance=assignment, after=_state(assignment))
    forget_roles(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    """End a role. The last administrator of a municipality cannot be revoked: nobody could then
    manage it from the back office.

    The assignment and the municipality's administrators are locked in one statement, in the
    order of their primary keys: two administrators revoking each other at the same moment then
    wait for one another instead of each holding what the other needs (a deadlock). The second
    one sees the first one's result: refused when the last administrator would go, or when its
    own role has just been revoked."""
    locked = {
        # Lock only the assignments: PostgreSQL cannot lock the nullable side of the area join.
        row.pk: row
        for row in RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "municipality", "area")
        .filter(
            Q(pk=assignment.pk) | Q(municipality_id=assignment.municipality_id, role=Role.ADMIN)
        )
        .order_by("pk")
    }
    if assignment.pk not in locked:
        raise ValidationError(_("This role has already been revoked."), code="gone")
    assignment = locked[assignment.pk]
    if not actor.has_perm("areas.manage_municipality", assignment.municipality):
        raise PermissionDenied(_("You may not revoke roles in this municipality."))
    if assignment.role == Role.ADMIN:
        admins = [
            row
            for row in locked.values()
            if row.role == Role.ADMIN and row.municipality_id == assignment.municipality_id
        ]
        if len(admins) <= 1:
            raise ValidationError(
                _("This is the last administrator of %(municipality)s; assign another first.")
                % {"municipality": assignment.municipality},
                code="last_admin",
            )
    before = _state(assignment)
    record(actor=actor, action="role.revoke", instance=assignment, before=before)
    assignment.delete()
    forget_roles(assignment.user)
