"""Comment services: who comments on what, replies one level deep, plain text within 2,000
characters, the rate limit, reports once per person, moderation (hide with a public reason,
restore, keep, block with an end) — each step audited, nothing saved on a refusal."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from wijkwerk.comments import services
from wijkwerk.comments.models import Comment, CommentBlock, CommentReport, CommentStatus
from wijkwerk.comments.refusals import CommentRefused
from wijkwerk.core.models import AuditEvent
from wijkwerk.core.ratelimit import RateLimited

from ..news.factories import post as news_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(cast):
    return cast.submitted()


def say(actor, obj, body="Goed plan, ik help mee!", parent=None):
    return services.comment_post(actor=actor, obj=obj, body=body, parent=parent)


def test_a_resident_comments_on_a_public_initiative_and_another_replies(cast, initiative) -> None:
    comment = say(cast.neighbour, initiative)
    assert (comment.area_id, comment.municipality_id) == (
        cast.neighbourhood.pk,
        cast.municipality.pk,
    )
    reply = say(cast.applicant, initiative, "Dank je, Niels!", parent=comment)
    assert reply.parent_id == comment.pk
    events = list(
        AuditEvent.objects.filter(action="comment.post")
        .order_by("pk")
        .values_list("actor_id", "after")
    )
    assert events == [
        (
            cast.neighbour.pk,
            {"on": "Geveltuinen in de Kerkstraat", "length": 23, "parent": None},
        ),
        (
            cast.applicant.pk,
            {"on": "Geveltuinen in de Kerkstraat", "length": 15, "parent": comment.pk},
        ),
    ]


def test_a_reply_to_a_reply_a_hidden_comment_or_another_objects_comment_is_refused(
    cast, initiative
) -> None:
    comment = say(cast.neighbour, initiative)
    reply = say(cast.applicant, initiative, "Dank je", parent=comment)
    other = news_post(cast.district, author=cast.broker)
    elsewhere = say(cast.neighbour, other, "Mooi nieuws")
    services.comment_hide(actor=cast.broker, comment=elsewhere, reason="Dubbel geplaatst")
    hidden = Comment.objects.get(pk=elsewhere.pk)
    for parent, obj in ((reply, initiative), (elsewhere, initiative), (hidden, other)):
        with pytest.raises(CommentRefused) as refused:
            say(cast.outsider, obj, "Nog een", parent=parent)
        assert refused.value.code == "bad_parent"
    assert Comment.objects.count() == 3


@pytest.mark.parametrize(
    "body, code", [("", "empty"), ("  \n ", "empty"), ("x" * 2_001, "too_long")]
)
def test_empty_or_oversize_comments_are_refused(cast, initiative, body, code) -> None:
    with pytest.raises(CommentRefused) as refused:
        say(cast.neighbour, initiative, body)
    assert refused.value.code == code
    assert Comment.objects.count() == 0
    if code == "too_long":
        assert refused.value.messages == ["Schrijf hoogstens 2.000 tekens (je schreef er 2.001)."]


def test_exactly_2000_characters_is_fine_and_script_is_kept_as_text(cast, initiative) -> None:
    assert len(say(cast.neighbour, initiative, "x" * 2_000).body) == 2_000
    script = say(cast.neighbour, initiative, "<script>alert('hoi')</script>")
    assert script.body == "<script>alert('hoi')</script>"


def test_no_comments_on_a_draft_initiative_or_unpublished_news(cast) -> None:
    draft = cast.draft()
    post = news_post(cast.district, published=False)
    for obj in (draft, post, cast.district):  # an area takes no comments at all
        with pytest.raises(CommentRefused) as refused:
            say(cast.neighbour, obj)
        assert refused.value.code == "not_open"
    assert Comment.objects.count() == 0


def test_anonymous_visitors_cannot_comment(cast, initiative) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        say(AnonymousUser(), initiative)


def test_the_rate_limit_allows_ten_comments_in_ten_minutes(cast, initiative) -> None:
    for number in range(10):
        say(cast.neighbour, initiative, f"Reactie {number}")
    with pytest.raises(RateLimited):
        say(cast.neighbour, initiative, "Nummer elf")
    assert Comment.objects.count() == 10
    say(cast.applicant, initiative, "Iemand anders mag nog wel")


def test_a_report_is_once_per_person_and_never_of_ones_own_comment(cast, initiative) -> None:
    comment = say(cast.neighbour, initiative)
    services.comment_report(
        actor=cast.applicant, comment=comment, reason="insult", explanation="Grof"
    )
    with pytest.raises(CommentRefused) as refused:
        services.comment_report(actor=cast.applicant, comment=comment, reason="spam")
    assert refused.value.code == "already_reported"
    with pytest.raises(PermissionDenied):
        services.comment_report(actor=cast.neighbour, comment=comment, reason="spam")
    with pytest.raises(CommentRefused) as refused:
        services.comment_report(actor=cast.outsider, comment=comment, reason="nonsense")
    assert refused.value.code == "bad_reason"
    assert CommentReport.objects.count() == 1


def test_hiding_needs_a_reason_handles_the_reports_and_is_audited(cast, initiative) -> None:
    comment = say(cast.neighbour, initiative, "Die aanvrager is een oplichter")
    services.comment_report(actor=cast.applicant, comment=comment, reason="insult")
    with pytest.raises(CommentRefused) as refused:
        services.comment_hide(actor=cast.broker, comment=comment, reason="")
    assert refused.value.code == "empty"
    hidden = services.comment_hide(actor=cast.broker, comment=comment, reason="Beledigend")
    assert (hidden.status, hidden.hidden_reason, hidden.hidden_by) == (
        CommentStatus.HIDDEN,
        "Beledigend",
        cast.broker,
    )
    assert CommentReport.objects.get().handled_at is not None
    event = AuditEvent.objects.get(action="comment.hide")
    assert (event.actor, event.municipality_id, event.after) == (
        cast.broker,
        cast.municipality.pk,
        {"status": "hidden", "hidden_reason": "Beledigend", "reports": 1},
    )
    with pytest.raises(CommentRefused) as refused:
        services.comment_hide(actor=cast.broker, comment=comment, reason="Nogmaals")
    assert refused.value.code == "already_hidden"
    restored = services.comment_restore(actor=cast.coordinator, comment=comment)
    assert (restored.status, restored.hidden_reason) == (CommentStatus.VISIBLE, "")
    assert AuditEvent.objects.filter(action="comment.restore", actor=cast.coordinator).count() == 1


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("broker", True),
        ("coordinator", True),
        ("community_worker", True),
        ("admin", True),
        ("alderman", False),
        ("other_broker", False),
        ("oss_admin", False),
        ("council_member", False),
        ("applicant", False),
    ],
)
def test_who_moderates(cast, initiative, who, allowed) -> None:
    comment = say(cast.neighbour, initiative)
    if allowed:
        services.comment_hide(actor=getattr(cast, who), comment=comment, reason="Reclame")
    else:
        with pytest.raises(PermissionDenied):
            services.comment_hide(actor=getattr(cast, who), comment=comment, reason="Reclame")
        assert Comment.objects.get().status == CommentStatus.VISIBLE


def test_keeping_a_reported_comment_closes_its_reports(cast, initiative) -> None:
    comment = say(cast.neighbour, initiative)
    services.comment_report(actor=cast.applicant, comment=comment, reason="false")
    services.comment_report(actor=cast.outsider, comment=comment, reason="spam")
    assert services.comment_keep(actor=cast.broker, comment=comment) == 2
    with pytest.raises(CommentRefused) as refused:
        services.comment_keep(actor=cast.broker, comment=comment)
    assert refused.value.code == "nothing_reported"


def test_a_blocked_person_is_told_why_and_until_when_and_may_comment_after(
    cast, initiative
) -> None:
    comment = say(cast.neighbour, initiative)
    until = timezone.localdate() + datetime.timedelta(days=7)
    services.user_block(actor=cast.broker, comment=comment, reason="Herhaald schelden", until=until)
    with pytest.raises(CommentRefused) as refused:
        say(cast.neighbour, initiative, "Weer ik")
    assert refused.value.code == "blocked"
    months = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ]
    from django.utils import translation

    with translation.override("nl"), pytest.raises(CommentRefused) as refused:
        say(cast.neighbour, initiative, "Weer ik")
    expected_date = f"{until.day} {months[until.month - 1]} {until.year}"
    assert refused.value.messages == [
        f"Je mag tot {expected_date} niet reageren in deze gemeente. De reden van de moderator: "
        "Herhaald schelden"
    ]
    # the block is per municipality: Oss is open to them
    # once it ended, they comment again
    CommentBlock.objects.update(until=timezone.localdate() - datetime.timedelta(days=1))
    say(cast.neighbour, initiative, "Sorry allemaal")
    assert AuditEvent.objects.filter(action="comment.block", actor=cast.broker).count() == 1


def test_a_block_in_the_past_or_of_oneself_is_refused(cast, initiative) -> None:
    comment = say(cast.neighbour, initiative)
    with pytest.raises(CommentRefused) as refused:
        services.user_block(
            actor=cast.broker,
            comment=comment,
            reason="x",
            until=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert refused.value.code == "bad_date"
    own = say(cast.broker, initiative, "Ik kom langs")
    with pytest.raises(CommentRefused) as refused:
        services.user_block(actor=cast.broker, comment=own, reason="x")
    assert refused.value.code == "own_block"
    assert CommentBlock.objects.count() == 0


def test_lifting_a_block(cast, initiative) -> None:
    comment = say(cast.neighbour, initiative)
    block = services.user_block(actor=cast.broker, comment=comment, reason="Spam")
    with pytest.raises(PermissionDenied):
        services.block_lift(actor=cast.oss_admin, block=block)
    services.block_lift(actor=cast.other_broker, block=block)  # a moderator in Oosterhout
    assert CommentBlock.objects.count() == 0
    assert AuditEvent.objects.get(action="comment.unblock").actor == cast.other_broker


def test_comments_on_plans_and_news(cast) -> None:
    from ..budgeting.factories import PlanFactory, make_round

    plan = PlanFactory(process=make_round(cast, phase="ideas"), author=cast.applicant)
    assert say(cast.neighbour, plan).area_id == plan.area_id
    post = news_post(cast.neighbourhood, author=cast.broker)
    assert say(cast.neighbour, post).area_id == cast.neighbourhood.pk


def test_the_applicant_is_mailed_of_a_new_comment_not_of_their_own(
    cast, initiative, smtp_server, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        comment = say(cast.neighbour, initiative, "Ik help <b>graag</b> mee")
        say(cast.applicant, initiative, "Dank je!", parent=comment)
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == [cast.applicant.email]
    mail = smtp_server.messages[0]
    assert mail["Subject"].endswith("Nieuwe reactie op “Geveltuinen in de Kerkstraat”")
    body = smtp_server.body(mail)
    assert "Niels Buur heeft gereageerd op “Geveltuinen in de Kerkstraat”:" in body
    assert "Ik help <b>graag</b> mee" in body
    assert f"/{initiative.pk}/#comment-{comment.pk}" in body
