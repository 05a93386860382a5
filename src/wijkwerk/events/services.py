"""Writes for events and sign-ups. Every write is one transaction with the permission check and
an audit event; a refusal is an `EventRefused` with a stable code (refusals.py) and saves nothing.

Places and the waiting list: a sign-up that counts (an account's click, or an address's
confirmation) takes a place while there is one, else goes on the waiting list, first come first
served by the moment it counted. Every step that takes or frees a place locks the event's row
first (`select_for_update`), so two sign-ups or cancellations at the same moment never give out
more places than the capacity: cancelling a place, or raising the capacity, moves the first on
the waiting list up in the same transaction and mails them.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.core import audit, notifications, ratelimit
from wijkwerk.follows.services import notify_followers

from .audit_actions import EventAction
from .models import Event, EventKind, EventStatus, Rsvp, RsvpStatus
from .refusals import EventRefused

MAX_CAPACITY = 100_000
MAX_AHEAD = datetime.timedelta(days=5 * 366)
MAX_DURATION = datetime.timedelta(days=31)
CONFIRM_DAYS = 3  # a confirmation link works this long
TOKEN_SALT = "wijkwerk.events.rsvp"  # noqa: S105 - a signing salt, no secret
TEXT_LIMITS = {"title": 150, "place_name": 150, "address": 200, "description": 10_000}
CANCEL_REASON_LIMIT = 2_000
ACTIVE = (RsvpStatus.GOING, RsvpStatus.WAITING)

# what the audit trail keeps of an event
EVENT_FIELDS = [
    "title",
    "kind",
    "council",
    "group",
    "starts_at",
    "ends_at",
    "place_name",
    "address",
    "latitude",
    "longitude",
    "capacity",
    "rsvp_enabled",
    "is_public",
    "status",
    "cancel_reason",
    "attendance_count",
    "sequence",
]
# what it keeps of a sign-up: never a name or an address
RSVP_FIELDS = ["event", "status", "attended"]
EDITABLE = ["title", "description", "starts_at", "ends_at", "place_name", "address"]
EDITABLE += ["latitude", "longitude", "capacity", "rsvp_enabled", "is_public"]


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now if now is not None else timezone.now()


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("area__municipality").get(pk=event.pk)


def _require(actor: Any, event: Event) -> None:
    if not actor.has_perm("events.organise_event", event):
        raise PermissionDenied


def _record_rsvp(actor: Any, action: str, rsvp: Rsvp, before: dict[str, Any] | None) -> None:
    audit.record(
        actor=actor,
        action=action,
        instance=rsvp,
        before=before,
        after=audit.snapshot(rsvp, RSVP_FIELDS) | {"position": waiting_position(rsvp)},
        municipality_id=rsvp.event.area.municipality_id,
    )


# ----- Checking what an organiser types -----------------------------------------------------------


def validate(
    data: Mapping[str, Any], *, event: Event | None = None, now: datetime.datetime | None = None
) -> None:
    """Raise EventRefused (with every problem) for data an event cannot have. `event`: the event
    being changed (its start may stay in the past; its capacity may not fall below the places
    taken)."""
    now = _now(now)
    problems: list[EventRefused] = []

    def refuse(message: str, code: str) -> None:
        problems.append(EventRefused(message, code))

    for name, limit in TEXT_LIMITS.items():
        value = str(data.get(name) or "")
        if len(value) > limit:
            refuse(
                _("The %(field)s may be at most %(limit)d characters long (it is %(length)d).")
                % {"field": _field_name(name), "limit": limit, "length": len(value)},
                "too_long",
            )
    if not str(data.get("title") or "").strip():
        refuse(_("Give the event a title."), "incomplete")
    if not str(data.get("place_name") or "").strip():
        refuse(_("Say where the event takes place."), "incomplete")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts is not None and ends is not None:
        if ends <= starts:
            refuse(_("The event must end after it starts."), "ends_before_start")
        elif ends - starts > MAX_DURATION:
            refuse(_("An event lasts at most 31 days."), "too_far")
    if starts is not None:
        moved = event is None or starts != event.starts_at
        if moved and starts < now:
            refuse(
                _("The start lies in the past. Choose a date and time to come."), "start_in_past"
            )
        elif starts > now + MAX_AHEAD:
            refuse(_("The start lies more than five years ahead."), "too_far")
    elif event is None:
        refuse(_("Give the date and time the event starts."), "incomplete")
    capacity = data.get("capacity")
    if capacity is not None:
        if capacity < 1:
            refuse(
                _("The number of places must be at least 1. Leave it empty for no limit."),
                "capacity",
            )
        elif capacity > MAX_CAPACITY:
            refuse(_("The number of places may be at most 100,000."), "capacity")
        elif event is not None and event.pk:
            taken = event.rsvps.filter(status=RsvpStatus.GOING).count()
            if capacity < taken:
                refuse(
                    _(
                        "%(taken)d people have a place already: the number of places cannot be "
                        "lower than that."
                    )
                    % {"taken": taken},
                    "capacity",
                )
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if (latitude is None) != (longitude is None):
        refuse(_("A map point needs both a latitude and a longitude."), "incomplete")
    if latitude is not None and not Decimal(-90) <= Decimal(latitude) <= Decimal(90):
        refuse(_("A latitude lies between -90 and 90."), "incomplete")
    if longitude is not None and not Decimal(-180) <= Decimal(longitude) <= Decimal(180):
        refuse(_("A longitude lies between -180 and 180."), "incomplete")
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise EventRefused([p.messages[0] for p in problems], str(problems[0].code))


def _field_name(name: str) -> str:
    return {
        "title": _("title"),
        "place_name": _("place"),
        "address": _("address"),
        "description": _("description"),
    }[name]


# ----- Announcing, changing, cancelling -----------------------------------------------------------


def event_create(
    *,
    actor: Any,
    area: Any,
    data: Mapping[str, Any],
    council: Any = None,
    group: Any = None,
    kind: str = EventKind.EVENT,
    now: datetime.datetime | None = None,
) -> Event:
    """Announce an event of `area`, organised by `council`, `group` or (neither) the
    municipality. A council meeting (`kind`) needs its council; the councils app makes its
    agenda. Followers of the area, council or group hear of it."""
    if council is not None and council.area_id != area.pk:
        raise EventRefused(_("This council belongs to another area."), "wrong_area")
    if group is not None and group.area_id != area.pk:
        raise EventRefused(_("This resident group belongs to another area."), "wrong_area")
    if kind == EventKind.COUNCIL_MEETING and council is None:
        raise EventRefused(_("A council meeting needs its council."), "incomplete")
    event = Event(area=area, council=council, group=group, kind=kind)
    _require(actor, event)
    validate(data, now=now)
    with transaction.atomic():
        for name in EDITABLE:
            if name in data:
                setattr(event, name, data[name])
        event.created_by = actor if getattr(actor, "pk", None) else None
        event.save()
        audit.record(
            actor=actor,
            action=EventAction.CREATE,
            instance=event,
            after=audit.snapshot(event, EVENT_FIELDS),
        )
        announce(event, actor)
    return event


def announce(event: Event, actor: Any = None) -> None:
    """Tell the followers of the event's group, council or area (each person once, through the
    nearest thing they follow: a council's and a group's followers and their area's)."""
    target = event.group or event.council or event.area
    exclude = [actor] if getattr(actor, "pk", None) else []
    notify_followers("events.announced", target, context={"event": event}, exclude=exclude)


def event_change(
    *, actor: Any, event: Event, data: Mapping[str, Any], now: datetime.datetime | None = None
) -> Event:
    """Change an event; its iCalendar SEQUENCE goes up, so calendars take the change. A higher
    capacity moves people up from the waiting list."""
    _require(actor, event)
    with transaction.atomic():
        event = _lock(event)
        if event.status == EventStatus.CANCELLED:
            raise EventRefused(_("This event was cancelled: it cannot be changed."), "cancelled")
        data = {name: getattr(event, name) for name in EDITABLE} | dict(data)
        validate(data, event=event, now=now)
        before = audit.snapshot(event, EVENT_FIELDS)
        before_values = {name: getattr(event, name) for name in TIME_FIELDS + PLACE_FIELDS}
        changed = False
        for name in EDITABLE:
            if name in data and getattr(event, name) != data[name]:
                setattr(event, name, data[name])
                changed = True
        if not changed:
            return event
        event.sequence += 1
        event.save()
        audit.record(
            actor=actor,
            action=EventAction.CHANGE,
            instance=event,
            before=before,
            after=audit.snapshot(event, EVENT_FIELDS),
        )
        _promote(actor, event, now=_now(now))
        _tell_of_change(event, before_values)
    return event


# What those signed up hear of when it changes: when and where (the rest is on the page).
TIME_FIELDS = ("starts_at", "ends_at")
PLACE_FIELDS = ("place_name", "address")
CHANGE_MAIL_LIMIT = "event_change_mail"


def _tell_of_change(event: Event, before: dict[str, Any]) -> None:
    """Mail everyone with a place or on the waiting list (with an account, or with a confirmed
    address) what changed of the time or the place, old → new, with the updated calendar file
    (its SEQUENCE raised). One batch of mails per change, queued on commit; at most
    `WIJKWERK_RATE_LIMITS["event_change_mail"]` batches per event (a flurry of corrections
    does not flood anyone's inbox: above it the change is saved, the page and the calendar
    feed show it, and `event.change_mail_held` tells the organiser no mail went)."""
    event.change_mailed = 0  # type: ignore[attr-defined]
    event.change_mail_held = False  # type: ignore[attr-defined]
    time_changed = any(before[name] != getattr(event, name) for name in TIME_FIELDS)
    place_changed = any(before[name] != getattr(event, name) for name in PLACE_FIELDS)
    if not (time_changed or place_changed):
        return
    rsvps = list(event.rsvps.filter(status__in=ACTIVE).select_related("user").order_by("pk"))
    if not rsvps:
        return
    try:
        ratelimit.limit(SimpleNamespace(pk=event.pk), CHANGE_MAIL_LIMIT)
    except ratelimit.RateLimited:
        event.change_mail_held = True  # type: ignore[attr-defined]
        return
    context = {
        "event": event,
        "time_changed": time_changed,
        "place_changed": place_changed,
        "old_starts_at": before["starts_at"],
        "old_ends_at": before["ends_at"],
        "old_place_name": before["place_name"],
        "old_address": before["address"],
    }
    for rsvp in rsvps:
        _mail("events.changed", rsvp, dict(context))
    event.change_mailed = len(rsvps)  # type: ignore[attr-defined]


def event_cancel(
    *, actor: Any, event: Event, reason: str, now: datetime.datetime | None = None
) -> Event:
    """Cancel an event, with the reason residents read; everyone signed up or waiting hears."""
    _require(actor, event)
    reason = (reason or "").strip()
    if not reason:
        raise EventRefused(_("Say why the event is cancelled."), "reason_required")
    if len(reason) > CANCEL_REASON_LIMIT:
        raise EventRefused(
            _("The reason may be at most %(limit)d characters long.")
            % {"limit": CANCEL_REASON_LIMIT},
            "too_long",
        )
    with transaction.atomic():
        event = _lock(event)
        if event.status == EventStatus.CANCELLED:
            raise EventRefused(_("This event was cancelled already."), "cancelled")
        before = audit.snapshot(event, EVENT_FIELDS)
        event.status = EventStatus.CANCELLED
        event.cancel_reason = reason
        event.sequence += 1
        event.save()
        audit.record(
            actor=actor,
            action=EventAction.CANCEL,
            instance=event,
            before=before,
            after=audit.snapshot(event, EVENT_FIELDS),
        )
        for rsvp in event.rsvps.filter(status__in=ACTIVE).select_related("user"):
            _mail("events.cancelled", rsvp, {"event": event, "reason": reason})
    return event


def attendance_record(
    *,
    actor: Any,
    event: Event,
    count: int,
    attended: Iterable[int] = (),
    now: datetime.datetime | None = None,
) -> Event:
    """Record afterwards how many came, and (optionally) which of those signed up came."""
    _require(actor, event)
    now = _now(now)
    ticked = set(attended)
    with transaction.atomic():
        event = _lock(event)
        if event.status == EventStatus.CANCELLED:
            raise EventRefused(_("This event was cancelled."), "cancelled")
        if event.starts_at > now:
            raise EventRefused(
                _("Attendance can be recorded once the event has begun."), "not_started"
            )
        if count is None or count < 0 or count > MAX_CAPACITY:
            raise EventRefused(_("Give the number of people who came: 0 to 100,000."), "attendance")
        rsvps = list(event.rsvps.filter(status=RsvpStatus.GOING))
        known = {rsvp.pk for rsvp in rsvps}
        if not ticked <= known:
            raise EventRefused(_("Only people who signed up can be ticked."), "attendance")
        if len(ticked) > count:
            raise EventRefused(
                _(
                    "You ticked %(names)d names but entered %(count)d people: the number who came "
                    "is at least the names ticked."
                )
                % {"names": len(ticked), "count": count},
                "attendance",
            )
        before = audit.snapshot(event, EVENT_FIELDS)
        event.attendance_count = count
        event.save(update_fields=["attendance_count", "updated_at"])
        for rsvp in rsvps:
            came = rsvp.pk in ticked
            if rsvp.attended != came:
                rsvp.attended = came
                rsvp.save(update_fields=["attended"])
        audit.record(
            actor=actor,
            action=EventAction.ATTENDANCE,
            instance=event,
            before=before,
            after=audit.snapshot(event, EVENT_FIELDS) | {"names_ticked": len(ticked)},
        )
    return event


# ----- Signing up ---------------------------------------------------------------------------------


def _open_for_sign_up(event: Event, now: datetime.datetime) -> None:
    if event.status == EventStatus.CANCELLED:
        raise EventRefused(
            _("This event was cancelled: you cannot sign up for it."), "event_cancelled"
        )
    if event.starts_at <= now:
        raise EventRefused(
            _("This event has already begun or is over: you cannot sign up any more."),
            "event_past",
        )
    if not event.is_public:
        raise EventRefused(
            _("This meeting is closed to the public: there is no signing up."), "rsvp_closed"
        )
    if not event.rsvp_enabled:
        raise EventRefused(_("You do not need to sign up for this event."), "rsvp_closed")


def places_taken(event: Event) -> int:
    return event.rsvps.filter(status=RsvpStatus.GOING).count()


def waiting_position(rsvp: Rsvp) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if rsvp.status != RsvpStatus.WAITING or rsvp.queued_at is None:
        return None
    ahead = Rsvp.objects.filter(event_id=rsvp.event_id, status=RsvpStatus.WAITING).filter(
        Q(queued_at__lt=rsvp.queued_at) | Q(queued_at=rsvp.queued_at, pk__lt=rsvp.pk)
    )
    return ahead.count() + 1


def _place(event: Event, rsvp: Rsvp, now: datetime.datetime) -> None:
    """Give a sign-up that counts now a place, or a place on the waiting list (the event's row
    is locked by the caller)."""
    waiting = event.rsvps.filter(status=RsvpStatus.WAITING).exclude(pk=rsvp.pk).exists()
    full = event.capacity is not None and places_taken(event) >= event.capacity
    rsvp.status = RsvpStatus.WAITING if full or waiting else RsvpStatus.GOING
    # the moment it counted, taken under the event's lock: the order of the waiting list is the
    # order in which sign-ups got the lock (a time taken before it could be out of order)
    rsvp.queued_at = max(now, timezone.now())
    rsvp.cancelled_at = None


def _promote(actor: Any, event: Event, *, now: datetime.datetime) -> list[Rsvp]:
    """Move the first on the waiting list up while there are places (the event's row is
    locked by the caller); each hears so."""
    if event.status == EventStatus.CANCELLED or event.starts_at <= now:
        return []
    free = None if event.capacity is None else event.capacity - places_taken(event)
    if free is not None and free <= 0:
        return []
    queue = (
        event.rsvps.select_for_update()
        .filter(status=RsvpStatus.WAITING)
        .order_by("queued_at", "pk")
    )
    moved = list(queue if free is None else queue[:free])
    for rsvp in moved:
        rsvp.event = event
        before = audit.snapshot(rsvp, RSVP_FIELDS)
        rsvp.status = RsvpStatus.GOING
        rsvp.save(update_fields=["status"])
        _record_rsvp(actor, EventAction.RSVP_PROMOTE, rsvp, before)
        _mail("events.rsvp_promoted", rsvp, {"event": event})
    return moved


def rsvp_sign_up(*, actor: Any, event: Event, now: datetime.datetime | None = None) -> Rsvp:
    """A logged-in person signs up with one click: a place, or a place on the waiting list."""
    now = _now(now)
    if not getattr(actor, "is_authenticated", False) or actor.pk is None:
        raise PermissionDenied
    ratelimit.limit(actor, "event_rsvp")
    with transaction.atomic():
        event = _lock(event)
        _open_for_sign_up(event, now)
        rsvp = Rsvp.objects.select_for_update().filter(event=event, user=actor).first()
        if rsvp is not None and rsvp.status in ACTIVE:
            rsvp.event = event
            raise _already(rsvp)
        before = None if rsvp is None else audit.snapshot(rsvp, RSVP_FIELDS)
        if rsvp is None:
            rsvp = Rsvp(event=event, user=actor)
        rsvp.event = event
        _place(event, rsvp, now)
        rsvp.save()
        _record_rsvp(actor, EventAction.RSVP_CREATE, rsvp, before)
        _mail_placed(rsvp)
    return rsvp


def _already(rsvp: Rsvp) -> EventRefused:
    if rsvp.status == RsvpStatus.GOING:
        return EventRefused(_("You are already signed up for this event."), "already_signed_up")
    return EventRefused(
        _("You are already on the waiting list, as number %(position)d.")
        % {"position": waiting_position(rsvp) or 0},
        "already_signed_up",
    )


def _address_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def rsvp_request(
    *,
    event: Event,
    name: str,
    email: str,
    language: str = "",
    client: str = "unknown",
    now: datetime.datetime | None = None,
) -> Rsvp | None:
    """Someone without an account gives a name and an address: they get a mail with a link to
    confirm it (CONFIRM_DAYS). Only a confirmed sign-up counts. Limited per client address and
    per e-mail address (it mails a person). The answer never tells whether the address signed
    up before: the mail does (the link to confirm, or to cancel a sign-up that counts)."""
    now = _now(now)
    email = email.strip()
    name = name.strip()
    if not name or not email:
        raise EventRefused(_("Give your name and your e-mail address."), "incomplete")
    if len(name) > 150 or len(email) > 254:
        raise EventRefused(_("Your name or e-mail address is too long."), "too_long")
    _open_for_sign_up(event, now)
    ratelimit.limit(SimpleNamespace(pk=f"ip:{client}"), "event_rsvp")
    ratelimit.limit(SimpleNamespace(pk=f"address:{_address_key(email)}"), "event_rsvp_address")
    with transaction.atomic():
        event = _lock(event)
        _open_for_sign_up(event, now)
        rsvp = (
            Rsvp.objects.select_for_update()
            .filter(event=event, user__isnull=True, email__iexact=email)
            .first()
        )
        if rsvp is not None and rsvp.status in ACTIVE:
            rsvp.event = event
            _mail_placed(rsvp)  # "you are signed up already", with the link to cancel
            return rsvp
        before = None if rsvp is None else audit.snapshot(rsvp, RSVP_FIELDS)
        if rsvp is None:
            rsvp = Rsvp(event=event, email=email)
        rsvp.event = event
        rsvp.name = name
        rsvp.language = language[:10]
        rsvp.status = RsvpStatus.PENDING
        rsvp.queued_at = None
        rsvp.save()
        _record_rsvp(None, EventAction.RSVP_REQUEST, rsvp, before)
        _mail(
            "events.rsvp_confirm",
            rsvp,
            {"event": event, "manage_url": manage_url(rsvp), "days": CONFIRM_DAYS},
        )
    return rsvp


def rsvp_token(rsvp: Rsvp) -> str:
    """A signed token for a sign-up without an account: its id and its address's fingerprint,
    with the time it was made (confirming needs a recent one; cancelling works with any)."""
    return signing.dumps({"r": rsvp.pk, "a": _address_key(rsvp.email)}, salt=TOKEN_SALT)


def manage_url(rsvp: Rsvp) -> str:
    return reverse("events:rsvp_manage", kwargs={"token": rsvp_token(rsvp)})


def rsvp_from_token(token: str, *, max_age: datetime.timedelta | None = None) -> Rsvp | None:
    """The sign-up a token names, or None for a token that is forged, expired, or of an
    address that the sign-up no longer has."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    rsvp = (
        Rsvp.objects.select_related("event__area__municipality", "event__council", "event__group")
        .filter(pk=data["r"], user__isnull=True)
        .first()
    )
    if rsvp is None or _address_key(rsvp.email) != data.get("a"):
        return None
    return rsvp


def token_is_fresh(token: str) -> bool:
    try:
        signing.loads(token, salt=TOKEN_SALT, max_age=datetime.timedelta(days=CONFIRM_DAYS))
    except signing.BadSignature:
        return False
    return True


def rsvp_confirm(*, rsvp: Rsvp, token: str, now: datetime.datetime | None = None) -> Rsvp:
    """The address's owner clicked the link in time: the sign-up counts (a place, or the
    waiting list). Confirming twice changes nothing."""
    now = _now(now)
    if not token_is_fresh(token):
        raise EventRefused(
            _(
                "This confirmation link has expired. Sign up again on the event's page: you will "
                "get a new link."
            ),
            "link_expired",
        )
    with transaction.atomic():
        event = _lock(rsvp.event)
        rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
        rsvp.event = event
        if rsvp.status in ACTIVE:
            return rsvp
        if rsvp.status == RsvpStatus.CANCELLED:
            raise EventRefused(
                _("This sign-up was cancelled. Sign up again on the event's page."),
                "not_signed_up",
            )
        _open_for_sign_up(event, now)
        before = audit.snapshot(rsvp, RSVP_FIELDS)
        _place(event, rsvp, now)
        rsvp.save()
        _record_rsvp(None, EventAction.RSVP_CONFIRM, rsvp, before)
        _mail_placed(rsvp)
    return rsvp


def rsvp_cancel(*, actor: Any, rsvp: Rsvp, now: datetime.datetime | None = None) -> Rsvp:
    """Cancel a sign-up (the person's own: the account, or the holder of the link). A place
    that comes free goes to the first on the waiting list, in the same transaction."""
    now = _now(now)
    if rsvp.user_id is not None and getattr(actor, "pk", None) != rsvp.user_id:
        raise PermissionDenied
    with transaction.atomic():
        event = _lock(rsvp.event)
        rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
        rsvp.event = event
        if rsvp.status == RsvpStatus.CANCELLED:
            raise EventRefused(_("This sign-up was cancelled already."), "not_signed_up")
        if event.starts_at <= now and rsvp.status != RsvpStatus.PENDING:
            raise EventRefused(
                _("The event has begun: a sign-up can no longer be cancelled."), "event_past"
            )
        before = audit.snapshot(rsvp, RSVP_FIELDS)
        rsvp.status = RsvpStatus.CANCELLED
        rsvp.cancelled_at = now
        rsvp.save(update_fields=["status", "cancelled_at"])
        _record_rsvp(actor, EventAction.RSVP_CANCEL, rsvp, before)
        _promote(actor, event, now=now)
    return rsvp


# ----- Mail ---------------------------------------------------------------------------------------


def _mail(name: str, rsvp: Rsvp, context: dict[str, Any]) -> None:
    if rsvp.user_id is not None:
        notifications.notify(name, recipients=[rsvp.user], context=context)
    else:
        if "manage_url" not in context:
            context = {**context, "manage_url": manage_url(rsvp)}
        notifications.notify(
            name, recipients=[rsvp.email], context=context, language=rsvp.language or None
        )


def _mail_placed(rsvp: Rsvp) -> None:
    if rsvp.status == RsvpStatus.GOING:
        _mail("events.rsvp_going", rsvp, {"event": rsvp.event})
    else:
        _mail(
            "events.rsvp_waiting",
            rsvp,
            {"event": rsvp.event, "position": waiting_position(rsvp) or 0},
        )


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Mail everyone with a place at an event that starts tomorrow (local date); once each
    (`reminded_at`), so running it twice, or from two servers, sends nothing twice."""
    now = _now(now)
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    sent = 0
    events = Event.objects.filter(
        status=EventStatus.SCHEDULED, starts_at__gte=start, starts_at__lt=end
    ).annotate(
        due=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.GOING, rsvps__reminded_at=None))
    )
    for event in events.filter(due__gt=0):
        with transaction.atomic():
            due = list(
                Rsvp.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(event=event, status=RsvpStatus.GOING, reminded_at=None)
            )
            for rsvp in due:
                rsvp.reminded_at = now
                rsvp.save(update_fields=["reminded_at"])
                _mail("events.reminder", rsvp, {"event": event})
                sent += 1
    return sent
