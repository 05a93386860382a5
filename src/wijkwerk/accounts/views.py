from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .profile_services import profile_update
from .selectors import profile_overview


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
