"""Thin views: parse, call a service or selector, render.

Objects a visitor may not see answer 404; steps a visitor may not take answer 403. Refused steps
(wrong state, scheme, not enough money) come back as a message on the page, with status 400 when
the form is shown again.

Every gate has one form: `login_required` for what needs an account, then
`core.gates.permission_required(perm, fn=_get, as_="initiative")`, which loads the initiative
(404 when the visitor may not see it) and checks the permission (403), handing the initiative to
the view. Steps of the workflow are checked against the workflow table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wijkwerk.areas.models import Area
from wijkwerk.core.gates import permission_required
from wijkwerk.core.money import format_money
from wijkwerk.core.ratelimit import RateLimited
from wijkwerk.funds.iban import mask_iban
from wijkwerk.funds.models import Scheme
from wijkwerk.funds.selectors import initiative_figures

from . import application, decisions, selectors, services, workflow
from .forms import (
    MAX_BUDGET_LINES,
    MAX_CO_APPLICANTS,
    AccountabilityFilesForm,
    AccountabilityForm,
    ApplicationFilesForm,
    AssignForm,
    AttachmentForm,
    BudgetLineFormSet,
    BulkForm,
    CoApplicantFormSet,
    FilterForm,
    HelpOfferForm,
    InitiativeForm,
    MessageForm,
    PayeeForm,
    RepaymentForm,
    SchemeChoiceForm,
    TransitionForm,
)
from .models import (
    Attachment,
    AttachmentPurpose,
    Decision,
    Initiative,
    PendingUpload,
    Status,
)
from .refusals import ActionRefused
from .states import ASSIGNABLE, EDITABLE, PAYABLE, PAYEE_EDITABLE
from .uploads import download_name


def _get(request: HttpRequest, pk: int, **kwargs: Any) -> Initiative:
    """The initiative if this visitor may see it, else 404 (the gates' object getter)."""
    initiative = selectors.initiative_for(request.user, pk)
    if initiative is None:
        raise Http404
    return initiative


def gate(perm: str, *, not_found: bool = False) -> Any:
    """`permission_required` on the initiative of the URL, handed to the view as `initiative`."""
    return permission_required(perm, fn=_get, as_="initiative", not_found=not_found)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_refused(request: HttpRequest, form: forms.Form) -> None:
    """A small form posted from the detail page: its errors become messages there."""
    for field_errors in form.errors.values():
        for text in field_errors:
            messages.error(request, str(text))


def _back(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """After a file was added or removed: back to the page the form was on."""
    page = request.POST.get("back")
    if page == "accountability":
        return redirect("initiatives:accountability", pk=initiative.pk)
    if page == "edit" and initiative.status in EDITABLE:
        return redirect("initiatives:edit", pk=initiative.pk)
    return redirect(initiative)


def initiative_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = selectors.ListFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ListFilters(
            query=data["q"].strip(),
            area=data["area"].pk if data["area"] else None,
            status=data["status"] or "",
            category=data["category"].pk if data["category"] else None,
            fund=data["fund"].pk if data["fund"] else None,
            year=data["year"],
            sort=data["sort"] or "newest",
        )
    number = selectors.page_number(request.GET.get("page"))
    page = selectors.ListPaginator(
        selectors.public_initiatives(filters), selectors.PAGE_SIZE, number=number
    ).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "initiatives/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "map_points": selectors.map_points(page.object_list),
        },
    )


@login_required
def my_initiatives(request: HttpRequest) -> HttpResponse:
    return render(request, "initiatives/mine.html", {"initiatives": selectors.mine(request.user)})


# --- The application: 1 choose a scheme, 2 the form, 3 check and submit ----------------------

# How many rows a person may ask for at once through the "add another" buttons (?regels=, ?mede=).
ROW_PARAMS = {"lines": ("regels", MAX_BUDGET_LINES), "co": ("mede", MAX_CO_APPLICANTS)}


def _rows(request: HttpRequest, prefix: str, at_least: int) -> int:
    param, most = ROW_PARAMS[prefix]
    asked = request.GET.get(param, "")
    number = int(asked) if asked.isdigit() and len(asked) < 4 else 0
    return min(max(number, at_least), most)


def _is_id(raw: object) -> bool:
    """A number that can be a database id (not 5,000 digits of one)."""
    return isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 18


def _chosen_scheme(request: HttpRequest, initiative: Initiative | None) -> Scheme | None:
    """The scheme the form is about: the one in the form just sent, else the one chosen on the
    first page (?regeling=), else the draft's."""
    raw = request.POST.get("scheme") if request.method == "POST" else request.GET.get("regeling")
    if _is_id(raw):
        scheme = Scheme.objects.filter(pk=int(str(raw)), is_active=True).first()
        if scheme is not None:
            return scheme
    return initiative.scheme if initiative is not None else None


def _application_forms(
    request: HttpRequest, initiative: Initiative | None, scheme: Scheme | None
) -> tuple[InitiativeForm, Any, Any, ApplicationFilesForm]:
    """The application form, its budget lines, its co-signers (None when the scheme asks
    none and there are none) and the files chosen on it. "Add another" buttons send the form
    back with one row more (the rows typed so far stay as they were)."""
    data = request.POST.copy() if request.method == "POST" else None
    lines_initial = (
        [
            {"description": line.description, "amount": line.amount_cents}
            for line in initiative.budget_lines.all()
        ]
        if initiative
        else []
    )
    co_initial = (
        [
            {"name": c.name, "age": c.age, "lives_in_area": c.lives_in_area}
            for c in initiative.co_applicants.all()
        ]
        if initiative
        else []
    )
    wants_cosigners = bool(scheme and scheme.required_cosigners) or bool(co_initial)
    if data is not None:
        for prefix, button in (("lines", "add_line"), ("co", "add_cosigner")):
            key = f"{prefix}-TOTAL_FORMS"
            if button in data and _is_id(data.get(key)):
                data[key] = str(min(int(str(data[key])) + 1, ROW_PARAMS[prefix][1]))
        wants_cosigners = "co-TOTAL_FORMS" in data
    form = InitiativeForm(data, instance=initiative, user=request.user, scheme=scheme)  # type: ignore[arg-type]
    lines = BudgetLineFormSet(data, initial=lines_initial, prefix="lines")
    co = CoApplicantFormSet(data, initial=co_initial, prefix="co") if wants_cosigners else None
    if data is None:
        lines.extra = _rows(request, "lines", max(len(lines_initial) + 1, 2)) - len(lines_initial)
        if co is not None:
            needed = max(scheme.required_cosigners if scheme else 0, len(co_initial))
            co.extra = _rows(request, "co", needed) - len(co_initial)
    files = ApplicationFilesForm(data, request.FILES if data is not None else None)
    return form, lines, co, files


def _files_and_removals(
    request: HttpRequest,
    initiative: Initiative,
    files: forms.Form,
    purposes: dict[str, str] | None = None,
) -> bool:
    """Keep the files chosen and remove the one asked, whatever else the form says: choosing a
    photo never costs what was typed, nor the photo what was typed wrong elsewhere. `purposes`:
    the kind of attachment each file field of `files` adds."""
    changed = False
    if files.is_valid():
        for name, purpose in (purposes or {"uploads": AttachmentPurpose.APPLICATION}).items():
            for upload in files.cleaned_data[name]:
                try:
                    services.attachment_add(
                        actor=request.user, initiative=initiative, upload=upload, purpose=purpose
                    )
                except ValidationError as error:
                    files.add_error(name, error)
                else:
                    changed = True
    remove = request.POST.get("remove_attachment", "")
    if _is_id(remove):
        item = initiative.attachments.filter(pk=int(remove)).first()
        if item is None:
            raise Http404
        services.attachment_delete(actor=request.user, attachment=item)
        changed = True
    return changed


def _posted_ids(request: HttpRequest, name: str) -> list[int]:
    """The ids a form sent under `name` (what is not an id is left out)."""
    return [int(raw) for raw in request.POST.getlist(name)[:100] if _is_id(raw)]


def _pending(request: HttpRequest) -> list[PendingUpload]:
    """The files kept for a new application that is not saved yet: the form carries their ids;
    those ticked to be removed go, and only the person's own are taken."""
    discard = set(_posted_ids(request, "discard_pending"))
    services.pending_uploads_discard(actor=request.user, ids=discard)
    kept = [pk for pk in _posted_ids(request, "pending_upload") if pk not in discard]
    return selectors.pending_uploads(request.user, kept)


def _keep_pending(request: HttpRequest, files: forms.Form, pending: list[PendingUpload]) -> None:
    """A new application with errors: the files chosen with it are kept (checked as always)
    until it is saved, instead of asking for them again."""
    if not files.is_valid():
        return
    for upload in files.cleaned_data["uploads"]:
        try:
            pending.append(services.pending_upload_add(actor=request.user, upload=upload))
        except ValidationError as error:
            files.add_error("uploads", error)
            return


def _edit(request: HttpRequest, initiative: Initiative | None) -> HttpResponse:
    scheme = _chosen_scheme(request, initiative)
    form, lines, co, files = _application_forms(request, initiative, scheme)
    pending: list[PendingUpload] = []
    status = 200
    if request.method == "POST":
        kept = initiative is not None and _files_and_removals(request, initiative, files)
        if initiative is None:
            pending = _pending(request)
        valid = form.is_valid() & lines.is_valid() & (co is None or co.is_valid())
        if kept and not valid:
            messages.success(request, _("Your files have been saved."))
        if valid and files.is_valid():
            budget = [
                services.BudgetLineData(
                    f.cleaned_data["description"].strip(), f.cleaned_data["amount"]
                )
                for f in lines
                if f.cleaned_data.get("amount") is not None
            ]
            co_applicants = (
                [
                    services.CoApplicantData(
                        f.cleaned_data["name"].strip(),
                        f.cleaned_data["age"],
                        f.cleaned_data["lives_in_area"],
                    )
                    for f in co
                    if f.cleaned_data.get("name")
                ]
                if co is not None
                else [
                    services.CoApplicantData(c.name, c.age, c.lives_in_area)
                    for c in (initiative.co_applicants.all() if initiative else [])
                ]
            )
            try:
                # A new application: it, the files kept for it and those chosen now at once.
                with transaction.atomic():
                    saved = services.initiative_save_draft(
                        actor=request.user,
                        initiative=initiative,
                        values=form.values(),
                        budget_lines=budget,
                        co_applicants=co_applicants,
                        pending_uploads=[item.pk for item in pending],
                    )
                    if initiative is None:
                        _files_and_removals(request, saved, files)
            except ValidationError as error:
                _refused(request, error)
            else:
                return _after_save(request, saved, lines, co)
        if initiative is None:
            _keep_pending(request, files, pending)
        status = 400
    context = {
        "form": form,
        "lines": lines,
        "co": co,
        "files_form": files,
        "initiative": initiative,
        "scheme": scheme,
        "requirements": application.requirements(scheme) if scheme else [],
        "attachments": list(initiative.attachments.all()) if initiative else [],
        "pending_uploads": pending,
        "gaps": application.gaps(initiative) if initiative else [],
    }
    return render(request, "initiatives/form.html", context, status=status)


def _after_save(
    request: HttpRequest, saved: Initiative, lines: Any, co: Any | None
) -> HttpResponse:
    """After saving: to the check page, or back to the form (with the row asked for)."""
    if "to_submit" in request.POST:
        return redirect("initiatives:submit", pk=saved.pk)
    url = reverse("initiatives:edit", args=[saved.pk])
    if "add_line" in request.POST:
        count = lines.total_form_count()
        return redirect(f"{url}?regels={count}#line-{count}")
    if "add_cosigner" in request.POST and co is not None:
        count = co.total_form_count()
        return redirect(f"{url}?mede={count}#co-{count}")
    messages.success(request, _("Your initiative has been saved."))
    if "remove_attachment" in request.POST or request.FILES:
        return redirect(f"{url}#attachments-heading")
    return redirect(url)


@login_required
def initiative_create(request: HttpRequest) -> HttpResponse:
    """Page 1 (choose a scheme and see what it asks) until one is chosen, then page 2 (the
    form); the form's first save makes the draft."""
    if request.method == "POST" or "regeling" in request.GET:
        choice = SchemeChoiceForm(request.GET or None, user=request.user)  # type: ignore[arg-type]
        field = choice.fields["regeling"]
        assert isinstance(field, forms.ModelChoiceField)
        no_schemes = not field.queryset.exists()  # type: ignore[union-attr]
        if request.method == "POST" or no_schemes or choice.is_valid():
            return _edit(request, None)
        return _start(request, choice, status=400)
    return _start(request, SchemeChoiceForm(user=request.user))  # type: ignore[arg-type]


def _start(request: HttpRequest, choice: SchemeChoiceForm, *, status: int = 200) -> HttpResponse:
    field = choice.fields["regeling"]
    assert isinstance(field, forms.ModelChoiceField)
    schemes = [
        (scheme, application.requirements(scheme))
        for scheme in field.queryset  # type: ignore[union-attr]
    ]
    return render(
        request,
        "initiatives/start.html",
        {"choice": choice, "schemes": schemes},
        status=status,
    )


@login_required
@gate("initiatives.change_initiative")
def initiative_edit(request: HttpRequest, pk: int, initiative: Initiative) -> HttpResponse:
    return _edit(request, initiative)


@login_required
@gate("initiatives.change_initiative")
def initiative_submit(request: HttpRequest, pk: int, initiative: Initiative) -> HttpResponse:
    """Page 3: the whole application to check, similar initiatives nearby, and the submit
    button only when submitting can succeed (else what is missing, each a link to its field)."""
    status = 200
    if request.method == "POST":
        try:
            services.initiative_submit(actor=request.user, initiative=initiative)
        except ValidationError as error:
            _refused(request, error)
            status = 400
        else:
            messages.success(
                request, _("Your initiative has been submitted. We sent you a confirmation.")
            )
            return redirect(initiative)
    gaps = application.gaps(initiative)
    return render(
        request,
        "initiatives/submit.html",
        {
            "initiative": initiative,
            "gaps": [gap for gap in gaps if not gap.later],
            "later": [gap for gap in gaps if gap.later],
            "similar": selectors.similar_initiatives(initiative),
            "budget_lines": list(initiative.budget_lines.all()),
            "co_applicants": list(initiative.co_applicants.all()),
            "attachments": list(initiative.attachments.all()),
        },
        status=status,
    )


def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _get(request, pk)
    context = selectors.detail_context(request.user, initiative)
    user = request.user
    accounting = workflow.BY_ACTION["submit_accountability"]
    context.update(
        {
            "initiative": initiative,
            "steps": workflow.available(user, initiative),
            "can_edit": user.has_perm("initiatives.change_initiative", initiative),
            "can_support": user.has_perm("initiatives.support_initiative", initiative),
            "can_offer_help": user.has_perm("initiatives.offer_help", initiative),
            "can_converse": user.has_perm("initiatives.converse", initiative),
            "can_assign": user.has_perm("initiatives.assign", initiative)
            and initiative.status in ASSIGNABLE,
            "can_account": initiative.status in accounting.sources
            and accounting.allowed(user, initiative),
            "help_form": HelpOfferForm(),
            "message_form": MessageForm(staff=context["is_staff"]),
            "actual_total": sum(line.actual_cents or 0 for line in context["budget_lines"]),
        }
    )
    if context["can_assign"]:
        context["assign_form"] = AssignForm(initiative=initiative)
    context["repayment_due"] = (
        services.repayment_due(initiative, context["budget_lines"])
        if context["private_files"]
        else 0
    )
    # the Awb decisions, with their letters, for those who see the private documents
    context["decisions"] = (
        list(initiative.decisions.only("id", "initiative_id", "kind", "reference", "decided_at"))
        if context["private_files"]
        else []
    )
    if context["repayment_due"] and user.has_perm("funds.book_for_initiative", initiative):
        context["repayment_form"] = RepaymentForm(initial={"amount": context["repayment_due"]})
    context.update(_payment_context(user, initiative))
    if context["is_staff"]:
        context["applicant_review"] = _applicant_review(initiative, context["co_applicants"])
    return render(request, "initiatives/detail.html", context)


def _applicant_review(initiative: Initiative, co_applicants: list[Any]) -> dict[str, Any]:
    """For the officials who handle the case: who applies and how to reach them, and the
    scheme's checks of age, residence, legal entity and co-signers (one query: the home area)."""
    applicant = initiative.applicant
    if applicant.home_area_id is not None:
        # the home area with the areas around it, for the residence check in one query
        applicant.home_area = Area.objects.select_related("parent__parent").get(
            pk=applicant.home_area_id
        )
    scheme = initiative.scheme
    checked = {"applicant", "legal_entity", "support"}
    return {
        "applicant": applicant,
        "lives_in_area": services.lives_in_area(applicant, initiative),
        "scheme": scheme,
        "old_enough": scheme is None or (initiative.applicant_age or 0) >= scheme.min_applicant_age,
        "co_applicants": [
            (person, scheme is None or person.age >= scheme.cosigner_min_age)
            for person in co_applicants
        ],
        "problems": [
            problem
            for problem in services.scheme_problems(initiative, co_applicants=co_applicants)
            if problem.field in checked
        ],
    }


def _payment_context(user: Any, initiative: Initiative) -> dict[str, Any]:
    """The account to pay to (masked: the applicant and the officials who pay see it) and, for
    those officials, what is still to be paid and whether they may pay it."""
    is_applicant = initiative.applicant_id == user.pk
    books = user.has_perm("funds.book_for_initiative", initiative)
    context: dict[str, Any] = {}
    if is_applicant or books:
        context["payee_account"] = mask_iban(initiative.payee_iban)
    if is_applicant and initiative.status in PAYEE_EDITABLE:
        context["payee_form"] = PayeeForm(initial={"name": initiative.payee_name})
    if books and initiative.status in PAYABLE and initiative.fund_id:
        to_pay = initiative_figures(initiative, initiative.fund).open_commitments
        if to_pay > 0:
            context["to_pay"] = to_pay
            context["can_pay"] = services.may_pay_now(user, initiative)
            context["paid_by_another"] = not user.has_perm("funds.pay_initiative", initiative)
    return context


@require_POST
@login_required
# Who may not add files at all is refused before anything of the upload is opened.
@gate("initiatives.add_attachment")
def attachment_upload(request: HttpRequest, pk: int, initiative: Initiative) -> HttpResponse:
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                initiative=initiative,
                upload=form.cleaned_data["file"],
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The file has been added."))
    else:
        _form_refused(request, form)
    return _back(request, initiative)


def attachment_download(
    request: HttpRequest, pk: int, attachment: int
) -> HttpResponse | FileResponse:
    initiative = _get(request, pk)
    item = Attachment.objects.filter(initiative=initiative, pk=attachment).first()
    if item is None:
        raise Http404
    public_photo = item.is_image and item.purpose != AttachmentPurpose.RECEIPT
    if not public_photo and not request.user.has_perm("initiatives.view_private_files", initiative):
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        content_type=item.content_type,
        as_attachment=not item.is_image,
        # Never the uploader's extension: a PDF named poly.html is served as poly.pdf.
        filename=download_name(item.original_name, item.content_type, item.extension),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@gate("initiatives.view_private_files", not_found=True)
def decision_letter(
    request: HttpRequest, pk: int, decision: int, initiative: Initiative
) -> HttpResponse:
    """A decision's letter (PDF), for the applicant and the officials who see the initiative's
    private documents; to everyone else it does not exist (404), like those documents."""
    item = Decision.objects.filter(initiative=initiative, pk=decision).first()
    if item is None:
        raise Http404
    response = HttpResponse(decisions.letter_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, item.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@login_required
def attachment_delete(request: HttpRequest, pk: int, attachment: int) -> HttpResponse:
    initiative = _get(request, pk)
    item = (
        Attachment.objects.filter(initiative=initiative, pk=attachment)
        .select_related("initiative")
        .first()
    )
    if item is None:
        raise Http404
    services.attachment_delete(actor=request.user, attachment=item)
    messages.success(request, _("The file has been removed."))
    return _back(request, initiative)


@require_POST
@login_required
def support(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _get(request, pk)
    try:
        now_supports = services.support_toggle(actor=request.user, initiative=initiative)
    except (RateLimited, ActionRefused) as refused:
        _refused(request, refused)
        return redirect(initiative)
    messages.success(
        request,
        _("Thank you for your support!") if now_supports else _("Your support has been withdrawn."),
    )
    return redirect(initiative)


@require_POST
@login_required
@gate("initiatives.offer_help")
def offer_help(request: HttpRequest, pk: int, initiative: Initiative) -> HttpResponse:
    form = HelpOfferForm(request.POST)
    if form.is_valid():
        try:
            services.help_offer_add(
                actor=request.user, initiative=initiative, text=form.cleaned_data["text"]
            )
        except RateLimited as refused:
            _refused(request, refused)
        else:
            messages.success(request, _("Thank you! The applicant will hear of your offer."))
    else:
        messages.error(request, _("Tell what you can do (at most 2000 characters)."))
    return redirect(initiative)


@require_POST
@login_required
@gate("initiatives.converse")
def post_message(request: HttpRequest, pk: int, initiative: Initiative) -> HttpResponse:
    staff = request.user.has_perm("initiatives.view_internal", initiative)
    form = MessageForm(request.POST, staff=staff)
    if form.is_valid():
        try:
            services.message_post(
                actor=request.user,
                initiative=initiative,
                body=form.cleaned_data["body"],
                internal=bool(form.cleaned_data.get("is_internal")),
            )
        except RateLimited as refused:
            _refused(request, refused)
        else:
            messages.success(request, _("Your message has been sent."))
    else:
        messages.error(request, _("Write a message of at most 5000 characters."))
    return redirect(f"{initiative.get_absolute_url()}#conversation")


@login_required
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the workflow table, with the fields that step needs."""
    initiative = _get(request, pk)
    step = workflow.transition(action)
    if step is None or not step.for_staff:
        raise Http404
    if not step.allowed(request.user, initiative):
        raise PermissionDenied
    form = TransitionForm(request.POST or None, step=step, initiative=initiative)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.initiative_transition(
                    actor=request.user,
                    initiative=initiative,
                    action=action,
                    reason=data.get("reason", ""),
                    amount_cents=data.get("amount"),
                    fund=data.get("fund"),
                    conditions=data.get("conditions", ""),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Done: the initiative is now %(status)s.")
                    % {"status": Status(step.target).label},
                )
                return redirect(initiative)
        status = 400
    elif initiative.status not in step.sources:
        messages.error(request, workflow.WORKFLOW.wrong_state_message(step, initiative))
        return redirect(initiative)
    return render(
        request,
        "initiatives/transition.html",
        {
            "initiative": initiative,
            "step": step,
            "form": form,
            "problems": services.scheme_problems(initiative) if action == "approve" else [],
            "requested": format_money(initiative.requested_cents),
        },
        status=status,
    )


@login_required
def accountability(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _get(request, pk)
    step = workflow.BY_ACTION["submit_accountability"]
    if not step.allowed(request.user, initiative):
        raise PermissionDenied
    if initiative.status not in step.sources:
        messages.error(request, _("Accountability can be submitted after approval."))
        return redirect(initiative)
    lines = list(initiative.budget_lines.all())
    existing = getattr(initiative, "accountability", None)
    initial = (
        {
            "report": existing.report,
            "took_place": existing.took_place,
            "participants": existing.participants,
        }
        if existing
        else {"took_place": True}
    )
    form = AccountabilityForm(request.POST or None, lines=lines, initial=initial)
    files = AccountabilityFilesForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        kept = _files_and_removals(
            request,
            initiative,
            files,
            {"receipts": AttachmentPurpose.RECEIPT, "photos": AttachmentPurpose.RESULT_PHOTO},
        )
        if "add_files" in request.POST or "remove_attachment" in request.POST:
            # Only the files: the report comes back as typed, without errors for what is not
            # written yet.
            if kept:
                messages.success(request, _("Your files have been saved."))
            typed: dict[str, Any] = {name: request.POST.get(name, "") for name in form.fields}
            typed["took_place"] = "took_place" in request.POST
            form = AccountabilityForm(lines=lines, initial=typed)
            status = 200 if files.is_valid() else 400
        else:
            if form.is_valid() and files.is_valid():
                try:
                    services.accountability_submit(
                        actor=request.user,
                        initiative=initiative,
                        report=form.cleaned_data["report"],
                        took_place=form.cleaned_data["took_place"],
                        participants=form.cleaned_data["participants"],
                        actual_costs=form.actual_costs(),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Thank you! Your accountability has been sent."))
                    return redirect(initiative)
            status = 400
    return render(
        request,
        "initiatives/accountability.html",
        {
            "initiative": initiative,
            "form": form,
            "feedback": existing.feedback if existing else "",
            "attachments": [
                a
                for a in initiative.attachments.all()
                if a.purpose != AttachmentPurpose.APPLICATION
            ],
            "files_form": files,
        },
        status=status,
    )


@require_POST
@login_required
@gate("initiatives.assign")
def assign(request: HttpRequest, pk: int, initiative: Initiative) -> HttpResponse:
    form = AssignForm(request.POST, initiative=initiative)
    if form.is_valid():
        try:
            services.initiative_assign(
                actor=request.user, initiative=initiative, broker=form.cleaned_data["broker"]
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The initiative has been assigned."))
    else:
        messages.error(request, _("Choose a broker of this area."))
    return redirect(initiative)


def _small_form(
    request: HttpRequest,
    initiative: Initiative,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A small form posted from the detail page: its errors, the service's refusal or `done`
    become a message there."""
    if not form.is_valid():
        _form_refused(request, form)
        return redirect(initiative)
    try:
        act(form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return redirect(initiative)


@require_POST
@login_required
@gate("funds.book_for_initiative")
def repayment(request: HttpRequest, pk: int, initiative: Initiative) -> HttpResponse:
    return _small_form(
        request,
        initiative,
        RepaymentForm(request.POST),
        lambda data: services.initiative_repayment_received(
            actor=request.user,
            initiative=initiative,
            amount_cents=data["amount"],
            note=data["note"],
        ),
        _("The repayment has been booked; the money is back in the fund."),
    )


@require_POST
@login_required
@gate("initiatives.change_payee")
def payee(request: HttpRequest, pk: int, initiative: Initiative) -> HttpResponse:
    return _small_form(
        request,
        initiative,
        PayeeForm(request.POST),
        lambda data: services.initiative_set_payee(
            actor=request.user, initiative=initiative, iban=data["iban"], name=data["name"]
        ),
        _("Thank you: the grant will be paid to this account."),
    )


@require_POST
@login_required
@gate("funds.book_for_initiative")
def pay(request: HttpRequest, pk: int, initiative: Initiative) -> HttpResponse:
    try:
        paid = services.initiative_pay(actor=request.user, initiative=initiative)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("%(amount)s has been paid out.") % {"amount": format_money(paid)}
        )
    return redirect(initiative)


DASHBOARD_CAPTIONS = {
    "overdue": gettext_lazy("Overdue: decision term passed"),
    "new": gettext_lazy("New and under review"),
    "awaiting_payment": gettext_lazy("Awaiting payment"),
    "awaiting_accountability": gettext_lazy("Awaiting your review of the accountability"),
    "in_progress": gettext_lazy("In progress"),
}
assert set(DASHBOARD_CAPTIONS) == set(selectors.DASHBOARD_SECTIONS)


@login_required
@permission_required("initiatives.use_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    """The overview of all sections with their most urgent rows, or with `?section=` one
    section with all its rows, a page at a time."""
    key = request.GET.get("section")
    if key is None:
        board = selectors.dashboard(request.user)
        sections = [(caption, board[key]) for key, caption in DASHBOARD_CAPTIONS.items()]
        return render(request, "initiatives/dashboard.html", {"sections": sections})
    if key not in DASHBOARD_CAPTIONS:
        raise Http404
    page = Paginator(
        selectors.dashboard_section(request.user, key), selectors.DASHBOARD_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    section = selectors.Section(key, list(page.object_list), page.paginator.count)
    return render(
        request,
        "initiatives/dashboard.html",
        {"sections": [(DASHBOARD_CAPTIONS[key], section)], "page": page},
    )


@require_POST
@login_required
@permission_required("initiatives.use_dashboard")
def dashboard_bulk(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("initiatives") if v.isdigit()][:200]
    form = BulkForm(request.POST, ids=ids)
    if not form.is_valid() or not ids:
        messages.error(request, _("Choose one or more initiatives and an action."))
        return redirect("initiatives:dashboard")
    chosen = list(selectors.staff_initiatives(request.user, form.cleaned_data["initiatives"]))
    if len(chosen) != len(set(ids)):
        raise Http404
    try:
        with transaction.atomic():
            if form.cleaned_data["action"] == "assign_to_me":
                count = services.initiatives_assign_to_me(actor=request.user, initiatives=chosen)
            else:
                count = services.initiatives_mark_paid(actor=request.user, initiatives=chosen)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Done for %(count)d initiatives.") % {"count": count})
    return redirect("initiatives:dashboard")
