"""Writes of resident groups' self-service: one transaction each, the policy's check, an audit
event, mail queued on commit. A refused write saves nothing (`GroupRefused`, `RateLimited`,
`PermissionDenied`).

The rule that holds after every write: a living group with members has at least one contact.
Founding makes the founder contact; the last contact can leave or step down only by naming
another member, who becomes contact in the same transaction (the group's memberships are
locked while the roles change, so two contacts stepping down at once cannot leave none).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijkwerk.accounts.models import Role, User
from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import (
    Area,
    GroupMembership,
    GroupRole,
    JoinPolicy,
    ResidentGroup,
)
from wijkwerk.areas.services import group_name_error, group_name_taken
from wijkwerk.core import audit, notifications, ratelimit
from wijkwerk.follows.services import notify_followers

from .audit_actions import GroupAction
from .models import (
    DESCRIPTION_MAX,
    MESSAGE_MAX,
    ContactMessage,
    GroupInvitation,
    JoinRequest,
    RequestStatus,
)
from .notifications import (
    CONTACT_MESSAGE,
    DISSOLVED,
    INVITED,
    JOIN_REQUESTED,
    REQUEST_ANSWERED,
    replying_to,
)
from .refusals import GroupRefused

# "<b", "</p", "<script", "<!--": text that reads as HTML. Groups' texts are plain text.
_MARKUP = re.compile(r"<\s*[/!]?\s*[a-zA-Z!]")
NAME_MAX = 150
INTEREST_MAX = 150
SENDER_NAME_MAX = 120
INVITATION_DAYS = 14
GROUP_FIELDS = ("area", "name", "description", "interest", "join_policy", "community_worker")


def _plain(**texts: str) -> None:
    for text in texts.values():
        if _MARKUP.search(text or ""):
            raise GroupRefused(
                _("Write plain text, without HTML such as <script> or <b>."), code="markup"
            )


def _at_most(text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        raise GroupRefused(
            _("%(what)s can be at most %(max)d characters (this one has %(length)d).")
            % {"what": what, "max": limit, "length": len(text)},
            code="too_long",
        )


def _require(actor: Any, perm: str, group: ResidentGroup) -> None:
    if not actor.has_perm(perm, group):
        raise PermissionDenied(_("You may not do this for this group."))


def _living(group: ResidentGroup) -> None:
    if group.dissolved_at is not None:
        raise GroupRefused(_("This group has been dissolved."), code="dissolved")


def _state(group: ResidentGroup) -> dict[str, Any]:
    return {
        **audit.snapshot(group, GROUP_FIELDS),
        "municipality": group.area.municipality_id,
    }


def _membership_state(membership: GroupMembership) -> dict[str, Any]:
    return {
        **audit.snapshot(membership, ("group", "user", "role")),
        "person": membership.user.display_name,
    }


def _locked(group: ResidentGroup) -> ResidentGroup:
    """The group again, locked for this transaction, with its area's lineage."""
    return (
        ResidentGroup.objects.select_for_update(of=("self",))
        .select_related("area__parent__parent", "area__municipality")
        .get(pk=group.pk)
    )


def _contact_ids(group: ResidentGroup) -> list[int]:
    return list(
        GroupMembership.objects.filter(group=group, role=GroupRole.CONTACT)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )


# ----- Founding and changing -------------------------------------------------------------------


@dataclass
class GroupData:
    area: Area
    name: str
    description: str = ""
    interest: str = ""
    join_policy: str = JoinPolicy.OPEN


def _clean(data: GroupData, *, group: ResidentGroup | None) -> GroupData:
    name = " ".join((data.name or "").split())
    description = (data.description or "").strip()
    interest = " ".join((data.interest or "").split())
    _plain(name=name, description=description, interest=interest)
    if not name:
        raise GroupRefused(_("Give the group a name."), code="name_required")
    _at_most(name, NAME_MAX, _("A name"))
    _at_most(interest, INTEREST_MAX, _("A theme"))
    _at_most(description, DESCRIPTION_MAX, _("A description"))
    if data.join_policy not in JoinPolicy.values:
        raise GroupRefused(_("Choose how people join the group."), code="bad_policy")
    if group_name_taken(data.area, name, exclude=group.pk if group else None):
        raise GroupRefused(group_name_error(name, data.area).messages[0], code="duplicate_name")
    return GroupData(data.area, name, description, interest, data.join_policy)


def _resident_municipality_id(actor: Any) -> int:
    if actor.home_area_id is None:
        raise GroupRefused(
            _(
                "Choose the area you live in on your profile first: a group lies in your "
                "municipality."
            ),
            code="no_home_area",
        )
    return int(Area.objects.values_list("municipality_id", flat=True).get(pk=actor.home_area_id))


def group_found(*, actor: Any, data: GroupData) -> ResidentGroup:
    """A resident founds a group around a street, an area or a theme; they become its contact."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if data.area.municipality_id != _resident_municipality_id(actor):
        raise GroupRefused(_("Choose an area of your own municipality."), code="area_elsewhere")
    clean = _clean(data, group=None)
    try:
        with transaction.atomic():
            group = ResidentGroup.objects.create(
                area=clean.area,
                name=clean.name,
                description=clean.description,
                interest=clean.interest,
                join_policy=clean.join_policy,
            )
            membership = GroupMembership.objects.create(
                group=group, user=actor, role=GroupRole.CONTACT, name_shown=True
            )
            audit.record(actor=actor, action=GroupAction.FOUND, instance=group, after=_state(group))
            audit.record(
                actor=actor,
                action=GroupAction.JOIN,
                instance=membership,
                after=_membership_state(membership),
                municipality_id=group.area.municipality_id,
            )
    except IntegrityError:  # the same name founded twice at once
        raise GroupRefused(
            group_name_error(clean.name, clean.area).messages[0], code="duplicate_name"
        ) from None
    return group


def group_change(*, actor: Any, group: ResidentGroup, data: GroupData) -> ResidentGroup:
    """The contacts (or the administrator) change the group's name, description, theme or how
    people join; the area stays (it decides who may see and help the group)."""
    _require(actor, "groups.manage_group", group)
    clean = _clean(
        GroupData(group.area, data.name, data.description, data.interest, data.join_policy),
        group=group,
    )
    try:
        with transaction.atomic():
            group = _locked(group)
            _living(group)
            before = _state(group)
            group.name, group.description = clean.name, clean.description
            group.interest, group.join_policy = clean.interest, clean.join_policy
            after = _state(group)
            if after != before:
                group.save(update_fields=["name", "description", "interest", "join_policy"])
                audit.record(
                    actor=actor,
                    action=GroupAction.CHANGE,
                    instance=group,
                    before=before,
                    after=after,
                )
    except IntegrityError:
        raise GroupRefused(
            group_name_error(clean.name, clean.area).messages[0], code="duplicate_name"
        ) from None
    return group


# ----- Joining ---------------------------------------------------------------------------------


def _refuse_member(group: ResidentGroup, actor: Any) -> None:
    if GroupMembership.objects.filter(group=group, user_id=actor.pk).exists():
        raise GroupRefused(_("You are a member of this group already."), code="already_member")


def _add_member(
    group: ResidentGroup, user: Any, actor: Any, *, action: str = GroupAction.JOIN
) -> GroupMembership:
    membership = GroupMembership.objects.create(group=group, user=user, role=GroupRole.MEMBER)
    audit.record(
        actor=actor,
        action=action,
        instance=membership,
        after=_membership_state(membership),
        municipality_id=group.area.municipality_id,
    )
    return membership


def invitation_only_message() -> str:
    return _(
        "This group takes new members only by invitation. Use the contact form to ask the "
        "group's contact persons for an invitation."
    )


@transaction.atomic
def join(*, actor: Any, group: ResidentGroup, message: str = "") -> GroupMembership | JoinRequest:
    """Open group: the resident is a member at once. On request: a request the contacts answer
    (they are mailed). Invitation only: refused (`invitation_only`)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    group = _locked(group)
    _living(group)
    _refuse_member(group, actor)
    if group.join_policy == JoinPolicy.INVITATION:
        raise GroupRefused(invitation_only_message(), code="invitation_only")
    if group.join_policy == JoinPolicy.OPEN:
        return _add_member(group, actor, actor)
    message = (message or "").strip()
    _plain(message=message)
    _at_most(message, MESSAGE_MAX, _("A message"))
    if JoinRequest.objects.filter(
        group=group, user_id=actor.pk, status=RequestStatus.PENDING
    ).exists():
        raise GroupRefused(
            _("You asked to join this group already; the contact persons will answer."),
            code="already_asked",
        )
    contacts = _contact_ids(group)
    ratelimit.limit(actor, "group_join", mails_to=contacts)
    request = JoinRequest.objects.create(group=group, user=actor, message=message)
    audit.record(
        actor=actor,
        action=GroupAction.REQUEST,
        instance=request,
        after={"group": group.pk, "person": actor.display_name, "message": request.pk},
        municipality_id=group.area.municipality_id,
    )
    notifications.notify(
        JOIN_REQUESTED, recipients=contacts, context={"group": group, "join_request": request}
    )
    return request


@transaction.atomic
def request_answer(*, actor: Any, join_request: JoinRequest, accept: bool) -> JoinRequest:
    """A contact accepts (the resident becomes a member) or declines; the resident is mailed."""
    group = _locked(join_request.group)
    _require(actor, "groups.manage_group", group)
    request = JoinRequest.objects.select_for_update().select_related("user").get(pk=join_request.pk)
    if request.status != RequestStatus.PENDING:
        raise GroupRefused(_("This request has been answered already."), code="request_decided")
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.decided_at = timezone.now()
    request.decided_by = actor if getattr(actor, "pk", None) else None
    request.save(update_fields=["status", "decided_at", "decided_by"])
    if accept and not GroupMembership.objects.filter(group=group, user=request.user).exists():
        _add_member(group, request.user, actor)
    audit.record(
        actor=actor,
        action=GroupAction.REQUEST_ACCEPT if accept else GroupAction.REQUEST_DECLINE,
        instance=request,
        after={"group": group.pk, "person": request.user.display_name},
        municipality_id=group.area.municipality_id,
    )
    notifications.notify(
        REQUEST_ANSWERED,
        recipients=[request.user_id],
        context={"group": group, "accepted": accept},
    )
    return request


# ----- Invitations -----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256 (a copy of the database opens
    nothing)."""
    return hashlib.sha256((token or "").encode()).hexdigest()


@transaction.atomic
def invite(*, actor: Any, group: ResidentGroup, email: str) -> tuple[GroupInvitation, str]:
    """A contact invites a person by e-mail; returns the invitation and its token (the only
    time it exists outside the mail)."""
    group = _locked(group)
    _require(actor, "groups.manage_group", group)
    email = User.objects.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        raise GroupRefused(_("Enter a valid e-mail address."), code="bad_email") from None
    person = User.objects.filter(email__iexact=email).first()
    if person is not None and GroupMembership.objects.filter(group=group, user=person).exists():
        raise GroupRefused(
            _("%(person)s is a member of this group already.") % {"person": person.display_name},
            code="already_member",
        )
    ratelimit.limit(actor, "group_invite", mails_to=[person.pk if person else None])
    token = secrets.token_urlsafe(32)
    invitation = GroupInvitation.objects.create(
        group=group,
        email=email,
        token_hash=token_hash(token),
        invited_by=actor if getattr(actor, "pk", None) else None,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit.record(
        actor=actor,
        action=GroupAction.INVITE,
        instance=invitation,
        after={
            "group": group.pk,
            "email": invitation.email,
            "expires_at": invitation.expires_at.isoformat(),
        },
        municipality_id=group.area.municipality_id,
    )
    notifications.notify(
        INVITED,
        recipients=[person.pk if person else email],
        context={"group": group, "invitation": invitation, "token": token},
    )
    return invitation, token


def invitation_for_token(token: str) -> GroupInvitation | None:
    return (
        GroupInvitation.objects.select_related("group__area__municipality", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_check(invitation: GroupInvitation | None, person: Any = None) -> None:
    """Raise GroupRefused when the invitation cannot be accepted (by `person`, if given)."""
    if invitation is None:
        raise GroupRefused(
            _(
                "This invitation link is not valid. Check that you used the whole link from the "
                "e-mail, or ask the group for a new invitation."
            ),
            code="invitation_unknown",
        )
    if invitation.group.dissolved_at is not None:
        raise GroupRefused(_("This group has been dissolved."), code="dissolved")
    if invitation.accepted_at is not None:
        raise GroupRefused(
            _("This invitation has already been accepted. An invitation can be used only once."),
            code="invitation_used",
        )
    if invitation.expires_at <= timezone.now():
        raise GroupRefused(
            _("This invitation expired on %(date)s. Ask the group for a new invitation.")
            % {"date": date_format(timezone.localtime(invitation.expires_at), "j F Y")},
            code="invitation_expired",
        )
    if person is None:
        return
    if person.email.casefold() != invitation.email.casefold():
        raise GroupRefused(
            _(
                "This invitation was sent to %(invited)s, but you are logged in as %(current)s. "
                "Log out, then log in or create an account with %(invited)s."
            )
            % {"invited": invitation.email, "current": person.email},
            code="invitation_email",
        )


@transaction.atomic
def invitation_accept(*, actor: Any, token: str) -> GroupMembership:
    """The invited person, logged in with the address invited, becomes a member (whatever the
    group's join policy); the link is used up."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    found = invitation_for_token(token)
    invitation = (
        GroupInvitation.objects.select_for_update().get(pk=found.pk) if found is not None else None
    )
    if invitation is not None:
        invitation.group = found.group  # type: ignore[union-attr]
    invitation_check(invitation, actor)
    assert invitation is not None
    group = _locked(invitation.group)
    _refuse_member(group, actor)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        actor=actor,
        action=GroupAction.INVITATION_ACCEPT,
        instance=invitation,
        after={"group": group.pk, "person": actor.display_name},
        municipality_id=group.area.municipality_id,
    )
    JoinRequest.objects.filter(group=group, user=actor, status=RequestStatus.PENDING).delete()
    return _add_member(group, actor, actor)


# ----- Roles and leaving -----------------------------------------------------------------------


def _successor(group: ResidentGroup, successor: Any, leaving_id: int) -> GroupMembership:
    membership = (
        GroupMembership.objects.select_related("user")
        .filter(group=group, user_id=getattr(successor, "pk", successor))
        .exclude(user_id=leaving_id)
        .first()
        if successor
        else None
    )
    if membership is None:
        raise GroupRefused(
            _("Choose a member of the group who takes over as contact person."),
            code="successor_invalid",
        )
    return membership


def _make_contact(actor: Any, membership: GroupMembership, group: ResidentGroup) -> None:
    if membership.role == GroupRole.CONTACT:
        return
    before = _membership_state(membership)
    membership.role = GroupRole.CONTACT
    membership.save(update_fields=["role"])
    audit.record(
        actor=actor,
        action=GroupAction.ROLE,
        instance=membership,
        before=before,
        after=_membership_state(membership),
        municipality_id=group.area.municipality_id,
    )


def _last_contact_refusal() -> GroupRefused:
    return GroupRefused(
        _(
            "You are the group's last contact person: choose a member who takes over, or "
            "dissolve the group."
        ),
        code="last_contact",
    )


@transaction.atomic
def leave(*, actor: Any, group: ResidentGroup, successor: Any = None) -> None:
    """A member leaves. The last contact names a member who becomes contact."""
    group = _locked(group)
    _living(group)
    memberships = list(
        GroupMembership.objects.select_for_update()
        .select_related("user")
        .filter(group=group)
        .order_by("pk")
    )
    own = next((m for m in memberships if m.user_id == getattr(actor, "pk", None)), None)
    if own is None:
        raise PermissionDenied(_("You are not a member of this group."))
    contacts = [m for m in memberships if m.role == GroupRole.CONTACT]
    if own.role == GroupRole.CONTACT and len(contacts) == 1:
        if len(memberships) == 1:
            raise _last_contact_refusal()
        _make_contact(actor, _successor(group, successor, own.user_id), group)
    audit.record(
        actor=actor,
        action=GroupAction.LEAVE,
        instance=own,
        before=_membership_state(own),
        municipality_id=group.area.municipality_id,
    )
    own.delete()


@transaction.atomic
def set_role(
    *, actor: Any, membership: GroupMembership, role: str, successor: Any = None
) -> GroupMembership:
    """A contact (or the administrator) gives a member a role; the last contact steps down only
    by naming another contact."""
    group = _locked(membership.group)
    _require(actor, "groups.manage_group", group)
    if role not in GroupRole.values:
        raise GroupRefused(_("Choose a role from the list."), code="bad_role")
    memberships = list(
        GroupMembership.objects.select_for_update().select_related("user").filter(group=group)
    )
    target = next((m for m in memberships if m.pk == membership.pk), None)
    if target is None:
        raise GroupRefused(_("This person is no longer a member of the group."), code="not_member")
    contacts = [m for m in memberships if m.role == GroupRole.CONTACT]
    if target.role == role:
        return target
    if target.role == GroupRole.CONTACT and len(contacts) == 1:
        if not successor:
            raise _last_contact_refusal()
        _make_contact(actor, _successor(group, successor, target.user_id), group)
    before = _membership_state(target)
    target.role = role
    target.save(update_fields=["role"])
    audit.record(
        actor=actor,
        action=GroupAction.ROLE,
        instance=target,
        before=before,
        after=_membership_state(target),
        municipality_id=group.area.municipality_id,
    )
    return target


@transaction.atomic
def set_name_shown(*, actor: Any, group: ResidentGroup, shown: bool) -> GroupMembership:
    """A member chooses whether the group's page names them (the count is shown always)."""
    membership = (
        GroupMembership.objects.select_for_update()
        .filter(group=group, user_id=int(getattr(actor, "pk", 0) or 0))
        .first()
    )
    if membership is None:
        raise PermissionDenied(_("You are not a member of this group."))
    membership.name_shown = bool(shown)
    membership.save(update_fields=["name_shown"])
    return membership


# ----- The contact form ------------------------------------------------------------------------


@dataclass
class ContactData:
    name: str
    email: str
    message: str


def contact(
    *, actor: Any, group: ResidentGroup, data: ContactData, client: str = "unknown"
) -> ContactMessage:
    """Anyone writes to the group's contacts: each gets the message by mail, Reply-To the sender;
    nobody's address is shown to anyone. Limited per person (or, without an account, per IP
    address): `group_contact`."""
    _living(group)
    name = " ".join((data.name or "").split())
    email = User.objects.normalize_email((data.email or "").strip())
    message = (data.message or "").strip()
    _plain(name=name, message=message)
    if not name:
        raise GroupRefused(_("Give your name."), code="name_required")
    _at_most(name, SENDER_NAME_MAX, _("A name"))
    if not message:
        raise GroupRefused(_("Write a message."), code="message_required")
    _at_most(message, MESSAGE_MAX, _("A message"))
    try:
        validate_email(email)
    except ValidationError:
        raise GroupRefused(_("Enter a valid e-mail address."), code="bad_email") from None
    person = getattr(actor, "is_authenticated", False)
    counted = actor if person else _Visitor(f"ip:{client}")
    contacts = _contact_ids(group)
    ratelimit.limit(counted, "group_contact", mails_to=contacts)
    with transaction.atomic():
        stored = ContactMessage.objects.create(
            group=group,
            sender=actor if person else None,
            name=name,
            email=email,
            message=message,
        )
        audit.record(
            actor=actor,
            action=GroupAction.CONTACT,
            instance=stored,
            after={"group": group.pk, "message": stored.pk},
            municipality_id=group.area.municipality_id,
        )
        notifications.notify(
            CONTACT_MESSAGE,
            recipients=contacts,
            context={"group": group, "message": stored},
            municipality=replying_to(group, name, email),
        )
    return stored


@dataclass(frozen=True)
class _Visitor:
    pk: str


# ----- Community worker ------------------------------------------------------------------------


def _is_worker_for(person: Any, group: ResidentGroup) -> bool:
    return role_index(person).holds_for_area(Role.COMMUNITY_WORKER, group.area.lineage_ids)


@transaction.atomic
def worker_link(*, actor: Any, group: ResidentGroup, worker: Any) -> ResidentGroup:
    """Link a community worker of the group's area (or of an area around it) to the group: the
    worker themself, the area's broker or the administrator."""
    group = _locked(group)
    _require(actor, "groups.link_worker", group)
    if worker is None or not _is_worker_for(worker, group):
        raise GroupRefused(
            _("Choose a community worker of %(area)s.") % {"area": group.area.name},
            code="not_a_worker",
        )
    index = role_index(actor)
    lineage = group.area.lineage_ids
    links_others = (
        index.holds_for_area(Role.BROKER, lineage)
        or index.holds_for_municipality(Role.ADMIN, group.area.municipality_id)
        or getattr(actor, "is_superuser", False)
    )
    if worker.pk != actor.pk and not links_others:
        raise GroupRefused(_("You can link only yourself to a group."), code="worker_self")
    before = _state(group)
    group.community_worker = worker
    group.save(update_fields=["community_worker"])
    audit.record(
        actor=actor,
        action=GroupAction.WORKER_LINK,
        instance=group,
        before=before,
        after={**_state(group), "person": worker.display_name},
    )
    return group


@transaction.atomic
def worker_unlink(*, actor: Any, group: ResidentGroup) -> ResidentGroup:
    group = _locked(group)
    allowed = actor.has_perm("groups.link_worker", group) or actor.has_perm(
        "groups.manage_group", group
    )
    if not allowed:
        raise PermissionDenied(_("You may not do this for this group."))
    if group.community_worker_id is None:
        return group
    before = _state(group)
    group.community_worker = None
    group.save(update_fields=["community_worker"])
    audit.record(
        actor=actor,
        action=GroupAction.WORKER_UNLINK,
        instance=group,
        before=before,
        after=_state(group),
    )
    return group


# ----- Dissolving ------------------------------------------------------------------------------


@transaction.atomic
def dissolve(*, actor: Any, group: ResidentGroup) -> ResidentGroup:
    """The contacts (or the administrator) dissolve the group: it keeps its name for the
    initiatives, events and news that refer to it; its members' data goes (memberships, join
    requests, invitations, contact messages); followers are told."""
    group = _locked(group)
    _require(actor, "groups.dissolve_group", group)
    before = _state(group)
    members = GroupMembership.objects.filter(group=group).count()
    # followers are told before the data goes (a member who follows it hears it too)
    group.dissolved_at = timezone.now()
    group.community_worker = None
    group.contact_email = ""
    group.save(update_fields=["dissolved_at", "community_worker", "contact_email"])
    notify_followers(DISSOLVED, group, context={"group": group}, exclude=[actor])
    GroupMembership.objects.filter(group=group).delete()
    JoinRequest.objects.filter(group=group).delete()
    GroupInvitation.objects.filter(group=group).delete()
    ContactMessage.objects.filter(group=group).delete()
    audit.record(
        actor=actor,
        action=GroupAction.DISSOLVE,
        instance=group,
        before={**before, "members": members},
        after={**_state(group), "dissolved_at": group.dissolved_at.isoformat(), "members": 0},
    )
    return group
