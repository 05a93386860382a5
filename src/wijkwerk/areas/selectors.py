"""Reads for the public area pages: a fixed number of queries per page, whatever the rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse

from wijkwerk.core.similarity import THRESHOLD as SIMILARITY_THRESHOLD
from wijkwerk.core.similarity import Similarity

from .models import (
    Area,
    AreaCouncil,
    AreaKind,
    CouncilMembership,
    CouncilPosition,
    GroupMembership,
    GroupRole,
    Municipality,
    PostcodeArea,
    ResidentGroup,
)

SEARCH_LIMIT = 25
# A street is found by its start ("Kerkstr") from this many characters; shorter, by its whole name.
STREET_PREFIX_MIN = 4

POSITION_ORDER = (
    CouncilPosition.CHAIR,
    CouncilPosition.SECRETARY,
    CouncilPosition.TREASURER,
    CouncilPosition.MEMBER,
)


def municipalities_with_counts() -> QuerySet[Municipality]:
    return Municipality.objects.annotate(area_count=Count("areas")).order_by("name")


POSTCODE = re.compile(r"([1-9][0-9]{3})\s*([A-Za-z]{0,2})")


def normalise_postcode(text: str) -> str | None:
    """A postcode as stored ("5051AB"), or its start ("5051", "5051A"), from what a resident
    types ("5051 ab", "5051AB", "5051"); None if the text is no (start of a) Dutch postcode."""
    match = POSTCODE.fullmatch(text.strip())
    return (match.group(1) + match.group(2).upper()) if match else None


class Match(models.TextChoices):
    """Why an area is in the search results, best first."""

    NAME_START = "name_start"
    POSTCODE = "postcode"
    NAME = "name"
    STREET = "street"
    SIMILAR = "similar"


# Match by rank, best first (`area_search` orders by this rank).
MATCH_ORDER = (Match.NAME_START, Match.POSTCODE, Match.NAME, Match.STREET, Match.SIMILAR)


def area_search(query: str) -> list[Area]:
    """Areas found as residents know them: by name or CBS code, by postcode ("5051", "5051 AB",
    "5051ab"), by street (the neighbourhoods it lies in) and, with a typo, by a name alike
    (trigram similarity, `wijkwerk.core.similarity`, the same on PostgreSQL and SQLite).

    Best matches first (MATCH_ORDER): names that start with the query, the areas of its
    postcode, names that contain it, the areas of its street, then names alike, most alike first;
    so "Dorst" finds Dorst before Buitengebied Dorst. Each area carries `match` (a `Match`) and
    `found_postcode` ("4849 AB") or `found_street` when found by one. At most SEARCH_LIMIT + 1
    rows: the caller shows SEARCH_LIMIT and says whether there are more. One query, and one more
    for the postcodes or streets that found areas.
    """
    postcode = normalise_postcode(query)
    postcodes = PostcodeArea.objects.filter(postcode__startswith=postcode or "-")
    streets = PostcodeArea.objects.filter(
        Q(street__istartswith=query) if len(query) >= STREET_PREFIX_MIN else Q(street__iexact=query)
    )
    by_postcode = Q(pk__in=postcodes.values("area_id")) if postcode else Q(pk__in=[])
    by_street = Q(pk__in=streets.values("area_id"))
    by_name = Q(name__icontains=query) | Q(cbs_code__istartswith=query)
    found: list[Area] = list(
        Area.objects.annotate(similarity=Similarity("name", query))
        .filter(by_name | by_postcode | by_street | Q(similarity__gte=SIMILARITY_THRESHOLD))
        .annotate(
            match_rank=Case(
                When(Q(name__istartswith=query) | Q(cbs_code__iexact=query), then=Value(0)),
                When(by_postcode, then=Value(1)),
                When(by_name, then=Value(2)),
                When(by_street, then=Value(3)),
                default=Value(4),
                output_field=IntegerField(),
            )
        )
        .select_related("municipality", "parent")
        .defer("boundary", "description")
        .order_by("match_rank", "-similarity", "name", "pk")[: SEARCH_LIMIT + 1]
    )
    first_postcode = _first_of(found, Match.POSTCODE, postcodes, "postcode")
    first_street = _first_of(found, Match.STREET, streets, "street")
    for area in found:
        area.match = MATCH_ORDER[area.match_rank]  # type: ignore[attr-defined]
        code = first_postcode.get(area.pk, "")
        area.found_postcode = f"{code[:4]} {code[4:]}".strip()  # type: ignore[attr-defined]
        area.found_street = first_street.get(area.pk, "")  # type: ignore[attr-defined]
    return found


def _first_of(
    found: list[Area], match: Match, rows: QuerySet[PostcodeArea], column: str
) -> dict[int, str]:
    """For the areas found by `match`, the first of their postcodes or streets that matched (one
    query, none when no area was found so), to say why an area is in the results."""
    ids = [a.pk for a in found if MATCH_ORDER[a.match_rank] == match]  # type: ignore[attr-defined]
    first: dict[int, str] = {}
    if ids:
        for area_id, value in (
            rows.filter(area_id__in=ids).order_by(column, "pk").values_list("area_id", column)
        ):
            first.setdefault(area_id, value)
    return first


@dataclass(frozen=True)
class AreaLink:
    area: Area
    url: str


@dataclass
class AreaNode:
    """A district or village with the neighbourhoods inside it."""

    area: Area
    url: str
    children: list[AreaLink] = field(default_factory=list)


def _area_url_maker(municipality: Municipality) -> Callable[[Area], str]:
    """Area page URLs from one reverse() per page: with hundreds of neighbourhoods, reversing
    every link was most of the municipality page's time."""
    placeholder = "area-slug"
    url = reverse("areas:area", kwargs={"municipality": municipality.slug, "area": placeholder})
    prefix, _, suffix = url.rpartition(placeholder)
    return lambda area: f"{prefix}{area.slug}{suffix}"


@dataclass
class MunicipalityOverview:
    municipality: Municipality
    districts: list[AreaNode]
    villages: list[AreaNode]
    neighbourhood_count: int


def municipality_overview(slug: str) -> MunicipalityOverview | None:
    """The municipality and all its areas as a tree, in two queries (None if there is none)."""
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        return None
    areas = list(
        Area.objects.filter(municipality=municipality)
        .defer("boundary", "description")
        .order_by("name", "pk")
    )
    url_of = _area_url_maker(municipality)
    nodes = {area.pk: AreaNode(area, url_of(area)) for area in areas}
    roots: list[AreaNode] = []
    for area in areas:
        area.municipality = municipality
        parent = nodes.get(area.parent_id) if area.parent_id else None
        if parent is not None:
            parent.children.append(AreaLink(area, nodes[area.pk].url))
        else:
            roots.append(nodes[area.pk])
    return MunicipalityOverview(
        municipality=municipality,
        districts=[n for n in roots if n.area.kind != AreaKind.VILLAGE],
        villages=[n for n in roots if n.area.kind == AreaKind.VILLAGE],
        neighbourhood_count=sum(1 for a in areas if a.kind == AreaKind.NEIGHBOURHOOD),
    )


@dataclass(frozen=True)
class Contact:
    """A public contact route as shown on the page, with a link where it is an address or number."""

    text: str
    href: str


def contact_route(text: str) -> Contact | None:
    text = text.strip()
    if not text:
        return None
    try:
        validate_email(text)
    except ValidationError:
        pass
    else:
        return Contact(text, f"mailto:{text}")
    # "+31 (0)412 ..." is written for people; the (0) is not dialled from abroad.
    dialled = text.replace("(0)", "") if text.startswith("+") else text
    digits = "".join(ch for ch in dialled if ch.isdigit() or ch == "+")
    if 9 <= len(digits) <= 15 and all(ch.isdigit() or ch in "+-() " for ch in text):
        return Contact(text, f"tel:{digits}")
    if text.startswith(("https://", "http://")):
        return Contact(text, text)
    return Contact(text, "")


@dataclass
class AreaPage:
    area: Area
    lineage: list[Area]
    children: list[Area]
    councils: list[AreaCouncil]
    groups: list[ResidentGroup]
    map_data: dict[str, Any] | None

    @property
    def open_groups(self) -> list[ResidentGroup]:
        return [group for group in self.groups if group.is_open]


def _feature(area: Area, *, current: bool) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": area.boundary,
        "properties": {
            "name": area.name,
            "url": ""
            if current
            else reverse(
                "areas:area",
                kwargs={"municipality": area.municipality.slug, "area": area.slug},
            ),
            "current": current,
        },
    }


def _is_geometry(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("type"), str)
        and ("coordinates" in value or "geometries" in value)
    )


def _council_members_and_group_contacts(
    area_ids: list[int],
) -> tuple[dict[int, list[CouncilMembership]], dict[int, list[GroupMembership]]]:
    """The members of the councils and the contacts of the groups in these areas, by council and
    by group, each in order of name: one query (a UNION ALL of the two), not a prefetch each; the
    area page holds many panels. Only what the page shows: the name and the position."""
    text = models.CharField()

    def rows(queryset: QuerySet[Any], kind: str, owner: str, position: Any) -> QuerySet[Any]:
        return queryset.annotate(
            row_kind=Value(kind, output_field=text),
            row_owner=F(owner),
            row_position=position,
            row_name=F("user__full_name"),
            row_id=F("pk"),
        ).values_list("row_kind", "row_owner", "row_position", "row_name", "row_id")

    found = rows(
        CouncilMembership.objects.filter(council__area_id__in=area_ids),
        "council",
        "council_id",
        F("position"),
    ).union(
        rows(
            GroupMembership.objects.filter(
                group__area_id__in=area_ids,
                group__dissolved_at__isnull=True,
                role=GroupRole.CONTACT,
            ),
            "group",
            "group_id",
            Value("", output_field=text),
        ),
        all=True,
    )
    user_model = get_user_model()
    members: dict[int, list[CouncilMembership]] = {}
    contacts: dict[int, list[GroupMembership]] = {}
    for kind, owner, position, name, pk in found.order_by("row_name", "row_id"):
        user = user_model(full_name=name)
        if kind == "council":
            members.setdefault(owner, []).append(
                CouncilMembership(pk=pk, council_id=owner, position=position, user=user)
            )
        else:
            contacts.setdefault(owner, []).append(
                GroupMembership(pk=pk, group_id=owner, user=user, role=GroupRole.CONTACT)
            )
    return members, contacts


def area_page(municipality_slug: str, area_slug: str) -> AreaPage | None:
    """Everything the public area page shows of its own, in four queries whatever the number of
    rows (the officials come from the accounts app's panel); None if there is no such area."""
    # The area and its children in one query (the area page holds many panels); a child's
    # parent is the area, in the same municipality (slugs are unique per municipality).
    rows = list(
        Area.objects.select_related("municipality", "parent__parent")
        .filter(municipality__slug=municipality_slug)
        .filter(Q(slug=area_slug) | Q(parent__slug=area_slug))
        .order_by("name", "pk")
    )
    area = next((row for row in rows if row.slug == area_slug), None)
    if area is None:
        return None
    lineage: list[Area] = []
    ancestor = area.parent
    while ancestor is not None:
        ancestor.municipality = area.municipality
        lineage.insert(0, ancestor)
        ancestor = ancestor.parent

    children = [row for row in rows if row.parent_id == area.pk]
    for child in children:
        child.municipality = area.municipality
        child.parent = area
    by_id = {a.pk: a for a in [*lineage, area, *children]}
    lineage_ids = area.lineage_ids
    nearby_ids = [*lineage_ids, *(c.pk for c in children)]

    councils: list[AreaCouncil] = list(
        AreaCouncil.objects.filter(area_id__in=nearby_ids).order_by("name", "pk")
    )
    groups: list[ResidentGroup] = list(
        ResidentGroup.objects.filter(area_id__in=nearby_ids, dissolved_at__isnull=True)
        .annotate(member_count=Count("memberships"))
        .order_by("name", "pk")
    )
    members, contacts = _council_members_and_group_contacts(nearby_ids)
    # The areas are loaded already: attach them instead of joining them again.
    for council in councils:
        council.area = by_id[council.area_id]
        ranked = members.get(council.pk, [])
        ranked.sort(
            key=lambda membership: POSITION_ORDER.index(CouncilPosition(membership.position))
        )
        council.ranked_members = ranked  # type: ignore[attr-defined]
    for group in groups:
        group.contacts = contacts.get(group.pk, [])  # type: ignore[attr-defined]
    for group in groups:
        group.area = by_id[group.area_id]

    features = [_feature(a, current=False) for a in children if _is_geometry(a.boundary)]
    if _is_geometry(area.boundary):
        features.insert(0, _feature(area, current=True))
    map_data = {"type": "FeatureCollection", "features": features} if features else None

    return AreaPage(
        area=area,
        lineage=lineage,
        children=children,
        councils=councils,
        groups=groups,
        map_data=map_data,
    )
