"""Comment pages with Django's test client: the panel on the initiative's page (list, replies,
forms without JavaScript), script shown as text, bad input and forged ids answered with 400 and
a Dutch message, nothing saved; reports, the moderation queue and hiding with a public reason."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from wijkwerk.comments import services
from wijkwerk.comments.models import Comment, CommentReport, CommentStatus

from ..news.factories import post as news_post

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def initiative(cast):
    return cast.submitted()


def post_url(initiative, kind: str = "initiatief") -> str:
    return reverse("comments:post", kwargs={"kind": kind, "pk": initiative.pk})


def test_comment_and_reply_show_on_the_page_with_script_as_text(cast, client, initiative) -> None:
    client.force_login(cast.neighbour)
    response = client.post(post_url(initiative), {"body": "<script>alert('hoi')</script> Top!"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{initiative.get_absolute_url()}#comment-{comment.pk}"
    client.force_login(cast.applicant)
    response = client.post(post_url(initiative), {"body": "Dank je!", "parent": str(comment.pk)})
    assert response.status_code == 302
    reply = Comment.objects.get(parent=comment)
    page = client.get(initiative.get_absolute_url())
    html = page.content.decode()
    assert "&lt;script&gt;alert(&#x27;hoi&#x27;)&lt;/script&gt; Top!" in html
    assert "<script>alert" not in html
    assert f'id="comment-{reply.pk}"' in html
    text = text_of(page)
    assert "Reacties (2)" in text
    assert "Je antwoord is geplaatst." in text
    # without JavaScript: a reply form in a <details> for each top-level comment
    assert f'<input type="hidden" name="parent" value="{comment.pk}">' in html
    assert f'value="{reply.pk}"' not in html  # no replies to replies


def test_anonymous_visitors_read_and_are_asked_to_log_in(cast, client, initiative) -> None:
    services.comment_post(actor=cast.neighbour, obj=initiative, body="Mooi plan")
    text = text_of(client.get(initiative.get_absolute_url()))
    assert "Mooi plan" in text
    assert "Log in om te reageren. Nog geen account? Account aanmaken" in text
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert 'href="/accounts/signup/?next=' in html
    response = client.post(post_url(initiative), {"body": "Anoniem"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "data, status, message",
    [
        ({"body": ""}, 400, "Schrijf eerst je reactie."),
        ({"body": "   "}, 400, "Schrijf eerst je reactie."),
        ({"body": "x" * 2_001}, 400, "niet meer dan 2000 tekens bevat (het zijn er nu 2001)"),
        ({"body": "Hoi", "parent": "999999"}, 400, "Op die reactie kun je niet antwoorden."),
        ({"body": "Hoi", "parent": "abc"}, 400, "Op die reactie kun je niet antwoorden."),
        ({"body": "Hoi", "parent": "9" * 40}, 400, "Op die reactie kun je niet antwoorden."),
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_saved(
    cast, client, initiative, data, status, message
) -> None:
    client.force_login(cast.neighbour)
    response = client.post(post_url(initiative), data)
    assert response.status_code == status
    assert message in text_of(response)
    assert Comment.objects.count() == 0


def test_replies_to_other_objects_comments_or_to_hidden_ones_are_refused(
    cast, client, initiative
) -> None:
    elsewhere = services.comment_post(
        actor=cast.outsider, obj=news_post(cast.district), body="Elders"
    )
    here = services.comment_post(actor=cast.outsider, obj=initiative, body="Hier")
    services.comment_hide(actor=cast.broker, comment=here, reason="Reclame")
    client.force_login(cast.neighbour)
    for parent in (elsewhere, here):
        response = client.post(post_url(initiative), {"body": "Nee", "parent": parent.pk})
        assert response.status_code == 400
        assert "Op die reactie kun je niet antwoorden." in text_of(response)
    assert Comment.objects.count() == 2


def test_no_comments_on_what_the_visitor_may_not_see_or_what_takes_none(cast, client) -> None:
    draft = cast.draft()
    client.force_login(cast.neighbour)
    assert client.post(post_url(draft), {"body": "Hoi"}).status_code == 404
    assert client.post(post_url(draft, "onbekend"), {"body": "Hoi"}).status_code == 404
    # the broker sees a draft news post of Dorst, but it takes no comments
    client.force_login(cast.broker)
    response = client.post(
        post_url(news_post(cast.district, published=False), "nieuws"), {"body": "Hoi"}
    )
    assert response.status_code == 400
    assert "Hier kun je geen reactie plaatsen." in text_of(response)
    assert Comment.objects.count() == 0


def test_the_rate_limit_answers_400_with_a_message(cast, client, initiative, settings) -> None:
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "comment": "2/10m"}
    client.force_login(cast.neighbour)
    for number in range(2):
        assert client.post(post_url(initiative), {"body": f"Nr {number}"}).status_code == 302
    response = client.post(post_url(initiative), {"body": "Nr 3"})
    assert response.status_code == 400
    assert Comment.objects.count() == 2


def test_a_blocked_person_sees_why_instead_of_the_form(cast, client, initiative) -> None:
    comment = services.comment_post(actor=cast.neighbour, obj=initiative, body="Scheldwoord")
    services.user_block(actor=cast.broker, comment=comment, reason="Herhaald schelden")
    client.force_login(cast.neighbour)
    text = text_of(client.get(initiative.get_absolute_url()))
    assert (
        "Je mag niet reageren in deze gemeente. De reden van de moderator: Herhaald schelden"
        in text
    )
    assert "Reactie plaatsen" not in text
    response = client.post(post_url(initiative), {"body": "Toch"})
    assert response.status_code == 400
    assert "Herhaald schelden" in text_of(response)


def test_report_queue_and_hide_with_a_public_reason(cast, client, initiative) -> None:
    comment = services.comment_post(actor=cast.neighbour, obj=initiative, body="Je bent dom")
    client.force_login(cast.applicant)
    report_url = reverse("comments:report", kwargs={"pk": comment.pk})
    assert client.post(report_url, {"reason": ""}).status_code == 400
    response = client.post(report_url, {"reason": "insult", "explanation": "Persoonlijk"})
    assert response.status_code == 302
    again = client.post(report_url, {"reason": "spam"})
    assert again.status_code == 400
    assert "Je hebt deze reactie al gemeld." in text_of(again)
    assert CommentReport.objects.count() == 1

    queue_url = reverse("comments:queue", kwargs={"municipality": "oosterhout"})
    client.force_login(cast.broker)
    html = client.get(queue_url).content.decode()
    queue = text_of(client.get(queue_url))
    assert "Gemeld (1)" in queue
    # the comment in its place on the initiative's page
    link = f'<a class="utrecht-link" href="{initiative.get_absolute_url()}#comment-{comment.pk}">'
    assert link in html
    assert "Je bent dom" in queue
    assert (
        "1 melding:" in queue and "Beledigend, bedreigend of discriminerend: “Persoonlijk”" in queue
    )
    # the broker of Slotjes moderates elsewhere in Oosterhout: an empty queue
    client.force_login(cast.other_broker)
    assert "Niets gemeld." in text_of(client.get(queue_url))

    client.force_login(cast.broker)
    hide_url = reverse("comments:hide", kwargs={"pk": comment.pk})
    assert client.post(hide_url, {"reason": "", "from": "queue"}).status_code == 400
    response = client.post(hide_url, {"reason": "Beledigend", "from": "queue"})
    assert response.status_code == 302 and response["Location"] == queue_url
    assert Comment.objects.get().status == CommentStatus.HIDDEN
    client.logout()
    page = text_of(client.get(initiative.get_absolute_url()))
    assert "Verborgen door de moderator: Beledigend" in page
    assert "Je bent dom" not in page


def test_comments_on_a_plan_and_a_news_post(cast, client) -> None:
    from ..budgeting.factories import PlanFactory, make_round

    plan = PlanFactory(process=make_round(cast, phase="ideas"), author=cast.applicant)
    news = news_post(cast.district)
    client.force_login(cast.neighbour)
    for kind, obj, page in (
        ("plan", plan, reverse("budgeting:plan_detail", kwargs={"pk": plan.pk})),
        ("nieuws", news, news.get_absolute_url()),
    ):
        assert client.post(post_url(obj, kind), {"body": f"Over {kind}"}).status_code == 302
        assert f"Over {kind}" in text_of(client.get(page))


def test_a_moderator_hides_where_a_resident_reports_and_finds_the_queue(
    cast, client, initiative
) -> None:
    services.comment_post(actor=cast.neighbour, obj=initiative, body="Mooi plan")
    queue_url = reverse("comments:queue", kwargs={"municipality": "oosterhout"})
    client.force_login(cast.applicant)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert ">Melden<" in page and ">Verbergen<" not in page and queue_url not in page
    client.force_login(cast.broker)
    html = client.get(initiative.get_absolute_url()).content.decode()
    page = text_of(client.get(initiative.get_absolute_url()))
    # the moderator hides (no need to report to themselves) and reaches the moderation queue
    assert ">Melden<" not in html
    assert "Verbergen de reactie van " in page
    assert f'href="{queue_url}">Moderatie van reacties in Oosterhout</a>' in html
