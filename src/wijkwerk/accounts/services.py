"""Who holds what: roles (who works for the municipality where) and memberships of councils and
resident groups. Both decide what a person may do (`roles.role_index` reads them), so every
change to either lives here and forgets the cached index (docs/adr/004-layers.md).

The scope rule (area roles need an area of the municipality, municipality-wide roles have none) is
also a database constraint; checking it here first turns a violation into a clear message.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijkwerk.areas.models import (
    Area,
    AreaCouncil,
    CouncilMembership,
    CouncilPosition,
    GroupMembership,
    GroupRole,
    Municipality,
    ResidentGroup,
)
from wijkwerk.core import notifications, ratelimit
from wijkwerk.core.audit import record, snapshot

from .audit_actions import AccountAction
from .models import AREA_ROLES, Role, RoleAssignment, RoleInvitation, User
from .notifications import INVITATION_EVENT
from .roles import forget_roles
from .selectors import token_hash

ASSIGNMENT_FIELDS = ("user", "role", "municipality", "area", "public_contact")
PUBLIC_CONTACT_MAX_LENGTH = 200


def _state(assignment: RoleAssignment) -> dict[str, Any]:
    return {**snapshot(assignment, ASSIGNMENT_FIELDS), "person": assignment.user.email}


def _scope_errors(
    role: str, municipality: Municipality, area: Area | None, public_contact: str
) -> tuple[dict[str, list[str]], str]:
    """What is wrong with a role for this municipality and area (the scope rule), and the public
    contact route with its spaces tidied."""
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
    return errors, public_contact


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
    errors, public_contact = _scope_errors(role, municipality, area, public_contact)
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
        state = snapshot(membership, ("group", "user", "role"))
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
    *, actor: Any, group: ResidentGroup, user: User, role: str = GroupRole.MEMBER
) -> GroupMembership:
    _require_area_manager(actor, group.area)
    if GroupMembership.objects.filter(group=group, user=user).exists():
        raise ValidationError(
            {"email": [_("%(person)s is already a member of this group.") % {"person": user}]}
        )
    if role not in GroupRole.values:
        raise ValidationError({"role": [_("Choose a role from the list.")]})
    membership = GroupMembership.objects.create(group=group, user=user, role=role)
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


# ----- Invitations -------------------------------------------------------------------------------

# How long an invitation link works.
INVITATION_DAYS = 14
INVITATION_FIELDS = ("email", "role", "municipality", "area", "public_contact", "expires_at")


class InvitationRefused(ValidationError):
    """An invitation that cannot be accepted (now, or by this person); the message says why.

    Codes: `unknown` (no such link), `used` (accepted before), `expired`, `wrong_email` (logged in
    with another address than the one invited), `unverified` (the address is not confirmed yet),
    `inviter_gone` (whoever invited may no longer assign roles there)."""


def _invitation_state(invitation: RoleInvitation) -> dict[str, Any]:
    return snapshot(invitation, INVITATION_FIELDS)


@transaction.atomic
def invitation_send(
    *,
    actor: Any,
    email: str,
    role: str,
    municipality: Municipality,
    area: Area | None = None,
    public_contact: str = "",
) -> tuple[RoleInvitation, str]:
    """Invite the person with this address to take up a role; returns the invitation and its
    token (the only time it exists outside the mail). The role is assigned when they accept."""
    if not actor.has_perm("areas.manage_municipality", municipality):
        raise PermissionDenied(_("You may not assign roles in this municipality."))
    email = User.objects.normalize_email((email or "").strip())
    errors, public_contact = _scope_errors(role, municipality, area, public_contact)
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if errors:
        raise ValidationError(errors)
    person = User.objects.filter(email__iexact=email).first()
    if (
        person is not None
        and RoleAssignment.objects.filter(
            user=person, role=role, municipality=municipality, area=area
        ).exists()
    ):
        raise ValidationError(
            {"email": [_("%(person)s already has this role here.") % {"person": person}]}
        )
    # Refused when sent too often: nothing is saved and no one is mailed.
    ratelimit.limit(actor, "role_invite", mails_to=[person.pk if person else None])
    token = secrets.token_urlsafe(32)
    invitation = RoleInvitation.objects.create(
        email=email,
        role=role,
        municipality=municipality,
        area=area,
        public_contact=public_contact,
        token_hash=token_hash(token),
        invited_by=actor if getattr(actor, "pk", None) else None,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    record(
        actor=actor,
        action=AccountAction.ROLE_INVITE,
        instance=invitation,
        after=_invitation_state(invitation),
    )
    notifications.notify(
        INVITATION_EVENT,
        recipients=[
            notifications.Recipient(
                email=email,
                language=person.language if person else (translation.get_language() or "nl"),
                user=person,
            )
        ],
        context={"invitation": invitation, "token": token},
    )
    return invitation, token


def _refuse(message: str, code: str) -> InvitationRefused:
    return InvitationRefused(message, code=code)


def invitation_check(invitation: RoleInvitation | None, person: Any = None) -> None:
    """Raise InvitationRefused when the invitation cannot be accepted (by `person`, if given)."""
    if invitation is None:
        raise _refuse(
            _(
                "This invitation link is not valid. Check that you used the whole link from the "
                "e-mail, or ask the municipality for a new invitation."
            ),
            "unknown",
        )
    if invitation.accepted_at is not None:
        raise _refuse(
            _("This invitation has already been accepted. An invitation can be used only once."),
            "used",
        )
    if invitation.expires_at <= timezone.now():
        raise _refuse(
            _("This invitation expired on %(date)s. Ask the municipality for a new invitation.")
            % {"date": date_format(timezone.localtime(invitation.expires_at), "j F Y")},
            "expired",
        )
    if person is None:
        return
    if person.email.casefold() != invitation.email.casefold():
        raise _refuse(
            _(
                "This invitation was sent to %(invited)s, but you are logged in as %(current)s. "
                "Log out, then log in or create an account with %(invited)s."
            )
            % {"invited": invitation.email, "current": person.email},
            "wrong_email",
        )
    if not EmailAddress.objects.filter(
        user=person, email__iexact=invitation.email, verified=True
    ).exists():
        raise _refuse(
            _("Confirm your e-mail address first, with the link in the mail we sent you."),
            "unverified",
        )


@transaction.atomic
def invitation_accept(*, actor: Any, token: str) -> RoleAssignment:
    """The invited person, logged in with the address invited, takes up the role: it is assigned
    through `role_assign` on behalf of the administrator who invited (who must still be one),
    and the invitation is used up."""
    invitation = (
        RoleInvitation.objects.select_for_update(of=("self",))
        .select_related("municipality", "area", "invited_by")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    invitation_check(invitation, actor)
    assert invitation is not None  # invitation_check refuses a missing one
    inviter = invitation.invited_by
    if (
        inviter is None
        or not inviter.is_active
        or not inviter.has_perm("areas.manage_municipality", invitation.municipality)
    ):
        raise _refuse(
            _(
                "Whoever invited you can no longer assign roles in %(municipality)s. Ask the "
                "municipality for a new invitation."
            )
            % {"municipality": invitation.municipality},
            "inviter_gone",
        )
    assignment = role_assign(
        actor=inviter,
        user=actor,
        role=invitation.role,
        municipality=invitation.municipality,
        area=invitation.area,
        public_contact=invitation.public_contact,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        actor=actor,
        action=AccountAction.ROLE_INVITATION_ACCEPT,
        instance=invitation,
        after={**_invitation_state(invitation), "person": actor.email},
    )
    return assignment


@transaction.atomic
def invitation_withdraw(*, actor: Any, invitation: RoleInvitation) -> None:
    """Take back an invitation not yet accepted (sent to a wrong address, or no longer
    needed): its link stops working."""
    locked = (
        RoleInvitation.objects.select_for_update(of=("self",))
        .select_related("municipality", "area")
        .filter(pk=invitation.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This invitation has already been withdrawn."), code="gone")
    invitation = locked
    if not actor.has_perm("areas.manage_municipality", invitation.municipality):
        raise PermissionDenied(_("You may not assign roles in this municipality."))
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("This invitation has already been accepted: revoke the role instead."),
            code="used",
        )
    record(
        actor=actor,
        action=AccountAction.ROLE_INVITATION_WITHDRAW,
        instance=invitation,
        before=_invitation_state(invitation),
    )
    invitation.delete()


# ----- Deactivating accounts ---------------------------------------------------------------------


def _require_manages_person(actor: Any, person: User, municipality: Municipality) -> None:
    """An administrator manages the accounts of the people who hold a role in their
    municipality; the accounts of superusers only a superuser."""
    if not actor.has_perm("areas.manage_municipality", municipality):
        raise PermissionDenied(_("You may not change accounts in this municipality."))
    works_here = RoleAssignment.objects.filter(user=person, municipality=municipality).exists()
    if not works_here or (person.is_superuser and not getattr(actor, "is_superuser", False)):
        raise PermissionDenied(_("You may not change this account."))


def _end_sessions(person: User) -> int:
    """Log the person out everywhere: delete their sessions (in the database, see settings)."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(person.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def person_deactivate(*, actor: Any, person: User, municipality: Municipality) -> None:
    """Switch the account off: the person can no longer log in and is logged out everywhere.
    Their roles stay (for the record and a reactivation) but give them nothing."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _require_manages_person(actor, person, municipality)
    if person.pk == getattr(actor, "pk", None):
        raise ValidationError(
            _("You cannot deactivate your own account; ask another administrator."), code="self"
        )
    if not person.is_active:
        raise ValidationError(_("This account is already deactivated."), code="inactive")
    person.is_active = False
    person.save(update_fields=["is_active"])
    _end_sessions(person)
    record(
        actor=actor,
        action=AccountAction.PERSON_DEACTIVATE,
        instance=person,
        before={"is_active": True, "email": person.email},
        after={"is_active": False, "email": person.email},
        municipality_id=municipality.pk,
    )
    forget_roles(person)


@transaction.atomic
def person_reactivate(*, actor: Any, person: User, municipality: Municipality) -> None:
    person = User.objects.select_for_update().get(pk=person.pk)
    _require_manages_person(actor, person, municipality)
    if person.is_active:
        raise ValidationError(_("This account is already active."), code="active")
    person.is_active = True
    person.save(update_fields=["is_active"])
    record(
        actor=actor,
        action=AccountAction.PERSON_REACTIVATE,
        instance=person,
        before={"is_active": False, "email": person.email},
        after={"is_active": True, "email": person.email},
        municipality_id=municipality.pk,
    )
