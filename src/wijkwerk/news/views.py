"""News pages: a post, an area's and a municipality's news, and writing, publishing and taking
offline a post. Thin: parse, call a service or selector, render. A post a visitor may not see
answers 404; a step they may not take 403; a refused step comes back on its form with 400."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerk.areas.models import Area

from . import selectors, services
from .forms import PostForm, UnpublishForm
from .models import NewsPost
from .refusals import NewsRefused


def _post(request: HttpRequest, pk: int, **kwargs: Any) -> NewsPost:
    post = selectors.post_for(request.user, pk)
    if post is None:
        raise Http404
    return post


def post_gate(perm: str) -> Any:
    from wijkwerk.core.gates import permission_required

    return permission_required(perm, fn=_post, as_="post")


def _area_or_404(municipality: str, area: str) -> Area:
    found = selectors.area(municipality, area)
    if found is None:
        raise Http404
    return found


def _page(request: HttpRequest, posts: Any) -> Any:
    return Paginator(posts, selectors.PAGE_SIZE).get_page(request.GET.get("page"))


@post_gate("news.view_post")
def post_detail(request: HttpRequest, pk: int, post: NewsPost) -> HttpResponse:
    may_write = request.user.has_perm("news.change_post", post)
    return render(request, "news/detail.html", {"post": post, "may_write": may_write})


@post_gate("news.view_post")
def post_picture(request: HttpRequest, pk: int, post: NewsPost) -> HttpResponse | FileResponse:
    """The post's picture, for whoever may read the post (re-encoded, without metadata)."""
    if not post.picture:
        raise Http404
    try:
        handle = post.picture.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = str(post.picture.name).rsplit(".", 1)[-1]
    content_type = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(extension)
    if content_type is None:
        raise Http404
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # the address changes with the picture (?v=): a published post's picture may be kept long
    response["Cache-Control"] = (
        "public, max-age=86400" if post.states["published"] else "private, no-store"
    )
    return response


def area_news(request: HttpRequest, municipality: str, area: str) -> HttpResponse:
    found = _area_or_404(municipality, area)
    return render(
        request,
        "news/area.html",
        {
            "area": found,
            "page": _page(request, selectors.area_news(found)),
            "unpublished": selectors.unpublished_for(request.user, found),
            "may_write": bool(services.publishers(request.user, found)),
        },
    )


def municipality_news(request: HttpRequest, municipality: str) -> HttpResponse:
    found = selectors.municipality(municipality)
    if found is None:
        raise Http404
    return render(
        request,
        "news/municipality.html",
        {"municipality": found, "page": _page(request, selectors.municipality_news(found))},
    )


def _form_page(
    request: HttpRequest, form: PostForm, *, area: Area, post: NewsPost | None, status: int = 200
) -> HttpResponse:
    return render(
        request, "news/form.html", {"form": form, "area": area, "post": post}, status=status
    )


@login_required
def post_create(request: HttpRequest, municipality: str, area: str) -> HttpResponse:
    found = _area_or_404(municipality, area)
    publishers = services.publishers(request.user, found)
    if not publishers:
        raise PermissionDenied
    if request.method != "POST":
        return _form_page(request, PostForm(publishers=publishers), area=found, post=None)
    form = PostForm(request.POST, request.FILES, publishers=publishers)
    if form.is_valid():
        data = form.cleaned_data
        publisher = form.publishers[data["publisher"]]
        try:
            post = services.post_create(
                actor=request.user,
                area=found,
                council=publisher.council,
                group=publisher.group,
                title=data["title"],
                lead=data["lead"],
                body=data["body"],
                picture=form.picture_change(),
            )
            if "publish" in request.POST:
                post = services.post_publish(actor=request.user, post=post)
        except NewsRefused as refused:
            form.refused(refused)
        else:
            messages.success(
                request,
                _("The news has been published.")
                if "publish" in request.POST
                else _("The draft has been saved: only the writers see it until it is published."),
            )
            return redirect("news:detail", pk=post.pk)
    return _form_page(request, form, area=found, post=None, status=400)


@login_required
@post_gate("news.change_post")
def post_edit(request: HttpRequest, pk: int, post: NewsPost) -> HttpResponse:
    if request.method != "POST":
        form = PostForm(
            initial={
                "title": post.title,
                "lead": post.lead,
                "body": post.body,
                "picture_alt": post.picture_alt,
            },
            has_picture=bool(post.picture),
        )
        return _form_page(request, form, area=post.area, post=post)
    form = PostForm(request.POST, request.FILES, has_picture=bool(post.picture))
    if form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_change(
                actor=request.user,
                post=post,
                title=data["title"],
                lead=data["lead"],
                body=data["body"],
                picture=form.picture_change(),
            )
            if "publish" in request.POST and not post.states["published"]:
                post = services.post_publish(actor=request.user, post=post)
        except NewsRefused as refused:
            form.refused(refused)
        else:
            messages.success(request, _("The post has been saved."))
            return redirect("news:detail", pk=post.pk)
    return _form_page(request, form, area=post.area, post=post, status=400)


@login_required
@post_gate("news.publish_post")
@require_POST
def post_publish(request: HttpRequest, pk: int, post: NewsPost) -> HttpResponse:
    try:
        services.post_publish(actor=request.user, post=post)
    except NewsRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
        return render(request, "news/detail.html", {"post": post, "may_write": True}, status=400)
    messages.success(request, _("The news has been published."))
    return redirect("news:detail", pk=post.pk)


@login_required
@post_gate("news.unpublish_post")
def post_unpublish(request: HttpRequest, pk: int, post: NewsPost) -> HttpResponse:
    if request.method != "POST":
        return render(request, "news/unpublish.html", {"post": post, "form": UnpublishForm()})
    form = UnpublishForm(request.POST)
    if form.is_valid():
        try:
            services.post_unpublish(
                actor=request.user, post=post, reason=form.cleaned_data["reason"]
            )
        except NewsRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The post has been taken offline."))
            return redirect("news:detail", pk=post.pk)
    return render(request, "news/unpublish.html", {"post": post, "form": form}, status=400)
