"""Comments (comments/policy.py): anyone logged in who sees a public initiative comments on it;
anyone but its writer reports a comment; the broker of Dorst (broker_this) and Oosterhout's
administrator moderate comments in Dorst; the moderation queue is for every moderator in the
municipality (the broker of Slotjes sees an empty one). The alderman does not moderate.

The setup: the applicant's submitted initiative in Dorst-Zuid (public), with a comment of the
resident's (the applicant's neighbour)."""

from __future__ import annotations

from typing import Any

from wijkwerk.comments import services

from ..framework import Case, World, everyone, logged_in


def commented(world: World) -> None:
    initiative = world.cast.submitted()
    world.extra["initiative"] = initiative
    world.extra["comment"] = services.comment_post(
        actor=world.users["resident"], obj=initiative, body="Goed idee, ik doe mee."
    )


def blocked(world: World) -> None:
    commented(world)
    world.extra["block"] = services.user_block(
        actor=world.users["broker_this"], comment=world.extra["comment"], reason="Spam"
    )


def target(world: World) -> dict[str, Any]:
    return {"kind": "initiatief", "pk": world.extra["initiative"].pk}


def comment(world: World) -> dict[str, Any]:
    return {"pk": world.extra["comment"].pk}


MODERATORS = logged_in(403, broker_this=200, admin=200)
MODERATORS_ALSO = {"outsider": 403, "oss_admin": 403, "superuser": 200}
MODERATORS_REFUSED = logged_in(403, broker_this=400, admin=400)

CASES = [
    Case(
        "comments:post",
        logged_in(302),
        kwargs=target,
        setup=commented,
        method="post",
        data=lambda w: {"body": "Ik kom ook helpen."},
        also={"outsider": 302, "oss_admin": 302},
    ),
    Case(
        "comments:post",
        logged_in(400),
        kwargs=target,
        setup=commented,
        method="post",
        data=lambda w: {"body": ""},
        label="empty",
    ),
    Case(
        "comments:post",
        logged_in(405),
        kwargs=target,
        setup=commented,
        label="get",
    ),
    Case(
        "comments:report",
        logged_in(200, resident=403),
        kwargs=comment,
        setup=commented,
        also={"outsider": 200, "oss_admin": 200},
    ),
    Case(
        "comments:report",
        logged_in(400, resident=403),
        kwargs=comment,
        setup=commented,
        method="post",
        data=lambda w: {"reason": ""},
        label="no reason",
    ),
    Case("comments:hide", MODERATORS, kwargs=comment, setup=commented, also=MODERATORS_ALSO),
    Case(
        "comments:hide",
        MODERATORS_REFUSED,
        kwargs=comment,
        setup=commented,
        method="post",
        data=lambda w: {"reason": ""},
        label="no reason",
    ),
    Case(
        "comments:restore",
        MODERATORS_REFUSED,
        kwargs=comment,
        setup=commented,
        method="post",
        label="not hidden",
    ),
    Case(
        "comments:keep",
        MODERATORS_REFUSED,
        kwargs=comment,
        setup=commented,
        method="post",
        label="no reports",
    ),
    Case("comments:block", MODERATORS, kwargs=comment, setup=commented),
    Case(
        "comments:block",
        MODERATORS_REFUSED,
        kwargs=comment,
        setup=commented,
        method="post",
        data=lambda w: {"reason": ""},
        label="no reason",
    ),
    # the broker of Slotjes moderates in Oosterhout too and lifts the block; then it is gone
    Case(
        "comments:unblock",
        everyone(
            404, anonymous=302, resident=403, applicant=403, council_member=403, broker_other=302
        ),
        kwargs=lambda w: {"pk": w.extra["block"].pk},
        setup=blocked,
        method="post",
    ),
    Case(
        "comments:queue",
        logged_in(403, broker_other=200, broker_this=200, admin=200),
        kwargs=lambda w: {"municipality": w.municipality.slug},
        setup=blocked,
        also=MODERATORS_ALSO,
    ),
]
