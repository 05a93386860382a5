"""Writes about offers, invitations and questions: one transaction each, the policy's check, an
audit event, mail queued on commit. A refused write saves nothing (`ExpertiseRefused`,
`RateLimited`, `PermissionDenied`)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.policy import is_area_admin
from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import Area, GroupMembership, GroupRole, ResidentGroup
from wijkwerk.core import audit, notifications, ratelimit
from wijkwerk.follows.services import notify_followers
from wijkwerk.initiatives.models import Initiative

from . import policy
from .audit_actions import ExpertiseAction
from .models import (
    ANSWER_MAX,
    AREAS_PER_OFFER,
    OUTCOME_MAX,
    TAG_MAX,
    TAGS_PER_OFFER,
    Answer,
    AnswerKind,
    Invitation,
    InvitationStatus,
    InvitationTarget,
    Offer,
    OfferStatus,
    Question,
    Tag,
)
from .notifications import ANSWERED, INVITED, QUESTION_ASKED
from .refusals import ExpertiseRefused

# "<b", "</p", "<script", "<!--": text that reads as HTML. Offers, questions and answers are plain
# text: refused here, and shown escaped wherever they were stored before.
_MARKUP = re.compile(r"<\s*[/!]?\s*[a-zA-Z!]")
_TAG = re.compile(r"^[^\W_]+(?:[ -][^\W_]+)*$")
# Officials who invite residents to an area's initiatives and groups.
_AREA_INVITER_ROLES = (Role.BROKER, Role.AREA_COORDINATOR, Role.COMMUNITY_WORKER)


def _plain(*texts: str) -> None:
    if any(_MARKUP.search(text or "") for text in texts):
        raise ExpertiseRefused(
            _("Write plain text, without HTML such as <script> or <b>."), code="markup"
        )


def normalise_tag(text: str) -> str:
    return " ".join(text.lower().split())


def normalise_tags(texts: Iterable[str]) -> list[str]:
    """Normalised, without doubles, in the order given; refuses tags that cannot be one."""
    tags: list[str] = []
    for text in texts:
        tag = normalise_tag(text)
        if not tag or tag in tags:
            continue
        if len(tag) > TAG_MAX or not _TAG.match(tag):
            raise ExpertiseRefused(
                _(
                    "The tag “%(tag)s” cannot be used: a tag has at most %(max)d letters, digits, "
                    "spaces or hyphens."
                )
                % {"tag": tag[:40], "max": TAG_MAX},
                code="bad_tag",
            )
        tags.append(tag)
    if len(tags) > TAGS_PER_OFFER:
        raise ExpertiseRefused(
            _("Give at most %(max)d tags.") % {"max": TAGS_PER_OFFER}, code="too_many_tags"
        )
    return tags


@dataclass
class OfferData:
    kind: str
    title: str
    description: str
    tags: Sequence[str]
    areas: Sequence[Area]
    availability: str
    visibility: str
    available_until: datetime.date | None = None


def _resident_municipality_id(actor: Any) -> int:
    if actor.home_area_id is None:
        raise ExpertiseRefused(
            _(
                "Choose the area you live in on your profile first: an offer lies in your "
                "municipality."
            ),
            code="no_home_area",
        )
    return int(Area.objects.values_list("municipality_id", flat=True).get(pk=actor.home_area_id))


def _check_offer(actor: Any, data: OfferData) -> tuple[int, list[str]]:
    _plain(data.title, data.description, data.availability)
    municipality_id = _resident_municipality_id(actor)
    if not data.areas:
        raise ExpertiseRefused(_("Choose at least one area."), code="no_areas")
    if len(data.areas) > AREAS_PER_OFFER:
        raise ExpertiseRefused(
            _("Choose at most %(max)d areas.") % {"max": AREAS_PER_OFFER}, code="too_many_areas"
        )
    if any(area.municipality_id != municipality_id for area in data.areas):
        raise ExpertiseRefused(_("Choose areas of your own municipality."), code="area_elsewhere")
    if data.available_until is not None and data.available_until < timezone.localdate():
        raise ExpertiseRefused(
            _("The date until which you are available has passed."), code="until_past"
        )
    return municipality_id, normalise_tags(data.tags)


def _set_tags(offer: Offer, tags: list[str]) -> None:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=tags)}
    for name in tags:
        if name not in existing:
            existing[name], _created = Tag.objects.get_or_create(name=name)
    offer.tags.set([existing[name] for name in tags])
    offer.tags_text = " ".join(tags)
    offer.save(update_fields=["tags_text"])


def _offer_snapshot(offer: Offer, tags: list[str], areas: Sequence[Area]) -> dict[str, Any]:
    state = audit.snapshot(
        offer, ["kind", "title", "availability", "available_until", "visibility", "status"]
    )
    state["tags"] = ", ".join(tags)
    state["areas"] = ", ".join(area.name for area in areas)
    return state


def offer_save(*, actor: Any, offer: Offer | None, data: OfferData) -> Offer:
    """Make an offer (offer=None) or change one of the actor's own."""
    if offer is not None and not actor.has_perm("expertise.change_offer", offer):
        raise PermissionDenied
    municipality_id, tags = _check_offer(actor, data)
    with transaction.atomic():
        before = None
        if offer is None:
            offer = Offer(owner=actor)
        else:
            before = _offer_snapshot(
                offer, [t.name for t in offer.tags.all()], list(offer.areas.all())
            )
        offer.municipality_id = municipality_id
        offer.kind = data.kind
        offer.title = data.title.strip()
        offer.description = data.description.strip()
        offer.availability = data.availability.strip()
        offer.available_until = data.available_until
        offer.visibility = data.visibility
        offer.full_clean(exclude=["owner", "municipality", "tags", "areas"])
        offer.save()
        offer.areas.set(data.areas)
        _set_tags(offer, tags)
        audit.record(
            actor=actor,
            action=ExpertiseAction.OFFER_CREATE if before is None else ExpertiseAction.OFFER_CHANGE,
            instance=offer,
            before=before,
            after=_offer_snapshot(offer, tags, data.areas),
        )
    return offer


def offer_pause(*, actor: Any, offer: Offer, paused: bool) -> Offer:
    """Pause an offer (nobody but its resident sees it) or make it active again."""
    if not actor.has_perm("expertise.change_offer", offer):
        raise PermissionDenied
    status = OfferStatus.PAUSED if paused else OfferStatus.ACTIVE
    with transaction.atomic():
        before = offer.status
        offer.status = status
        offer.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action=ExpertiseAction.OFFER_PAUSE if paused else ExpertiseAction.OFFER_RESUME,
            instance=offer,
            before={"status": before},
            after={"status": status},
        )
    return offer


def offer_remove(*, actor: Any, offer: Offer) -> None:
    """Remove an offer and everything it holds: its texts, tags and areas, and its invitations.
    The audit trail keeps only that offer number so-and-so was removed, not its text."""
    if not actor.has_perm("expertise.change_offer", offer):
        raise PermissionDenied
    with transaction.atomic():
        pk, municipality_id = offer.pk, offer.municipality_id
        offer.delete()
        trace = Offer(
            pk=pk, municipality_id=municipality_id, title=_("offer %(number)d") % {"number": pk}
        )
        audit.record(actor=actor, action=ExpertiseAction.OFFER_REMOVE, instance=trace)


# --- invitations ---------------------------------------------------------------------------


def may_invite_to(actor: Any, target: Any) -> bool:
    """Whether `actor` may invite someone to `target` (an initiative, a resident group or a
    question). Initiatives: their own running initiative, or one of an area they broker,
    coordinate or work in as community worker (or whose municipality they administer); groups:
    one they are a contact person of, or of such an area; questions: an open one of a
    municipality they are an official of. Targets need their area lineage loaded."""
    index = role_index(actor)
    if isinstance(target, Initiative):
        if target.status not in policy.INITIATOR_STATUSES:
            return False
        if target.applicant_id == actor.pk:
            return True
        lineage = target.area.lineage_ids
        return any(index.holds_for_area(r, lineage) for r in _AREA_INVITER_ROLES) or (
            is_area_admin.check(actor, target)
        )
    if isinstance(target, ResidentGroup):
        if target.dissolved_at is not None:
            return False
        lineage = target.area.lineage_ids
        if any(index.holds_for_area(r, lineage) for r in _AREA_INVITER_ROLES):
            return True
        if is_area_admin.check(actor, target):
            return True
        return GroupMembership.objects.filter(
            group=target, user_id=actor.pk, role=GroupRole.CONTACT
        ).exists()
    if isinstance(target, Question):
        return target.is_open and target.municipality_id in policy.official_municipality_ids(actor)
    return False


def invitation_send(*, actor: Any, offer: Offer, target: Any, message: str) -> Invitation:
    if not actor.has_perm("expertise.invite", offer):
        raise PermissionDenied
    _plain(message)
    message = message.strip()
    if not message:
        raise ExpertiseRefused(
            _("Write a message to go with the invitation."), code="message_required"
        )
    if not may_invite_to(actor, target):
        raise ExpertiseRefused(
            _(
                "You cannot invite anyone to that: choose one of your own initiatives, groups "
                "or open questions."
            ),
            code="not_a_target",
        )
    kind = {
        Initiative: InvitationTarget.INITIATIVE,
        ResidentGroup: InvitationTarget.GROUP,
        Question: InvitationTarget.QUESTION,
    }[type(target)]
    field = {"initiative": "initiative", "group": "group", "question": "question"}[kind]
    if Invitation.objects.filter(offer=offer, **{field: target}).exists():
        raise ExpertiseRefused(
            _("This resident has been invited to that already."), code="already_invited"
        )
    # Refused when too many: nothing saved, nobody mailed.
    ratelimit.limit(actor, "expertise_invite", mails_to=[offer.owner_id])
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                offer=offer, inviter=actor, target=kind, message=message, **{field: target}
            )
            audit.record(
                actor=actor,
                action=ExpertiseAction.INVITATION_SEND,
                instance=invitation,
                after={"target": kind, "message": invitation.pk},
                municipality_id=offer.municipality_id,
            )
            notifications.notify(
                INVITED, recipients=[offer.owner_id], context={"invitation": invitation}
            )
    except IntegrityError:  # the same invitation sent twice at once
        raise ExpertiseRefused(
            _("This resident has been invited to that already."), code="already_invited"
        ) from None
    return invitation


def invitation_answer(*, actor: Any, invitation: Invitation, accept: bool) -> Invitation:
    """The resident accepts (their name, e-mail address and telephone number are shown to the
    inviter, and to nobody else) or declines."""
    if not actor.has_perm("expertise.view_invitation", invitation):
        raise PermissionDenied
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.offer.owner_id != actor.pk:
            raise PermissionDenied
        if locked.status != InvitationStatus.PENDING:
            raise ExpertiseRefused(
                _("You answered this invitation already."), code="already_answered"
            )
        status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        Invitation.objects.filter(pk=invitation.pk).update(
            status=status, answered_at=timezone.now()
        )
        invitation.status = status
        invitation.answered_at = timezone.now()
        audit.record(
            actor=actor,
            action=ExpertiseAction.INVITATION_ACCEPT
            if accept
            else ExpertiseAction.INVITATION_DECLINE,
            instance=invitation,
            before={"status": InvitationStatus.PENDING},
            after={"status": status},
            municipality_id=invitation.offer.municipality_id,
        )
        notifications.notify(
            ANSWERED, recipients=[invitation.inviter_id], context={"invitation": invitation}
        )
    return invitation


# --- questions -----------------------------------------------------------------------------


@dataclass
class QuestionData:
    kind: str
    title: str
    body: str
    areas: Sequence[Area]
    closes_on: datetime.date


def question_ask(*, actor: Any, data: QuestionData) -> Question:
    if not actor.has_perm("expertise.ask_question"):
        raise PermissionDenied
    _plain(data.title, data.body)
    if not data.areas:
        raise ExpertiseRefused(_("Choose at least one area."), code="no_areas")
    municipalities = {area.municipality_id for area in data.areas}
    mine = policy.official_municipality_ids(actor)
    if len(municipalities) != 1 or not municipalities <= mine:
        raise ExpertiseRefused(
            _("Choose areas of the municipality you work for."), code="area_elsewhere"
        )
    if data.closes_on < timezone.localdate():
        raise ExpertiseRefused(
            _("The closing date has passed: choose today or a later date."),
            code="closing_in_past",
        )
    with transaction.atomic():
        question = Question(
            municipality_id=municipalities.pop(),
            author=actor,
            kind=data.kind,
            title=data.title.strip(),
            body=data.body.strip(),
            closes_on=data.closes_on,
        )
        question.full_clean(exclude=["municipality", "author", "areas"])
        question.save()
        question.areas.set(data.areas)
        after = audit.snapshot(question, ["kind", "title", "closes_on"])
        after["areas"] = ", ".join(area.name for area in data.areas)
        audit.record(
            actor=actor, action=ExpertiseAction.QUESTION_ASK, instance=question, after=after
        )
        # the followers of its areas (and of the districts around them), each once
        notify_followers(QUESTION_ASKED, question, context={"question": question}, exclude=[actor])
    return question


def question_close(*, actor: Any, question: Question) -> Question:
    if not actor.has_perm("expertise.manage_question", question):
        raise PermissionDenied
    if not question.is_open:
        raise ExpertiseRefused(_("This question is closed already."), code="question_closed")
    with transaction.atomic():
        question.closed_at = timezone.now()
        question.save(update_fields=["closed_at"])
        audit.record(actor=actor, action=ExpertiseAction.QUESTION_CLOSE, instance=question)
    return question


def question_record_outcome(*, actor: Any, question: Question, outcome: str) -> Question:
    if not actor.has_perm("expertise.manage_question", question):
        raise PermissionDenied
    if question.is_open:
        raise ExpertiseRefused(
            _("Record what was done with the answers once the question has closed."),
            code="question_open",
        )
    _plain(outcome)
    outcome = outcome.strip()
    if not outcome:
        raise ExpertiseRefused(_("Write what was done with the answers."), code="outcome_required")
    if len(outcome) > OUTCOME_MAX:
        raise ExpertiseRefused(
            _("Write at most %(max)d characters.") % {"max": OUTCOME_MAX}, code="outcome_required"
        )
    with transaction.atomic():
        before = {"outcome": question.outcome}
        question.outcome = outcome
        question.outcome_at = timezone.now()
        question.save(update_fields=["outcome", "outcome_at"])
        audit.record(
            actor=actor,
            action=ExpertiseAction.QUESTION_OUTCOME,
            instance=question,
            before=before,
            after={"outcome": outcome},
        )
    return question


def answer_add(
    *,
    actor: Any,
    question: Question,
    kind: str,
    text: str,
    offer: Offer | None = None,
    show_publicly: bool = False,
) -> Answer:
    """A resident of the question's areas answers, or says they want to help (perhaps with one
    of their offers)."""
    if not question.is_open:
        raise ExpertiseRefused(
            _("This question is closed: answers are no longer taken."), code="question_closed"
        )
    if not actor.has_perm("expertise.answer_question", question):
        raise PermissionDenied
    _plain(text)
    text = text.strip()
    if kind == AnswerKind.ANSWER and not text:
        raise ExpertiseRefused(_("Write your answer."), code="answer_required")
    if len(text) > ANSWER_MAX:
        raise ExpertiseRefused(
            _("Write at most %(max)d characters.") % {"max": ANSWER_MAX}, code="answer_required"
        )
    if offer is not None and offer.owner_id != actor.pk:
        raise ExpertiseRefused(_("Choose one of your own offers."), code="not_your_offer")
    if Answer.objects.filter(question=question, author=actor).exists():
        raise ExpertiseRefused(_("You answered this question already."), code="answered_already")
    ratelimit.limit(actor, "question_answer")
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                question=question,
                author=actor,
                kind=kind,
                text=text,
                offer=offer,
                show_publicly=show_publicly,
            )
            audit.record(
                actor=actor,
                action=ExpertiseAction.ANSWER_ADD,
                instance=question,
                after={"answer": answer.pk, "reply": kind},
            )
    except IntegrityError:
        raise ExpertiseRefused(
            _("You answered this question already."), code="answered_already"
        ) from None
    return answer
