"""The council's page, its meetings (agenda, documents, minutes) and its decisions.

Gates: `core.gates.permission_required` with the councils' policies (policy.py): 404 for what
does not exist (or a closed meeting's document for someone who may not read it), 403 for a step
not allowed. Writes go through services.py; a refusal's message goes on the form (4xx), never
half saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkwerk.core.gates import permission_required
from wijkwerk.initiatives.models import Initiative

from . import selectors, services
from .documents import download_name
from .forms import (
    AgendaItemChangeForm,
    AgendaItemForm,
    ApproveMinutesForm,
    DecisionForm,
    DocumentChangeForm,
    DocumentForm,
    HandForm,
    MeetingForm,
    MinutesForm,
    QuorumForm,
)
from .models import MinutesStatus

View = Callable[..., HttpResponse]


def _council(request: HttpRequest, pk: int, **kwargs: Any) -> Any:
    council = selectors.council_or_none(pk)
    if council is None:
        raise Http404
    return council


def _meeting(request: HttpRequest, pk: int, **kwargs: Any) -> Any:
    meeting = selectors.meeting_or_none(pk)
    if meeting is None:
        raise Http404
    return meeting


def _item_meeting(request: HttpRequest, pk: int, **kwargs: Any) -> Any:
    item = selectors.agenda_item_or_none(pk)
    if item is None:
        raise Http404
    request.agenda_item = item  # type: ignore[attr-defined]
    return item.meeting


def _document(request: HttpRequest, pk: int, document: int, **kwargs: Any) -> Any:
    found = selectors.document_or_none(pk, document)
    if found is None:
        raise Http404
    return found


def _document_meeting(request: HttpRequest, pk: int, document: int, **kwargs: Any) -> Any:
    found = _document(request, pk, document)
    request.meeting_document = found  # type: ignore[attr-defined]
    return found.meeting


def _initiative(request: HttpRequest, pk: int, **kwargs: Any) -> Any:
    initiative = (
        Initiative.objects.select_related(
            "area__parent__parent", "area__municipality", "deciding_council"
        )
        .filter(pk=pk)
        .first()
    )
    if initiative is None or not request.user.has_perm("initiatives.view_initiative", initiative):
        raise Http404
    return initiative


def _errors(form: Any, refused: ValidationError, field: str | None = None) -> None:
    for message in refused.messages:
        form.add_error(field, message)


def event_link(meeting: Any) -> str | None:
    """The meeting's event page (sign-ups, calendar file), where the events app has it."""
    try:
        return reverse("events:detail", kwargs={"pk": meeting.event_id})
    except NoReverseMatch:
        return None


# --- Pages everyone sees ---------------------------------------------------------------------


@require_http_methods(["GET"])
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(request, pk)
    may_manage = request.user.has_perm("councils.manage_council", council)
    page = selectors.council_page(council, with_waiting=may_manage)
    return render(
        request,
        "councils/council.html",
        {
            "council": council,
            "page": page,
            "may_manage": may_manage,
            "may_set_quorum": request.user.has_perm("councils.set_quorum", council),
            "quorum": services.quorum_describe(
                page.quorum.needed, page.quorum.members, page.quorum.rule
            ),
        },
    )


@require_http_methods(["GET"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    user = request.user
    may_manage = user.has_perm("councils.manage_meeting", meeting)
    sees_documents = user.has_perm("councils.view_documents", meeting)
    page = selectors.meeting_page(meeting, with_documents=sees_documents)
    return render(
        request,
        "councils/meeting.html",
        {
            "meeting": meeting,
            "event": meeting.event,
            "council": meeting.council,
            "page": page,
            "may_manage": may_manage,
            "sees_documents": sees_documents,
            "sees_minutes": user.has_perm("councils.view_minutes", meeting),
            "event_link": event_link(meeting),
            # a meeting that has begun: no more signing up (the events app refuses it), only
            # the event's page
            "is_over": meeting.event.starts_at <= timezone.now(),
            # the agenda changes before the meeting starts, the documents until the minutes
            # are approved
            "agenda_open": meeting.event.starts_at > timezone.now(),
            "documents_open": meeting.minutes_status == MinutesStatus.DRAFT,
        },
    )


@require_http_methods(["GET"])
def document_download(request: HttpRequest, pk: int, document: int) -> HttpResponse | FileResponse:
    found = _document(request, pk, document)
    if not request.user.has_perm("councils.view_document", found):
        raise Http404  # a closed meeting's document: not there for those who may not read it
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(found),
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Running the council's meetings ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("councils.manage_council", fn=_council, as_="council")
def meeting_create(request: HttpRequest, pk: int, council: Any) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, council=council, data=form.data_for_service()
            )
        except services.CouncilRefused as refused:
            field = "ends_at" if refused.code == "ends_before_start" else None
            _errors(form, refused, field)
        else:
            messages.success(request, _("The meeting has been planned."))
            return redirect(meeting)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Plan a meeting of %(council)s") % {"council": council.name},
            "back": council,
            "back_url": reverse("councils:detail", kwargs={"pk": council.pk}),
            "button": _("Plan the meeting"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("councils.set_quorum", fn=_council, as_="council")
def quorum(request: HttpRequest, pk: int, council: Any) -> HttpResponse:
    members = len(selectors.members_of(council))
    current = selectors.quorum_of(council, members)
    form = QuorumForm(
        request.POST or None, initial={"rule": current.rule, "number": current.number}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quorum_set(
                actor=request.user,
                council=council,
                rule=form.cleaned_data["rule"],
                number=form.cleaned_data["number"],
            )
        except services.CouncilRefused as refused:
            _errors(form, refused, "number")
        else:
            messages.success(request, _("The council's quorum has been saved."))
            return redirect("councils:detail", pk=council.pk)
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Quorum of %(council)s") % {"council": council.name},
            "intro": _(
                "The council decides only when at least this many of its %(members)d members "
                "are present (abstaining members are present). Now: %(quorum)s."
            )
            % {
                "members": members,
                "quorum": services.quorum_describe(current.needed, members, current.rule),
            },
            "back": council,
            "back_url": reverse("councils:detail", kwargs={"pk": council.pk}),
            "button": _("Save the quorum"),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("councils.manage_meeting", fn=_meeting, as_="meeting")
def agenda_add(request: HttpRequest, pk: int, meeting: Any) -> HttpResponse:
    form = AgendaItemForm(
        request.POST or None, initiatives=selectors.agenda_candidates(meeting.council)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_add(
                actor=request.user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                initiative=form.cleaned_data["initiative"],
            )
        except services.CouncilRefused as refused:
            _errors(form, refused)
        else:
            messages.success(request, _("The item has been added to the agenda."))
            return redirect(meeting)
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Add an agenda item: %(meeting)s") % {"meeting": meeting.event.title},
            "back": meeting,
            "back_url": meeting.get_absolute_url(),
            "button": _("Add to the agenda"),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("councils.manage_meeting", fn=_item_meeting, as_="meeting")
def agenda_edit(request: HttpRequest, pk: int, meeting: Any) -> HttpResponse:
    item = request.agenda_item  # type: ignore[attr-defined]
    form = AgendaItemChangeForm(
        request.POST or None,
        initial={"title": item.title, "description": item.description},
        has_initiative=item.initiative_id is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_change(
                actor=request.user,
                item=item,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except services.CouncilRefused as refused:
            _errors(form, refused)
        else:
            messages.success(request, _("The agenda item has been changed."))
            return redirect(meeting.get_absolute_url() + "#agenda-heading")
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Change the agenda item “%(title)s”") % {"title": item.title},
            "back": meeting,
            "back_url": meeting.get_absolute_url(),
            "button": _("Save the agenda item"),
        },
        status=400 if form.is_bound else 200,
    )


def _confirm(
    request: HttpRequest, meeting: Any, *, title: str, question: str, button: str, errors: Any
) -> HttpResponse:
    return render(
        request,
        "councils/confirm.html",
        {
            "meeting": meeting,
            "council": meeting.council,
            "title": title,
            "question": question,
            "button": button,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("councils.manage_meeting", fn=_item_meeting, as_="meeting")
def agenda_remove(request: HttpRequest, pk: int, meeting: Any) -> HttpResponse:
    item = request.agenda_item  # type: ignore[attr-defined]
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.agenda_item_remove(actor=request.user, item=item)
        except services.CouncilRefused as refused:
            errors = list(refused.messages)
        else:
            messages.success(
                request,
                _("“%(title)s” has been removed from the agenda.") % {"title": item.title},
            )
            return redirect(meeting.get_absolute_url() + "#agenda-heading")
    return _confirm(
        request,
        meeting,
        title=_("Remove “%(title)s” from the agenda") % {"title": item.title},
        question=_("The items after it move up one place.")
        + (
            " " + _("The initiative can go on another agenda.")
            if item.initiative_id is not None
            else ""
        ),
        button=_("Remove from the agenda"),
        errors=errors,
    )


@login_required
@require_http_methods(["POST"])
@permission_required("councils.manage_meeting", fn=_item_meeting, as_="meeting")
def agenda_move(request: HttpRequest, pk: int, meeting: Any) -> HttpResponse:
    item = request.agenda_item  # type: ignore[attr-defined]
    try:
        services.agenda_item_move(
            actor=request.user, item=item, direction=request.POST.get("direction", "")
        )
    except services.CouncilRefused as refused:
        return _confirm(
            request,
            meeting,
            title=_("Move “%(title)s”") % {"title": item.title},
            question="",
            button="",
            errors=list(refused.messages),
        )
    return redirect(meeting.get_absolute_url() + f"#agenda-item-{item.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("councils.manage_meeting", fn=_document_meeting, as_="meeting")
def document_edit(request: HttpRequest, pk: int, document: int, meeting: Any) -> HttpResponse:
    found = request.meeting_document  # type: ignore[attr-defined]
    form = DocumentChangeForm(request.POST or None, initial={"title": found.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.document_change(
                actor=request.user, document=found, title=form.cleaned_data["title"]
            )
        except services.CouncilRefused as refused:
            _errors(form, refused, "title")
        else:
            messages.success(request, _("The document has been renamed."))
            return redirect(meeting.get_absolute_url() + "#documents-heading")
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Rename the document “%(title)s”") % {"title": found.title},
            "intro": _("To replace the file, remove this document and add the new one."),
            "back": meeting,
            "back_url": meeting.get_absolute_url(),
            "button": _("Save the title"),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("councils.manage_meeting", fn=_document_meeting, as_="meeting")
def document_remove(request: HttpRequest, pk: int, document: int, meeting: Any) -> HttpResponse:
    found = request.meeting_document  # type: ignore[attr-defined]
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.document_remove(actor=request.user, document=found)
        except services.CouncilRefused as refused:
            errors = list(refused.messages)
        else:
            messages.success(
                request, _("The document “%(title)s” has been removed.") % {"title": found.title}
            )
            return redirect(meeting.get_absolute_url() + "#documents-heading")
    return _confirm(
        request,
        meeting,
        title=_("Remove the document “%(title)s”") % {"title": found.title},
        question=_("Nobody can download it any more; the audit log keeps its title."),
        button=_("Remove the document"),
        errors=errors,
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("councils.manage_meeting", fn=_meeting, as_="meeting")
def document_add(request: HttpRequest, pk: int, meeting: Any) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                actor=request.user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as refused:
            _errors(form, refused, "file")
        else:
            messages.success(request, _("The document has been added."))
            return redirect(meeting)
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Add a document: %(meeting)s") % {"meeting": meeting.event.title},
            "back": meeting,
            "back_url": meeting.get_absolute_url(),
            "button": _("Add the document"),
            "multipart": True,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("councils.manage_meeting", fn=_meeting, as_="meeting")
def minutes(request: HttpRequest, pk: int, meeting: Any) -> HttpResponse:
    step = request.POST.get("step", "") if request.method == "POST" else ""
    text_form = MinutesForm(
        request.POST if step == "save" else None, initial={"minutes": meeting.minutes}
    )
    approve_form = ApproveMinutesForm(request.POST if step == "approve" else None)
    publish_errors: list[str] = []
    if step == "save" and text_form.is_valid():
        try:
            services.minutes_save(
                actor=request.user, meeting=meeting, text=text_form.cleaned_data["minutes"]
            )
        except services.CouncilRefused as refused:
            _errors(text_form, refused)
        else:
            messages.success(request, _("The minutes have been saved."))
            return redirect("councils:minutes", pk=meeting.pk)
    elif step == "approve" and approve_form.is_valid():
        try:
            services.minutes_approve(
                actor=request.user,
                meeting=meeting,
                approved_on=approve_form.cleaned_data["approved_on"],
            )
        except services.CouncilRefused as refused:
            _errors(approve_form, refused, "approved_on")
        else:
            messages.success(request, _("The council's approval has been recorded."))
            return redirect("councils:minutes", pk=meeting.pk)
    elif step == "publish":
        try:
            services.minutes_publish(actor=request.user, meeting=meeting)
        except services.CouncilRefused as refused:
            publish_errors = list(refused.messages)
        else:
            messages.success(request, _("The minutes have been published."))
            return redirect(meeting)
    elif request.method == "POST" and step not in ("save", "approve"):
        publish_errors = [_("Choose what to do with the minutes.")]
    failed = request.method == "POST"
    return render(
        request,
        "councils/minutes.html",
        {
            "meeting": meeting,
            "council": meeting.council,
            "text_form": text_form,
            "approve_form": approve_form,
            "publish_errors": publish_errors,
            "statuses": MinutesStatus,
        },
        status=400 if failed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("councils.manage_meeting", fn=_item_meeting, as_="meeting")
def decide(request: HttpRequest, pk: int, meeting: Any) -> HttpResponse:
    item = request.agenda_item  # type: ignore[attr-defined]
    if item.initiative_id is None:
        raise Http404
    council = meeting.council
    members = selectors.members_of(council)
    fund = selectors.council_fund(council)
    quorum_rule = selectors.quorum_of(council, len(members))
    form = DecisionForm(request.POST or None, members=members)
    decided = hasattr(item, "council_decision")
    if request.method == "POST" and form.is_valid():
        choices = form.choices()
        try:
            services.council_decide(
                actor=request.user,
                item=item,
                present=set(choices),
                choices=choices,
                reasons=form.cleaned_data["reasons"],
                amount_cents=form.cleaned_data["amount"],
            )
        except ValidationError as refused:
            codes = {"amount_required": "amount", "no_reasons": "reasons"}
            field = codes.get(str(getattr(refused, "code", "")))
            if getattr(refused, "code", "") in (
                "not_enough_money",
                "above_scheme_maximum",
                "above_requested",
                "amount_not_positive",
            ):
                field = "amount"
            _errors(form, refused, field)
        else:
            messages.success(request, _("The council's decision has been recorded."))
            return redirect(meeting)
    from wijkwerk.funds.selectors import fund_figures

    return render(
        request,
        "councils/decide.html",
        {
            "meeting": meeting,
            "council": council,
            "item": item,
            "initiative": item.initiative,
            "form": form,
            "fund": fund,
            "figures": fund_figures(fund) if fund is not None else None,
            "quorum": services.quorum_describe(quorum_rule.needed, len(members), quorum_rule.rule),
            "members": len(members),
            "decided": decided,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("councils.hand_to_council", fn=_initiative, as_="initiative")
def hand_to_council(request: HttpRequest, pk: int, initiative: Any) -> HttpResponse:
    councils = services.councils_for(initiative)
    from wijkwerk.areas.models import AreaCouncil

    form = HandForm(
        request.POST or None,
        councils=AreaCouncil.objects.filter(pk__in=[c.pk for c in councils]).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_hand_to_council(
                actor=request.user, initiative=initiative, council=form.cleaned_data["council"]
            )
        except services.CouncilRefused as refused:
            _errors(form, refused)
        else:
            messages.success(
                request,
                _("“%(title)s” has been handed to %(council)s: the council decides on it.")
                % {"title": initiative.title, "council": form.cleaned_data["council"].name},
            )
            return redirect(initiative)
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Hand “%(title)s” to the council") % {"title": initiative.title},
            "intro": _(
                "The council then decides on this application at one of its meetings, from its "
                "own budget, instead of the broker."
            )
            if councils
            else _("The area of this initiative has no council."),
            "back": initiative,
            "back_url": initiative.get_absolute_url(),
            "button": _("Hand to the council"),
            "hide_form": not councils,
        },
        status=400 if form.is_bound else 200,
    )
