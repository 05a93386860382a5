"""News (news/policy.py): a published post and the lists are for everyone; a draft only for its
writers (others may not know it exists: 404). In Dorst the broker (broker_this) and Oosterhout's
administrator write; the alderman, the clerk, residents, a plain council member and the broker
of Slotjes do not."""

from __future__ import annotations

from typing import Any

from ...news.factories import post
from ..framework import Case, World, everyone, logged_in


def published(world: World) -> None:
    world.extra["post"] = post(world.area, author=world.users["broker_this"])


def draft(world: World) -> None:
    world.extra["post"] = post(world.area, author=world.users["broker_this"], published=False)


def with_picture(world: World) -> None:
    """A published post and a draft, each with a picture (through the service)."""
    from wijkwerk.news import services

    from ...news.images import image_bytes, upload

    broker = world.users["broker_this"]
    for name, publish in (("post", True), ("draft", False)):
        made = services.post_create(
            actor=broker,
            area=world.area,
            title="Bomen geplant",
            lead="Dertig kinderen plantten bomen.",
            body="Een mooie ochtend.",
            picture=services.PictureChange(
                upload=upload(image_bytes("PNG"), "a.png", "image/png"), alt="Kinderen en bomen"
            ),
        )
        world.extra[name] = services.post_publish(actor=broker, post=made) if publish else made


def pk(world: World) -> dict[str, Any]:
    return {"pk": world.extra["post"].pk}


def municipality(world: World) -> dict[str, Any]:
    return {"municipality": world.municipality.slug}


def area(world: World) -> dict[str, Any]:
    return {"municipality": world.municipality.slug, "area": world.area.slug}


WRITERS = logged_in(403, broker_this=200, admin=200)
WRITERS_ALSO = {"outsider": 403, "oss_admin": 403, "superuser": 200}
DRAFT_WRITERS = everyone(404, anonymous=302, broker_this=200, admin=200)
DRAFT_ALSO = {"outsider": 404, "oss_admin": 404, "superuser": 200}

CASES = [
    Case(
        "news:detail",
        everyone(200),
        kwargs=pk,
        setup=published,
        label="published",
        also={"outsider": 200, "oss_admin": 200},
    ),
    Case(
        "news:detail",
        everyone(404, broker_this=200, admin=200),
        kwargs=pk,
        setup=draft,
        label="draft",
        also=DRAFT_ALSO,
    ),
    Case(
        "news:picture",
        everyone(200),
        kwargs=pk,
        setup=with_picture,
        label="published",
        also={"outsider": 200, "oss_admin": 200},
    ),
    Case(
        "news:picture",
        everyone(404, broker_this=200, admin=200),
        kwargs=lambda w: {"pk": w.extra["draft"].pk},
        setup=with_picture,
        label="draft",
        also=DRAFT_ALSO,
    ),
    Case(
        "news:picture",
        everyone(404),
        kwargs=pk,
        setup=published,
        label="post without a picture",
    ),
    Case("news:municipality", everyone(200), kwargs=municipality, setup=published),
    Case("news:area", everyone(200), kwargs=area, setup=published),
    Case("news:create", WRITERS, kwargs=area, also=WRITERS_ALSO),
    Case(
        "news:create",
        logged_in(403, broker_this=400, admin=400),
        kwargs=area,
        method="post",
        data=lambda w: {"publisher": "area", "title": "", "lead": "", "body": ""},
        label="invalid post",
    ),
    Case("news:edit", WRITERS, kwargs=pk, setup=published, label="published"),
    Case("news:edit", DRAFT_WRITERS, kwargs=pk, setup=draft, label="draft", also=DRAFT_ALSO),
    Case(
        "news:edit",
        logged_in(403, broker_this=400, admin=400),
        kwargs=pk,
        setup=published,
        method="post",
        data=lambda w: {"title": "<script>", "lead": "", "body": ""},
        label="invalid post",
    ),
    # the broker publishes the draft; from then on others see it (403) and the administrator
    # is told it is published already (400)
    Case(
        "news:publish",
        everyone(404, anonymous=302, broker_this=302, alderman=403, clerk=403, admin=400),
        kwargs=pk,
        setup=draft,
        method="post",
    ),
    Case("news:unpublish", WRITERS, kwargs=pk, setup=published),
    Case(
        "news:unpublish",
        logged_in(403, broker_this=400, admin=400),
        kwargs=pk,
        setup=published,
        method="post",
        data=lambda w: {"reason": ""},
        label="no reason",
    ),
]
