"""Who holds what: roles (who works for the municipality where) and memberships of councils and
resident groups. Both decide what a person may do (`roles.role_index` reads them), so every
change to either lives here and forgets the cached index (docs/adr/004-layers.md).

The scope rule (area roles need an area of the municipality, municipality-wide roles have none) is
also a database constraint; checking it here first turns a violation into a clear message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wijkwerk.areas.models import (
    Area,
    AreaCouncil,
    CouncilMembership,
    CouncilPosition,
    GroupMembership,
    Municipality,
    ResidentGroup,
)
from wijkwerk.core.audit import record, snapshot

from .audit_actions import AccountAction
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
    record(
        actor=actor, action=AccountAction.ROLE_ASSIGN, instance=assignment, after=_state(assignment)
    )
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
    record(actor=actor, action=AccountAction.ROLE_REVOKE, instance=assignment, before=before)
    assignment.delete()
    forget_roles(assignment.user)


PERSON_FIELDS = ("email", "full_name", "home_area", "expertise")


@transaction.atomic
def person_create(
    *,
    actor: Any,
    email: str,
    full_name: str = "",
    home_area: Area | None = None,
    expertise: str = "",
    password_hash: str = "",
    email_verified: bool = False,
) -> User:
    """A person added by the platform (the demo, an import) rather than by signing up; their
    address counts as confirmed when `email_verified` (the one who adds them checked it)."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("You may not add people."))
    email = User.objects.normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": [_("There is already an account for %(email)s.") % {"email": email}]}
        )
    user = User(email=email, full_name=full_name, home_area=home_area, expertise=expertise)
    user.password = password_hash
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    record(
        actor=actor,
        action=AccountAction.PERSON_CREATE,
        instance=user,
        after={**snapshot(user, PERSON_FIELDS), "email_verified": email_verified},
    )
    return user


def _require_area_manager(actor: Any, area: Area) -> None:
    if not actor.has_perm("areas.manage_area", area):
        raise PermissionDenied(_("You may not change this."))


# ----- Memberships -------------------------------------------------------------------------------


def _membership_state(
    membership: CouncilMembership | GroupMembership, area: Area
) -> dict[str, Any]:
    if isinstance(membership, CouncilMembership):
        state = snapshot(membership, ("council", "user", "position", "since"))
    else:
        state = snapshot(membership, ("group", "user", "is_contact"))
    return {**state, "person": membership.user.email, "municipality": area.municipality_id}


@transaction.atomic
def council_member_add(
    *,
    actor: Any,
    council: AreaCouncil,
    user: User,
    position: str = CouncilPosition.MEMBER,
    since: date | None = None,
) -> CouncilMembership:
    _require_area_manager(actor, council.area)
    if position not in CouncilPosition.values:
        raise ValidationError({"position": [_("Choose a position from the list.")]})
    if CouncilMembership.objects.filter(council=council, user=user).exists():
        raise ValidationError(
            {"email": [_("%(person)s is already a member of this council.") % {"person": user}]}
        )
    membership = CouncilMembership.objects.create(
        council=council, user=user, position=position, since=since
    )
    record(
        actor=actor,
        action=AccountAction.COUNCIL_MEMBER_ADD,
        instance=membership,
        after=_membership_state(membership, council.area),
    )
    forget_roles(user)
    return membership


@transaction.atomic
def council_member_remove(*, actor: Any, membership: CouncilMembership) -> None:
    area = membership.council.area
    _require_area_manager(actor, area)
    before = _membership_state(membership, area)
    record(
        actor=actor, action=AccountAction.COUNCIL_MEMBER_REMOVE, instance=membership, before=before
    )
    membership.delete()
    forget_roles(membership.user)


@transaction.atomic
def group_member_add(
    *, actor: Any, group: ResidentGroup, user: User, is_contact: bool = False
) -> GroupMembership:
    _require_area_manager(actor, group.area)
    if GroupMembership.objects.filter(group=group, user=user).exists():
        raise ValidationError(
            {"email": [_("%(person)s is already a member of this group.") % {"person": user}]}
        )
    membership = GroupMembership.objects.create(group=group, user=user, is_contact=is_contact)
    record(
        actor=actor,
        action=AccountAction.GROUP_MEMBER_ADD,
        instance=membership,
        after=_membership_state(membership, group.area),
    )
    return membership


@transaction.atomic
def group_member_remove(*, actor: Any, membership: GroupMembership) -> None:
    area = membership.group.area
    _require_area_manager(actor, area)
    before = _membership_state(membership, area)
    record(
        actor=actor, action=AccountAction.GROUP_MEMBER_REMOVE, instance=membership, before=before
    )
    membership.delete()
