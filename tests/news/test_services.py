"""News services: who may write for what, drafts and publishing, taking offline with a reason,
plain text with limits; every step audited, nothing saved on a refusal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from wijkwerk.areas.models import CouncilPosition
from wijkwerk.core.models import AuditEvent
from wijkwerk.news import services
from wijkwerk.news.models import NewsPost
from wijkwerk.news.refusals import NewsRefused
from wijkwerk.news.states import PostStatus

from ..accounts.factories import UserFactory
from ..areas.factories import CouncilMembershipFactory, ResidentGroupFactory

pytestmark = pytest.mark.django_db


def write(actor, area, **overrides):
    values = {
        "title": "Snoeiwerk in de Kerkstraat",
        "lead": "Maandag snoeit de gemeente de bomen.",
        "body": "Parkeer je auto die dag ergens anders.\n\nDank je wel!",
    }
    values.update(overrides)
    return services.post_create(actor=actor, area=area, **values)


def test_the_broker_writes_a_draft_and_publishes_it_with_an_audit_trail(cast) -> None:
    post = write(cast.broker, cast.district)
    assert post.status == PostStatus.DRAFT and post.published_at is None
    assert post.municipality_id == cast.municipality.pk
    published = services.post_publish(actor=cast.broker, post=post)
    assert published.status == PostStatus.PUBLISHED and published.published_at is not None
    actions = list(
        AuditEvent.objects.filter(object_id=str(post.pk), object_type="news.newspost")
        .order_by("pk")
        .values_list("action", "actor_id", "municipality_id")
    )
    assert actions == [
        ("post.create", cast.broker.pk, cast.municipality.pk),
        ("post.publish", cast.broker.pk, cast.municipality.pk),
    ]


def test_publishing_twice_is_refused(cast) -> None:
    post = services.post_publish(actor=cast.broker, post=write(cast.broker, cast.district))
    with pytest.raises(NewsRefused) as refused:
        services.post_publish(actor=cast.broker, post=post)
    assert refused.value.code == "already_published"


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("broker", True),
        ("coordinator", True),
        ("community_worker", True),
        ("admin", True),
        ("alderman", False),
        ("other_broker", False),
        ("applicant", False),
        ("council_member", False),
        ("oss_admin", False),
    ],
)
def test_who_writes_the_news_of_an_area(cast, who, allowed) -> None:
    actor = getattr(cast, who)
    if allowed:
        assert write(actor, cast.neighbourhood).area == cast.neighbourhood
    else:
        with pytest.raises(PermissionDenied):
            write(actor, cast.neighbourhood)
        assert NewsPost.objects.count() == 0


def test_a_councils_chair_and_secretary_write_its_news_a_member_does_not(cast) -> None:
    chair = UserFactory(home_area=cast.district)
    CouncilMembershipFactory(council=cast.council, user=chair, position=CouncilPosition.CHAIR)
    post = write(chair, cast.district, council=cast.council)
    assert post.council == cast.council
    assert [p.key for p in services.publishers(chair, cast.district)] == [
        f"council:{cast.council.pk}"
    ]
    # a plain member (the cast's council member) writes nothing, not even for the area
    with pytest.raises(PermissionDenied):
        write(cast.council_member, cast.district, council=cast.council)
    assert services.publishers(cast.council_member, cast.district) == []
    # the chair writes no area news of their own
    with pytest.raises(PermissionDenied):
        write(chair, cast.district)


def test_a_groups_contact_writes_its_news(cast) -> None:
    group = ResidentGroupFactory(area=cast.neighbourhood, name="Buurtpreventie Zuid")
    group.memberships.create(user=cast.applicant, role="contact")
    group.memberships.create(user=cast.neighbour, role="member")
    assert write(cast.applicant, cast.neighbourhood, group=group).group == group
    with pytest.raises(PermissionDenied):
        write(cast.neighbour, cast.neighbourhood, group=group)
    # the broker sees the group among what they may write for
    keys = [p.key for p in services.publishers(cast.broker, cast.neighbourhood)]
    assert keys == ["area", f"group:{group.pk}"]


def test_a_council_of_another_area_is_refused(cast) -> None:
    with pytest.raises(NewsRefused) as refused:
        write(cast.broker, cast.neighbourhood, council=cast.council)  # the council is Dorst's
    assert refused.value.code == "foreign_publisher"
    assert NewsPost.objects.count() == 0


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"title": "  "}, "incomplete"),
        ({"lead": ""}, "incomplete"),
        ({"body": "\n\n"}, "incomplete"),
        ({"title": "x" * 151}, "too_long"),
        ({"lead": "x" * 301}, "too_long"),
        ({"body": "x" * 10_001}, "too_long"),
        ({"title": "Regel\neen"}, "not_single_line"),
    ],
)
def test_bad_texts_are_refused_and_nothing_is_saved(cast, overrides, code) -> None:
    with pytest.raises(NewsRefused) as refused:
        write(cast.broker, cast.district, **overrides)
    assert refused.value.code == code
    assert NewsPost.objects.count() == 0
    assert not AuditEvent.objects.filter(action="post.create").exists()


def test_taking_offline_needs_a_reason_and_publishing_again_clears_it(cast) -> None:
    post = services.post_publish(actor=cast.broker, post=write(cast.broker, cast.district))
    with pytest.raises(NewsRefused) as refused:
        services.post_unpublish(actor=cast.broker, post=post, reason=" ")
    assert refused.value.code == "reason_required"
    post = services.post_unpublish(actor=cast.admin, post=post, reason="Verkeerde datum")
    assert (post.status, post.unpublished_reason) == (PostStatus.UNPUBLISHED, "Verkeerde datum")
    with pytest.raises(NewsRefused) as refused:
        services.post_unpublish(actor=cast.broker, post=post, reason="Nogmaals")
    assert refused.value.code == "not_published"
    first = post.published_at
    post = services.post_publish(actor=cast.broker, post=post)
    assert post.status == PostStatus.PUBLISHED and post.unpublished_reason == ""
    assert post.published_at == first


def test_changing_keeps_the_text_plain(cast) -> None:
    post = write(cast.broker, cast.district)
    post = services.post_change(
        actor=cast.coordinator,
        post=post,
        title="Snoeiwerk <b>verzet</b>",
        lead="Nu op dinsdag.",
        body="<script>alert(1)</script>",
    )
    post.refresh_from_db()
    assert (post.title, post.body) == ("Snoeiwerk <b>verzet</b>", "<script>alert(1)</script>")
    with pytest.raises(PermissionDenied):
        services.post_change(actor=cast.alderman, post=post, title="x", lead="y", body="z")


def test_publishing_mails_the_followers_of_the_area_once_not_the_writer(
    cast, smtp_server, django_capture_on_commit_callbacks
) -> None:
    from wijkwerk.follows import services as follows
    from wijkwerk.follows.models import Frequency

    follows.follow(cast.neighbour, cast.district, frequency=Frequency.IMMEDIATE)
    follows.follow(cast.applicant, cast.neighbourhood, frequency=Frequency.IMMEDIATE)
    follows.follow(cast.broker, cast.district, frequency=Frequency.IMMEDIATE)
    post = write(cast.broker, cast.district)
    assert smtp_server.messages == []  # a draft tells no one
    with django_capture_on_commit_callbacks(execute=True):
        services.post_publish(actor=cast.broker, post=post)
    # the follower of Dorst hears of Dorst's news; the follower of Dorst-Zuid does not (it is
    # not their neighbourhood's), the writer does not hear of their own post
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == [cast.neighbour.email]
    mail = smtp_server.messages[0]
    assert mail["Subject"].endswith("Nieuws van Dorst: Snoeiwerk in de Kerkstraat")
    body = smtp_server.body(mail)
    assert "Dorst heeft nieuws gepubliceerd:" in body
    assert "Maandag snoeit de gemeente de bomen." in body
    assert f"/nieuws/{post.pk}/" in body
    assert mail["List-Unsubscribe"]
