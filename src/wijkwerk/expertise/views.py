"""Thin views of offers, invitations and questions: parse, call a service or selector, render.

An offer or invitation a visitor may not see answers 404 (the selectors decide, through the
policy); a step they may not take answers 403; refused input comes back on the form with 400."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerk.areas.models import Area
from wijkwerk.core.gates import permission_required
from wijkwerk.core.ratelimit import RateLimited
from wijkwerk.initiatives.selectors import ListPaginator, page_number

from . import selectors, services
from .forms import AnswerForm, InviteForm, OfferForm, OutcomeForm, QuestionForm, SearchForm
from .models import AnswerKind, Invitation, Offer, OfferStatus, Question

PER_PAGE = 20


def _offer(request: HttpRequest, pk: int, **kwargs: Any) -> Offer:
    offer = selectors.offer_for(request.user, pk)
    if offer is None:
        raise Http404
    return offer


def _invitation(request: HttpRequest, pk: int, **kwargs: Any) -> Invitation:
    invitation = selectors.invitation_for(request.user, pk)
    if invitation is None:
        raise Http404
    return invitation


def _question(request: HttpRequest, pk: int, **kwargs: Any) -> Question:
    question = selectors.question_for(pk)
    if question is None:
        raise Http404
    return question


def _refusal_on(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _resident_areas(user: Any) -> Any:  # user: a logged-in User
    if user.home_area_id is None:
        return Area.objects.none()
    return (
        Area.objects.filter(municipality__areas=user.home_area_id)
        .select_related("parent")
        .order_by("name")
    )


# --- offers --------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    """The hub: what offers and questions are, the open questions, and (logged in) your own
    offers."""
    user = request.user
    return render(
        request,
        "expertise/index.html",
        {
            "offers": selectors.my_offers(user) if user.is_authenticated else [],
            "questions": list(selectors.questions(open_only=True)[:5]),
        },
    )


def _offer_data(form: OfferForm) -> services.OfferData:
    data = form.cleaned_data
    return services.OfferData(
        kind=data["kind"],
        title=data["title"],
        description=data["description"],
        tags=data["tags"],
        areas=list(data["areas"]),
        availability=data["availability"],
        available_until=data["available_until"],
        visibility=data["visibility"],
    )


def _offer_form(request: HttpRequest, offer: Offer | None) -> HttpResponse:
    areas = _resident_areas(request.user)
    if request.method == "POST":
        form = OfferForm(request.POST, areas=areas, offer=offer)
        if form.is_valid():
            try:
                saved = services.offer_save(actor=request.user, offer=offer, data=_offer_data(form))
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(request, _("Your offer has been saved."))
                return redirect(saved)
        status = 400
    else:
        form = OfferForm(areas=areas, offer=offer)
        status = 200
    return render(
        request,
        "expertise/offer_form.html",
        {
            "form": form,
            "offer": offer,
            "no_home_area": getattr(request.user, "home_area_id", None) is None,
        },
        status=status,
    )


@login_required
def offer_create(request: HttpRequest) -> HttpResponse:
    return _offer_form(request, None)


@login_required
@permission_required("expertise.change_offer", fn=_offer, as_="offer")
def offer_edit(request: HttpRequest, pk: int, offer: Offer) -> HttpResponse:
    return _offer_form(request, offer)


@permission_required("expertise.view_offer", fn=_offer, as_="offer")
def offer_detail(request: HttpRequest, pk: int, offer: Offer) -> HttpResponse:
    user = request.user
    own = user.is_authenticated and offer.owner_id == user.pk
    return render(
        request,
        "expertise/offer_detail.html",
        {
            "offer": offer,
            "own": own,
            "may_invite": user.has_perm("expertise.invite", offer),
        },
    )


@require_POST
@login_required
@permission_required("expertise.change_offer", fn=_offer, as_="offer")
def offer_pause(request: HttpRequest, pk: int, offer: Offer) -> HttpResponse:
    paused = offer.status == OfferStatus.ACTIVE
    services.offer_pause(actor=request.user, offer=offer, paused=paused)
    messages.success(
        request,
        _("Your offer is paused: nobody else sees it.")
        if paused
        else _("Your offer is active again."),
    )
    return redirect(offer)


@login_required
@permission_required("expertise.change_offer", fn=_offer, as_="offer")
def offer_remove(request: HttpRequest, pk: int, offer: Offer) -> HttpResponse:
    if request.method == "POST":
        services.offer_remove(actor=request.user, offer=offer)
        messages.success(request, _("Your offer and its invitations have been removed."))
        return redirect("expertise:index")
    return render(request, "expertise/offer_remove.html", {"offer": offer})


@login_required
@permission_required("expertise.search_offers")
def search(request: HttpRequest) -> HttpResponse:
    # the chosen area with the areas it lies in: the search widens to them without a query
    areas = Area.objects.select_related("municipality", "parent__parent").order_by(
        "municipality__name", "name"
    )
    form = SearchForm(request.GET or None, areas=areas)
    filters = selectors.SearchFilters()
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            filters = selectors.SearchFilters(
                query=data["q"],
                tag=services.normalise_tag(data["tag"]),
                area=data["area"],
                kind=data["kind"],
            )
        else:
            status = 400
    # counted up to 1,000 (or the page asked for), as the initiatives' list: "more than 1,000"
    # says enough, and counting every visible offer cost more than the page
    number = page_number(request.GET.get("page"))
    page = ListPaginator(
        selectors.search_offers(request.user, filters), PER_PAGE, number=number
    ).get_page(number)
    cards = selectors.offer_cards(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "expertise/search.html",
        {
            "form": form,
            "page": page,
            "cards": cards,
            "query": query.urlencode(),
            "filtering": bool(filters.query or filters.tag or filters.area or filters.kind),
        },
        status=status,
    )


@login_required
@permission_required("expertise.invite", fn=_offer, as_="offer")
def invite(request: HttpRequest, pk: int, offer: Offer) -> HttpResponse:
    targets = selectors.invite_targets(request.user)
    if request.method == "POST":
        form = InviteForm(request.POST, targets=targets)
        status = 400
        if form.is_valid():
            try:
                invitation = services.invitation_send(
                    actor=request.user,
                    offer=offer,
                    target=form.cleaned_data["target"],
                    message=form.cleaned_data["message"],
                )
            except RateLimited as refused:
                _refusal_on(form, refused)
                status = 429
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(
                    request, _("Your invitation has been sent. You will hear the answer.")
                )
                return redirect(invitation)
    else:
        form = InviteForm(targets=targets)
        status = 200
    return render(
        request,
        "expertise/invite.html",
        {"form": form, "offer": offer, "has_targets": bool(targets.choices())},
        status=status,
    )


# --- invitations ---------------------------------------------------------------------------


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    return render(request, "expertise/invitations.html", selectors.invitations(request.user))


@login_required
@permission_required("expertise.view_invitation", fn=_invitation, as_="invitation")
def invitation_detail(request: HttpRequest, pk: int, invitation: Invitation) -> HttpResponse:
    user = request.user
    status = 200
    if request.method == "POST":
        if not user.has_perm("expertise.view_invitation", invitation) or (
            invitation.offer.owner_id != user.pk
        ):
            return HttpResponse(status=403)
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            messages.error(request, _("Choose whether you accept or decline."))
            status = 400
        else:
            try:
                services.invitation_answer(
                    actor=user, invitation=invitation, accept=answer == "accept"
                )
            except ValidationError as refused:
                for message in refused.messages:
                    messages.error(request, message)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "You accepted the invitation. The person who invited you now sees how "
                        "to reach you."
                    )
                    if answer == "accept"
                    else _("You declined the invitation."),
                )
                return redirect(invitation)
    return render(
        request,
        "expertise/invitation.html",
        {
            "invitation": invitation,
            "invitee": invitation.offer.owner_id == user.pk,
            "inviter": invitation.inviter_id == user.pk,
        },
        status=status,
    )


# --- questions -----------------------------------------------------------------------------


def question_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.questions(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "expertise/questions.html", {"page": page})


@login_required
@permission_required("expertise.ask_question")
def question_create(request: HttpRequest) -> HttpResponse:
    areas = selectors.question_areas(request.user).order_by("name")
    if request.method == "POST":
        form = QuestionForm(request.POST, areas=areas)
        if form.is_valid():
            data = form.cleaned_data
            try:
                question = services.question_ask(
                    actor=request.user,
                    data=services.QuestionData(
                        kind=data["kind"],
                        title=data["title"],
                        body=data["body"],
                        areas=list(data["areas"]),
                        closes_on=data["closes_on"],
                    ),
                )
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(request, _("Your question has been published."))
                return redirect(question)
        status = 400
    else:
        form = QuestionForm(areas=areas)
        status = 200
    return render(request, "expertise/question_form.html", {"form": form}, status=status)


def _answer_form(request: HttpRequest, data: Any = None) -> AnswerForm:
    offers = (
        Offer.objects.filter(owner=request.user, status=OfferStatus.ACTIVE)
        if request.user.is_authenticated
        else Offer.objects.none()
    )
    return AnswerForm(data, offers=offers if offers.exists() else None)


def _question_page(
    request: HttpRequest, question: Question, *, form: AnswerForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    manages = user.has_perm("expertise.manage_question", question)
    may_answer = user.has_perm("expertise.answer_question", question)
    own = selectors.own_answer(user, question)
    if form is None and may_answer and own is None:
        form = _answer_form(request)
    return render(
        request,
        "expertise/question.html",
        {
            "question": question,
            "manages": manages,
            "may_answer": may_answer and own is None,
            "own_answer": own,
            "form": form,
            "answers": selectors.answers(question, all_answers=manages),
            "outcome_form": OutcomeForm(initial={"outcome": question.outcome})
            if manages and not question.is_open
            else None,
        },
        status=status,
    )


@permission_required("expertise.view_question", fn=_question, as_="question")
def question_detail(request: HttpRequest, pk: int, question: Question) -> HttpResponse:
    return _question_page(request, question)


@require_POST
@login_required
@permission_required("expertise.view_question", fn=_question, as_="question")
def question_answer(request: HttpRequest, pk: int, question: Question) -> HttpResponse:
    if not question.is_open:
        messages.error(request, _("This question is closed: answers are no longer taken."))
        return _question_page(request, question, status=400)
    if not request.user.has_perm("expertise.answer_question", question):
        return HttpResponse(
            _("This question is for residents of its areas."), status=403, content_type="text/plain"
        )
    form = _answer_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_add(
                actor=request.user,
                question=question,
                kind=data["kind"],
                text=data["text"],
                offer=data.get("offer"),
                show_publicly=data["show_publicly"],
            )
        except ValidationError as refused:
            _refusal_on(form, refused)
        else:
            messages.success(
                request,
                _("Thank you for your answer.")
                if data["kind"] == AnswerKind.ANSWER
                else _("Thank you: the municipality knows you want to help."),
            )
            return redirect(question)
    return _question_page(request, question, form=form, status=400)


@require_POST
@login_required
@permission_required("expertise.manage_question", fn=_question, as_="question")
def question_close(request: HttpRequest, pk: int, question: Question) -> HttpResponse:
    try:
        services.question_close(actor=request.user, question=question)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return _question_page(request, question, status=400)
    messages.success(
        request, _("The question is closed. Now record what was done with the answers.")
    )
    return redirect(question)


@require_POST
@login_required
@permission_required("expertise.manage_question", fn=_question, as_="question")
def question_outcome(request: HttpRequest, pk: int, question: Question) -> HttpResponse:
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.question_record_outcome(
                actor=request.user, question=question, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as refused:
            for message in refused.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The outcome is on the question's page."))
            return redirect(question)
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
    return _question_page(request, question, status=400)
