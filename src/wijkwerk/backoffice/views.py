"""The back office: municipality administrators manage areas, roles, councils and groups.

Views are thin: `admin_view` decides access (anonymous → login, not an administrator → 403, a
municipality the user does not manage → 404), selectors read, services write.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerk.accounts.services import (
    council_member_add,
    council_member_remove,
    group_member_add,
    group_member_remove,
    invitation_send,
    invitation_withdraw,
    person_deactivate,
    person_reactivate,
    role_assign,
    role_revoke,
)
from wijkwerk.areas.models import Area, AreaCouncil, GroupRole, Municipality, ResidentGroup
from wijkwerk.areas.services import (
    area_create,
    area_update,
    council_create,
    council_update,
    group_create,
    group_update,
)

from . import selectors
from .forms import (
    AreaForm,
    AuditFilterForm,
    CouncilForm,
    CouncilMemberForm,
    GroupForm,
    GroupMemberForm,
    InvitationForm,
    RoleAssignmentForm,
    SearchForm,
)

# 25 rows keep a list page quick to scan and to render (about 1 ms of template time per row).
PAGE_SIZE = 25
MAX_ID_DIGITS = 18  # below 2**63, the largest id the database holds

View = Callable[..., HttpResponse]


def or_404[T](select: Callable[..., T | None]) -> Callable[..., T]:
    """A selector's object, or 404: selectors return None for what the user may not manage."""

    def selected(*args: Any, **kwargs: Any) -> T:
        item = select(*args, **kwargs)
        if item is None:
            raise Http404
        return item

    return selected


def admin_view(view: View) -> View:
    """Access to the back office, and the managed municipality in place of its slug."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("backoffice.access"):
            raise PermissionDenied(_("The back office is for the municipality's administrators."))
        if "municipality" in kwargs:
            kwargs["municipality"] = or_404(selectors.municipality_for)(
                request.user, kwargs["municipality"]
            )
        return view(request, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, rows: Any) -> Page:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    return render(request, f"backoffice/{template}", context, status=status)


def _invalid(form: Any) -> int:
    """422 for a form sent back with errors, so clients and tests can tell it from a plain GET."""
    return 422 if form.is_bound and form.errors else 200


# ----- Dashboard ---------------------------------------------------------------------------------


@admin_view
def dashboard(request: HttpRequest) -> HttpResponse:
    municipalities = list(selectors.dashboard_municipalities(request.user))
    if len(municipalities) == 1 and not request.user.is_superuser:
        single = municipalities[0]
    else:
        single = None
    return _render(
        request,
        "dashboard.html",
        {
            "municipalities": municipalities,
            "municipality": single,
            "events": selectors.describe(selectors.recent_events(request.user)),
        },
    )


# ----- Areas -------------------------------------------------------------------------------------


@admin_view
def area_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_bound and search.is_valid() else ""
    page = _page(request, selectors.area_rows(municipality, query))
    return _render(
        request,
        "area_list.html",
        {"municipality": municipality, "search": search, "query": query, "page": page},
    )


@admin_view
def area_create_view(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = AreaForm(request.POST or None, request.FILES or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        area = form.call(
            area_create, actor=request.user, municipality=municipality, **form.service_fields()
        )
        if area is not None:
            messages.success(request, _("Area %(name)s created.") % {"name": area.name})
            return redirect("backoffice:area_edit", municipality=municipality.slug, pk=area.pk)
    return _render(
        request,
        "area_form.html",
        {"municipality": municipality, "form": form, "area": None},
        status=_invalid(form),
    )


@admin_view
def area_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    area = or_404(selectors.area_for)(municipality, pk)
    form = AreaForm(
        request.POST or None, request.FILES or None, municipality=municipality, area=area
    )
    if request.method == "POST" and form.is_valid():
        updated = form.call(area_update, actor=request.user, area=area, **form.service_fields())
        if updated is not None:
            messages.success(request, _("Area %(name)s saved.") % {"name": updated.name})
            return redirect("backoffice:area_edit", municipality=municipality.slug, pk=area.pk)
    return _render(
        request,
        "area_form.html",
        {
            "municipality": municipality,
            "form": form,
            "area": area,
            "assignments": list(selectors.role_rows(municipality, area)),
            "history": selectors.describe(selectors.object_history(area)),
        },
        status=_invalid(form),
    )


# ----- Role assignments --------------------------------------------------------------------------


def _area_filter(request: HttpRequest, municipality: Municipality) -> Area | None:
    raw = request.GET.get("gebied", "")
    # ASCII digits that fit a database id (isdigit alone also passes "²" and 5,000 digits).
    valid = raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS
    return or_404(selectors.area_for)(municipality, int(raw)) if valid else None


@admin_view
def role_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    area = _area_filter(request, municipality)
    page = _page(request, selectors.role_rows(municipality, area))
    invitations = selectors.open_invitations(municipality)
    if area is not None:
        invitations = invitations.filter(area=area)
    return _render(
        request,
        "role_list.html",
        {
            "municipality": municipality,
            "area": area,
            "page": page,
            "invitations": list(invitations[:PAGE_SIZE]),
        },
    )


@admin_view
def role_invite_view(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """Invite someone by e-mail to take up a role: assigned when they accept (accounts)."""
    area = _area_filter(request, municipality)
    form = InvitationForm(
        request.POST or None,
        municipality=municipality,
        initial={"area": area.pk} if area else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = form.call(
            invitation_send,
            actor=request.user,
            email=data["email"],
            role=data["role"],
            municipality=municipality,
            area=data["area"],
            public_contact=data["public_contact"],
        )
        if sent is not None:
            invitation, _token = sent
            messages.success(
                request,
                _("An invitation to become %(role)s in %(where)s has been sent to %(email)s.")
                % {
                    "role": invitation.get_role_display(),
                    "where": invitation.area or municipality,
                    "email": invitation.email,
                },
            )
            return redirect("backoffice:role_list", municipality=municipality.slug)
    return _render(
        request,
        "role_invite.html",
        {"municipality": municipality, "form": form, "area": area},
        status=_invalid(form),
    )


@admin_view
@require_POST
def invitation_withdraw_view(
    request: HttpRequest, municipality: Municipality, pk: int
) -> HttpResponse:
    invitation = or_404(selectors.invitation_for)(municipality, pk)
    try:
        invitation_withdraw(actor=request.user, invitation=invitation)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("backoffice:role_list", municipality=municipality.slug)


@admin_view
def person_view(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    """A person who works for the municipality: their roles here, and switching their account
    off (they can no longer log in) or on again."""
    person = or_404(selectors.person_for)(municipality, pk)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        service = {"deactivate": person_deactivate, "reactivate": person_reactivate}.get(
            action or ""
        )
        if service is None:
            error = _("Choose to deactivate or to reactivate the account.")
        else:
            try:
                service(actor=request.user, person=person, municipality=municipality)
            except ValidationError as refused:
                error = refused.messages[0]
            else:
                messages.success(
                    request,
                    (
                        _("The account of %(person)s has been deactivated.")
                        if action == "deactivate"
                        else _("The account of %(person)s has been reactivated.")
                    )
                    % {"person": person},
                )
                return redirect("backoffice:person", municipality=municipality.slug, pk=person.pk)
    return _render(
        request,
        "person.html",
        {
            "municipality": municipality,
            "person": person,
            "is_self": person.pk == request.user.pk,
            "assignments": list(selectors.role_rows(municipality).filter(user=person)),
            "error": error,
        },
        status=409 if error else 200,
    )


@admin_view
def role_assign_view(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    area = _area_filter(request, municipality)
    form = RoleAssignmentForm(
        request.POST or None,
        municipality=municipality,
        initial={"area": area.pk} if area else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assignment = form.call(
            role_assign,
            actor=request.user,
            user=data["email"],
            role=data["role"],
            municipality=municipality,
            area=data["area"],
            public_contact=data["public_contact"],
        )
        if assignment is not None:
            messages.success(
                request,
                _("%(person)s is now %(role)s in %(where)s.")
                % {
                    "person": assignment.user,
                    "role": assignment.get_role_display(),
                    "where": assignment.area or municipality,
                },
            )
            target = reverse("backoffice:role_list", kwargs={"municipality": municipality.slug})
            if assignment.area_id:
                target += f"?gebied={assignment.area_id}"
            return HttpResponseRedirect(target)
    return _render(
        request,
        "role_form.html",
        {"municipality": municipality, "form": form, "area": area},
        status=_invalid(form),
    )


@admin_view
def role_revoke_view(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    assignment = or_404(selectors.assignment_for)(municipality, pk)
    error = None
    if request.method == "POST":
        try:
            role_revoke(actor=request.user, assignment=assignment)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(
                request,
                _("The role %(role)s of %(person)s has been revoked.")
                % {"role": assignment.get_role_display(), "person": assignment.user},
            )
            return redirect("backoffice:role_list", municipality=municipality.slug)
    return _render(
        request,
        "role_revoke.html",
        {"municipality": municipality, "assignment": assignment, "error": error},
        status=409 if error else 200,
    )


# ----- Area councils and resident groups ---------------------------------------------------------


@admin_view
def council_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return _organisation_list(
        request,
        municipality,
        selectors.council_rows(municipality),
        title=_("Area councils"),
        create_url="backoffice:council_create",
        create_label=_("New area council"),
        edit_url="backoffice:council_edit",
        empty_text=_("No area councils yet."),
    )


@admin_view
def group_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return _organisation_list(
        request,
        municipality,
        selectors.group_rows(municipality),
        title=_("Resident groups"),
        create_url="backoffice:group_create",
        create_label=_("New resident group"),
        edit_url="backoffice:group_edit",
        empty_text=_("No resident groups yet."),
    )


def _organisation_list(
    request: HttpRequest, municipality: Municipality, rows: Any, **labels: str
) -> HttpResponse:
    """Councils and groups share one list page; only names and links differ."""
    page = _page(request, rows)
    return _render(
        request,
        "organisation_list.html",
        {"municipality": municipality, "page": page, **labels},
    )


def _create(
    request: HttpRequest,
    municipality: Municipality,
    form_class: type[CouncilForm] | type[GroupForm],
    service: Callable[..., Any],
    edit_url: str,
    title: str,
) -> HttpResponse:
    form = form_class(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        created = form.call(service, actor=request.user, area=fields.pop("area"), **fields)
        if created is not None:
            messages.success(request, _("%(name)s created.") % {"name": created.name})
            return redirect(edit_url, municipality=municipality.slug, pk=created.pk)
    return _render(
        request,
        "organisation_form.html",
        {"municipality": municipality, "form": form, "title": title},
        status=_invalid(form),
    )


@admin_view
def council_create_view(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return _create(
        request,
        municipality,
        CouncilForm,
        council_create,
        "backoffice:council_edit",
        _("New area council"),
    )


@admin_view
def group_create_view(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return _create(
        request,
        municipality,
        GroupForm,
        group_create,
        "backoffice:group_edit",
        _("New resident group"),
    )


def _member_context(
    municipality: Municipality,
    organisation: AreaCouncil | ResidentGroup,
    member_form: CouncilMemberForm | GroupMemberForm | None = None,
) -> dict[str, Any]:
    is_council = isinstance(organisation, AreaCouncil)
    return {
        "municipality": municipality,
        "organisation": organisation,
        "is_council": is_council,
        "members": list(organisation.memberships.all()),
        "member_form": member_form or (CouncilMemberForm() if is_council else GroupMemberForm()),
        "member_add_url": reverse(
            "backoffice:council_member_add" if is_council else "backoffice:group_member_add",
            kwargs={"municipality": municipality.slug, "pk": organisation.pk},
        ),
        "member_remove_name": (
            "backoffice:council_member_remove" if is_council else "backoffice:group_member_remove"
        ),
    }


def _edit(
    request: HttpRequest,
    municipality: Municipality,
    organisation: AreaCouncil | ResidentGroup,
    form_class: type[CouncilForm] | type[GroupForm],
    service: Callable[..., Any],
    keyword: str,
) -> HttpResponse:
    form = form_class(
        request.POST or None,
        municipality=municipality,
        initial=form_class.initial_for(organisation),  # type: ignore[arg-type]
    )
    if request.method == "POST" and form.is_valid():
        updated = form.call(
            service, actor=request.user, **{keyword: organisation}, **form.service_fields()
        )
        if updated is not None:
            messages.success(request, _("%(name)s saved.") % {"name": updated.name})
            return redirect(request.path)
    context = _member_context(municipality, organisation)
    context.update(
        form=form,
        title=organisation.name,
        history=selectors.describe(selectors.object_history(organisation)),
    )
    return _render(request, "organisation_form.html", context, status=_invalid(form))


@admin_view
def council_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    council = or_404(selectors.council_for)(municipality, pk)
    return _edit(request, municipality, council, CouncilForm, council_update, "council")


@admin_view
def group_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    group = or_404(selectors.group_for)(municipality, pk)
    return _edit(request, municipality, group, GroupForm, group_update, "group")


def _members_changed(
    request: HttpRequest,
    municipality: Municipality,
    organisation: AreaCouncil | ResidentGroup,
    edit_name: str,
    member_form: CouncilMemberForm | GroupMemberForm | None = None,
) -> HttpResponse:
    """With htmx only the member section is swapped; without it, back to the edit page."""
    if request.htmx:  # type: ignore[attr-defined]
        if isinstance(organisation, AreaCouncil):
            organisation = or_404(selectors.council_for)(municipality, organisation.pk)
        else:
            organisation = or_404(selectors.group_for)(municipality, organisation.pk)
        # Always 200: htmx swaps in only successful responses, and the errors are in the HTML.
        return _render(
            request, "_members.html", _member_context(municipality, organisation, member_form)
        )
    if member_form is not None and member_form.errors:
        return _edit_with_member_errors(request, municipality, organisation, member_form)
    return redirect(edit_name, municipality=municipality.slug, pk=organisation.pk)


def _edit_with_member_errors(
    request: HttpRequest,
    municipality: Municipality,
    organisation: AreaCouncil | ResidentGroup,
    member_form: CouncilMemberForm | GroupMemberForm,
) -> HttpResponse:
    is_council = isinstance(organisation, AreaCouncil)
    form_class: type[CouncilForm] | type[GroupForm] = CouncilForm if is_council else GroupForm
    context = _member_context(municipality, organisation, member_form)
    context.update(
        form=form_class(
            municipality=municipality,
            initial=form_class.initial_for(organisation),  # type: ignore[arg-type]
        ),
        title=organisation.name,
        history=selectors.describe(selectors.object_history(organisation)),
    )
    return _render(request, "organisation_form.html", context, status=422)


@admin_view
@require_POST
def council_member_add_view(
    request: HttpRequest, municipality: Municipality, pk: int
) -> HttpResponse:
    council = or_404(selectors.council_for)(municipality, pk)
    form = CouncilMemberForm(request.POST)
    if form.is_valid():
        membership = form.call(
            council_member_add,
            actor=request.user,
            council=council,
            user=form.cleaned_data["email"],
            position=form.cleaned_data["position"],
            since=form.cleaned_data["since"],
        )
        if membership is not None:
            messages.success(request, _("%(person)s added.") % {"person": membership.user})
            return _members_changed(request, municipality, council, "backoffice:council_edit")
    return _members_changed(request, municipality, council, "backoffice:council_edit", form)


@admin_view
@require_POST
def council_member_remove_view(
    request: HttpRequest, municipality: Municipality, pk: int, membership: int
) -> HttpResponse:
    council = or_404(selectors.council_for)(municipality, pk)
    found = or_404(selectors.council_membership_for)(council, membership)
    council_member_remove(actor=request.user, membership=found)
    messages.success(request, _("%(person)s removed.") % {"person": found.user})
    return _members_changed(request, municipality, council, "backoffice:council_edit")


@admin_view
@require_POST
def group_member_add_view(
    request: HttpRequest, municipality: Municipality, pk: int
) -> HttpResponse:
    group = or_404(selectors.group_for)(municipality, pk)
    form = GroupMemberForm(request.POST)
    if form.is_valid():
        membership = form.call(
            group_member_add,
            actor=request.user,
            group=group,
            user=form.cleaned_data["email"],
            role=form.cleaned_data["role"] or GroupRole.MEMBER,
        )
        if membership is not None:
            messages.success(request, _("%(person)s added.") % {"person": membership.user})
            return _members_changed(request, municipality, group, "backoffice:group_edit")
    return _members_changed(request, municipality, group, "backoffice:group_edit", form)


@admin_view
@require_POST
def group_member_remove_view(
    request: HttpRequest, municipality: Municipality, pk: int, membership: int
) -> HttpResponse:
    group = or_404(selectors.group_for)(municipality, pk)
    found = or_404(selectors.group_membership_for)(group, membership)
    group_member_remove(actor=request.user, membership=found)
    messages.success(request, _("%(person)s removed.") % {"person": found.user})
    return _members_changed(request, municipality, group, "backoffice:group_edit")


# ----- Audit log ---------------------------------------------------------------------------------


@admin_view
def audit_log(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    page = _page(request, selectors.audit_events(municipality, **filters))
    return _render(
        request,
        "audit_log.html",
        {
            "municipality": municipality,
            "form": form,
            "page": page,
            "events": selectors.describe(list(page.object_list)),
            "query_string": _without_page(request),
        },
        status=_invalid(form),
    )


def _without_page(request: HttpRequest) -> str:
    """The filters of the current request, for the links to other pages."""
    params = request.GET.copy()
    params.pop("pagina", None)
    return params.urlencode()
