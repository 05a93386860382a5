"""Who may see and use residents' offers, invitations and the municipality's questions.

The one place that decides who sees an offer (docs/expertise.md, "Who sees an offer"): the search,
an offer's page, the invitation form and every list read `OFFER_POLICY` — a check on a loaded
offer, or `visible_offers(user)` (selectors), the same rule as a `Q`. Nothing else decides it.

    owner                          always (also while paused)
    everyone                       anyone, logged in or not
    officials                      the officials of the offer's municipality: its area officials
                                   (alderman, broker, community worker, area coordinator) and
                                   its administrator
    initiators                     those officials, and residents with a running initiative
                                   (submitted, not yet completed) in one of the offer's areas or
                                   an area inside one of them

A paused offer is seen by its owner only. Checks on an offer need its `areas` prefetched.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.accounts.policy import AREA_OFFICIAL_ROLES
from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import Area
from wijkwerk.core.policy import (
    EVERYTHING,
    NOTHING,
    Condition,
    IsPerson,
    ObjectCondition,
    PermissionPolicy,
    UserCondition,
    is_authenticated,
    is_superuser,
)
from wijkwerk.initiatives.models import Initiative
from wijkwerk.initiatives.states import ASSIGNABLE

from .models import Invitation, InvitationStatus, Offer, OfferStatus, Question, Visibility

# Who counts as an official of a municipality for offers and questions.
OFFICIAL_ROLES = frozenset({*AREA_OFFICIAL_ROLES, Role.ADMIN})
# Officials who search offers and invite residents (with initiators, below).
INVITER_ROLES = frozenset({Role.BROKER, Role.AREA_COORDINATOR, Role.COMMUNITY_WORKER, Role.ADMIN})
# An initiator: a resident with an initiative submitted and not yet completed.
INITIATOR_STATUSES = ASSIGNABLE

_CACHE = "_wijkwerk_expertise"


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _facts(user: Any) -> dict[str, frozenset[int]]:
    """What the rules need to know about a person, loaded once per request (one query, the
    roles coming with the user) and cached on the user: the municipalities they are an official
    (or inviting official) of, and the areas (with the areas around them) of their running
    initiatives."""
    if not _authenticated(user):
        return {"official": frozenset(), "inviter": frozenset(), "initiator": frozenset()}
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    # the roles come with the request's user (accounts.roles.user_with_roles): no query
    held = role_index(user).role_municipalities
    official = set().union(*(held.get(role, ()) for role in OFFICIAL_ROLES))
    inviter = set().union(*(held.get(role, ()) for role in INVITER_ROLES))
    lineage: set[int] = set()
    for ids in Initiative.objects.filter(
        applicant=user, status__in=sorted(INITIATOR_STATUSES)
    ).values_list("area_id", "area__parent_id", "area__parent__parent_id"):
        lineage.update(i for i in ids if i is not None)
    facts = {
        "official": frozenset(official),
        "inviter": frozenset(inviter),
        "initiator": frozenset(lineage),
    }
    setattr(user, _CACHE, facts)
    return facts


def forget(user: Any) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def official_municipality_ids(user: Any) -> frozenset[int]:
    return _facts(user)["official"]


def initiator_area_ids(user: Any) -> frozenset[int]:
    """The areas of the person's running initiatives and the areas those lie in."""
    return _facts(user)["initiator"]


class IsMunicipalOfficial(Condition):
    """An official (OFFICIAL_ROLES) of the object's municipality (`obj.municipality_id`)."""

    name = "is_municipal_official"

    def check(self, user: Any, obj: Any) -> bool:
        return obj is not None and obj.municipality_id in official_municipality_ids(user)

    def objects(self, user: Any) -> Q:
        ids = official_municipality_ids(user)
        return Q(municipality_id__in=sorted(ids)) if ids else NOTHING

    def users(self, obj: Any) -> Q:
        return Q(
            pk__in=RoleAssignment.objects.filter(
                municipality_id=obj.municipality_id, role__in=sorted(OFFICIAL_ROLES)
            ).values("user_id")
        )


def _within(area_ids: list[int], path: str = "") -> Q:
    """Areas (or `path` to an area) that are one of `area_ids` or lie inside one of them."""
    return (
        Q(**{f"{path}id__in": area_ids})
        | Q(**{f"{path}parent_id__in": area_ids})
        | Q(**{f"{path}parent__parent_id__in": area_ids})
    )


class IsInitiatorInOfferArea(Condition):
    """A resident with a running initiative in one of the offer's areas (or inside one)."""

    name = "is_initiator_in_offer_area"

    def check(self, user: Any, obj: Any) -> bool:
        if obj is None:
            return False
        mine = initiator_area_ids(user)
        return bool(mine) and any(area.pk in mine for area in obj.areas.all())

    def objects(self, user: Any) -> Q:
        mine = initiator_area_ids(user)
        if not mine:
            return NOTHING
        return Q(
            pk__in=Offer.areas.through.objects.filter(area_id__in=sorted(mine)).values("offer_id")
        )

    def users(self, obj: Any) -> Q:
        area_ids = [area.pk for area in obj.areas.all()]
        return Q(
            pk__in=Initiative.objects.filter(
                _within(area_ids, "area__"), status__in=sorted(INITIATOR_STATUSES)
            ).values("applicant_id")
        )


def _is_inviter(user: Any) -> bool:
    facts = _facts(user)
    return bool(facts["inviter"] or facts["initiator"])


is_inviter = UserCondition(
    "is_inviter",
    _is_inviter,
    Q(pk__in=RoleAssignment.objects.filter(role__in=sorted(INVITER_ROLES)).values("user_id"))
    | Q(
        pk__in=Initiative.objects.filter(status__in=sorted(INITIATOR_STATUSES)).values(
            "applicant_id"
        )
    ),
)

is_owner = IsPerson("owner")
is_active = ObjectCondition(
    "is_active", lambda offer: offer.status == OfferStatus.ACTIVE, Q(status=OfferStatus.ACTIVE)
)
for_everyone = ObjectCondition(
    "for_everyone",
    lambda offer: offer.visibility == Visibility.EVERYONE,
    Q(visibility=Visibility.EVERYONE),
)
for_officials = ObjectCondition(
    "for_officials",
    lambda offer: offer.visibility in (Visibility.OFFICIALS, Visibility.INITIATORS),
    Q(visibility__in=[Visibility.OFFICIALS, Visibility.INITIATORS]),
)
for_initiators = ObjectCondition(
    "for_initiators",
    lambda offer: offer.visibility == Visibility.INITIATORS,
    Q(visibility=Visibility.INITIATORS),
)
is_municipal_official = IsMunicipalOfficial()
is_initiator_in_area = IsInitiatorInOfferArea()

# Whom the resident's choice lets see the offer while it is active.
in_audience = (
    for_everyone | (for_officials & is_municipal_official) | (for_initiators & is_initiator_in_area)
)
can_view_offer = is_owner | (is_active & in_audience)

OFFER_POLICY = PermissionPolicy(
    Offer,
    {
        "view_offer": can_view_offer,
        "change_offer": is_owner,
        # the owner's name is shown to whoever sees the offer: the audience chose it
        "invite": ~is_owner & is_active & in_audience & is_inviter,
    },
)


class IsInvitee(Condition):
    """The resident whose offer the invitation is about."""

    name = "is_invitee"

    def check(self, user: Any, obj: Any) -> bool:
        return obj is not None and _authenticated(user) and obj.offer.owner_id == user.pk

    def objects(self, user: Any) -> Q:
        return Q(offer__owner_id=user.pk) if _authenticated(user) else NOTHING

    def users(self, obj: Any) -> Q:
        return Q(pk=obj.offer.owner_id)


is_invitee = IsInvitee()
is_inviter_of = IsPerson("inviter")
is_pending = ObjectCondition(
    "is_pending",
    lambda invitation: invitation.status == InvitationStatus.PENDING,
    Q(status=InvitationStatus.PENDING),
)

INVITATION_POLICY = PermissionPolicy(
    Invitation,
    {
        "view_invitation": is_invitee | is_inviter_of,
        "answer_invitation": is_invitee & is_pending,
    },
)


class LivesInQuestionArea(Condition):
    """A resident whose home area is one of the question's areas or lies inside one of them.
    Checks need the question's `areas` prefetched."""

    name = "lives_in_question_area"

    def _home_lineage(self, user: Any) -> frozenset[int]:
        if not _authenticated(user) or user.home_area_id is None:
            return frozenset()
        cached = getattr(user, "_wijkwerk_home_lineage", None)
        if cached is None:
            row = (
                Area.objects.filter(pk=user.home_area_id)
                .values_list("pk", "parent_id", "parent__parent_id")
                .first()
            )
            cached = frozenset(i for i in (row or ()) if i is not None)
            user._wijkwerk_home_lineage = cached
        return cached

    def check(self, user: Any, obj: Any) -> bool:
        home = self._home_lineage(user)
        return obj is not None and any(area.pk in home for area in obj.areas.all())

    def objects(self, user: Any) -> Q:
        home = self._home_lineage(user)
        if not home:
            return NOTHING
        return Q(
            pk__in=Question.areas.through.objects.filter(area_id__in=sorted(home)).values(
                "question_id"
            )
        )

    def users(self, obj: Any) -> Q:
        area_ids = [area.pk for area in obj.areas.all()]
        return Q(home_area_id__in=Area.objects.filter(_within(area_ids)).values("pk"))


class IsOpen(Condition):
    """Open for answers (today's date decides, so the Q is built at each call)."""

    name = "is_open"

    def check(self, user: Any, obj: Any) -> bool:
        return obj is not None and obj.is_open

    def objects(self, user: Any) -> Q:
        from .models import open_questions_q

        return open_questions_q()

    def users(self, obj: Any) -> Q:
        return EVERYTHING if self.check(None, obj) else NOTHING


is_open = IsOpen()
lives_in_area = LivesInQuestionArea()
is_question_official = IsMunicipalOfficial()

QUESTION_POLICY = PermissionPolicy(
    Question,
    {
        # questions and their outcomes are public
        "view_question": ObjectCondition("is_question", lambda question: True, EVERYTHING),
        "answer_question": is_authenticated & is_open & lives_in_area,
        # the municipality's officials read the answers, close the question and record the
        # outcome; the public page shows counts, and the answers their writers let it show
        "manage_question": is_question_official | is_superuser,
    },
)


def _is_official(user: Any) -> bool:
    return bool(official_municipality_ids(user))


is_any_official = UserCondition(
    "is_any_official",
    _is_official,
    Q(pk__in=RoleAssignment.objects.filter(role__in=sorted(OFFICIAL_ROLES)).values("user_id")),
)


def register() -> None:
    OFFER_POLICY.register("expertise")
    INVITATION_POLICY.register("expertise")
    QUESTION_POLICY.register("expertise")
    for name, condition in (
        ("search_offers", is_inviter),
        ("ask_question", is_any_official),
    ):
        if rules.perm_exists(f"expertise.{name}"):
            rules.remove_perm(f"expertise.{name}")
        rules.add_perm(f"expertise.{name}", _user_predicate(name, condition))


def _user_predicate(name: str, condition: Condition) -> rules.Predicate:
    def check(user: Any) -> bool:
        return condition.check(user, None)

    return rules.Predicate(check, name=name)
