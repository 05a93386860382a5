"""The comment forms with htmx: a comment or reply posted answers the comments panel alone, the
new comment in it; errors come back on the form in the panel (a reply's form open); without
JavaScript the same forms post and redirect."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijkwerk.comments.models import Comment

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def initiative(cast):
    return cast.submitted()


def post_url(initiative) -> str:
    return reverse("comments:post", kwargs={"kind": "initiatief", "pk": initiative.pk})


def test_the_forms_post_with_htmx_into_the_panel(cast, client, initiative) -> None:
    client.force_login(cast.neighbour)
    html = client.get(initiative.get_absolute_url()).content.decode()
    url = post_url(initiative)
    assert f'hx-post="{url}" hx-target="#comments" hx-swap="outerHTML" class="comment-form"' in html
    assert '<section class="comments" id="comments"' in html


def test_a_comment_and_a_reply_appear_in_the_panel(cast, client, initiative) -> None:
    client.force_login(cast.neighbour)
    response = client.post(post_url(initiative), {"body": "Mooi plan!"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    comment = Comment.objects.get()
    assert "<html" not in html and '<section class="comments" id="comments"' in html
    assert f'id="comment-{comment.pk}"' in html and "Mooi plan!" in html
    assert 'Reacties <span class="meta">(1)</span>' in html
    assert "Je reactie is geplaatst." in html
    client.force_login(cast.applicant)
    response = client.post(
        post_url(initiative), {"body": "Dank je!", "parent": str(comment.pk)}, **HTMX
    )
    html = response.content.decode()
    reply = Comment.objects.get(parent=comment)
    assert f'id="comment-{reply.pk}"' in html and "Je antwoord is geplaatst." in html


def test_errors_come_back_on_the_form_in_the_panel(cast, client, initiative) -> None:
    client.force_login(cast.neighbour)
    response = client.post(post_url(initiative), {"body": "   "}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Schrijf eerst je reactie." in html and 'aria-invalid="true"' in html
    assert Comment.objects.count() == 0


def test_a_failed_reply_opens_its_form_with_the_error(cast, client, initiative) -> None:
    client.force_login(cast.neighbour)
    client.post(post_url(initiative), {"body": "Eerste reactie"})
    comment = Comment.objects.get()
    client.force_login(cast.applicant)
    response = client.post(
        post_url(initiative), {"body": "x" * 2001, "parent": str(comment.pk)}, **HTMX
    )
    html = response.content.decode()
    assert '<details class="comment-reply" open>' in html
    assert "2000" in html.replace(".", "") and Comment.objects.count() == 1


def test_without_javascript_it_still_redirects(cast, client, initiative) -> None:
    client.force_login(cast.neighbour)
    response = client.post(post_url(initiative), {"body": "Zonder JavaScript"})
    assert response.status_code == 302
