"""Thin views of resident groups: parse, call a service or selector, render.

A group that does not exist answers 404; a step the visitor may not take answers 403 (joining
an invitation-only group too, with the reason on the page); refused input comes back on the
form with 400."""

from __future__ import annotations

from typing import Any

from allauth.core.internal.httpkit import get_client_ip
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerk.areas.models import Area, GroupMembership, GroupRole, ResidentGroup
from wijkwerk.core.gates import permission_required

from . import selectors, services
from .forms import (
    ContactForm,
    DissolveForm,
    GroupForm,
    InviteForm,
    JoinForm,
    LeaveForm,
    RoleForm,
    WorkerForm,
)


def _group(request: HttpRequest, pk: int, **kwargs: Any) -> ResidentGroup:
    group = selectors.group_for(pk)
    if group is None:
        raise Http404
    return group


def _refusal_on(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _resident_areas(user: Any) -> Any:
    if user.home_area_id is None:
        return Area.objects.none()
    return Area.objects.filter(municipality__areas=user.home_area_id).select_related(
        "municipality", "parent"
    )


# --- lists and the page ------------------------------------------------------------------------


def municipality_list(request: HttpRequest, municipality: str) -> HttpResponse:
    found = selectors.municipality(municipality)
    if found is None:
        raise Http404
    return render(
        request,
        "groups/list.html",
        {"municipality": found, "area": None, "groups": selectors.municipality_groups(found)},
    )


def area_list(request: HttpRequest, municipality: str, area: str) -> HttpResponse:
    found = selectors.area(municipality, area)
    if found is None:
        raise Http404
    return render(
        request,
        "groups/list.html",
        {
            "municipality": found.municipality,
            "area": found,
            "groups": selectors.area_groups(found),
        },
    )


@permission_required("groups.view_group", fn=_group, as_="group")
def detail(request: HttpRequest, pk: int, group: ResidentGroup) -> HttpResponse:
    user = request.user
    page = selectors.group_page(group, user)
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "page": page,
            "join_form": JoinForm(),
            "contact_form": ContactForm(
                initial={"name": user.display_name, "email": user.email}
                if user.is_authenticated
                else None
            ),
            "may_manage": user.has_perm("groups.manage_group", group),
            "may_link": user.has_perm("groups.link_worker", group),
            "activity_family": selectors.ACTIVITY,
        },
    )


# --- founding and changing ---------------------------------------------------------------------


@login_required
def create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    areas = _resident_areas(user)
    if request.method == "POST":
        form = GroupForm(request.POST, areas=areas)
        if form.is_valid():
            data = form.cleaned_data
            try:
                group = services.group_found(
                    actor=user,
                    data=services.GroupData(
                        area=data["area"],
                        name=data["name"],
                        description=data["description"],
                        interest=data["interest"],
                        join_policy=data["join_policy"],
                    ),
                )
            except ValidationError as refused:
                _field_or_form(form, refused)
            else:
                messages.success(
                    request, _("Your group has been founded. You are its contact person.")
                )
                return redirect(group)
        status = 400
    else:
        initial = {"area": user.home_area_id} if user.home_area_id else None
        form = GroupForm(areas=areas, initial=initial)
        status = 200
    return render(
        request,
        "groups/form.html",
        {"form": form, "group": None, "no_home_area": user.home_area_id is None},
        status=status,
    )


def _field_or_form(form: Any, refused: ValidationError) -> None:
    code = getattr(refused, "code", None)
    target = {"duplicate_name": "name", "name_required": "name", "area_elsewhere": "area"}.get(
        str(code)
    )
    if target and target in form.fields:
        form.add_error(target, refused.messages[0])
    else:
        _refusal_on(form, refused)


@login_required
@permission_required("groups.manage_group", fn=_group, as_="group")
def edit(request: HttpRequest, pk: int, group: ResidentGroup) -> HttpResponse:
    if request.method == "POST":
        form = GroupForm(request.POST, editing=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.group_change(
                    actor=request.user,
                    group=group,
                    data=services.GroupData(
                        area=group.area,
                        name=data["name"],
                        description=data["description"],
                        interest=data["interest"],
                        join_policy=data["join_policy"],
                    ),
                )
            except ValidationError as refused:
                _field_or_form(form, refused)
            else:
                messages.success(request, _("The group's details have been saved."))
                return redirect(group)
        status = 400
    else:
        form = GroupForm(
            editing=True,
            initial={
                "name": group.name,
                "description": group.description,
                "interest": group.interest,
                "join_policy": group.join_policy,
            },
        )
        status = 200
    return render(request, "groups/form.html", {"form": form, "group": group}, status=status)


# --- joining and leaving -----------------------------------------------------------------------


def _refused_page(request: HttpRequest, group: ResidentGroup, refused: ValidationError) -> Any:
    return render(
        request,
        "groups/refused.html",
        {"group": group, "reasons": refused.messages},
        status=403,
    )


@login_required
@require_POST
@permission_required("groups.join_group", fn=_group, as_="group")
def join(request: HttpRequest, pk: int, group: ResidentGroup) -> HttpResponse:
    form = JoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("message", [])))
        return redirect(group)
    try:
        result = services.join(
            actor=request.user, group=group, message=form.cleaned_data["message"]
        )
    except services.GroupRefused as refused:
        if refused.code in ("invitation_only", "already_asked"):
            return _refused_page(request, group, refused)
        messages.error(request, " ".join(refused.messages))
        return redirect(group)
    except ValidationError as refused:  # rate limited
        messages.error(request, " ".join(refused.messages))
        return redirect(group)
    if isinstance(result, GroupMembership):
        messages.success(request, _("Welcome: you are a member of %(name)s.") % {"name": group})
    else:
        messages.success(
            request,
            _("Your request has been sent. You hear by e-mail when a contact person answers."),
        )
    return redirect(group)


@login_required
@permission_required("groups.leave_group", fn=_group, as_="group")
def leave(request: HttpRequest, pk: int, group: ResidentGroup) -> HttpResponse:
    user_id = int(request.user.pk or 0)
    others = GroupMembership.objects.filter(group=group).exclude(user_id=user_id)
    members = others.select_related("user").order_by("user__full_name")
    own = GroupMembership.objects.filter(group=group, user_id=user_id).first()
    last_contact = own is not None and own.is_contact and not others.filter(role="contact").exists()
    form = LeaveForm(request.POST if request.method == "POST" else None, members=members)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            successor = form.cleaned_data["successor"]
            try:
                services.leave(
                    actor=request.user,
                    group=group,
                    successor=successor.user if successor else None,
                )
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(request, _("You have left %(name)s.") % {"name": group})
                return redirect(group)
    return render(
        request,
        "groups/leave.html",
        {
            "group": group,
            "form": form,
            "last_contact": last_contact,
            "alone": last_contact and not members.exists(),
        },
        status=status,
    )


@login_required
@require_POST
@permission_required("groups.leave_group", fn=_group, as_="group")
def name_shown(request: HttpRequest, pk: int, group: ResidentGroup) -> HttpResponse:
    shown = request.POST.get("shown") == "1"
    services.set_name_shown(actor=request.user, group=group, shown=shown)
    if shown:
        messages.success(request, _("Your name is shown on the group's page."))
    else:
        messages.success(request, _("Your name is no longer shown on the group's page."))
    return redirect(group)


# --- running the group -------------------------------------------------------------------------


def _manage_context(group: ResidentGroup, **forms: Any) -> dict[str, Any]:
    return {
        "group": group,
        **selectors.manage_page(group),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "role_form": RoleForm(),
    }


@login_required
@permission_required("groups.manage_group", fn=_group, as_="group")
def manage(request: HttpRequest, pk: int, group: ResidentGroup) -> HttpResponse:
    return render(request, "groups/manage.html", _manage_context(group))


@login_required
@require_POST
@permission_required("groups.manage_group", fn=_group, as_="group")
def request_answer(request: HttpRequest, pk: int, request_pk: int, group: ResidentGroup) -> Any:
    join_request = selectors.join_request_for(group, request_pk)
    if join_request is None:
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        services.request_answer(actor=request.user, join_request=join_request, accept=accept)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        person = join_request.user.display_name
        if accept:
            messages.success(request, _("%(person)s is a member now.") % {"person": person})
        else:
            messages.success(
                request, _("The request of %(person)s has been declined.") % {"person": person}
            )
    return redirect("groups:manage", pk=group.pk)


@login_required
@require_POST
@permission_required("groups.manage_group", fn=_group, as_="group")
def invite(request: HttpRequest, pk: int, group: ResidentGroup) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, _token = services.invite(
                actor=request.user, group=group, email=form.cleaned_data["email"]
            )
        except ValidationError as refused:
            _refusal_on(form, refused)
        else:
            messages.success(
                request,
                _("The invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("groups:manage", pk=group.pk)
    return render(
        request, "groups/manage.html", _manage_context(group, invite_form=form), status=400
    )


@login_required
@require_POST
@permission_required("groups.manage_group", fn=_group, as_="group")
def role(request: HttpRequest, pk: int, member_pk: int, group: ResidentGroup) -> HttpResponse:
    membership = selectors.membership_for(group, member_pk)
    if membership is None:
        raise Http404
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
        return redirect("groups:manage", pk=group.pk)
    try:
        services.set_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("%(person)s is %(role)s now.")
            % {
                "person": membership.user.display_name,
                "role": GroupRole(form.cleaned_data["role"]).label,
            },
        )
    return redirect("groups:manage", pk=group.pk)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.invitation_for_token(token)
    problem = None
    try:
        services.invitation_check(found, request.user if request.user.is_authenticated else None)
    except ValidationError as refused:
        problem = refused.messages
    if request.method == "POST" and problem is None:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        try:
            membership = services.invitation_accept(actor=request.user, token=token)
        except ValidationError as refused:
            problem = refused.messages
        else:
            messages.success(
                request, _("Welcome: you are a member of %(name)s.") % {"name": membership.group}
            )
            return redirect(membership.group)
    status = 200 if problem is None else (404 if found is None else 400)
    return render(
        request,
        "groups/invitation.html",
        {"invitation": found, "problem": problem, "token": token},
        status=status,
    )


# --- contact, community worker, dissolving -----------------------------------------------------


@permission_required("groups.contact_group", fn=_group, as_="group")
def contact(request: HttpRequest, pk: int, group: ResidentGroup) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contact(
                    actor=user,
                    group=group,
                    data=services.ContactData(data["name"], data["email"], data["message"]),
                    client=str(get_client_ip(request) or "unknown"),
                )
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(
                    request,
                    _("Your message has been sent to the group's contact persons."),
                )
                return redirect(group)
        status = 400
    else:
        form = ContactForm(
            initial={"name": user.display_name, "email": user.email}
            if user.is_authenticated
            else None
        )
        status = 200
    return render(request, "groups/contact.html", {"group": group, "form": form}, status=status)


@login_required
@permission_required("groups.link_worker", fn=_group, as_="group")
def worker(request: HttpRequest, pk: int, group: ResidentGroup) -> HttpResponse:
    workers = selectors.worker_choices(group)
    form = WorkerForm(request.POST if request.method == "POST" else None, workers=workers)
    status = 200
    if request.method == "POST":
        status = 400
        if request.POST.get("unlink"):
            services.worker_unlink(actor=request.user, group=group)
            messages.success(request, _("The community worker is no longer linked to the group."))
            return redirect(group)
        if form.is_valid():
            try:
                services.worker_link(
                    actor=request.user, group=group, worker=form.cleaned_data["worker"]
                )
            except ValidationError as refused:
                _refusal_on(form, refused)
            else:
                messages.success(request, _("The community worker is linked to the group."))
                return redirect(group)
    return render(request, "groups/worker.html", {"group": group, "form": form}, status=status)


@login_required
@permission_required("groups.dissolve_group", fn=_group, as_="group")
def dissolve(request: HttpRequest, pk: int, group: ResidentGroup) -> HttpResponse:
    form = DissolveForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            services.dissolve(actor=request.user, group=group)
            messages.success(request, _("The group has been dissolved."))
            return redirect(group)
    return render(request, "groups/dissolve.html", {"group": group, "form": form}, status=status)
