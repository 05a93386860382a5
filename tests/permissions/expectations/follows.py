from ..framework import Case, World, everyone, logged_in


def _applicant_follows(world: World) -> None:
    from django.contrib.contenttypes.models import ContentType

    from wijkwerk.follows.models import Follow, Frequency
    from wijkwerk.follows.tokens import for_follow

    follow = Follow.objects.create(
        user=world.cast.applicant,
        content_type=ContentType.objects.get_for_model(world.area),
        object_id=world.area.pk,
        municipality=world.municipality,
        frequency=Frequency.WEEKLY,
    )
    world.extra["follow"] = follow
    world.extra["token"] = for_follow(user_id=world.cast.applicant.pk, follow_id=follow.pk)


# Following: a logged-in person follows what they may see (an unknown kind, or what they may
# not see, is a 404) and manages only their own follows (someone else's is a 404). The
# unsubscribe link works without a login for whoever holds its signed token; a forged one is a
# 400 with a page that says so.
CASES = [
    Case("follows:settings", logged_in(200)),
    Case(
        "follows:change",
        logged_in(404, applicant=302),
        kwargs=lambda w: {"pk": w.extra["follow"].pk},
        method="post",
        data=lambda w: {f"{w.extra['follow'].pk}-frequency": "immediate"},
        setup=_applicant_follows,
    ),
    Case(
        "follows:toggle",
        logged_in(302),
        kwargs=lambda w: {"kind": "areas.area", "pk": w.area.pk},
        method="post",
        data=lambda w: {"action": "follow", "frequency": "weekly"},
    ),
    Case(
        "follows:toggle",
        logged_in(405),
        kwargs=lambda w: {"kind": "areas.area", "pk": w.area.pk},
        label="get",
    ),
    Case(
        "follows:toggle",
        logged_in(404),
        kwargs=lambda w: {"kind": "accounts.user", "pk": w.cast.applicant.pk},
        method="post",
        data=lambda w: {"action": "follow", "frequency": "weekly"},
        label="not followable",
    ),
    Case(
        "follows:unsubscribe",
        everyone(200),
        kwargs=lambda w: {"token": w.extra["token"]},
        setup=_applicant_follows,
    ),
    Case(
        "follows:unsubscribe",
        everyone(200),
        kwargs=lambda w: {"token": w.extra["token"]},
        method="post",
        data=lambda w: {"List-Unsubscribe": "One-Click"},
        setup=_applicant_follows,
        label="one-click",
    ),
    Case(
        "follows:unsubscribe",
        everyone(400),
        kwargs=lambda w: {"token": "eyJ1IjoxfQ:forged:signature"},
        label="forged",
    ),
]
