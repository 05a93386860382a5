"""Resident groups (docs/groups.md).

The applicant (a resident of Dorst-Zuid) founds a group there and is its contact. Everyone sees
its page, the lists and the contact form; logged-in residents found groups and join. The contacts
(and Oosterhout's administrator, and a superuser) run the group: change it, answer requests,
invite, give roles, dissolve. A community worker is linked by the area's broker or the
administrator (or the worker themself). Joining an invitation-only group answers 403 with the
reason; on a dissolved group nothing but its page is open.
"""

from __future__ import annotations

from typing import Any

from wijkwerk.areas.models import GroupMembership, JoinPolicy, ResidentGroup
from wijkwerk.groups import services

from ..framework import Case, World, everyone, logged_in


def _found(world: World, policy: str = JoinPolicy.OPEN) -> None:
    # numbered: the page tour runs every setup on one database, and names are unique per area
    number = ResidentGroup.objects.filter(area=world.neighbourhood).count() + 1
    world.extra["group"] = services.group_found(
        actor=world.users["applicant"],
        data=services.GroupData(
            area=world.neighbourhood,
            name=f"Buurtmoestuin Dorst-Zuid {number}",
            description="Samen tuinieren achter de school.",
            interest="groen",
            join_policy=policy,
        ),
    )


def group(world: World) -> None:
    _found(world)


def invitation_only(world: World) -> None:
    _found(world, JoinPolicy.INVITATION)


def with_request(world: World) -> None:
    _found(world, JoinPolicy.ON_REQUEST)
    world.extra["request"] = services.join(
        actor=world.users["resident"], group=world.extra["group"], message="Ik doe graag mee."
    )


def with_invitation(world: World) -> None:
    _found(world, JoinPolicy.INVITATION)
    _invitation, world.extra["token"] = services.invite(
        actor=world.users["applicant"],
        group=world.extra["group"],
        email=world.users["resident"].email,
    )


def with_member(world: World) -> None:
    _found(world)
    services.join(actor=world.users["resident"], group=world.extra["group"])
    world.extra["membership"] = GroupMembership.objects.get(
        group=world.extra["group"], user=world.users["resident"]
    )


def dissolved(world: World) -> None:
    _found(world)
    services.dissolve(actor=world.users["applicant"], group=world.extra["group"])


def pk(world: World) -> dict[str, Any]:
    return {"pk": world.extra["group"].pk}


def area(world: World) -> dict[str, Any]:
    return {"municipality": world.municipality.slug, "area": world.area.slug}


# the group's contact and Oosterhout's administrator run the group
RUNNERS = logged_in(403, applicant=200, admin=200)
RUNNERS_ALSO = {"oss_admin": 403, "superuser": 200, "outsider": 403}
# the area's broker and the administrator link community workers
LINKERS = logged_in(403, broker_this=200, admin=200)


def done(expect: dict[str, int]) -> dict[str, int]:
    """A POST the visitor may make: a redirect back."""
    return {visitor: 302 if status == 200 else status for visitor, status in expect.items()}


CASES = [
    Case("groups:municipality", everyone(200), kwargs=lambda w: {"municipality": "oosterhout"}),
    Case(
        "groups:municipality",
        everyone(404),
        kwargs=lambda w: {"municipality": "nergens"},
        label="unknown",
    ),
    Case("groups:area", everyone(200), kwargs=area, setup=group),
    Case(
        "groups:area",
        everyone(404),
        kwargs=lambda w: {"municipality": "oosterhout", "area": "nergens"},
        label="unknown",
    ),
    Case("groups:detail", everyone(200), kwargs=pk, setup=group, also={"outsider": 200}),
    Case("groups:detail", everyone(200), kwargs=pk, setup=dissolved, label="dissolved"),
    Case("groups:detail", everyone(404), kwargs=lambda w: {"pk": 999999}, label="unknown"),
    Case("groups:create", logged_in(200)),
    Case("groups:edit", RUNNERS, kwargs=pk, setup=group, also=RUNNERS_ALSO),
    Case("groups:edit", logged_in(403), kwargs=pk, setup=dissolved, label="dissolved"),
    Case("groups:manage", RUNNERS, kwargs=pk, setup=group, also=RUNNERS_ALSO),
    Case("groups:manage", logged_in(403), kwargs=pk, setup=dissolved, label="dissolved"),
    # joining an open group: every logged-in non-member joins (and is sent back to the page)
    Case(
        "groups:join",
        logged_in(302, applicant=403),
        kwargs=pk,
        setup=group,
        method="post",
        also={"outsider": 302},
    ),
    # an invitation-only group refuses, with the reason on the page
    Case(
        "groups:join",
        logged_in(403),
        kwargs=pk,
        setup=invitation_only,
        method="post",
        label="invitation only",
    ),
    Case("groups:leave", logged_in(403, applicant=200), kwargs=pk, setup=group),
    Case(
        "groups:leave",
        logged_in(403, applicant=200, resident=200),
        kwargs=pk,
        setup=with_member,
        label="member",
    ),
    Case(
        "groups:name_shown",
        logged_in(403, applicant=302),
        kwargs=pk,
        setup=group,
        method="post",
        data=lambda w: {"shown": "1"},
    ),
    Case(
        "groups:request_answer",
        done(RUNNERS),
        kwargs=lambda w: {"pk": w.extra["group"].pk, "request_pk": w.extra["request"].pk},
        setup=with_request,
        method="post",
        data=lambda w: {"answer": "accept"},
    ),
    Case(
        "groups:invite",
        done(RUNNERS),
        kwargs=pk,
        setup=group,
        method="post",
        data=lambda w: {"email": "nieuw-lid@example.org"},
    ),
    Case(
        "groups:role",
        done(RUNNERS),
        kwargs=lambda w: {"pk": w.extra["group"].pk, "member_pk": w.extra["membership"].pk},
        setup=with_member,
        method="post",
        data=lambda w: {"role": "treasurer"},
    ),
    # the invitation's page: the invited resident (and a visitor, who is asked to log in) see it;
    # someone logged in with another address is told so
    Case(
        "groups:invitation",
        everyone(400, anonymous=200, resident=200),
        kwargs=lambda w: {"token": w.extra["token"]},
        setup=with_invitation,
    ),
    Case(
        "groups:invitation",
        everyone(404),
        kwargs=lambda w: {"token": "geen-geldige-link"},
        label="unknown",
    ),
    Case("groups:contact", everyone(200), kwargs=pk, setup=group),
    Case("groups:contact", everyone(403), kwargs=pk, setup=dissolved, label="dissolved"),
    Case(
        "groups:contact",
        everyone(302),
        kwargs=pk,
        setup=group,
        method="post",
        data=lambda w: {
            "name": "Els Vraag",
            "email": "els@example.org",
            "message": "Mag ik een keer komen kijken?",
        },
        label="send",
    ),
    Case(
        "groups:worker",
        LINKERS,
        kwargs=pk,
        setup=group,
        also={"oss_admin": 403, "superuser": 200},
    ),
    Case("groups:dissolve", RUNNERS, kwargs=pk, setup=group, also=RUNNERS_ALSO),
    Case("groups:dissolve", logged_in(403), kwargs=pk, setup=dissolved, label="dissolved"),
]
