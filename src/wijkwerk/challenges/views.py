"""Thin views for the right to challenge: parse, call a service or selector, render.

Objects a visitor may not see answer 404; steps a visitor may not take answer 403; refused steps
(a missing item, a decision without reasons or dated before the submission, an agreement that
ends before it starts, a report on a challenge that is not running, too much money) show the
form again with the message and status 400, with nothing saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import Municipality
from wijkwerk.core.gates import permission_required
from wijkwerk.initiatives.uploads import download_name

from . import decisions, selectors, services
from .forms import (
    AgreementForm,
    CommitForm,
    DecisionForm,
    EndForm,
    PaymentForm,
    ProposalForm,
    ReportForm,
    SettingsForm,
)
from .models import AttachmentPurpose, Challenge, ChallengeAttachment, ChallengeDecision
from .schedule import next_report_due
from .states import PUBLIC, Status
from .workflow import WORKFLOW, missing_items


def _get(request: HttpRequest, pk: int, **kwargs: Any) -> Challenge:
    challenge = selectors.challenge_for(request.user, pk)
    if challenge is None:
        raise Http404
    return challenge


def gate(perm: str, **kwargs: Any) -> Any:
    return permission_required(perm, fn=_get, as_="challenge", **kwargs)


def _refusal_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


# --- Public -----------------------------------------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    """The public register: every submitted challenge, its organisation, area, status, decision
    dates and agreement; nothing about individual people."""
    municipalities = list(Municipality.objects.order_by("name"))
    chosen = request.GET.get("gemeente", "")
    municipality_id = next((m.pk for m in municipalities if str(m.pk) == chosen), None)
    status = request.GET.get("status", "")
    if status not in PUBLIC:
        status = ""
    challenges = selectors.register(municipality_id=municipality_id, status=status)
    statuses = [(value, label) for value, label in Status.choices if value in PUBLIC]
    return render(
        request,
        "challenges/register.html",
        {
            "challenges": challenges,
            "municipalities": municipalities,
            "chosen_municipality": municipality_id,
            "statuses": statuses,
            "chosen_status": status,
            "mine": selectors.mine(request.user),
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _get(request, pk)
    user = request.user
    private = user.has_perm("challenges.view_private", challenge)
    reviewer = user.has_perm("challenges.review_challenge", challenge)
    agreement = selectors.agreement_of(challenge)
    reports = selectors.reports_of(challenge) if agreement is not None else []
    today = timezone.localdate()
    context: dict[str, Any] = {
        "challenge": challenge,
        "private": private,
        "reviewer": reviewer,
        "agreement": agreement,
        "reports": reports,
        "decisions": selectors.decisions_of(challenge),
        "today": today,
        "overdue": challenge.is_overdue(today),
        "other_areas": list(challenge.other_areas.order_by("name")),
    }
    if private:
        context["attachments"] = list(challenge.attachments.all())
        context["missing"] = (
            missing_items(challenge, support_files=None) if challenge.status == Status.DRAFT else []
        )
        context["can_edit"] = user.has_perm("challenges.change_challenge", challenge)
        context["can_report"] = (
            user.has_perm("challenges.report_progress", challenge)
            and challenge.status == Status.RUNNING
        )
        context["can_book"] = user.has_perm("challenges.book_money", challenge)
        context["money"] = services.money_figures(challenge) if agreement is not None else None
    if agreement is not None and challenge.status == Status.RUNNING:
        due = next_report_due(agreement.starts_on, agreement.report_every_months, len(reports))
        context["report_due"] = due
        context["report_overdue"] = today > due
    if reviewer:
        context["steps"] = WORKFLOW.available(user, challenge)
    return render(request, "challenges/detail.html", context)


# --- The proposal ---------------------------------------------------------------------------


def _save_files(actor: Any, challenge: Challenge, form: ProposalForm) -> None:
    for name, purpose in (
        ("support_file", AttachmentPurpose.SUPPORT),
        ("other_file", AttachmentPurpose.OTHER),
    ):
        upload = form.cleaned_data.get(name)
        if upload:
            services.attachment_add(
                actor=actor, challenge=challenge, upload=upload, purpose=purpose
            )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    initial = {"area": getattr(request.user, "home_area_id", None)}
    form = ProposalForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    challenge = services.challenge_create(
                        actor=request.user,
                        area=form.cleaned_data["area"],
                        data=form.values(),
                        other_areas=form.cleaned_data.get("other_areas") or [],
                    )
                    _save_files(request.user, challenge, form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your proposal has been saved as a draft. Submit it when it is complete."),
                )
                return redirect(challenge)
        return render(request, "challenges/form.html", {"form": form}, status=400)
    return render(request, "challenges/form.html", {"form": form})


@login_required
@gate("challenges.change_challenge")
def edit(request: HttpRequest, pk: int, challenge: Challenge) -> HttpResponse:
    initial = {
        **{
            name: getattr(challenge, name)
            for name in ProposalForm.base_fields
            if hasattr(challenge, name) and name != "other_areas"
        },
        "area": challenge.area_id,
        "other_areas": list(challenge.other_areas.values_list("pk", flat=True)),
    }
    form = ProposalForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    challenge = services.challenge_update(
                        actor=request.user,
                        challenge=challenge,
                        area=form.cleaned_data["area"],
                        data=form.values(),
                        other_areas=form.cleaned_data.get("other_areas") or [],
                    )
                    _save_files(request.user, challenge, form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your proposal has been saved."))
                return redirect(challenge)
        return render(
            request, "challenges/form.html", {"form": form, "challenge": challenge}, status=400
        )
    return render(request, "challenges/form.html", {"form": form, "challenge": challenge})


@login_required
@gate("challenges.change_challenge")
def submit(request: HttpRequest, pk: int, challenge: Challenge) -> HttpResponse:
    """The check before submitting, and the submission: every missing item named."""
    if request.method == "POST":
        try:
            services.challenge_submit(actor=request.user, challenge=challenge)
        except ValidationError as error:
            return render(
                request,
                "challenges/submit.html",
                {"challenge": challenge, "missing": _refusal_messages(error)},
                status=400,
            )
        messages.success(request, _("Your challenge has been submitted."))
        return redirect("challenges:detail", pk=challenge.pk)
    return render(
        request,
        "challenges/submit.html",
        {"challenge": challenge, "missing": missing_items(challenge)},
    )


@gate("challenges.view_private", not_found=True)
def attachment(
    request: HttpRequest, pk: int, attachment: int, challenge: Challenge
) -> HttpResponse | FileResponse:
    item = ChallengeAttachment.objects.filter(challenge=challenge, pk=attachment).first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        content_type=item.content_type,
        as_attachment=True,
        filename=download_name(item.original_name, item.content_type, item.extension),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- The municipality's review ---------------------------------------------------------------


@login_required
@gate("challenges.review_challenge")
def decide(request: HttpRequest, pk: int, challenge: Challenge) -> HttpResponse:
    """The admissibility decision: admit or not, with reasons, a date and the entity check."""
    if challenge.status != Status.SUBMITTED:
        messages.error(request, _("This challenge is not awaiting an admissibility decision."))
        return redirect(challenge)
    form = DecisionForm(request.POST or None)
    today = timezone.localdate()
    context = {"challenge": challenge, "form": form, "overdue": challenge.is_overdue(today)}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.challenge_decide(
                    actor=request.user,
                    challenge=challenge,
                    action=form.cleaned_data["decision"],
                    reasons=form.cleaned_data["reasons"],
                    decided_on=form.cleaned_data["decided_on"],
                    entity_confirmed=form.cleaned_data["entity_confirmed"],
                )
            except ValidationError as error:
                field = {
                    "decided_before_submission": "decided_on",
                    "decided_in_future": "decided_on",
                    "entity_not_confirmed": "entity_confirmed",
                    "reasons_required": "reasons",
                }.get(getattr(error, "code", ""))
                form.add_error(field, error)
            else:
                challenge.refresh_from_db()
                if challenge.decided_late:
                    messages.warning(
                        request,
                        _(
                            "The decision has been recorded. It was taken after the term and is "
                            "recorded as late."
                        ),
                    )
                else:
                    messages.success(request, _("The decision has been recorded."))
                return redirect(challenge)
        return render(request, "challenges/decide.html", context, status=400)
    return render(request, "challenges/decide.html", context)


STEP_BUTTONS = ("open_dialogue", "start", "complete")


@require_POST
@login_required
@gate("challenges.review_challenge")
def step(request: HttpRequest, pk: int, action: str, challenge: Challenge) -> HttpResponse:
    if action not in STEP_BUTTONS:
        raise Http404
    try:
        services.challenge_step(actor=request.user, challenge=challenge, action=action)
    except ValidationError as error:
        for message in _refusal_messages(error):
            messages.error(request, message)
        return render(
            request,
            "challenges/refused.html",
            {"challenge": challenge, "problems": _refusal_messages(error)},
            status=400,
        )
    messages.success(request, _("The step has been taken."))
    return redirect(challenge)


@login_required
@gate("challenges.review_challenge")
def end(request: HttpRequest, pk: int, challenge: Challenge) -> HttpResponse:
    form = EndForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.challenge_step(
                    actor=request.user,
                    challenge=challenge,
                    action="end",
                    reasons=form.cleaned_data["reasons"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The challenge has been ended."))
                return redirect(challenge)
        return render(
            request, "challenges/end.html", {"challenge": challenge, "form": form}, status=400
        )
    return render(request, "challenges/end.html", {"challenge": challenge, "form": form})


@login_required
@gate("challenges.review_challenge")
def agreement(request: HttpRequest, pk: int, challenge: Challenge) -> HttpResponse:
    form = AgreementForm(request.POST or None)
    context = {"challenge": challenge, "form": form}
    if challenge.status != Status.IN_DIALOGUE:
        messages.error(request, _("An agreement is recorded after the dialogue."))
        return redirect(challenge)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.agreement_record(
                    actor=request.user, challenge=challenge, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error("ends_on" if error.code == "term_order" else None, error)
            else:
                messages.success(request, _("The agreement has been recorded."))
                return redirect(challenge)
        return render(request, "challenges/agreement.html", context, status=400)
    return render(request, "challenges/agreement.html", context)


@login_required
@gate("challenges.book_money")
def money(request: HttpRequest, pk: int, challenge: Challenge) -> HttpResponse:
    """Commit money of the agreement from a fund, or record a payment of what was committed."""
    municipality_id = challenge.area.municipality_id
    kind = request.POST.get("kind") if request.method == "POST" else None
    # two forms on one page, each with an amount: ids of their own, so each label finds its field
    commit_form = CommitForm(
        request.POST if kind == "commit" else None,
        municipality_id=municipality_id,
        auto_id="commit-%s",
    )
    # the account of the last payment, as the organisation's account is not kept elsewhere
    last = (
        challenge.bookings.filter(kind="payment", ledger_entry__instruction__isnull=False)
        .select_related("ledger_entry__instruction")
        .order_by("-id")
        .first()
    )
    payee = last.ledger_entry.instruction if last and last.ledger_entry else None
    pay_form = PaymentForm(
        request.POST if kind == "pay" else None,
        auto_id="pay-%s",
        initial={"iban": payee.payee_iban, "name": payee.payee_name} if payee else None,
    )
    status = 200
    if request.method == "POST":
        form = commit_form if kind == "commit" else pay_form if kind == "pay" else None
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                if kind == "commit":
                    services.money_commit(
                        actor=request.user,
                        challenge=challenge,
                        fund=form.cleaned_data["fund"],
                        amount_cents=form.cleaned_data["amount"],
                    )
                else:
                    services.money_pay(
                        actor=request.user,
                        challenge=challenge,
                        amount_cents=form.cleaned_data["amount"],
                        note=form.cleaned_data["note"],
                        payee_iban=form.cleaned_data["iban"],
                        payee_name=form.cleaned_data["name"],
                    )
            except ValidationError as error:
                form.add_error(
                    "amount" if error.code not in ("not_bookable", "no_agreement") else None, error
                )
            else:
                messages.success(
                    request,
                    _("The money has been committed.")
                    if kind == "commit"
                    else _("The payment has been recorded."),
                )
                return redirect("challenges:money", pk=challenge.pk)
        status = 400
    context = {
        "challenge": challenge,
        "agreement": selectors.agreement_of(challenge),
        "figures": services.money_figures(challenge),
        "bookings": list(challenge.bookings.select_related("fund").order_by("booked_at", "id")),
        "commit_form": commit_form,
        "pay_form": pay_form,
    }
    return render(request, "challenges/money.html", context, status=status)


# --- The organisation's progress -------------------------------------------------------------


@login_required
@gate("challenges.report_progress")
def report(request: HttpRequest, pk: int, challenge: Challenge) -> HttpResponse:
    form = ReportForm(request.POST or None)
    context = {"challenge": challenge, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_add(
                    actor=request.user,
                    challenge=challenge,
                    text=form.cleaned_data["text"],
                    spent_cents=form.cleaned_data["spent_cents"] or 0,
                    hours=form.cleaned_data["hours"],
                    residents_reached=form.cleaned_data["residents_reached"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your progress report has been added."))
                return redirect(challenge)
        return render(request, "challenges/report.html", context, status=400)
    if challenge.status != Status.RUNNING:
        context["not_running"] = True
    return render(request, "challenges/report.html", context)


@gate("challenges.view_private", not_found=True)
def letter(request: HttpRequest, pk: int, decision: int, challenge: Challenge) -> HttpResponse:
    item = ChallengeDecision.objects.filter(challenge=challenge, pk=decision).first()
    if item is None:
        raise Http404
    response = HttpResponse(decisions.letter_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, item.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Officials ----------------------------------------------------------------------------


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("challenges.use_worklist"):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "challenges/worklist.html",
        {"items": selectors.worklist(request.user, today), "today": today},
    )


def _administered(request: HttpRequest) -> list[Municipality]:
    ids = role_index(request.user).admin_municipality_ids
    return list(Municipality.objects.filter(pk__in=sorted(ids)).order_by("name"))


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    """The municipality's term for the admissibility decision (its administrator's)."""
    administered = _administered(request)
    if not administered:
        raise PermissionDenied
    municipality = administered[0]
    current = services.settings_for(municipality)
    form = SettingsForm(
        request.POST or None,
        initial={"decision_term": current.decision_term, "term_unit": current.term_unit},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.settings_save(
                    actor=request.user, municipality=municipality, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The settings have been saved."))
                return redirect("challenges:settings")
        return render(
            request,
            "challenges/settings.html",
            {"form": form, "municipality": municipality},
            status=400,
        )
    return render(request, "challenges/settings.html", {"form": form, "municipality": municipality})
