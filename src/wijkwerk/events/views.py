"""The events' pages: an event (with signing up), the lists of an area and a municipality, the
calendar files, and the organiser's pages (announce, change, cancel, sign-ups, attendance).

Access: everyone sees every event and list (a closed council meeting is announced too). The
organiser's pages are for whoever may organise the event (`events.organise_event`, policy.py):
anonymous visitors go to the login page, others get 403. Signing up without an account goes
through the link mailed to the address (`rsvp_manage`), which needs no login.
"""

from __future__ import annotations

from typing import Any

from allauth.core.internal.httpkit import get_client_ip
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wijkwerk.areas.models import Area, AreaCouncil, Municipality, ResidentGroup
from wijkwerk.core.gates import permission_required
from wijkwerk.core.ratelimit import RateLimited

from . import ics, selectors, services
from .forms import AttendanceForm, CancelForm, EventForm, RsvpForm
from .models import Event, EventStatus, RsvpStatus
from .refusals import EventRefused
from .texts import map_link, when

MAX_ID = 10**18


def _area_or_404(request: HttpRequest, municipality: str, area: str, **kwargs: Any) -> Area:
    found = (
        Area.objects.select_related("municipality", "parent__parent")
        .filter(municipality__slug=municipality, slug=area)
        .first()
    )
    if found is None or not request.user.has_perm("areas.view_area", found):
        raise Http404
    return found


def _event_or_404(request: HttpRequest, pk: int, **kwargs: Any) -> Event:
    event = selectors.event_page(pk) if 0 < pk < MAX_ID else None
    if event is None:
        raise Http404
    return event


def _refusal_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# ----- Public pages -------------------------------------------------------------------------------


def municipality_list(request: HttpRequest, municipality: str) -> HttpResponse:
    found = Municipality.objects.filter(slug=municipality).first()
    if found is None:
        raise Http404
    return render(
        request,
        "events/municipality_list.html",
        {"municipality": found, "events": selectors.municipality_events(found)},
    )


def area_list(request: HttpRequest, municipality: str, area: str) -> HttpResponse:
    found = _area_or_404(request, municipality, area)
    lists = selectors.area_events(found)
    may_organise = _organiser_choices(request.user, found) if request.user.is_authenticated else []
    return render(
        request,
        "events/area_list.html",
        {"area": found, **lists, "may_announce": bool(may_organise)},
    )


def area_feed(request: HttpRequest, municipality: str, area: str) -> HttpResponse:
    found = _area_or_404(request, municipality, area)
    body = ics.calendar(selectors.feed_events(found), name=ics.feed_name(found))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{found.slug}.ics"'
    return response


def _detail_context(request: HttpRequest, event: Event, **extra: Any) -> dict[str, Any]:
    user = request.user
    own = selectors.own_rsvp(event, user)
    now = timezone.now()
    position = services.waiting_position(own) if own is not None else None
    may_organise = user.is_authenticated and user.has_perm("events.organise_event", event)
    context = {
        "event": event,
        "when": when(event),
        "map_link": map_link(event),
        "own": own,
        "position": position,
        "may_organise": may_organise,
        "is_cancelled": event.status == EventStatus.CANCELLED,
        "has_begun": event.starts_at <= now,
        "is_over": event.ends_at <= now,
        "takes_sign_ups": event.rsvp_enabled and event.is_public,
        "places_left": None
        if event.capacity is None
        else max(event.capacity - event.going_count, 0),  # type: ignore[attr-defined]
        "rsvp_form": None if user.is_authenticated else RsvpForm(),
    }
    context.update(extra)
    context["can_sign_up"] = (
        context["takes_sign_ups"]
        and not context["is_cancelled"]
        and not context["has_begun"]
        and own is None
    )
    return context


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    return render(request, "events/detail.html", _detail_context(request, event))


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    response = HttpResponse(ics.calendar([event]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bijeenkomst-{event.pk}.ics"'
    return response


# ----- Signing up ---------------------------------------------------------------------------------


@require_POST
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    """One click for a logged-in person; a name and an address (confirmed by mail) otherwise."""
    event = _event_or_404(request, pk)
    if request.user.is_authenticated:
        try:
            made = services.rsvp_sign_up(actor=request.user, event=event)
        except (EventRefused, RateLimited) as refused:
            messages.error(request, _refusal_text(refused))
            return redirect(event)
        if made.status == RsvpStatus.GOING:
            messages.success(request, _("You are signed up. We sent you a confirmation by e-mail."))
        else:
            messages.warning(
                request,
                _("The event is full. You are on the waiting list, as number %(position)d.")
                % {"position": services.waiting_position(made) or 0},
            )
        return redirect(event)
    form = RsvpForm(request.POST)
    if form.is_valid():
        try:
            services.rsvp_request(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                language=translation.get_language() or "",
                client=str(get_client_ip(request) or "unknown"),
            )
        except (EventRefused, RateLimited) as refused:
            form.add_error(None, _refusal_text(refused))
        else:
            messages.info(
                request,
                _(
                    "Almost done: we sent you an e-mail. Click the link in it to confirm your "
                    "sign-up; only then does it count."
                ),
            )
            return redirect(event)
    context = _detail_context(request, event, rsvp_form=form)
    return render(request, "events/detail.html", context, status=400)


@require_POST
@login_required
def rsvp_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    own = selectors.own_rsvp(event, request.user)
    if own is None:
        messages.error(request, _("You are not signed up for this event."))
        return redirect(event)
    own.event = event
    try:
        services.rsvp_cancel(actor=request.user, rsvp=own)
    except EventRefused as refused:
        messages.error(request, _refusal_text(refused))
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect(event)


@never_cache
@require_http_methods(["GET", "POST"])
def rsvp_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The page the mailed link opens (no login): confirm the sign-up (a button, so that a mail
    scanner opening the link confirms nothing), see its place, or cancel it."""
    found = services.rsvp_from_token(token) if len(token) < 400 else None
    if found is None:
        return render(request, "events/rsvp_invalid.html", status=404)
    event = found.event
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                found = services.rsvp_confirm(rsvp=found, token=token)
                if found.status == RsvpStatus.GOING:
                    messages.success(request, _("Thank you: your sign-up is confirmed."))
                else:
                    messages.warning(
                        request,
                        _(
                            "Thank you. The event is full: you are on the waiting list, as "
                            "number %(position)d."
                        )
                        % {"position": services.waiting_position(found) or 0},
                    )
            elif action == "cancel":
                services.rsvp_cancel(actor=request.user, rsvp=found)
                messages.success(request, _("Your sign-up is cancelled."))
            else:
                return HttpResponse(status=400)
        except EventRefused as refused:
            messages.error(request, _refusal_text(refused))
        return redirect("events:rsvp_manage", token=token)
    found.event = event
    return render(
        request,
        "events/rsvp_manage.html",
        {
            "event": event,
            "rsvp": found,
            "when": when(event),
            "position": services.waiting_position(found),
            "fresh": services.token_is_fresh(token),
            "has_begun": event.starts_at <= timezone.now(),
        },
    )


# ----- The organiser's pages ----------------------------------------------------------------------


def _organiser_choices(user: Any, area: Area) -> list[tuple[str, str]]:
    """Who the person may announce an event for in this area: the municipality, a council, a
    resident group (as value, label pairs)."""
    choices: list[tuple[str, str]] = []
    probe = Event(area=area)
    if user.has_perm("events.organise_event", probe):
        choices.append(("", _("The municipality")))
    for council in AreaCouncil.objects.filter(area=area).order_by("name"):
        if user.has_perm("events.organise_event", Event(area=area, council=council)):
            choices.append((f"council:{council.pk}", str(council)))
    for group in ResidentGroup.objects.filter(area=area, dissolved_at__isnull=True).order_by(
        "name"
    ):
        if user.has_perm("events.organise_event", Event(area=area, group=group)):
            choices.append((f"group:{group.pk}", str(group)))
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, municipality: str, area: str) -> HttpResponse:
    found = _area_or_404(request, municipality, area)
    choices = _organiser_choices(request.user, found)
    if not choices:
        raise PermissionDenied
    # the municipality's choice has the value "": the select needs a value for it
    options = [(value or "municipality", label) for value, label in choices]
    form = EventForm(request.POST or None, organisers=options)
    if request.method == "POST" and form.is_valid():
        kind, _sep, key = form.cleaned_data["organiser"].partition(":")
        council = (
            AreaCouncil.objects.filter(pk=key, area=found).first() if kind == "council" else None
        )
        group = (
            ResidentGroup.objects.filter(pk=key, area=found).first() if kind == "group" else None
        )
        try:
            event = services.event_create(
                actor=request.user,
                area=found,
                council=council,
                group=group,
                data=form.values(),
            )
        except EventRefused as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The event is announced."))
            return redirect(event)
    return render(request, "events/form.html", {"form": form, "area": found, "event": None})


@login_required
@permission_required("events.organise_event", fn=_event_or_404, as_="event")
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int, event: Event) -> HttpResponse:
    if event.status == EventStatus.CANCELLED:
        messages.error(request, _("This event was cancelled: it cannot be changed."))
        return redirect(event)
    form = EventForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_change(actor=request.user, event=event, data=form.values())
        except EventRefused as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The event is changed."))
            mailed = getattr(event, "change_mailed", 0)
            if mailed:
                messages.info(
                    request,
                    ngettext(
                        "The person signed up has been mailed the new time or place, with the "
                        "updated calendar file.",
                        "The %(count)d people signed up have been mailed the new time or place, "
                        "with the updated calendar file.",
                        mailed,
                    )
                    % {"count": mailed},
                )
            elif getattr(event, "change_mail_held", False):
                messages.warning(
                    request,
                    _(
                        "Those signed up were not mailed again: they have had several mails "
                        "about changes to this event in a short time. They see the change on the "
                        "event's page and in their calendar feed."
                    ),
                )
            return redirect(event)
    return render(request, "events/form.html", {"form": form, "area": event.area, "event": event})


@login_required
@permission_required("events.organise_event", fn=_event_or_404, as_="event")
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int, event: Event) -> HttpResponse:
    if event.status == EventStatus.CANCELLED:
        messages.info(request, _("This event was cancelled already."))
        return redirect(event)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(
                actor=request.user, event=event, reason=form.cleaned_data["reason"]
            )
        except EventRefused as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The event is cancelled. Everyone who signed up hears so."))
            return redirect(event)
    return render(
        request,
        "events/cancel.html",
        {"form": form, "event": event, "when": when(event), "signed_up": event.going_count},  # type: ignore[attr-defined]
    )


@login_required
@permission_required("events.organise_event", fn=_event_or_404, as_="event")
def event_rsvps(request: HttpRequest, pk: int, event: Event) -> HttpResponse:
    return render(
        request,
        "events/rsvps.html",
        {"event": event, "when": when(event), "rows": selectors.rsvp_rows(event)},
    )


@login_required
@permission_required("events.organise_event", fn=_event_or_404, as_="event")
@require_http_methods(["GET", "POST"])
def event_attendance(request: HttpRequest, pk: int, event: Event) -> HttpResponse:
    if event.starts_at > timezone.now() or event.status == EventStatus.CANCELLED:
        messages.error(
            request,
            _("This event was cancelled.")
            if event.status == EventStatus.CANCELLED
            else _("Attendance can be recorded once the event has begun."),
        )
        return redirect(event)
    going = selectors.rsvp_rows(event)["going"]
    initial = {
        "count": event.attendance_count,
        "attended": [rsvp.pk for rsvp in going if rsvp.attended],
    }
    form = AttendanceForm(request.POST or None, rsvps=going, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                actor=request.user,
                event=event,
                count=form.cleaned_data["count"],
                attended=form.cleaned_data.get("attended") or [],
            )
        except EventRefused as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The attendance is recorded."))
            return redirect(event)
    return render(
        request, "events/attendance.html", {"form": form, "event": event, "when": when(event)}
    )
