"""Every write of the councils app: meetings, agenda, documents, minutes, handing an initiative
to the council, and the council's decision.

Each service checks the permission (policy.py), works in one transaction, records an audit event
and refuses bad input with `CouncilRefused` (a stable code; listed below), so that nothing is
half saved. The decision goes through the initiatives' workflow (`council_approve` /
`council_reject`): the ledger commits the amount in the council's fund (and refuses what the fund
lacks), the Awb decision names the council, and the applicant gets the letter by mail.

Refusal codes:
    incomplete          a title, a place, a start or the minutes' text is missing
    too_long            a text above its limit
    ends_before_start   a meeting that ends before it starts
    not_addressed       an agenda item or decision for an initiative not addressed to this council
    not_awaiting        an initiative that is not (any more) waiting for a decision
    on_agenda           the initiative is on an undecided agenda item already
    no_council          the initiative's area has no council (handing it over)
    other_council       a council not of the initiative's area
    decided             the agenda item was decided already
    no_initiative       a decision on an agenda item without an initiative
    not_started         a decision before the meeting started
    no_reasons          a decision without written reasons
    not_a_member        someone present or voting who is not a member of the council
    absent_vote         a vote of a member who is not present
    vote_missing        a member present without a vote
    bad_vote            a vote that is not for, against or abstain
    no_quorum           fewer members present than the council's quorum
    bad_quorum          a quorum rule with a number below 1 or above the council's members
    no_fund             the council has no open fund of its own to grant from
    amount_required     an approval without an amount (more than zero)
    meeting_started     changing, moving or removing an agenda item once the meeting started
    minutes_approved    changing or removing a document once the minutes are approved
    bad_direction       moving an agenda item other than up or down
    minutes_not_approved publishing minutes the council has not approved
    minutes_published   changing or approving minutes that are published
    approved_on_future  minutes approved on a day still to come
    too_large, empty, wrong_type, bad_document   uploads (documents.check_document)
The ledger's and the initiative workflow's codes (`not_enough_money`, `above_scheme_maximum`,
`above_requested`, ...) come through unchanged.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wijkwerk.areas.models import AreaCouncil
from wijkwerk.core import audit
from wijkwerk.events.models import Event, EventKind
from wijkwerk.funds.models import Fund
from wijkwerk.initiatives import services as initiative_services
from wijkwerk.initiatives.audit_actions import InitiativeAction
from wijkwerk.initiatives.models import Initiative
from wijkwerk.initiatives.states import AWAITING_DECISION

from . import votes as counting
from .audit_actions import CouncilAction
from .documents import check_document
from .models import (
    AgendaItem,
    Choice,
    CouncilDecision,
    CouncilRules,
    Meeting,
    MeetingDocument,
    MinutesStatus,
    Outcome,
    QuorumRule,
    Vote,
)
from .selectors import council_fund, members_of, quorum_of

TEXT_LIMITS = {"title": 150, "description": 10_000, "place_name": 150, "address": 200}
AGENDA_LIMITS = {"title": 200, "description": 5_000}
MINUTES_LIMIT = 50_000
REASONS_LIMIT = 10_000


class CouncilRefused(ValidationError):
    """Something the council's records do not allow; the message says why, for people. Its
    `code` is kept also when it carries several messages."""

    def __init__(self, message: Any, code: str | None = None, params: Any = None) -> None:
        super().__init__(message, code, params)
        if not hasattr(self, "code"):
            self.code = code


def _require(actor: Any, perm: str, obj: Any) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def _too_long(label: str, value: str, limit: int) -> CouncilRefused:
    return CouncilRefused(
        _("The %(field)s may be at most %(limit)d characters long (it is %(length)d).")
        % {"field": label, "limit": limit, "length": len(value)},
        code="too_long",
    )


# --- The council's rules ----------------------------------------------------------------------


def quorum_describe(needed: int, members: int, rule: str) -> str:
    """ "4 of the 7 members (more than half)", for pages, letters and refusals."""
    if rule == QuorumRule.NUMBER:
        return _("%(needed)d of the %(members)d members (the council's fixed number)") % {
            "needed": needed,
            "members": members,
        }
    return _("%(needed)d of the %(members)d members (more than half)") % {
        "needed": needed,
        "members": members,
    }


def quorum_set(
    *, actor: Any, council: AreaCouncil, rule: str, number: int | None = None
) -> CouncilRules:
    """Set the council's quorum (its own regulations): more than half of its members, or a
    fixed number of members (at least 1, at most the members it has now)."""
    _require(actor, "councils.set_quorum", council)
    if rule not in QuorumRule.values:
        raise CouncilRefused(_("Choose how the quorum is counted."), code="bad_quorum")
    with transaction.atomic():
        council = AreaCouncil.objects.select_for_update().get(pk=council.pk)
        members = len(members_of(council))
        if rule == QuorumRule.NUMBER:
            if number is None or number < 1:
                raise CouncilRefused(
                    _("Enter how many members must be present: at least 1."), code="bad_quorum"
                )
            if number > members:
                raise CouncilRefused(
                    _(
                        "%(council)s has %(members)d members: the quorum cannot be more "
                        "(you entered %(number)d)."
                    )
                    % {"council": council.name, "members": members, "number": number},
                    code="bad_quorum",
                )
        else:
            number = None
        rules, _created = CouncilRules.objects.get_or_create(council=council)
        before = audit.snapshot(rules, ["quorum_rule", "quorum_number"])
        rules.quorum_rule = rule
        rules.quorum_number = number
        rules.updated_by = actor if getattr(actor, "pk", None) else None
        rules.save()
        audit.record(
            actor=actor,
            action=CouncilAction.QUORUM_SET,
            instance=rules,
            before=before,
            after=audit.snapshot(rules, ["quorum_rule", "quorum_number"]),
        )
    return rules


# --- Meetings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingData:
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place_name: str
    address: str = ""
    description: str = ""
    is_public: bool = True


def meeting_create(*, actor: Any, council: AreaCouncil, data: MeetingData) -> Meeting:
    """Plan a meeting of the council: an event of kind council_meeting in the council's area
    (its page, sign-ups and calendar file come from the events app) and the meeting's record.
    A meeting held already may be entered afterwards, to record its decisions."""
    _require(actor, "councils.manage_council", council)
    problems = []
    labels = {
        "title": _("title"),
        "description": _("description"),
        "place_name": _("place"),
        "address": _("address"),
    }
    for name, limit in TEXT_LIMITS.items():
        value = getattr(data, name) or ""
        if len(value) > limit:
            problems.append(_too_long(str(labels[name]), value, limit))
    if not data.title.strip():
        problems.append(CouncilRefused(_("Give the meeting a title."), code="incomplete"))
    if not data.place_name.strip():
        problems.append(CouncilRefused(_("Say where the meeting is held."), code="incomplete"))
    if data.ends_at <= data.starts_at:
        problems.append(
            CouncilRefused(_("The meeting must end after it starts."), code="ends_before_start")
        )
    if problems:
        raise CouncilRefused([p.messages[0] for p in problems], code=problems[0].code)
    with transaction.atomic():
        event = Event.objects.create(
            area=council.area,
            council=council,
            kind=EventKind.COUNCIL_MEETING,
            title=data.title.strip(),
            description=data.description.strip(),
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            place_name=data.place_name.strip(),
            address=data.address.strip(),
            is_public=data.is_public,
            # a closed meeting takes no sign-ups; a public one lets residents say they come
            rsvp_enabled=data.is_public,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        meeting = Meeting.objects.create(event=event, council=council, created_by=event.created_by)
        audit.record(
            actor=actor,
            action=CouncilAction.MEETING_CREATE,
            instance=meeting,
            after={
                "council": council.pk,
                "title": event.title,
                "starts_at": event.starts_at.isoformat(),
                "is_public": event.is_public,
            },
        )
        _announce(event)
    return meeting


def _announce(event: Event) -> None:
    """The events app tells the followers of the area and council of a new event (where it
    has that already)."""
    try:
        from wijkwerk.events import services as event_services
    except ImportError:  # pragma: no cover - the events app without its services
        return
    announce = getattr(event_services, "announce", None)
    if announce is not None:
        announce(event)


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "council__area__parent__parent", "council__area__municipality")
        .get(pk=meeting.pk)
    )


def agenda_item_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    description: str = "",
    initiative: Initiative | None = None,
) -> AgendaItem:
    """Add an item at the end of the meeting's agenda; with an initiative addressed to the
    council and waiting for its decision (once on an undecided item: it is decided once)."""
    _require(actor, "councils.manage_meeting", meeting)
    title = (title or "").strip() or (initiative.title if initiative is not None else "")
    description = (description or "").strip()
    if not title:
        raise CouncilRefused(_("Give the agenda item a title."), code="incomplete")
    if len(title) > AGENDA_LIMITS["title"]:
        raise _too_long(_("title"), title, AGENDA_LIMITS["title"])
    if len(description) > AGENDA_LIMITS["description"]:
        raise _too_long(_("description"), description, AGENDA_LIMITS["description"])
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        if initiative is not None:
            initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
            _check_addressed(initiative, meeting.council)
            waiting = AgendaItem.objects.filter(
                initiative=initiative, council_decision__isnull=True
            )
            if waiting.exists():
                raise CouncilRefused(
                    _("“%(title)s” is on an agenda already, waiting for the decision.")
                    % {"title": initiative.title},
                    code="on_agenda",
                )
        position = meeting.agenda.count() + 1
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=title,
            description=description,
            initiative=initiative,
        )
        audit.record(
            actor=actor,
            action=CouncilAction.AGENDA_ADD,
            instance=meeting,
            after={
                "title": item.title,
                "position": item.position,
                "initiative": initiative.pk if initiative else None,
            },
        )
    return item


def _check_addressed(initiative: Initiative, council: AreaCouncil) -> None:
    if initiative.deciding_council_id != council.pk:
        raise CouncilRefused(
            _("“%(title)s” is not addressed to %(council)s.")
            % {"title": initiative.title, "council": council.name},
            code="not_addressed",
        )
    if initiative.status not in AWAITING_DECISION:
        raise CouncilRefused(
            _("“%(title)s” is not waiting for a decision: it is %(status)s.")
            % {"title": initiative.title, "status": initiative.get_status_display()},
            code="not_awaiting",
        )


def document_add(
    *, actor: Any, meeting: Meeting, title: str, upload: UploadedFile
) -> MeetingDocument:
    """Add a document to the meeting (PDF, ODT or DOCX, checked by its content)."""
    _require(actor, "councils.manage_meeting", meeting)
    title = (title or "").strip()
    if not title:
        raise CouncilRefused(_("Give the document a title."), code="incomplete")
    if len(title) > 200:
        raise _too_long(_("title"), title, 200)
    checked = check_document(upload)
    token = secrets.token_hex(16)
    document = MeetingDocument(
        meeting=meeting,
        title=title,
        token=token,
        extension=checked.extension,
        original_name=(upload.name or "")[:200],
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    document.file.save(f"{token}.{checked.extension}", upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            audit.record(
                actor=actor,
                action=CouncilAction.DOCUMENT_ADD,
                instance=meeting,
                after={"title": title, "size": checked.size, "type": checked.extension},
            )
    except BaseException:
        document.file.storage.delete(str(document.file.name))  # nothing half saved
        raise
    return document


def _agenda_open(meeting: Meeting) -> None:
    """The agenda changes only before the meeting starts: what was discussed stays as it was."""
    if meeting.event.starts_at <= timezone.now():
        raise CouncilRefused(
            _(
                "The meeting has started: its agenda is no longer changed. Record what was "
                "discussed in the minutes."
            ),
            code="meeting_started",
        )


def _lock_item(item: AgendaItem) -> tuple[Meeting, AgendaItem]:
    meeting = _lock_meeting(item.meeting)
    # of=self: PostgreSQL locks no row on the nullable side of the outer join to the initiative
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("initiative")
        .get(pk=item.pk)
    )
    return meeting, item


def agenda_item_change(
    *, actor: Any, item: AgendaItem, title: str, description: str = ""
) -> AgendaItem:
    """Change an agenda item's title and description before the meeting starts (its
    initiative stays: remove the item and add another for a different one)."""
    _require(actor, "councils.manage_meeting", item.meeting)
    title = (title or "").strip() or (item.initiative.title if item.initiative else "")
    description = (description or "").strip()
    if not title:
        raise CouncilRefused(_("Give the agenda item a title."), code="incomplete")
    if len(title) > AGENDA_LIMITS["title"]:
        raise _too_long(_("title"), title, AGENDA_LIMITS["title"])
    if len(description) > AGENDA_LIMITS["description"]:
        raise _too_long(_("description"), description, AGENDA_LIMITS["description"])
    with transaction.atomic():
        meeting, item = _lock_item(item)
        _agenda_open(meeting)
        before = audit.snapshot(item, ["title", "description"])
        item.title, item.description = title, description
        item.save(update_fields=["title", "description"])
        audit.record(
            actor=actor,
            action=CouncilAction.AGENDA_CHANGE,
            instance=meeting,
            before=before,
            after={**audit.snapshot(item, ["title", "description"]), "position": item.position},
        )
    return item


def _renumber(meeting: Meeting) -> list[AgendaItem]:
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))
    for number, row in enumerate(items, start=1):
        row.position = number
    AgendaItem.objects.bulk_update(items, ["position"])
    return items


def agenda_item_remove(*, actor: Any, item: AgendaItem) -> Meeting:
    """Remove an item from the agenda before the meeting starts; the items after it move up.
    Its initiative may go on another agenda."""
    _require(actor, "councils.manage_meeting", item.meeting)
    with transaction.atomic():
        meeting, item = _lock_item(item)
        _agenda_open(meeting)
        if CouncilDecision.objects.filter(agenda_item=item).exists():  # pragma: no cover
            raise CouncilRefused(
                _("The council has decided on this agenda item already."), code="decided"
            )
        after = {
            "title": item.title,
            "position": item.position,
            "initiative": item.initiative_id,
        }
        item.delete()
        _renumber(meeting)
        audit.record(actor=actor, action=CouncilAction.AGENDA_REMOVE, instance=meeting, after=after)
    return meeting


def agenda_item_move(*, actor: Any, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item one place up or down the agenda, before the meeting starts (the first
    item up, or the last down, stays where it is)."""
    _require(actor, "councils.manage_meeting", item.meeting)
    if direction not in ("up", "down"):
        raise CouncilRefused(_("An agenda item moves up or down."), code="bad_direction")
    with transaction.atomic():
        meeting, item = _lock_item(item)
        _agenda_open(meeting)
        items = _renumber(meeting)
        index = next(i for i, row in enumerate(items) if row.pk == item.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(items):
            before = items[index].position
            items[index].position, items[other].position = (
                items[other].position,
                items[index].position,
            )
            AgendaItem.objects.bulk_update([items[index], items[other]], ["position"])
            audit.record(
                actor=actor,
                action=CouncilAction.AGENDA_MOVE,
                instance=meeting,
                before={"title": items[index].title, "position": before},
                after={"title": items[index].title, "position": items[index].position},
            )
        item.position = items[index].position
    return item


def _documents_open(meeting: Meeting) -> None:
    """Documents change before and after the meeting, until the council approved the minutes
    (then they are the record of what it discussed)."""
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise CouncilRefused(
            _(
                "The council has approved the minutes of this meeting: its documents are no "
                "longer changed or removed."
            ),
            code="minutes_approved",
        )


def _lock_document(document: MeetingDocument) -> tuple[Meeting, MeetingDocument]:
    meeting = _lock_meeting(document.meeting)
    return meeting, MeetingDocument.objects.select_for_update().get(pk=document.pk)


def document_change(*, actor: Any, document: MeetingDocument, title: str) -> MeetingDocument:
    """Give a document another title (replacing the file: remove it and add the new one)."""
    _require(actor, "councils.manage_meeting", document.meeting)
    title = (title or "").strip()
    if not title:
        raise CouncilRefused(_("Give the document a title."), code="incomplete")
    if len(title) > 200:
        raise _too_long(_("title"), title, 200)
    with transaction.atomic():
        meeting, document = _lock_document(document)
        _documents_open(meeting)
        before = {"title": document.title}
        document.title = title
        document.save(update_fields=["title"])
        audit.record(
            actor=actor,
            action=CouncilAction.DOCUMENT_CHANGE,
            instance=meeting,
            before=before,
            after={"title": title},
        )
    return document


def document_remove(*, actor: Any, document: MeetingDocument) -> Meeting:
    """Remove a document: the row at once, the file once the transaction has committed."""
    _require(actor, "councils.manage_meeting", document.meeting)
    with transaction.atomic():
        meeting, document = _lock_document(document)
        _documents_open(meeting)
        storage, name = document.file.storage, str(document.file.name)
        after = {"title": document.title, "size": document.size, "type": document.extension}
        document.delete()
        audit.record(
            actor=actor, action=CouncilAction.DOCUMENT_REMOVE, instance=meeting, after=after
        )
        transaction.on_commit(lambda: storage.delete(name))
    return meeting


# --- Minutes ------------------------------------------------------------------------------------


def minutes_save(*, actor: Any, meeting: Meeting, text: str) -> Meeting:
    """Write (or change) the minutes; approved minutes changed go back to draft."""
    _require(actor, "councils.manage_meeting", meeting)
    text = (text or "").strip()
    if len(text) > MINUTES_LIMIT:
        raise _too_long(_("minutes"), text, MINUTES_LIMIT)
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        if meeting.minutes_status == MinutesStatus.PUBLISHED:
            raise CouncilRefused(
                _("The minutes are published: they are not changed any more."),
                code="minutes_published",
            )
        before = audit.snapshot(meeting, ["minutes_status", "minutes_approved_on"])
        changed = text != meeting.minutes
        meeting.minutes = text
        if changed:
            meeting.minutes_status = MinutesStatus.DRAFT
            meeting.minutes_approved_on = None
        meeting.save(update_fields=["minutes", "minutes_status", "minutes_approved_on"])
        audit.record(
            actor=actor,
            action=CouncilAction.MINUTES_SAVE,
            instance=meeting,
            before=before,
            after={**audit.snapshot(meeting, ["minutes_status"]), "length": len(text)},
        )
    return meeting


def minutes_approve(*, actor: Any, meeting: Meeting, approved_on: datetime.date) -> Meeting:
    """Record that the council approved the minutes (usually at its next meeting), on
    `approved_on`."""
    _require(actor, "councils.manage_meeting", meeting)
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        if meeting.minutes_status == MinutesStatus.PUBLISHED:
            raise CouncilRefused(_("The minutes are published already."), code="minutes_published")
        if not meeting.minutes.strip():
            raise CouncilRefused(
                _("Write the minutes before the council approves them."), code="incomplete"
            )
        if approved_on > timezone.localdate():
            raise CouncilRefused(
                _("The minutes cannot be approved on a day still to come."),
                code="approved_on_future",
            )
        if approved_on < timezone.localdate(meeting.event.starts_at):
            raise CouncilRefused(
                _("The minutes cannot be approved before the meeting was held."),
                code="approved_on_future",
            )
        meeting.minutes_status = MinutesStatus.APPROVED
        meeting.minutes_approved_on = approved_on
        meeting.save(update_fields=["minutes_status", "minutes_approved_on"])
        audit.record(
            actor=actor,
            action=CouncilAction.MINUTES_APPROVE,
            instance=meeting,
            after=audit.snapshot(meeting, ["minutes_status", "minutes_approved_on"]),
        )
    return meeting


def minutes_publish(*, actor: Any, meeting: Meeting) -> Meeting:
    """Publish the approved minutes: from now on everyone reads them."""
    _require(actor, "councils.manage_meeting", meeting)
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        if meeting.minutes_status == MinutesStatus.PUBLISHED:
            raise CouncilRefused(_("The minutes are published already."), code="minutes_published")
        if meeting.minutes_status != MinutesStatus.APPROVED:
            raise CouncilRefused(
                _("The council has not approved these minutes yet: they are published after."),
                code="minutes_not_approved",
            )
        meeting.minutes_status = MinutesStatus.PUBLISHED
        meeting.minutes_published_at = timezone.now()
        meeting.save(update_fields=["minutes_status", "minutes_published_at"])
        audit.record(
            actor=actor,
            action=CouncilAction.MINUTES_PUBLISH,
            instance=meeting,
            after=audit.snapshot(meeting, ["minutes_status", "minutes_approved_on"]),
        )
        _tell_followers("councils.minutes_published", meeting.council, {"meeting": meeting}, actor)
    return meeting


# --- Initiatives addressed to the council ----------------------------------------------------


def councils_for(initiative: Initiative) -> list[AreaCouncil]:
    """The councils an initiative can be handed to: those of its area or an area it lies in."""
    return list(
        AreaCouncil.objects.filter(area_id__in=initiative.area.lineage_ids)
        .select_related("area")
        .order_by("name")
    )


def initiative_hand_to_council(
    *, actor: Any, initiative: Initiative, council: AreaCouncil
) -> Initiative:
    """The area's broker or coordinator (or the administrator) hands an initiative waiting for a
    decision to the council of its area: the council decides it at a meeting, from its own
    fund, instead of the broker."""
    _require(actor, "councils.hand_to_council", initiative)
    with transaction.atomic():
        initiative = (
            Initiative.objects.select_for_update(of=("self",))
            .select_related("area__parent__parent", "area__municipality")
            .get(pk=initiative.pk)
        )
        if initiative.status not in AWAITING_DECISION:
            raise CouncilRefused(
                _("“%(title)s” is not waiting for a decision: it is %(status)s.")
                % {"title": initiative.title, "status": initiative.get_status_display()},
                code="not_awaiting",
            )
        if council.area_id not in initiative.area.lineage_ids:
            raise CouncilRefused(
                _("%(council)s is not a council of %(area)s.")
                % {"council": council.name, "area": initiative.area.name},
                code="other_council",
            )
        before = audit.snapshot(initiative, ["deciding_council"])
        initiative.deciding_council = council
        initiative.save(update_fields=["deciding_council", "updated_at"])
        audit.record(
            actor=actor,
            action=InitiativeAction.HAND_TO_COUNCIL,
            instance=initiative,
            before=before,
            after=audit.snapshot(initiative, ["deciding_council"]),
        )
    return initiative


# --- The decision -----------------------------------------------------------------------------


def _signed_as(council: AreaCouncil) -> tuple[str, str]:
    """The council as the decision letter names it: its name, its kind, by mandate of the
    Municipal Executive (the letter is in the site's language, as the Awb wants)."""
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        role = _("%(kind)s, by mandate of the Municipal Executive") % {
            "kind": council.get_kind_display()
        }
    return council.name, role


def _vote_lines(members: dict[int, Any], choices: Mapping[int, str]) -> str:
    labels = dict(Choice.choices)
    return "; ".join(
        f"{members[pk].display_name}: {labels[Choice(choice)]}"
        for pk, choice in sorted(choices.items(), key=lambda item: members[item[0]].display_name)
    )


def council_decide(
    *,
    actor: Any,
    item: AgendaItem,
    present: Iterable[int],
    choices: Mapping[int, str],
    reasons: str,
    amount_cents: int | None = None,
) -> CouncilDecision:
    """Record the council's decision on an agenda item with an initiative.

    `present`: the members present (user ids); `choices`: the vote of each of them (user id →
    for, against or abstain; an absent member has none). At least the quorum (more than half
    of the members) must be present; the outcome is by majority of the votes cast (a tie is a
    rejection). An approval grants `amount_cents` from the council's open fund of this year
    through the initiatives' workflow, which commits it in the ledger (refused when the fund
    lacks it or the scheme's maximum is exceeded). Nothing is saved when anything is refused."""
    meeting = item.meeting
    council = meeting.council
    _require(actor, "councils.manage_meeting", meeting)
    reasons = (reasons or "").strip()
    if not reasons:
        raise CouncilRefused(
            _("Write down the council's reasons: a decision states why (Awb 3:46)."),
            code="no_reasons",
        )
    if len(reasons) > REASONS_LIMIT:
        raise _too_long(_("reasons"), reasons, REASONS_LIMIT)
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.initiative_id is None:
            raise CouncilRefused(
                _("This agenda item has no initiative to decide on."), code="no_initiative"
            )
        if CouncilDecision.objects.filter(agenda_item=item).exists():
            raise CouncilRefused(
                _("The council has decided on this agenda item already."), code="decided"
            )
        if meeting.event.starts_at > timezone.now():
            raise CouncilRefused(
                _("The council decides at its meeting: this meeting has not started yet."),
                code="not_started",
            )
        initiative = (
            Initiative.objects.select_related("area__parent__parent", "area__municipality")
            .select_for_update(of=("self",))
            .get(pk=item.initiative_id)
        )
        _check_addressed(initiative, council)
        members = {user.pk: user for user in members_of(council)}
        present = set(present)
        strangers = (present | set(choices)) - set(members)
        if strangers:
            raise CouncilRefused(
                _(
                    "Only members of %(council)s are present and vote: %(count)d of those named "
                    "are not members."
                )
                % {"council": council.name, "count": len(strangers)},
                code="not_a_member",
            )
        absent_votes = set(choices) - present
        if absent_votes:
            names = ", ".join(sorted(members[pk].display_name for pk in absent_votes))
            raise CouncilRefused(
                _("Only members present vote; absent: %(names)s.") % {"names": names},
                code="absent_vote",
            )
        silent = present - set(choices)
        if silent:
            names = ", ".join(sorted(members[pk].display_name for pk in silent))
            raise CouncilRefused(
                _("Every member present votes (for, against or abstains); no vote from %(names)s.")
                % {"names": names},
                code="vote_missing",
            )
        if any(choice not in Choice.values for choice in choices.values()):
            raise CouncilRefused(_("A vote is for, against or abstain."), code="bad_vote")
        rule = quorum_of(council, len(members))
        needed = rule.needed
        if len(choices) < needed:
            raise CouncilRefused(
                _(
                    "No quorum: %(present)d of the %(members)d members are present. The quorum "
                    "of %(council)s is %(quorum)s: the council cannot decide."
                )
                % {
                    "present": len(choices),
                    "members": len(members),
                    "council": council.name,
                    "quorum": quorum_describe(needed, len(members), rule.rule),
                },
                code="no_quorum",
            )
        votes_for, votes_against, abstentions = counting.tally(choices.values())
        outcome = counting.outcome(choices.values())
        fund: Fund | None = None
        if outcome == Outcome.APPROVED:
            if amount_cents is None or amount_cents <= 0:
                raise CouncilRefused(
                    _("The council approved: enter the amount it grants (more than zero)."),
                    code="amount_required",
                )
            fund = council_fund(council, initiative.area)
            if fund is None:
                raise CouncilRefused(
                    _("%(council)s has no open fund of its own to grant from this year.")
                    % {"council": council.name},
                    code="no_fund",
                )
        with translation.override(_site_language()):
            tally_line = _(
                "Decided by %(council)s at its meeting of %(date)s: %(for)d for, %(against)d "
                "against, %(abstain)d abstaining, %(present)d of %(members)d members present."
            ) % {
                "council": council.name,
                "date": _date(meeting.event.starts_at),
                "for": votes_for,
                "against": votes_against,
                "abstain": abstentions,
                "present": len(choices),
                "members": len(members),
            }
            tally_line += " " + _("Quorum: %(quorum)s. Present: %(names)s.") % {
                "quorum": quorum_describe(needed, len(members), rule.rule),
                "names": ", ".join(sorted(members[pk].display_name for pk in choices)),
            }
            if outcome == Outcome.REJECTED and votes_for == votes_against:
                tally_line += " " + _("The votes were tied, so the proposal is rejected.")
        initiative, decision = initiative_services.initiative_council_decide(
            actor=actor,
            initiative=initiative,
            approve=outcome == Outcome.APPROVED,
            reasons=f"{reasons}\n\n{tally_line}",
            amount_cents=amount_cents if outcome == Outcome.APPROVED else None,
            fund=fund,
            signed_as=_signed_as(council),
        )
        record = CouncilDecision.objects.create(
            agenda_item=item,
            council=council,
            initiative=initiative,
            outcome=outcome,
            amount_cents=amount_cents if outcome == Outcome.APPROVED else None,
            fund=fund,
            reasons=reasons,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            members=len(members),
            quorum=needed,
            decision=decision,
            recorded_by=actor,
            decided_at=timezone.now(),
        )
        Vote.objects.bulk_create(
            Vote(decision=record, member_id=pk, choice=choice) for pk, choice in choices.items()
        )
        audit.record(
            actor=actor,
            action=CouncilAction.DECIDE,
            instance=record,
            after={
                "initiative": initiative.pk,
                "outcome": outcome,
                "amount_cents": record.amount_cents,
                "fund": fund.pk if fund else None,
                "votes_for": votes_for,
                "votes_against": votes_against,
                "abstentions": abstentions,
                "present": len(choices),
                "quorum": needed,
                "votes": _vote_lines(members, choices),
                "reference": decision.reference,
            },
        )
        _tell_followers("councils.decided", council, {"decision": record}, actor)
    return record


def _site_language() -> str:
    from django.conf import settings

    return str(settings.LANGUAGE_CODE)


def _date(moment: datetime.datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "j F Y")


def _tell_followers(event_name: str, target: Any, context: dict[str, Any], actor: Any) -> None:
    """Followers of the council (and of its area) hear of a decision or published minutes."""
    try:
        from wijkwerk.follows.services import notify_followers
    except ImportError:  # pragma: no cover - before the follows app had it
        return
    notify_followers(event_name, target, context=context, exclude=[actor])
