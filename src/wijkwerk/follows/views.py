"""Follow and unfollow buttons' target, the settings page, and the one-click unsubscribe link."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from wijkwerk.core.ratelimit import RateLimited

from . import registry, selectors, services, tokens
from .forms import FrequencyForm
from .models import Follow
from .policy import POLICY, can_follow


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _target(user: Any, kind: str, pk: int) -> Any:
    """The object to follow, or 404 for an unknown kind or what the user may not see."""
    if kind not in registry.labels():
        raise Http404
    model = apps.get_model(kind)
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None or not can_follow(user, obj):
        raise Http404
    return obj


@login_required
@require_POST
def toggle(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = _target(request.user, kind, pk)
    default = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else reverse("home")
    back = _safe_next(request, default)
    # With htmx (the panel's forms say hx-post) the panel is swapped in place, its message in
    # it; without JavaScript a redirect back with the message on the page.
    htmx = bool(getattr(request, "htmx", False))
    said: tuple[str, str] | None = None
    try:
        if request.POST.get("action") == "unfollow":
            if services.unfollow(request.user, obj):
                said = ("success", _("You no longer follow “%(name)s”.") % {"name": str(obj)})
        else:
            form = FrequencyForm(request.POST)
            if not form.is_valid():
                said = ("error", _("Choose how often you want updates."))
            else:
                services.follow(request.user, obj, frequency=form.cleaned_data["frequency"])
                said = ("success", _("You follow “%(name)s”.") % {"name": str(obj)})
    except RateLimited as refused:
        said = ("error", str(refused.messages[0]))
    if htmx:
        return _panel(request, obj, back, said)
    if said is not None:
        (messages.success if said[0] == "success" else messages.error)(request, said[1])
    return redirect(back)


def _panel(request: HttpRequest, obj: Any, back: str, said: tuple[str, str] | None) -> HttpResponse:
    """The follow panel alone, for htmx to swap in (always 200: htmx swaps only those; a
    refusal is in the panel)."""
    from .panels import panel_context

    context = panel_context(request, obj) or {}
    context.update(follow_next=back, follow_said=said)
    return render(request, "follows/_panel.html", context)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    rows = selectors.follows_of(request.user)
    return render(
        request,
        "follows/settings.html",
        {
            "rows": [
                (
                    row,
                    FrequencyForm(
                        initial={"frequency": row.follow.frequency}, prefix=str(row.follow.pk)
                    ),
                )
                for row in rows
            ],
        },
    )


@login_required
@require_POST
def change(request: HttpRequest, pk: int) -> HttpResponse:
    follow = Follow.objects.filter(pk=pk).first()
    if follow is None or not POLICY.user_has_permission_for_instance(
        request.user, "manage_follow", follow
    ):
        raise Http404
    if "remove" in request.POST:
        services.remove(request.user, follow.pk)
        messages.success(request, _("You no longer follow this."))
        return redirect("follows:settings")
    form = FrequencyForm(request.POST, prefix=str(follow.pk))
    if not form.is_valid():
        messages.error(request, _("Choose how often you want updates."))
        return redirect("follows:settings")
    services.set_frequency(request.user, follow.pk, form.cleaned_data["frequency"])
    messages.success(request, _("Your choice is saved."))
    return redirect("follows:settings")


def _bad_token(request: HttpRequest, error: tokens.BadToken) -> HttpResponse:
    if error.expired:
        message = _(
            "This unsubscribe link is more than a year old and no longer works. Log in and "
            "choose what you follow on the page “What I follow”."
        )
    else:
        message = _(
            "This unsubscribe link is not valid: it may be incomplete. Copy the whole link from "
            "the e-mail, or log in and choose what you follow on the page “What I follow”."
        )
    return render(
        request,
        "follows/unsubscribe_invalid.html",
        {"message": message},
        status=400,
    )


def _described(token: tokens.Unsubscribe) -> tuple[bool, str]:
    """Whether there is something left to unsubscribe from, and its name."""
    follows = Follow.objects.filter(user_id=token.user_id)
    if token.follow_id is None:
        return follows.filter(frequency="weekly").exists(), ""
    follow = follows.filter(pk=token.follow_id).select_related("content_type").first()
    if follow is None:
        return False, ""
    target = follow.target
    return True, str(target) if target is not None else ""


# RFC 8058 one-click unsubscribe: a mail client POSTs "List-Unsubscribe=One-Click" to the
# List-Unsubscribe URL on the person's behalf, with no session and no way to send our CSRF
# token. The signed token in the URL is what authorises it (only the mail's recipient has it),
# and the POST only removes that person's own follow, so CSRF protection adds nothing here.
# The confirmation page's button POSTs the same, so a link preview's GET never unsubscribes.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = tokens.read(token)
    except tokens.BadToken as error:
        return _bad_token(request, error)
    left, name = _described(data)
    if request.method == "POST":
        removed = services.unsubscribe(data)
        return render(
            request,
            "follows/unsubscribed.html",
            {"removed": removed, "digests": data.follow_id is None, "name": name},
        )
    return render(
        request,
        "follows/unsubscribe.html",
        {"left": left, "name": name, "digests": data.follow_id is None, "token": token},
    )
