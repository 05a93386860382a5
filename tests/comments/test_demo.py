"""The demo's news and comments (demo/news.py, demo/comments.py): in Oosterhout and Oss, posts
by the area's official and the council's chair (one a draft), comments with a reply, one
reported and one hidden with a public reason; loading again adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from wijkwerk.comments.models import Comment, CommentReport, CommentStatus
from wijkwerk.demo.comments import load_demo_comments
from wijkwerk.demo.news import load_demo_news
from wijkwerk.news.models import NewsPost
from wijkwerk.news.states import PostStatus

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_news_and_comments_in_both_municipalities() -> None:
    output = load()
    assert "5 news posts (4 published) and 10 comments (2 reported, 2 hidden) added." in output
    for slug in ("oosterhout", "oss"):
        posts = NewsPost.objects.filter(municipality__slug=slug)
        assert posts.filter(status=PostStatus.PUBLISHED, council__isnull=False).count() == 1
        assert posts.filter(status=PostStatus.PUBLISHED, council__isnull=True).count() == 1
        comments = Comment.objects.filter(municipality__slug=slug)
        assert comments.filter(parent__isnull=False).count() == 1
        hidden = comments.get(status=CommentStatus.HIDDEN)
        assert hidden.hidden_reason.startswith("Bevatte een telefoonnummer")
        assert (
            CommentReport.objects.filter(
                comment__municipality__slug=slug, handled_at__isnull=True
            ).count()
            == 1
        )
    assert NewsPost.objects.filter(status=PostStatus.DRAFT).count() == 1
    counts = (NewsPost.objects.count(), Comment.objects.count(), CommentReport.objects.count())
    # loading again (only these two parts: the whole demo's second load is test_load_demo's)
    assert (load_demo_news().posts, load_demo_comments().comments) == (0, 0)
    assert (
        NewsPost.objects.count(),
        Comment.objects.count(),
        CommentReport.objects.count(),
    ) == counts
