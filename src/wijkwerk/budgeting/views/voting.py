"""Voting: the ballot of the voter's area, its confirmation, the receipt, the receipt check.

    GET  ballot          the ballot (or why this person cannot vote, and what to do)
    POST ballot          "Bedrag bijwerken" (the ballot again with the server's totals), "Terug"
                         (from the confirmation) or "Verder" (checked; the confirmation page)
    POST ballot_confirm  the ballot is cast; the receipt page, in this very response
    GET/POST receipt_check  anyone: was the ballot of this receipt code received, counted?

The choices travel in the forms (hidden fields on the confirmation page), never in the session
(stored in the database with the person's id). The receipt code is shown once, in the response
that cast the ballot: not in the session, not in a message, not in a URL. Who may vote is
decided by one of `eligibility.CHECKS` (a pass in the session, else the account); the ballot
service checks everything again.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from allauth.core.internal.httpkit import get_client_ip
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wijkwerk.core import ratelimit
from wijkwerk.core.gates import permission_required
from wijkwerk.core.money import format_money
from wijkwerk.core.phases import Capability
from wijkwerk.core.ratelimit import RateLimited

from ..ballot_forms import POINTS_PREFIX, BallotForm, ReceiptForm
from ..eligibility import Capacity, Voter, drop_pass, granted_pass, voter_at_the_box
from ..models import BallotType, BudgetProcess, Plan, ProcessArea
from ..refusals import BudgetRefused
from ..selectors import ballot_plans
from ..services import voting
from ..states import ProcessStatus

# The status of a page that refuses a ballot, by the refusal's code (others: 400).
REFUSED_STATUS = {"voting_closed": 403, "not_eligible": 403, "already_voted": 409}


def _get(request: HttpRequest, pk: int, **kwargs: Any) -> BudgetProcess:
    process = (
        BudgetProcess.objects.select_related("municipality")
        .prefetch_related(
            Prefetch("process_areas", ProcessArea.objects.select_related("area")), "phases"
        )
        .filter(pk=pk)
        .first()
    )
    if process is None:
        raise Http404
    return process


gate = permission_required("budgeting.view_process", fn=_get, as_="process", not_found=True)


def _voting_phase(process: BudgetProcess) -> Any:
    return next((phase for phase in process.phases.all() if phase.kind == "voting"), None)


def _is_open(process: BudgetProcess) -> bool:
    return process.status == ProcessStatus.PUBLISHED and process.allows(Capability.VOTE)


def _voter(request: HttpRequest, process: BudgetProcess, data: Any) -> Voter:
    """The person at the ballot box: by a pass for the round in the session (a voting code, a
    DigiD login), else by the account (an entrepreneur names the round's area where the
    business is: `capacity`, `area`, carried along in the forms)."""
    return voter_at_the_box(process, request.user, request.session, data)


def _closed(request: HttpRequest, process: BudgetProcess, message: str = "") -> HttpResponse:
    """Why there is no ballot now: the voting has not begun (a draft, or a published round
    before its voting phase, with the day it begins) or it is over."""
    phase = _voting_phase(process)
    starts = None
    not_yet = process.status == ProcessStatus.DRAFT
    published = process.status == ProcessStatus.PUBLISHED
    if published and phase is not None and phase.starts_at > timezone.now():
        not_yet, starts = True, phase.starts_at
    if not_yet and not message:
        message = _("Voting in %(round)s has not started yet.") % {"round": process.title}
    if not message:
        message = _("Voting in %(round)s is closed.") % {"round": process.title}
    return render(
        request,
        "budgeting/voting/closed.html",
        {"process": process, "message": message, "starts": starts, "not_yet": not_yet},
        status=403,
    )


def _not_eligible(
    request: HttpRequest, process: BudgetProcess, refused: BudgetRefused
) -> HttpResponse:
    return render(
        request,
        "budgeting/voting/not_eligible.html",
        {
            "process": process,
            "reasons": refused.messages,
            "entrepreneurs": process.entrepreneurs_vote,
            "process_areas": list(process.process_areas.all()),
            # came in by a code: the profile has nothing to do with it
            "by_code": (granted_pass(request.session, process) or {}).get("route") == "code",
        },
        status=403,
    )


def _already_voted(
    request: HttpRequest, process: BudgetProcess, *, status: int = 200
) -> HttpResponse:
    return render(request, "budgeting/voting/voted.html", {"process": process}, status=status)


def _how_many(process: BudgetProcess) -> str:
    """How many plans the ballot asks for, in words ("Choose 1 to 5 plans.")."""
    low, high = process.min_choices, process.max_choices
    if high is not None and low == high:
        return ngettext("Choose %(n)s plan.", "Choose %(n)s plans.", high) % {"n": high}
    if high is not None and low:
        return _("Choose %(low)s to %(high)s plans.") % {"low": low, "high": high}
    if high is not None:
        return ngettext("Choose at most %(n)s plan.", "Choose at most %(n)s plans.", high) % {
            "n": high
        }
    if low > 1:
        return _("Choose at least %(n)s plans.") % {"n": low}
    return _("Choose one or more plans.")


def _amount(cents: int) -> str:
    """An amount that stays on one line in the meter's sentence ("€" and figure together)."""
    return format_money(cents).replace(" ", "\u00a0")


def _meter(process: BudgetProcess, voter: Voter, plans: list[Plan], chosen: dict[int, int]) -> Any:
    """The ballot's meter (money on a knapsack ballot, points on a points ballot) as the server
    counts it, and the sentences the script writes the live meter with."""
    if process.ballot_type == BallotType.KNAPSACK:
        budget = voter.process_area.budget_cents
        total = sum(plan.cost_cents for plan in plans if plan.pk in chosen)
        under = _("Chosen: %(total)s of %(budget)s — %(left)s left")
        over = _("Chosen: %(total)s of %(budget)s — %(over)s over the budget")
        text = (under if total <= budget else over) % {
            "total": _amount(total),
            "budget": _amount(budget),
            "left": _amount(budget - total),
            "over": _amount(total - budget),
        }
        kind = "money"
    elif process.ballot_type == BallotType.CUMULATIVE and process.points:
        budget = process.points
        total = sum(chosen.values())
        under = _("Given: %(total)s of %(budget)s points — %(left)s left")
        over = _("Given: %(total)s of %(budget)s points — %(over)s too many")
        text = (under if total <= budget else over) % {
            "total": total,
            "budget": budget,
            "left": budget - total,
            "over": total - budget,
        }
        kind = "points"
    else:
        return None
    placeholders = {"total": "{total}", "budget": "{budget}", "left": "{left}", "over": "{over}"}
    return SimpleNamespace(
        kind=kind,
        budget=budget,
        total=total,
        over=total > budget,
        shown=min(total, budget),
        text=text,
        under_template=under % placeholders,
        over_template=over % placeholders,
    )


def _picture_url(plan: Plan) -> str | None:
    """The address of the plan's picture (served by the plans' views; none until they do)."""
    if not plan.picture:
        return None
    try:
        return reverse("budgeting:plan_picture", args=[plan.pk])
    except NoReverseMatch:
        return None


def _ballot(
    request: HttpRequest,
    process: BudgetProcess,
    voter: Voter,
    plans: list[Plan],
    form: BallotForm,
    *,
    errors: BallotForm | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    chosen = form.chosen()
    voted = voting.has_voted(process, voter)
    return render(
        request,
        "budgeting/voting/ballot.html",
        {
            "process": process,
            "voter": voter,
            "area": voter.process_area.area,
            "plans": [(plan, chosen.get(plan.pk, 0), _picture_url(plan)) for plan in plans],
            "errors": errors,
            "message": message,
            "meter": _meter(process, voter, plans, chosen),
            "how_many": _how_many(process),
            "knapsack": process.ballot_type == BallotType.KNAPSACK,
            "cumulative": process.ballot_type == BallotType.CUMULATIVE,
            "points_prefix": POINTS_PREFIX,
            "voted": voted,
            "phase": _voting_phase(process),
            "capacity": _capacity_fields(request),
        },
        status=status,
    )


def _capacity_fields(request: HttpRequest) -> dict[str, str]:
    data = request.POST if request.method == "POST" else request.GET
    if data.get("capacity") == Capacity.ENTREPRENEUR:
        return {"capacity": Capacity.ENTREPRENEUR, "area": data.get("area", "")}
    return {}


def _at_the_box(request: HttpRequest, process: BudgetProcess) -> Voter | HttpResponse:
    """The voter, or the page that says why there is no ballot for this person now."""
    if not _is_open(process):
        return _closed(request, process)
    data = request.POST if request.method == "POST" else request.GET
    try:
        return _voter(request, process, data)
    except BudgetRefused as refused:
        # not known at the box: logged out, or in a round without accounts someone who has
        # not come in another way yet (a code, DigiD)
        if refused.code == "log_in" or (
            not process.vote_with_account and granted_pass(request.session, process) is None
        ):
            return _ways_in(request, process)
        return _not_eligible(request, process, refused)


def _ways_in(request: HttpRequest, process: BudgetProcess) -> HttpResponse:
    """How someone not yet known at the ballot box can vote in this round: log in, a voting
    code, DigiD, whichever the round allows."""
    return render(
        request,
        "budgeting/voting/ways_in.html",
        {"process": process, "next": request.get_full_path()},
        # a ballot sent by someone the box does not know is refused; the page says what to do
        status=200 if request.method == "GET" else 403,
    )


@never_cache
@gate
def ballot(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    voter = _at_the_box(request, process)
    if isinstance(voter, HttpResponse):
        return voter
    plans = list(ballot_plans(process, voter.process_area.area))
    if request.method == "GET":
        if not process.may_change_ballot and voting.has_voted(process, voter):
            return _already_voted(request, process)
        return _ballot(
            request,
            process,
            voter,
            plans,
            BallotForm(None, process=process, voter=voter, plans=plans),
        )
    form = BallotForm(request.POST, process=process, voter=voter, plans=plans)
    if "next" not in request.POST:
        # "Bedrag bijwerken" or "Terug": the ballot again with its choices and the server's totals
        return _ballot(request, process, voter, plans, form)
    if not form.is_valid():
        return _ballot(
            request,
            process,
            voter,
            plans,
            form,
            errors=form,
            status=REFUSED_STATUS.get(form.refusal_code, 400),
        )
    return _confirmation(request, process, voter, plans, form)


def _confirmation(
    request: HttpRequest,
    process: BudgetProcess,
    voter: Voter,
    plans: list[Plan],
    form: BallotForm,
) -> HttpResponse:
    points = dict(form.cleaned_data["choices"])
    chosen = [(plan, points[plan.pk]) for plan in plans if plan.pk in points]
    return render(
        request,
        "budgeting/voting/confirm.html",
        {
            "process": process,
            "area": voter.process_area.area,
            "chosen": chosen,
            "total_cents": sum(plan.cost_cents for plan, _points in chosen),
            "total_points": sum(points.values()),
            "budget_cents": voter.process_area.budget_cents,
            "knapsack": process.ballot_type == BallotType.KNAPSACK,
            "cumulative": process.ballot_type == BallotType.CUMULATIVE,
            "points_prefix": POINTS_PREFIX,
            "capacity": _capacity_fields(request),
            "voted": voting.has_voted(process, voter),
        },
    )


@never_cache
@require_POST
@gate
def ballot_confirm(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    voter = _at_the_box(request, process)
    if isinstance(voter, HttpResponse):
        return voter
    # The busiest page of a round: only what the check needs of the plans (the whole plans only
    # when the ballot comes back with a message).
    checked = list(
        ballot_plans(process, voter.process_area.area)
        .select_related(None)
        .only("id", "title", "estimated_cost_cents", "municipal_cost_cents")
    )
    form = BallotForm(request.POST, process=process, voter=voter, plans=checked)

    def again(status: int, message: str = "") -> HttpResponse:
        """The ballot back with its message, with the whole plans."""
        plans = list(ballot_plans(process, voter.process_area.area))
        errors = form if form.errors else None
        return _ballot(
            request, process, voter, plans, form, errors=errors, message=message, status=status
        )

    if not form.is_valid():
        return again(REFUSED_STATUS.get(form.refusal_code, 400))

    def limit_changes() -> None:
        # A first ballot needs no limit (the register takes one per person); changing it does.
        ratelimit.limit(request.user if voter.user else _visitor(request), "vote")

    try:
        cast = voting.ballot_cast(
            actor=request.user,
            process=process,
            voter=voter,
            choices=dict(form.cleaned_data["choices"]),
            plans=checked,
            before_change=limit_changes,
        )
    except RateLimited as limited:
        return again(429, limited.messages[0])
    except BudgetRefused as refused:
        if refused.code == "voting_closed":
            return _closed(request, process, refused.messages[0])
        if refused.code == "already_voted":
            return _already_voted(request, process, status=409)
        form.refuse(refused)
        return again(REFUSED_STATUS.get(refused.code or "", 400))
    drop_pass(request.session, process)
    return render(
        request,
        "budgeting/voting/receipt.html",
        {"process": process, "cast": cast, "phase": _voting_phase(process)},
    )


def _visitor(request: HttpRequest) -> Any:
    """Whoever checks a receipt code, counted by address (logged in or not)."""
    return SimpleNamespace(pk=f"ip:{get_client_ip(request) or 'unknown'}")


@never_cache
def receipt_check(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    answer = None
    status = 200
    limited = ""
    if form.is_bound:
        try:
            ratelimit.limit(_visitor(request), "receipt_check")
        except RateLimited as refused:
            limited = refused.messages[0]
            status = 429
        else:
            if form.is_valid():
                found = voting.receipt_status(form.cleaned_data["code"])
                if found is None:
                    answer = SimpleNamespace(kind="unknown", process=None)
                else:
                    process, counted = found
                    kind = (
                        "counted"
                        if counted
                        else "counting"
                        if process.status == ProcessStatus.CLOSED
                        else "received"
                    )
                    answer = SimpleNamespace(kind=kind, process=process)
            else:
                status = 400
    return render(
        request,
        "budgeting/voting/receipt_check.html",
        {"form": form, "answer": answer, "limited": limited},
        status=status,
    )
