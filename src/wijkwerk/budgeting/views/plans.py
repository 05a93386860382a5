"""The plan pages: a round's plans, submitting and changing a plan, liking it, and the
moderators' and reviewers' steps (merge, hide, show, feasibility; the reviewers' list).

Thin: parse, call a service or selector, render. What a visitor may not see answers 404 (a
draft round's plans); a step the visitor may not take answers 403 (the policy, through
`core.gates.permission_required`); a step the round's phase or the plan's state refuses comes
back as a message, with status 400 when a form is shown again.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerk.core.gates import permission_required
from wijkwerk.core.phases import Capability
from wijkwerk.core.ratelimit import RateLimited
from wijkwerk.initiatives import selectors as initiative_selectors
from wijkwerk.initiatives import services as initiative_services
from wijkwerk.initiatives.models import PendingUpload

from .. import plan_selectors as selectors
from ..models import BudgetProcess, Plan
from ..plan_forms import FeasibilityForm, HideForm, MergeForm, PlanFilterForm, PlanForm
from ..refusals import BudgetRefused
from ..services import plans as services
from ..states import VISIBLE_PLAN, PlanStatus, ProcessStatus


def _process(request: HttpRequest, pk: int, **kwargs: Any) -> BudgetProcess:
    process = selectors.visible_process(request.user, pk)
    if process is None:
        raise Http404
    return process


def _plan(request: HttpRequest, pk: int, **kwargs: Any) -> Plan:
    plan = selectors.visible_plan(request.user, pk)
    if plan is None:
        raise Http404
    return plan


def round_gate(perm: str) -> Any:
    return permission_required(perm, fn=_process, as_="process")


def plan_gate(perm: str) -> Any:
    return permission_required(perm, fn=_plan, as_="plan")


def _messages(request: HttpRequest, error: Exception) -> None:
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


def _phase_note(process: BudgetProcess, capability: Capability) -> str:
    """Why a step is not possible now, with the dates of the phase that allows it."""
    for phase in process.schedule:
        if phase.phase_kind.allows(capability):
            from django.utils.formats import date_format

            return _("This is possible during the phase %(phase)s: %(start)s to %(end)s.") % {
                "phase": phase.phase_kind.label,
                "start": date_format(phase.starts_at, "DATE_FORMAT"),
                "end": date_format(phase.ends_at, "DATE_FORMAT"),
            }
    return ""


# --- The round's plans -----------------------------------------------------------------------


@round_gate("budgeting.view_process")
def plan_list(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    form = PlanFilterForm(request.GET or None, process=process)
    area_id, sort = None, "likes"
    if form.is_valid():
        area = form.cleaned_data.get("area")
        area_id = area.pk if area is not None else None
        sort = form.cleaned_data.get("sort") or "likes"
    paginator = Paginator(
        selectors.round_plans(process, area_id=area_id, sort=sort), selectors.PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "budgeting/plans/list.html",
        {
            "process": process,
            "form": form,
            "page": page,
            "cards": selectors.cards(process, list(page.object_list), request.user),
            "query": query.urlencode(),
            "filtered": area_id is not None or sort != "likes",
            "can_propose": process.allows(Capability.PROPOSE),
            "can_like": process.allows(Capability.SUPPORT),
            "may_review": request.user.has_perm("budgeting.review_plans", process),
            "moderator_ids": _moderated_plan_ids(request, page.object_list),
        },
    )


def _moderated_plan_ids(request: HttpRequest, plans: Any) -> set[int]:
    """The plans whose hidden content this visitor may see (moderators, the author)."""
    if not request.user.is_authenticated:
        return set()
    return {
        plan.pk
        for plan in plans
        if plan.status == PlanStatus.HIDDEN
        and (
            plan.author_id == request.user.pk
            or request.user.has_perm("budgeting.moderate_plan", plan)
        )
    }


def _plan_form_page(
    request: HttpRequest,
    process: BudgetProcess,
    form: PlanForm | None,
    *,
    plan: Plan | None = None,
    status: int = 200,
    kept: PendingUpload | None = None,
) -> HttpResponse:
    return render(
        request,
        "budgeting/plans/form.html",
        {
            "process": process,
            "plan": plan,
            "form": form,
            "kept": kept,
            "phase_note": _phase_note(process, Capability.PROPOSE),
        },
        status=status,
    )


def _kept_picture(request: HttpRequest) -> PendingUpload | None:
    """The picture chosen on an earlier try of this form that had errors (the person's own
    pending upload, whose id the form carries), unless it was ticked to be removed."""
    raw = request.POST.get("kept_picture", "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    if request.POST.get("discard_kept_picture"):
        initiative_services.pending_uploads_discard(actor=request.user, ids=[int(raw)])
        return None
    found = initiative_selectors.pending_uploads(request.user, [int(raw)])
    return found[0] if found else None


def _keep_picture(
    request: HttpRequest, form: PlanForm, kept: PendingUpload | None
) -> PendingUpload | None:
    """The form has errors: a picture chosen with it (checked) waits as the person's pending
    upload until the plan is saved, instead of being asked for again."""
    upload = request.FILES.get("picture")
    if upload is None or "picture" in form.errors:
        return kept
    try:
        fresh = initiative_services.pending_upload_add(actor=request.user, upload=upload)
    except ValidationError as error:
        form.add_error("picture", error)
        return kept
    if kept is not None:
        initiative_services.pending_uploads_discard(actor=request.user, ids=[kept.pk])
    return fresh


def _picture(form: PlanForm, kept: PendingUpload | None) -> services.Picture | None:
    """The picture to save: one chosen now, else the one kept from an earlier try."""
    chosen = form.cleaned_data.get("picture")
    if chosen is not None or kept is None:
        return chosen
    with kept.file.open("rb") as handle:
        return services.check_picture(cast(Any, File(handle, name=kept.original_name)))


def _prefilled(form_data: Any, process: BudgetProcess, user: Any) -> PlanForm:
    """The form again, unbound, with what was typed and what the chosen initiative adds."""
    probe = PlanForm(form_data, process=process, user=user)
    probe.is_valid()
    initial: dict[str, Any] = {
        name: form_data.get(name) for name in probe.fields if form_data.get(name)
    }
    initiative = probe.cleaned_data.get("initiative") if hasattr(probe, "cleaned_data") else None
    if initiative is not None:
        for name, value in services.initiative_values(initiative).items():
            key = "estimated_cost" if name == "estimated_cost_cents" else name
            if not initial.get(key) and value not in (None, ""):
                initial[key] = value.pk if hasattr(value, "pk") else value
        area = services.round_area_of(process, initiative)
        if area is not None:
            initial["area"] = area.pk
        initial["initiative"] = initiative.pk
    return PlanForm(initial=initial, process=process, user=user)


@login_required
@round_gate("budgeting.view_process")
def plan_create(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    if process.status != ProcessStatus.PUBLISHED:
        raise PermissionDenied  # a draft round (its administrator sees it) takes no plans
    if not process.allows(Capability.PROPOSE):
        return _plan_form_page(request, process, None)
    if request.method != "POST":
        return _plan_form_page(request, process, PlanForm(process=process, user=request.user))
    if "prefill" in request.POST:
        return _plan_form_page(request, process, _prefilled(request.POST, process, request.user))
    form = PlanForm(request.POST, request.FILES, process=process, user=request.user)
    kept = _kept_picture(request)
    if form.is_valid():
        try:
            plan = services.plan_submit(
                actor=request.user,
                process=process,
                values=form.values(),
                picture=_picture(form, kept),
            )
        except BudgetRefused as refused:
            form.refused(refused)
        else:
            if kept is not None:
                initiative_services.pending_uploads_discard(actor=request.user, ids=[kept.pk])
            messages.success(
                request, _("Thank you! Your plan has been published: neighbours can like it now.")
            )
            return redirect("budgeting:plan_detail", pk=plan.pk)
    kept = _keep_picture(request, form, kept)
    return _plan_form_page(request, process, form, status=400, kept=kept)


@login_required
@plan_gate("budgeting.change_plan")
def plan_edit(request: HttpRequest, pk: int, plan: Plan) -> HttpResponse:
    process = plan.process
    if not process.allows(Capability.PROPOSE):
        return _plan_form_page(request, process, None, plan=plan)
    if request.method != "POST":
        form = PlanForm(
            initial={
                **{name: getattr(plan, name) for name in services.PLAN_FIELDS},
                "estimated_cost": plan.estimated_cost_cents,
            },
            process=process,
            user=request.user,
            plan=plan,
        )
        return _plan_form_page(request, process, form, plan=plan)
    form = PlanForm(request.POST, request.FILES, process=process, user=request.user, plan=plan)
    kept = _kept_picture(request)
    if form.is_valid():
        try:
            plan = services.plan_change(
                actor=request.user,
                plan=plan,
                values=form.values(),
                picture=_picture(form, kept),
                remove_picture=bool(form.cleaned_data.get("remove_picture")),
            )
        except BudgetRefused as refused:
            form.refused(refused)
        else:
            if kept is not None:
                initiative_services.pending_uploads_discard(actor=request.user, ids=[kept.pk])
            messages.success(request, _("Your plan has been changed."))
            return redirect("budgeting:plan_detail", pk=plan.pk)
    kept = _keep_picture(request, form, kept)
    return _plan_form_page(request, process, form, plan=plan, status=400, kept=kept)


# --- One plan --------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    process = plan.process
    user = request.user
    begun = services.voting_has_begun(process)
    open_for_moderation = services.moderation_open(process)
    is_author = user.is_authenticated and plan.author_id == user.pk
    may_moderate = user.has_perm("budgeting.moderate_plan", plan)
    visible = plan.status in VISIBLE_PLAN
    return {
        "process": process,
        "plan": plan,
        "standing": selectors.standing(plan, process, voting_begun=begun),
        "show_content": plan.status != PlanStatus.HIDDEN or is_author or may_moderate,
        "liked": selectors.likes_plan(user, plan),
        "is_author": is_author,
        "can_like": visible
        and not is_author
        and process.status == ProcessStatus.PUBLISHED
        and process.allows(Capability.SUPPORT),
        "can_edit": visible
        and user.has_perm("budgeting.change_plan", plan)
        and process.allows(Capability.PROPOSE),
        "can_moderate": may_moderate and open_for_moderation,
        "can_review": visible
        and user.has_perm("budgeting.review_plan", plan)
        and open_for_moderation,
        "may_review_list": user.has_perm("budgeting.review_plans", process),
        "merged_plans": list(plan.merged_plans.order_by("title", "pk")) if visible else [],
        "threshold": process.likes_threshold,
        "back": request.get_full_path(),
    }


@plan_gate("budgeting.view_plan")
def plan_detail(request: HttpRequest, pk: int, plan: Plan) -> HttpResponse:
    return render(request, "budgeting/plans/detail.html", _detail_context(request, plan))


@plan_gate("budgeting.view_plan")
def plan_picture(request: HttpRequest, pk: int, plan: Plan) -> FileResponse:
    """The plan's picture (stored as JPEG); a hidden plan's only for its author and moderators."""
    if not plan.picture:
        raise Http404
    if plan.status == PlanStatus.HIDDEN and not (
        plan.author_id == request.user.pk or request.user.has_perm("budgeting.moderate_plan", plan)
    ):
        raise Http404
    try:
        handle = plan.picture.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@plan_gate("budgeting.like_plan")
@require_POST
def plan_like(request: HttpRequest, pk: int, plan: Plan) -> HttpResponse:
    back = _safe_next(request, reverse("budgeting:plan_detail", kwargs={"pk": plan.pk}))
    try:
        likes = services.like_toggle(actor=request.user, plan=plan)
    except (BudgetRefused, RateLimited) as refused:
        _messages(request, refused)
    else:
        messages.success(
            request,
            _("You like “%(title)s”.") % {"title": plan.title}
            if likes
            else _("Your like for “%(title)s” has been withdrawn.") % {"title": plan.title},
        )
    return redirect(back)


# --- Moderation and feasibility --------------------------------------------------------------


def _step_page(
    request: HttpRequest,
    plan: Plan,
    template: str,
    form: Any,
    *,
    status: int = 200,
) -> HttpResponse:
    process = plan.process
    return render(
        request,
        template,
        {
            "process": process,
            "plan": plan,
            "form": form,
            "open": services.moderation_open(process),
            "standing": selectors.standing(
                plan, process, voting_begun=services.voting_has_begun(process)
            ),
        },
        status=status,
    )


def _refused_on(form: Any, refused: BudgetRefused) -> None:
    for message in refused.messages:
        form.add_error(None, message)


@login_required
@plan_gate("budgeting.moderate_plan")
def plan_merge(request: HttpRequest, pk: int, plan: Plan) -> HttpResponse:
    template = "budgeting/plans/merge.html"
    if request.method != "POST":
        return _step_page(request, plan, template, MergeForm(plan=plan))
    form = MergeForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            into = services.plan_merge(
                actor=request.user,
                plan=plan,
                into=form.cleaned_data["into"],
                reason=form.cleaned_data["reason"],
            )
        except BudgetRefused as refused:
            _refused_on(form, refused)
        else:
            messages.success(
                request,
                _("“%(plan)s” has been merged into this plan; both authors are told.")
                % {"plan": plan.title},
            )
            return redirect("budgeting:plan_detail", pk=into.pk)
    return _step_page(request, plan, template, form, status=400)


@login_required
@plan_gate("budgeting.moderate_plan")
def plan_hide(request: HttpRequest, pk: int, plan: Plan) -> HttpResponse:
    template = "budgeting/plans/hide.html"
    if request.method != "POST":
        return _step_page(request, plan, template, HideForm())
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            services.plan_hide(actor=request.user, plan=plan, reason=form.cleaned_data["reason"])
        except BudgetRefused as refused:
            _refused_on(form, refused)
        else:
            messages.success(request, _("The plan has been hidden; its page shows the reason."))
            return redirect("budgeting:plan_detail", pk=plan.pk)
    return _step_page(request, plan, template, form, status=400)


@login_required
@plan_gate("budgeting.moderate_plan")
@require_POST
def plan_show(request: HttpRequest, pk: int, plan: Plan) -> HttpResponse:
    try:
        services.plan_show(actor=request.user, plan=plan)
    except BudgetRefused as refused:
        _messages(request, refused)
        return render(
            request, "budgeting/plans/detail.html", _detail_context(request, plan), status=400
        )
    messages.success(request, _("The plan is shown again."))
    return redirect("budgeting:plan_detail", pk=plan.pk)


@login_required
@plan_gate("budgeting.review_plan")
def plan_feasibility(request: HttpRequest, pk: int, plan: Plan) -> HttpResponse:
    template = "budgeting/plans/feasibility.html"
    if request.method != "POST":
        return _step_page(request, plan, template, FeasibilityForm(plan=plan))
    form = FeasibilityForm(request.POST, plan=plan)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.feasibility_record(
                actor=request.user,
                plan=plan,
                verdict=data["feasibility"],
                municipal_cost_cents=data.get("municipal_cost"),
                reason=data.get("feasibility_reason", ""),
            )
        except BudgetRefused as refused:
            fields = {"cost_required": "municipal_cost", "reason_required": "feasibility_reason"}
            for message in refused.messages:
                form.add_error(fields.get(refused.code or ""), message)
        else:
            messages.success(
                request, _("The verdict on “%(title)s” has been recorded.") % {"title": plan.title}
            )
            return redirect("budgeting:manage_plans", pk=plan.process_id)
    return _step_page(request, plan, template, form, status=400)


@login_required
@round_gate("budgeting.review_plans")
def manage_plans(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    plans = selectors.review_list(process)
    user = request.user
    return render(
        request,
        "budgeting/plans/manage.html",
        {
            "process": process,
            "plans": plans,
            "counts": selectors.review_counts(plans),
            "open": services.moderation_open(process),
            "reviewable": {
                plan.pk for plan in plans if user.has_perm("budgeting.review_plan", plan)
            },
        },
    )
