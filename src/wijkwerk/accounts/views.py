from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .adapter import PENDING_INVITATION, landing_url
from .forms import ProfileForm
from .models import RoleInvitation
from .profile_services import profile_update
from .selectors import invitation_for_token, profile_overview
from .services import invitation_accept, invitation_check


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    overview = profile_overview(request.user)
    form = ProfileForm(request.POST or None, instance=overview.user)
    if request.method == "POST" and form.is_valid():
        profile_update(actor=request.user, user=overview.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"overview": overview, "form": form},
        status=400 if form.is_bound else 200,
    )


# ----- Invitations to a role ---------------------------------------------------------------------

# The page's status for each reason an invitation cannot be accepted.
REFUSED_STATUS = {"unknown": 404, "used": 410, "expired": 410, "wrong_email": 403}


def _refused_page(
    request: HttpRequest, error: ValidationError, invitation: RoleInvitation | None
) -> HttpResponse:
    code = getattr(error, "code", None) or ""
    # Not sent back here after every login: the page says what to do instead.
    request.session.pop(PENDING_INVITATION, None)
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invitation, "error": error.messages[0], "code": code},
        status=REFUSED_STATUS.get(code, 409),
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation mail: who invites to what; log in or sign up with the address
    invited (the visitor comes back here after logging in), then accept."""
    found = invitation_for_token(token)
    person = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        if person is None:
            return redirect_to_login(request.get_full_path())
        try:
            assignment = invitation_accept(actor=person, token=token)
        except ValidationError as refused:
            return _refused_page(request, refused, found)
        request.session.pop(PENDING_INVITATION, None)
        messages.success(
            request,
            _("Welcome! You are now %(role)s for %(where)s.")
            % {
                "role": assignment.get_role_display(),
                "where": assignment.area or assignment.municipality,
            },
        )
        return redirect(landing_url(person))
    try:
        invitation_check(found, person)
    except ValidationError as refused:
        return _refused_page(request, refused, found)
    if person is None:
        request.session[PENDING_INVITATION] = token
    return render(request, "accounts/invitation.html", {"invitation": found})
