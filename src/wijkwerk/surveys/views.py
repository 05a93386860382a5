"""Polls and surveys: building, answering, results, export.

GET/POST create            ?area= | ?council= | ?group=: a new survey (its holders)
GET/POST create_poll       the same, a poll in one step (a question and its options)
GET      manage            the builder: questions in order, publish, close
GET/POST edit              the survey's settings (while a draft)
GET/POST question_add      a question with its options ("Add an option" sends it back)
GET/POST question_edit
POST     question_move     one place up or down
POST     question_delete
POST     publish, close
GET/POST detail            the survey: answer it (everyone may see a published survey)
GET      results           charts and tables (public when the setting allows)
GET      export_csv, export_xlsx   one row per response (the holders)
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from allauth.core.internal.httpkit import get_client_ip
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wijkwerk.areas.models import Area, AreaCouncil, ResidentGroup
from wijkwerk.core import ratelimit
from wijkwerk.core.gates import permission_required
from wijkwerk.core.ratelimit import RateLimited

from . import export, selectors, services
from .forms import AnswerForm, ContactForm, PollForm, QuestionForm, SurveyForm
from .models import Access, Question, Survey, SurveyStatus
from .refusals import AnswersRefused, SurveyRefused

StrOrPromise = str | Promise

# The status of a refusal, by its code.
STATUS = {
    "not_open": 403,
    "duplicate": 409,
    "code": 400,
    "login": 403,
    "not_editable": 409,
    "not_published": 409,
}


def _survey_or_404(request: HttpRequest, pk: int, **kwargs: Any) -> Survey:
    found = selectors.survey(pk)
    if found is None:
        raise Http404
    return found


def _question_or_404(survey: Survey, qid: int) -> Question:
    for question in survey.questions.all():
        if question.pk == qid:
            return question
    raise Http404


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 12 else None


def _holder(request: HttpRequest) -> dict[str, Any]:
    """The area, council or group a new survey is for (`?area=`, `?council=`, `?group=`)."""
    source = request.POST if request.method == "POST" else request.GET
    council_id = _number(source.get("council"))
    group_id = _number(source.get("group"))
    area_id = _number(source.get("area"))
    if council_id:
        council = get_object_or_404(AreaCouncil.objects.select_related("area"), pk=council_id)
        return {"council": council, "area": council.area}
    if group_id:
        group = get_object_or_404(ResidentGroup.objects.select_related("area"), pk=group_id)
        return {"group": group, "area": group.area}
    if area_id:
        return {
            "area": get_object_or_404(Area.objects.select_related("parent__parent"), pk=area_id)
        }
    raise Http404


def _may_create(request: HttpRequest, holder: dict[str, Any]) -> None:
    area = holder["area"]
    probe = Survey(
        municipality_id=area.municipality_id,
        area=area,
        council=holder.get("council"),
        group=holder.get("group"),
    )
    if not request.user.has_perm("surveys.manage_survey", probe):
        raise PermissionDenied


def _unjudged(form: Any) -> None:
    """Show the form with what was sent, without judging it (one option row more, or the
    answers before the services judge them)."""
    form._errors = ErrorDict()
    form.cleaned_data = {}


def _place(refused: SurveyRefused, form: Any) -> None:
    for message in refused.messages:
        form.add_error(None, message)


def _save_form(
    request: HttpRequest,
    form: Any,
    save: Callable[[], Any],
    done: str,
    *,
    survey: Survey | None = None,
    more: bool = False,
) -> tuple[HttpResponse | None, int]:
    """The POST half of every builder page: judge the form, save it through `save` (a service;
    what it returns is the survey unless `survey` is given), then to the survey's managing page
    with `done`. A refusal's messages go on the form (400). `more`: one option row more was
    asked for, so the form is shown again unjudged. Returns the redirect or None, and the
    status for the page shown again."""
    if request.method != "POST":
        return None, 200
    if more:
        _unjudged(form)
        return None, 200
    if form.is_valid():
        try:
            saved = save()
        except SurveyRefused as refused:
            _place(refused, form)
        else:
            messages.success(request, done)
            return redirect("surveys:manage", pk=(survey or saved).pk), 200
    return None, 400


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    holder = _holder(request)
    _may_create(request, holder)
    municipality = holder["area"].municipality
    form = SurveyForm(request.POST or None, municipality=municipality)
    done, status = _save_form(
        request,
        form,
        lambda: services.create_survey(
            actor=request.user,
            values=form.settings(),
            area=holder["area"],
            council=holder.get("council"),
            group=holder.get("group"),
        ),
        _("The survey has been made: now add its questions."),
    )
    if done is not None:
        return done
    return render(
        request,
        "surveys/create.html",
        {"form": form, "holder": holder, "poll": False},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def create_poll(request: HttpRequest) -> HttpResponse:
    holder = _holder(request)
    _may_create(request, holder)
    municipality = holder["area"].municipality
    data = request.POST if request.method == "POST" else None
    more = data is not None and "more_options" in data
    rows = PollForm.rows_sent(data, 3, more=more)
    form = PollForm(data, municipality=municipality, rows=rows)
    done, status = _save_form(
        request,
        form,
        lambda: services.create_poll(
            actor=request.user,
            values=form.settings(),
            question=form.cleaned_data["question"],
            options=form.options(),
            area=holder["area"],
            council=holder.get("council"),
            group=holder.get("group"),
        ),
        _("The poll has been made: check it and publish it."),
        more=more,
    )
    if done is not None:
        return done
    return render(
        request,
        "surveys/create.html",
        {"form": form, "holder": holder, "poll": True, "next_row": rows - 1},
        status=status,
    )


def _manage_context(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    return {"survey": survey, "questions": list(survey.questions.all())}


@never_cache
@login_required
@permission_required("surveys.manage_survey", fn=_survey_or_404, as_="survey", not_found=True)
def manage(request: HttpRequest, pk: int, survey: Survey) -> HttpResponse:
    return render(request, "surveys/manage.html", _manage_context(request, survey))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("surveys.manage_survey", fn=_survey_or_404, as_="survey", not_found=True)
def edit(request: HttpRequest, pk: int, survey: Survey) -> HttpResponse:
    form = SurveyForm(
        request.POST or None,
        initial=SurveyForm.initial_for(survey),
        municipality=survey.municipality,
    )
    if survey.status != SurveyStatus.DRAFT:
        messages.error(request, _("A published survey cannot be changed."))
        return redirect("surveys:manage", pk=survey.pk)
    done, status = _save_form(
        request,
        form,
        lambda: services.change_survey(actor=request.user, survey=survey, values=form.settings()),
        _("The survey's settings have been saved."),
        survey=survey,
    )
    if done is not None:
        return done
    return render(request, "surveys/edit.html", {"form": form, "survey": survey}, status=status)


def _question_page(request: HttpRequest, survey: Survey, question: Question | None) -> HttpResponse:
    if survey.status != SurveyStatus.DRAFT:
        messages.error(request, _("A published survey cannot be changed."))
        return redirect("surveys:manage", pk=survey.pk)
    data = request.POST if request.method == "POST" else None
    more = data is not None and "more_options" in data
    existing = [option.text for option in question.options.all()] if question else []
    rows = QuestionForm.rows_sent(data, max(3, len(existing) + 1), more=more)
    form = QuestionForm(
        data,
        initial=QuestionForm.initial_for(question) if question else {"required": True},
        rows=rows,
        options=existing,
    )
    done, status = _save_form(
        request,
        form,
        lambda: (
            services.add_question(actor=request.user, survey=survey, values=form.values())
            if question is None
            else services.change_question(
                actor=request.user, question=question, values=form.values()
            )
        ),
        _("The question has been saved."),
        survey=survey,
        more=more,
    )
    if done is not None:
        return done
    return render(
        request,
        "surveys/question.html",
        {"form": form, "survey": survey, "question": question, "next_row": rows - 1},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("surveys.manage_survey", fn=_survey_or_404, as_="survey", not_found=True)
def question_add(request: HttpRequest, pk: int, survey: Survey) -> HttpResponse:
    return _question_page(request, survey, None)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("surveys.manage_survey", fn=_survey_or_404, as_="survey", not_found=True)
def question_edit(request: HttpRequest, pk: int, qid: int, survey: Survey) -> HttpResponse:
    return _question_page(request, survey, _question_or_404(survey, qid))


def _step(request: HttpRequest, survey: Survey, step: Any, done: str) -> HttpResponse:
    try:
        step()
    except SurveyRefused as refused:
        messages.error(request, refused.messages[0])
        response = render(
            request, "surveys/manage.html", _manage_context(request, survey), status=409
        )
        return response
    messages.success(request, done)
    return redirect("surveys:manage", pk=survey.pk)


def _survey_step(
    act: Callable[[HttpRequest, Survey], object], done: StrOrPromise
) -> Callable[..., HttpResponse]:
    """A POST by the survey's manager that takes one step on the survey (publish, close), then
    back to the managing page with `done` (or the refusal, 409)."""

    @login_required
    @require_POST
    @permission_required("surveys.manage_survey", fn=_survey_or_404, as_="survey", not_found=True)
    def view(request: HttpRequest, pk: int, survey: Survey) -> HttpResponse:
        return _step(request, survey, lambda: act(request, survey), str(done))

    return view


def _question_step(
    act: Callable[[HttpRequest, Question], object], done: StrOrPromise
) -> Callable[..., HttpResponse]:
    """The same for one question of the survey (move, delete)."""

    @login_required
    @require_POST
    @permission_required("surveys.manage_survey", fn=_survey_or_404, as_="survey", not_found=True)
    def view(request: HttpRequest, pk: int, qid: int, survey: Survey) -> HttpResponse:
        question = _question_or_404(survey, qid)
        return _step(request, survey, lambda: act(request, question), str(done))

    return view


question_move = _question_step(
    lambda request, question: services.move_question(
        actor=request.user, question=question, up=request.POST.get("direction") != "down"
    ),
    gettext_lazy("The question has been moved."),
)
question_delete = _question_step(
    lambda request, question: services.delete_question(actor=request.user, question=question),
    gettext_lazy("The question has been deleted."),
)
publish = _survey_step(
    lambda request, survey: services.publish(actor=request.user, survey=survey),
    gettext_lazy("The survey has been published."),
)
close = _survey_step(
    lambda request, survey: services.close(actor=request.user, survey=survey),
    gettext_lazy("The survey has been closed."),
)


# --- Answering ------------------------------------------------------------------------------


def _answered_key(survey: Survey) -> str:
    return f"surveys:answered:{survey.pk}"


def _detail_page(
    request: HttpRequest,
    survey: Survey,
    form: AnswerForm | None,
    contact: ContactForm | None,
    *,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    user = request.user
    answered = bool(request.session.get(_answered_key(survey)))
    if not answered and survey.access == Access.ACCOUNT and user.is_authenticated:
        answered = survey.responses.filter(user=user).exists()
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "form": form,
            "contact": contact,
            "rows": form.rows() if form is not None else [],
            "answered": answered,
            "problem": problem,
            "is_open": survey.is_open(),
            "may_manage": user.has_perm("surveys.manage_survey", survey),
            "may_see_results": user.has_perm("surveys.view_results", survey),
        },
        status=status,
    )


def _limit(request: HttpRequest, survey: Survey) -> None:
    """Anyone may post an open or code survey's form: a limit per address (a household or
    care home shares one, so it is generous)."""
    if survey.access != Access.ACCOUNT:
        ratelimit.limit(
            SimpleNamespace(pk=f"ip:{get_client_ip(request) or 'unknown'}"), "survey_answer"
        )


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required("surveys.view_survey", fn=_survey_or_404, as_="survey", not_found=True)
def detail(request: HttpRequest, pk: int, survey: Survey) -> HttpResponse:
    ask_code = survey.access == Access.CODE
    if request.method == "GET":
        form = AnswerForm(survey=survey, ask_code=ask_code)
        return _detail_page(request, survey, form, ContactForm() if survey.ask_contact else None)
    form = AnswerForm(request.POST, survey=survey, ask_code=ask_code)
    contact = ContactForm(request.POST) if survey.ask_contact else None
    _unjudged(form)
    if survey.access == Access.ACCOUNT and not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={survey.get_absolute_url()}")
    try:
        _limit(request, survey)
    except RateLimited as limited:
        return _detail_page(request, survey, form, contact, status=429, problem=limited.messages[0])
    if contact is not None and not contact.is_valid():
        return _detail_page(request, survey, form, contact, status=400)
    if survey.access == Access.OPEN and not request.session.session_key:
        request.session.save()
    try:
        services.respond(
            actor=request.user,
            survey=survey,
            raw=request.POST,
            code=request.POST.get("code", "")[:40],
            session_key=request.session.session_key or "",
            contact=contact.contact() if contact is not None else None,
        )
    except AnswersRefused as refused:
        form.place_errors(refused.errors)
        return _detail_page(request, survey, form, contact, status=400)
    except SurveyRefused as refused:
        if refused.code == "code":
            form.add_error("code", refused.messages[0])
            return _detail_page(request, survey, form, contact, status=400)
        if refused.code == "contact" and contact is not None:
            contact.add_error("contact_email", refused.messages[0])
            return _detail_page(request, survey, form, contact, status=400)
        return _detail_page(
            request,
            survey,
            form,
            contact,
            status=STATUS.get(refused.code or "", 400),
            problem=refused.messages[0],
        )
    request.session[_answered_key(survey)] = True
    messages.success(request, _("Thank you: your answers have been saved."))
    return redirect("surveys:detail", pk=survey.pk)


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return str(resolve_url(settings.LOGIN_URL))


@never_cache
@permission_required("surveys.view_results", fn=_survey_or_404, as_="survey", not_found=True)
def results(request: HttpRequest, pk: int, survey: Survey) -> HttpResponse:
    if survey.status == SurveyStatus.DRAFT:
        raise Http404
    holder = request.user.has_perm("surveys.manage_survey", survey)
    data = selectors.results(survey, exact=holder, open_answers=holder)
    return render(
        request,
        "surveys/results.html",
        {"survey": survey, "holder": holder, **data},
    )


def _file_name(survey: Survey, ext: str) -> str:
    return f"{slugify(survey.title)[:60] or 'peiling'}-{survey.pk}.{ext}"


@never_cache
@login_required
@permission_required("surveys.export_responses", fn=_survey_or_404, as_="survey", not_found=True)
def export_csv(request: HttpRequest, pk: int, survey: Survey) -> HttpResponse:
    response = HttpResponse(export.as_csv(survey), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(survey, "csv")}"'
    return response


@never_cache
@login_required
@permission_required("surveys.export_responses", fn=_survey_or_404, as_="survey", not_found=True)
def export_xlsx(request: HttpRequest, pk: int, survey: Survey) -> HttpResponse:
    response = HttpResponse(
        export.as_xlsx(survey),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(survey, "xlsx")}"'
    return response
