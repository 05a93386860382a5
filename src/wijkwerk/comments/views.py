"""Comment pages: writing a comment or reply (a POST from the object's page; its form comes back
here with the errors), reporting, the moderators' steps and the moderation queue.

A comment whose object the visitor may not see answers 404 (unless they moderate it); a step
they may not take 403; a refused step comes back on its form with 400 and saves nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerk.core.gates import permission_required
from wijkwerk.core.ratelimit import RateLimited

from . import registry, selectors, services
from .forms import BlockForm, CommentForm, HideForm, ReplyForm, ReportForm
from .models import Comment
from .policy import moderates_in_municipality
from .refusals import CommentRefused


def _comment(request: HttpRequest, pk: int, **kwargs: Any) -> Comment:
    """The comment, with its object (`target_obj`, None when the visitor may not see it) and
    kind; 404 when the visitor may neither see its object nor moderate it."""
    comment = selectors.comment(pk)
    if comment is None:
        raise Http404
    kind = registry.by_label(f"{comment.content_type.app_label}.{comment.content_type.model}")
    if kind is None:
        raise Http404
    target = kind.load(request.user, comment.object_id)
    if target is None and not request.user.has_perm("comments.moderate_comment", comment):
        raise Http404
    comment.kind = kind  # type: ignore[attr-defined]
    comment.target_obj = target  # type: ignore[attr-defined]
    comment.target_url = kind.url(target) if target is not None else ""  # type: ignore[attr-defined]
    return comment


def comment_gate(perm: str) -> Any:
    return permission_required(perm, fn=_comment, as_="comment")


def _refusal_messages(error: Exception) -> list[str]:
    return list(getattr(error, "messages", [str(error)]))


# --- Writing ---------------------------------------------------------------------------------


@login_required
@require_POST
def comment_post(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    found = registry.by_key(kind)
    if found is None:
        raise Http404
    obj = found.load(request.user, pk)
    if obj is None:
        raise Http404
    raw_parent = request.POST.get("parent", "")
    form: CommentForm = (ReplyForm if raw_parent else CommentForm)(request.POST)
    parent: Comment | None = None
    valid = form.is_valid()
    if raw_parent:
        if raw_parent.isdigit() and len(raw_parent) <= 18:
            parent = selectors.comment(int(raw_parent))
        if parent is None:
            form.add_error(None, _("You cannot reply to that comment."))
            valid = False
    if valid:
        try:
            comment = services.comment_post(
                actor=request.user, obj=obj, body=form.cleaned_data["body"], parent=parent
            )
        except (CommentRefused, RateLimited) as refused:
            for message in _refusal_messages(refused):
                form.add_error(None, message)
        else:
            placed = (
                _("Your reply has been placed.") if parent else _("Your comment has been placed.")
            )
            if getattr(request, "htmx", False):
                return _panel(request, obj, said=("success", placed), new=comment.pk)
            messages.success(request, placed)
            return redirect(f"{found.url(obj)}#comment-{comment.pk}")
    if getattr(request, "htmx", False):
        # the panel again, this form with its errors (open, for a reply) and the rest as it is
        return _panel(request, obj, said=None, failed=form, parent=raw_parent)
    return render(
        request,
        "comments/form.html",
        {
            "form": form,
            "target": obj,
            "target_url": found.url(obj),
            "kind": found,
            "parent": parent,
        },
        status=400,
    )


def _panel(
    request: HttpRequest,
    obj: Any,
    *,
    said: tuple[str, str] | None,
    new: int | None = None,
    failed: CommentForm | None = None,
    parent: str = "",
) -> HttpResponse:
    """The comments panel alone, for htmx to swap in place (always 200: htmx swaps only those;
    errors are on the form in it). Without JavaScript the forms post and redirect as before."""
    from .panels import object_comments

    context = object_comments(request, obj=obj) or {}
    if failed is not None:
        if parent:
            context["comment_threads"] = [
                (thread, failed if str(thread.comment.pk) == parent else reply_form)
                for thread, reply_form in context.get("comment_threads", [])
            ]
            context["comment_open_reply"] = parent
        else:
            context["comment_form"] = failed
    context.update(comment_said=said, comment_new=new)
    return render(request, "comments/_panel.html", context)


# --- Reporting -------------------------------------------------------------------------------


@login_required
@comment_gate("comments.report_comment")
def comment_report(request: HttpRequest, pk: int, comment: Comment) -> HttpResponse:
    template = "comments/report.html"
    if request.method != "POST":
        return render(request, template, {"comment": comment, "form": ReportForm()})
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.comment_report(
                actor=request.user,
                comment=comment,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
            )
        except (CommentRefused, RateLimited) as refused:
            for message in _refusal_messages(refused):
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you. The moderators will look at the comment."))
            return redirect(_back(comment))
    return render(request, template, {"comment": comment, "form": form}, status=400)


def _back(comment: Comment) -> str:
    url = getattr(comment, "target_url", "")
    return f"{url}#comment-{comment.pk}" if url else "/"


# --- Moderation ------------------------------------------------------------------------------


def _queue_url(comment: Comment) -> str:
    from django.urls import reverse

    return reverse("comments:queue", kwargs={"municipality": comment.municipality.slug})


def _after_moderation(request: HttpRequest, comment: Comment) -> str:
    if request.POST.get("from") == "queue":
        return _queue_url(comment)
    return _back(comment) if getattr(comment, "target_url", "") else _queue_url(comment)


@login_required
@comment_gate("comments.moderate_comment")
def comment_hide(request: HttpRequest, pk: int, comment: Comment) -> HttpResponse:
    template = "comments/hide.html"
    origin = request.GET.get("from", "") or request.POST.get("from", "")
    context = {"comment": comment, "origin": "queue" if origin == "queue" else ""}
    if request.method != "POST":
        return render(request, template, {**context, "form": HideForm()})
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            services.comment_hide(
                actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
            )
        except CommentRefused as refused:
            for message in _refusal_messages(refused):
                form.add_error(None, message)
        else:
            messages.success(request, _("The comment has been hidden; its place shows the reason."))
            return redirect(_after_moderation(request, comment))
    return render(request, template, {**context, "form": form}, status=400)


def _post_step(request: HttpRequest, comment: Comment, step: Any, done: str) -> HttpResponse:
    try:
        step(actor=request.user, comment=comment)
    except CommentRefused as refused:
        for message in _refusal_messages(refused):
            messages.error(request, message)
        return render(request, "comments/refused.html", {"comment": comment}, status=400)
    messages.success(request, done)
    return redirect(_after_moderation(request, comment))


@login_required
@comment_gate("comments.moderate_comment")
@require_POST
def comment_restore(request: HttpRequest, pk: int, comment: Comment) -> HttpResponse:
    return _post_step(request, comment, services.comment_restore, _("The comment is shown again."))


@login_required
@comment_gate("comments.moderate_comment")
@require_POST
def comment_keep(request: HttpRequest, pk: int, comment: Comment) -> HttpResponse:
    return _post_step(
        request,
        comment,
        services.comment_keep,
        _("The reports have been handled; the comment stays."),
    )


@login_required
@comment_gate("comments.moderate_comment")
def user_block(request: HttpRequest, pk: int, comment: Comment) -> HttpResponse:
    template = "comments/block.html"
    if request.method != "POST":
        return render(request, template, {"comment": comment, "form": BlockForm()})
    form = BlockForm(request.POST)
    if form.is_valid():
        try:
            services.user_block(
                actor=request.user,
                comment=comment,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data.get("until"),
            )
        except CommentRefused as refused:
            field = "until" if refused.code == "bad_date" else None
            for message in _refusal_messages(refused):
                form.add_error(field, message)
        else:
            messages.success(
                request,
                _("%(name)s may no longer comment in %(municipality)s.")
                % {
                    "name": comment.author.display_name,
                    "municipality": comment.municipality.name,
                },
            )
            return redirect(_queue_url(comment))
    return render(request, template, {"comment": comment, "form": form}, status=400)


@login_required
@require_POST
def block_lift(request: HttpRequest, pk: int) -> HttpResponse:
    block = selectors.block(pk)
    if block is None:
        raise Http404
    if not moderates_in_municipality(request.user, block.municipality):
        raise PermissionDenied
    services.block_lift(actor=request.user, block=block)
    messages.success(request, _("%(name)s may comment again.") % {"name": block.user.display_name})
    return redirect("comments:queue", municipality=block.municipality.slug)


@login_required
def moderation_queue(request: HttpRequest, municipality: str) -> HttpResponse:
    found = selectors.municipality(municipality)
    if found is None:
        raise Http404
    if not moderates_in_municipality(request.user, found):
        raise PermissionDenied
    reported = selectors.reported(request.user, found)
    hidden = selectors.recently_hidden(request.user, found)
    for comment in (*reported, *hidden):
        # the comment in its place on the object's page, so the moderator reads it in context
        kind = registry.by_label(f"{comment.content_type.app_label}.{comment.content_type.model}")
        target = comment.target
        comment.target_url = (  # type: ignore[attr-defined]
            f"{kind.url(target)}#comment-{comment.pk}" if kind and target is not None else ""
        )
    return render(
        request,
        "comments/queue.html",
        {
            "municipality": found,
            "reported": reported,
            "hidden": hidden,
            "blocks": selectors.blocks(found),
        },
    )
