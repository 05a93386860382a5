"""Reads of offers, invitations and questions, each with a fixed number of queries.

Every read of offers for someone else goes through `visible_offers(user)` or `offer_for(user, pk)`:
the policy's "view_offer" rule as a `Q` and as a check (expertise.policy), the one place that
decides what of an offer anyone sees."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Count, Exists, Expression, OuterRef, Prefetch, Q, QuerySet, Value
from django.urls import reverse
from django.utils.text import Truncator, capfirst

from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import Area, GroupRole, ResidentGroup
from wijkwerk.initiatives.models import Initiative

from . import policy
from .models import (
    Answer,
    AnswerKind,
    Invitation,
    Offer,
    OfferKind,
    OfferStatus,
    Question,
    open_questions_q,
)

MAX_SEARCH_WORDS = 8
TARGETS_SHOWN = 50


def visible_offers(user: Any) -> QuerySet[Offer]:
    """The offers `user` may see: the policy's rule as a query."""
    return policy.OFFER_POLICY.instances_user_has_permission_for(user, "view_offer")


def offer_for(user: Any, pk: int) -> Offer | None:
    """The offer with its owner, areas and tags, if `user` may see it (three queries)."""
    offer = (
        Offer.objects.select_related("owner", "municipality")
        .prefetch_related("areas", "tags")
        .filter(pk=pk)
        .first()
    )
    if offer is None or not policy.OFFER_POLICY.user_has_permission_for_instance(
        user, "view_offer", offer
    ):
        return None
    return offer


class SearchDocument(Expression):
    """PostgreSQL: the stored `search_document` column of migration 0002 (title and tags
    weighted A, the description B, Dutch). Not a model field, so SQLite has no such column."""

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None) -> None:
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> SearchDocument:
        return SearchDocument(query.get_initial_alias() if query is not None else self.alias)

    def relabeled_clone(self, change_map: Mapping[str, str]) -> SearchDocument:
        return SearchDocument(change_map.get(self.alias or "", self.alias))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        table = compiler.quote_name(self.alias or Offer._meta.db_table)
        return f"{table}.{connection.ops.quote_name('search_document')}", ()


@dataclass
class SearchFilters:
    query: str = ""
    tag: str = ""
    area: Area | None = None
    kind: str = ""


def _around(area: Area) -> list[int]:
    """The area, the areas it lies in (from `area.lineage_ids`, no query when loaded with
    `parent__parent`) and the areas inside it (one query), as plain ids: a literal list lets
    the database read the offers of those areas from the index on `area_id` and estimate how
    many there are; a subquery ORed with the list made PostgreSQL filter every row of the
    table instead."""
    inside = Area.objects.filter(Q(parent_id=area.pk) | Q(parent__parent_id=area.pk)).order_by()
    return sorted({*area.lineage_ids, *inside.values_list("pk", flat=True)})


def search_offers(user: Any, filters: SearchFilters) -> QuerySet[Offer]:
    """Active offers `user` may see, matching the words (full text on PostgreSQL, every word
    somewhere in title, tags or description on SQLite), the tag, the kind and the area (an offer
    for the area, for an area it lies in, or for an area inside it). Newest first; each row
    with its owner, areas and tags (three queries for a page)."""
    qs = visible_offers(user).filter(status=OfferStatus.ACTIVE)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.tag:
        qs = qs.filter(
            pk__in=Offer.tags.through.objects.filter(tag__name=filters.tag).values("offer_id")
        )
    if filters.area is not None:
        # EXISTS, not IN: SQLite then walks the offers newest first and stops at the page (for
        # IN it read and sorted every offer of the district); PostgreSQL plans both alike
        qs = qs.filter(
            Exists(
                Offer.areas.through.objects.filter(
                    offer_id=OuterRef("pk"), area_id__in=_around(filters.area)
                )
            )
        )
    text = " ".join(filters.query.split()[:MAX_SEARCH_WORDS])
    if text:
        if connection.vendor == "postgresql":
            query = SearchQuery(text, config="dutch", search_type="websearch")
            qs = qs.alias(document=SearchDocument()).filter(document=query)
        else:
            for word in text.split():
                qs = qs.filter(
                    Q(title__icontains=word)
                    | Q(tags_text__icontains=word)
                    | Q(description__icontains=word)
                )
    # the owner's name joined for the page's rows only: the count (ListPaginator) drops
    # select_related and still walks the index alone
    return (
        qs.select_related("owner")
        .only(*CARD_FIELDS, "owner__full_name", "owner__email")
        .order_by("-created_at", "-id")
    )


# the card shows the description up to this many characters (with "…")
SHORT_TEXT = 200
CARD_FIELDS = ("pk", "owner_id", "title", "kind", "description", "created_at")


def offer_cards(offers: list[Offer]) -> list[dict[str, Any]]:
    """What the search shows of each offer of a page (from `search_offers`), ready to print:
    link, title, kind, areas, tags, the owner's name and the start of the description; the
    areas and tags in one query of plain values (model instances through prefetching cost more
    than the rows; one UNION saves a round trip)."""
    ids = [offer.pk for offer in offers]
    names: dict[str, dict[int, list[str]]] = {
        "area": {pk: [] for pk in ids},
        "tag": {pk: [] for pk in ids},
    }
    if ids:
        areas = Offer.areas.through.objects.filter(offer_id__in=ids).values_list(
            Value("area"), "offer_id", "area__name"
        )
        tags = Offer.tags.through.objects.filter(offer_id__in=ids).values_list(
            Value("tag"), "offer_id", "tag__name"
        )
        for which, offer_id, name in areas.union(tags, all=True).order_by("area__name"):
            names[which][offer_id].append(name)
    kinds = dict(OfferKind.choices)
    return [
        {
            "url": reverse("expertise:offer", args=[offer.pk]),
            "title": offer.title,
            "kind": capfirst(kinds.get(offer.kind, "")),
            "areas": ", ".join(names["area"][offer.pk]),
            "tags": names["tag"][offer.pk],
            "owner": offer.owner.display_name,
            "description": Truncator(offer.description).chars(SHORT_TEXT),
        }
        for offer in offers
    ]


def my_offers(user: Any) -> list[Offer]:
    return list(
        Offer.objects.filter(owner=user)
        .prefetch_related("areas", "tags")
        .annotate(
            pending=Count("invitations", filter=Q(invitations__status="pending"), distinct=True)
        )
        .order_by("-created_at", "-id")
    )


_INVITATION_RELATED = (
    "offer__owner",
    "offer__municipality",
    "inviter",
    "initiative",
    "group",
    "question",
)


def invitation_for(user: Any, pk: int) -> Invitation | None:
    invitation = Invitation.objects.select_related(*_INVITATION_RELATED).filter(pk=pk).first()
    if invitation is None or not policy.INVITATION_POLICY.user_has_permission_for_instance(
        user, "view_invitation", invitation
    ):
        return None
    return invitation


def invitations(user: Any) -> dict[str, list[Invitation]]:
    """The invitations the person received (for their offers) and sent (two queries)."""
    related = Invitation.objects.select_related(*_INVITATION_RELATED)
    return {
        "received": list(related.filter(offer__owner=user)),
        "sent": list(related.filter(inviter=user)),
    }


@dataclass
class Targets:
    initiatives: list[Initiative]
    groups: list[ResidentGroup]
    questions: list[Question]

    def choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        from django.utils.translation import gettext as _

        groups = []
        if self.initiatives:
            groups.append(
                (_("Initiatives"), [(f"initiative:{i.pk}", i.title) for i in self.initiatives])
            )
        if self.groups:
            groups.append((_("Resident groups"), [(f"group:{g.pk}", g.name) for g in self.groups]))
        if self.questions:
            groups.append(
                (
                    _("Questions from the municipality"),
                    [(f"question:{q.pk}", q.title) for q in self.questions],
                )
            )
        return groups

    def find(self, value: str) -> Any:
        kind, _sep, pk = value.partition(":")
        pool: dict[str, list[Any]] = {
            "initiative": list(self.initiatives),
            "group": list(self.groups),
            "question": list(self.questions),
        }
        for obj in pool.get(kind, []):
            if str(obj.pk) == pk:
                return obj
        return None


def _role_areas(user: Any) -> list[int]:
    index = role_index(user)
    ids: set[int] = set()
    for role in ("broker", "area_coordinator", "community_worker"):
        ids |= index.area_roles.get(role, frozenset())
    return sorted(ids)


def invite_targets(user: Any) -> Targets:
    """What `user` may invite a resident to (services.may_invite_to), the newest first, at most
    TARGETS_SHOWN of each kind (three queries)."""
    areas = _role_areas(user)
    admin = sorted(role_index(user).admin_municipality_ids)
    in_my_areas = (
        Q(area_id__in=areas) | Q(area__parent_id__in=areas) | Q(area__parent__parent_id__in=areas)
        if areas
        else Q(pk__in=[])
    ) | Q(area__municipality_id__in=admin)
    initiatives = list(
        Initiative.objects.filter(
            Q(applicant=user) | in_my_areas, status__in=sorted(policy.INITIATOR_STATUSES)
        )
        .select_related("area__parent__parent")
        .only("pk", "title", "status", "applicant_id", "area")
        .order_by("-id")[:TARGETS_SHOWN]
    )
    groups = list(
        ResidentGroup.objects.filter(dissolved_at__isnull=True)
        .filter(
            in_my_areas
            | Q(pk__in=user.group_memberships.filter(role=GroupRole.CONTACT).values("group_id"))
        )
        .select_related("area__parent__parent")
        .order_by("name")[:TARGETS_SHOWN]
    )
    questions = list(
        Question.objects.filter(
            open_questions_q(),
            municipality_id__in=sorted(policy.official_municipality_ids(user)),
        ).order_by("-created_at")[:TARGETS_SHOWN]
    )
    return Targets(initiatives, groups, questions)


# --- questions -----------------------------------------------------------------------------


def _with_counts(qs: QuerySet[Question]) -> QuerySet[Question]:
    return qs.annotate(
        answer_count=Count("answers", filter=Q(answers__kind=AnswerKind.ANSWER), distinct=True),
        helper_count=Count("answers", filter=Q(answers__kind=AnswerKind.HELP), distinct=True),
    )


def questions(*, open_only: bool = False) -> QuerySet[Question]:
    qs = Question.objects.all()
    if open_only:
        qs = qs.filter(open_questions_q())
    return (
        _with_counts(qs)
        .select_related("municipality")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.only("pk", "name")))
        .order_by("-closes_on", "-id")
    )


def question_for(pk: int) -> Question | None:
    """A question with its areas and counts (two queries); public."""
    return (
        _with_counts(Question.objects.filter(pk=pk))
        .select_related("municipality", "author")
        .prefetch_related("areas")
        .first()
    )


def answers(question: Question, *, all_answers: bool) -> list[Answer]:
    """The answers to show: all of them to the municipality's officials, else those their
    writers let the page show (without names)."""
    qs = question.answers.select_related("author", "offer")
    if not all_answers:
        qs = qs.filter(show_publicly=True)
    return list(qs)


def own_answer(user: Any, question: Question) -> Answer | None:
    if not user.is_authenticated:
        return None
    return question.answers.filter(author=user).first()


def area_questions(area: Area) -> list[Question]:
    """Open questions to the area or to an area it lies in (one query), for the area page."""
    return list(
        Question.objects.filter(
            open_questions_q(),
            pk__in=Question.areas.through.objects.filter(area_id__in=area.lineage_ids).values(
                "question_id"
            ),
        )
        .only("pk", "title", "closes_on", "kind")
        .order_by("closes_on", "id")[:5]
    )


def question_areas(user: Any) -> QuerySet[Area]:
    """The areas an official may ask a question to: those of the municipalities they work for."""
    return Area.objects.filter(
        municipality_id__in=sorted(policy.official_municipality_ids(user))
    ).select_related("parent")
