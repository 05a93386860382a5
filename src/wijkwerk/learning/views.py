"""Thin views for pilots and lessons: parse, call a service or selector, render.

Pilots and published lessons are public. A lesson a visitor may not see (a resident's lesson
waiting for moderation, or rejected) answers 404; a step a visitor may not take answers 403;
refused input shows the form again with the message and status 400, with nothing saved; too many
lessons sent answers 429.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core.gates import permission_required
from wijkwerk.core.ratelimit import RateLimited
from wijkwerk.initiatives.selectors import ListPaginator, page_number

from . import selectors, services
from .forms import (
    FollowUpForm,
    LessonFilterForm,
    LessonForm,
    ModerationForm,
    PilotFilterForm,
    PilotForm,
    ResidentLessonForm,
)
from .models import Lesson, Pilot
from .policy import MUNICIPALITY_POLICY, PILOT_POLICY
from .states import PilotStatus

PER_PAGE = 20


def _pilot(request: HttpRequest, pk: int, **kwargs: Any) -> Pilot:
    found = selectors.pilot(pk)
    if found is None:
        raise Http404
    return found


def _lesson(request: HttpRequest, pk: int, **kwargs: Any) -> Lesson:
    found = selectors.lesson(pk)
    if found is None or not request.user.has_perm("learning.view_lesson", found):
        raise Http404
    return found


def _municipality(request: HttpRequest, municipality: str, **kwargs: Any) -> Municipality:
    return get_object_or_404(Municipality, slug=municipality)


def _refusal_on(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _all_areas() -> Any:
    return Area.objects.select_related("municipality").order_by("municipality__name", "name")


# --- public lists and pages ------------------------------------------------------------------


def pilots(request: HttpRequest) -> HttpResponse:
    """The pilots, per municipality, filtered by area and status."""
    municipalities = Municipality.objects.order_by("name")
    form = PilotFilterForm(request.GET or None, municipalities=municipalities, areas=_all_areas())
    chosen: dict[str, Any] = {}
    status = 200
    if form.is_bound:
        if form.is_valid():
            chosen = form.cleaned_data
        else:
            status = 400
    found = selectors.pilots(
        chosen.get("gemeente"), area=chosen.get("gebied"), status=chosen.get("status") or None
    )
    user = request.user
    starters = (
        list(MUNICIPALITY_POLICY.instances_user_has_permission_for(user, "create_pilot"))
        if user.is_authenticated
        else []
    )
    return render(
        request,
        "learning/pilots.html",
        {
            "form": form,
            "pilots": found,
            "filtering": any(chosen.values()),
            "starters": starters,
            "can_moderate": user.has_perm("learning.moderate_lessons"),
        },
        status=status,
    )


def pilot(request: HttpRequest, pk: int) -> HttpResponse:
    found = _pilot(request, pk)
    user = request.user
    return render(
        request,
        "learning/pilot.html",
        {
            "pilot": found,
            "lessons": selectors.pilot_lessons(found),
            "can_change": user.has_perm("learning.change_pilot", found),
            "can_send": not user.is_authenticated
            or user.has_perm("learning.send_lesson_in", found.municipality),
        },
    )


def lessons(request: HttpRequest) -> HttpResponse:
    """Published lessons, filtered by municipality, area, perspective and tag."""
    municipalities = Municipality.objects.order_by("name")
    form = LessonFilterForm(
        request.GET or None,
        municipalities=municipalities,
        areas=_all_areas(),
        tags=selectors.tags_in_use(),
    )
    chosen: dict[str, Any] = {}
    status = 200
    if form.is_bound:
        if form.is_valid():
            chosen = dict(form.cleaned_data)
        else:
            status = 400
    rows = selectors.lessons(
        chosen.get("gemeente"),
        tag=chosen.get("tag") or None,
        perspective=chosen.get("perspectief") or None,
        area=chosen.get("gebied"),
    )
    number = page_number(request.GET.get("page"))
    page = ListPaginator(rows, PER_PAGE, number=number).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/lessons.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtering": any(chosen.values()),
        },
        status=status,
    )


def lesson(request: HttpRequest, pk: int) -> HttpResponse:
    found = _lesson(request, pk)
    user = request.user
    return render(
        request,
        "learning/lesson.html",
        {
            "lesson": found,
            "can_moderate": user.has_perm("learning.moderate_lesson", found),
            "can_follow_up": user.has_perm("learning.follow_up_lesson", found),
            "moderation_form": ModerationForm(),
        },
    )


# --- pilots ----------------------------------------------------------------------------------


def _pilot_data(data: dict[str, Any]) -> services.PilotData:
    return services.PilotData(
        title=data["title"],
        goal=data["goal"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        areas=list(data["areas"]),
        officials=list(data["officials"]),
        people=data["people"],
        status=data["status"],
    )


@login_required
@permission_required("learning.create_pilot", fn=_municipality, as_="place")
def pilot_create(request: HttpRequest, municipality: str, place: Municipality) -> HttpResponse:
    form = PilotForm(request.POST or None, municipality=place)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                created = services.pilot_create(
                    actor=request.user, municipality=place, data=_pilot_data(form.cleaned_data)
                )
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(request, _("The pilot is on the platform."))
                return redirect(created)
    return render(
        request,
        "learning/pilot_form.html",
        {"form": form, "municipality": place, "pilot": None},
        status=status,
    )


@login_required
@permission_required("learning.change_pilot", fn=_pilot, as_="found")
def pilot_edit(request: HttpRequest, pk: int, found: Pilot) -> HttpResponse:
    form = PilotForm(request.POST or None, municipality=found.municipality, pilot=found)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.pilot_change(
                    actor=request.user, pilot=found, data=_pilot_data(form.cleaned_data)
                )
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(request, _("The pilot has been changed."))
                return redirect(found)
    return render(
        request,
        "learning/pilot_form.html",
        {"form": form, "municipality": found.municipality, "pilot": found},
        status=status,
    )


# --- lessons ---------------------------------------------------------------------------------


def _chosen_pilot(request: HttpRequest, pilots: Any) -> Pilot | None:
    raw = request.GET.get("pilot", "")
    # at most 18 digits: below 2**63, the largest id the database holds (and int() of thousands
    # of digits raises)
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        return None
    return pilots.filter(pk=int(raw)).first()


@login_required
@permission_required("learning.record_lesson_in", fn=_municipality, as_="place")
def lesson_record(request: HttpRequest, municipality: str, place: Municipality) -> HttpResponse:
    """An official records a lesson, of either perspective."""
    pilots = (
        PILOT_POLICY.instances_user_has_permission_for(request.user, "record_lesson")
        .filter(municipality=place)
        .order_by("title")
    )
    chosen = _chosen_pilot(request, pilots)
    initial = {"learned_on": timezone.localdate(), "pilot": chosen.pk if chosen else None}
    form = LessonForm(request.POST or None, municipality=place, pilots=pilots, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                recorded = services.lesson_record(
                    actor=request.user,
                    municipality=place,
                    data=services.LessonData(
                        title=data["title"],
                        text=data["text"],
                        perspective=data["perspective"],
                        pilot=data["pilot"],
                        area=data["area"],
                        tags=data["tags"],
                        learned_on=data["learned_on"],
                        on_behalf=data["on_behalf"],
                    ),
                )
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(request, _("The lesson has been recorded."))
                return redirect(recorded.pilot or recorded)
    return render(
        request,
        "learning/lesson_form.html",
        {"form": form, "municipality": place, "pilot": chosen, "official": True},
        status=status,
    )


@login_required
@permission_required("learning.send_lesson_in", fn=_municipality, as_="place")
def lesson_send(request: HttpRequest, municipality: str, place: Municipality) -> HttpResponse:
    """A resident sends a lesson, seen from the residents; an official of the area reads it
    before it is public."""
    pilots = Pilot.objects.filter(municipality=place).exclude(status=PilotStatus.PLANNED)
    pilots = pilots.order_by("title")
    chosen = _chosen_pilot(request, pilots)
    form = ResidentLessonForm(
        request.POST or None,
        municipality=place,
        pilots=pilots,
        initial={"pilot": chosen.pk if chosen else None},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                sent = services.lesson_send(
                    actor=request.user,
                    municipality=place,
                    data=services.LessonData(
                        title=data["title"],
                        text=data["text"],
                        pilot=data["pilot"],
                        area=data["area"],
                    ),
                )
            except RateLimited as refused:
                _refusal_on(form, refused)
                status = 429
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. An official of the area reads your lesson before it is "
                        "published; you get an e-mail when that has happened."
                    ),
                )
                return redirect(sent)
    return render(
        request,
        "learning/lesson_form.html",
        {"form": form, "municipality": place, "pilot": chosen, "official": False},
        status=status,
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """The residents' lessons waiting for this official."""
    if not request.user.has_perm("learning.moderate_lessons"):
        return HttpResponse(
            _("Only officials of an area approve residents' lessons."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return render(
        request,
        "learning/moderation.html",
        {"lessons": selectors.moderation_queue(request.user), "form": ModerationForm()},
    )


@login_required
@permission_required("learning.moderate_lesson", fn=_lesson, as_="found")
def lesson_moderate(request: HttpRequest, pk: int, found: Lesson) -> HttpResponse:
    form = ModerationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                services.lesson_moderate(
                    actor=request.user,
                    lesson=found,
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(
                    request,
                    _("The lesson is published; the resident gets an e-mail.")
                    if approve
                    else _("The lesson is not published; the resident gets the reason by e-mail."),
                )
                return redirect("learning:moderation")
    return render(request, "learning/moderate.html", {"form": form, "lesson": found}, status=status)


@login_required
@permission_required("learning.follow_up_lesson", fn=_lesson, as_="found")
def lesson_follow_up(request: HttpRequest, pk: int, found: Lesson) -> HttpResponse:
    initial = {
        "follow_up": found.follow_up,
        "follow_up_on": found.follow_up_on or timezone.localdate(),
    }
    form = FollowUpForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.lesson_follow_up(
                    actor=request.user,
                    lesson=found,
                    text=form.cleaned_data["follow_up"],
                    on=form.cleaned_data["follow_up_on"],
                )
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(request, _("The follow-up has been recorded."))
                return redirect(found)
    return render(
        request, "learning/follow_up.html", {"form": form, "lesson": found}, status=status
    )
