"""The challenges' permission policy answers its three questions alike ("may this user", "which
challenges", "which users") for every person of the cast and challenges in every kind of state,
and says who may do what: residents start and own proposals, the area's case handlers and the
administrator decide, only the administrator books money, the submitter reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from wijkwerk.challenges.models import Challenge
from wijkwerk.challenges.policy import POLICY

from .factories import admitted, draft, running, submitted

pytestmark = pytest.mark.django_db

PEOPLE = (
    "applicant",
    "neighbour",
    "outsider",
    "council_member",
    "broker",
    "other_broker",
    "alderman",
    "community_worker",
    "coordinator",
    "clerk",
    "admin",
    "oss_admin",
)


def _challenges(cast: Any) -> list[Challenge]:
    made = [draft(cast), submitted(cast), admitted(cast), running(cast)]
    other = draft(cast, title="In Slotjes")
    other.area = cast.other_district
    other.save()
    made.append(other)
    return list(
        Challenge.objects.filter(pk__in=[c.pk for c in made]).select_related(
            "area__parent__parent", "area__municipality"
        )
    )


def test_the_three_questions_agree(cast) -> None:
    challenges = _challenges(cast)
    users = [getattr(cast, name) for name in PEOPLE]
    for action in POLICY.actions:
        for user in users:
            listed = set(
                POLICY.instances_user_has_permission_for(user, action).values_list("pk", flat=True)
            )
            for challenge in challenges:
                may = POLICY.user_has_permission_for_instance(user, action, challenge)
                assert may == (challenge.pk in listed), (action, user, challenge.status)
                who = POLICY.users_with_permission_for_instance(action, challenge)
                assert may == who.filter(pk=user.pk).exists(), (action, user, challenge.status)
                assert may == user.has_perm(f"challenges.{action}", challenge)


def test_who_may_do_what(cast) -> None:
    challenges = {c.status: c for c in _challenges(cast) if c.title != "In Slotjes"}
    allowed = {
        action: {
            status: sorted(
                name
                for name in PEOPLE
                if POLICY.user_has_permission_for_instance(getattr(cast, name), action, challenge)
            )
            for status, challenge in challenges.items()
        }
        for action in ("view_private", "change_challenge", "review_challenge", "book_money")
    }
    officials = ["admin", "alderman", "applicant", "broker", "community_worker", "coordinator"]
    assert allowed["view_private"]["draft"] == ["applicant"]
    assert allowed["view_private"]["running"] == officials
    assert allowed["change_challenge"] == {
        "draft": ["applicant"],
        "submitted": [],
        "admitted": [],
        "running": [],
    }
    assert allowed["review_challenge"]["submitted"] == ["admin", "broker", "coordinator"]
    assert allowed["review_challenge"]["draft"] == []
    assert allowed["book_money"]["running"] == ["admin"]
    anonymous = AnonymousUser()
    assert POLICY.user_has_permission_for_instance(
        anonymous, "view_challenge", challenges["running"]
    )
    assert not POLICY.user_has_permission_for_instance(
        anonymous, "view_challenge", challenges["draft"]
    )
