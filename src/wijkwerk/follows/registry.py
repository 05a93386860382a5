"""The kinds of things people may follow, by model label ("areas.area").

follows sits below the apps whose objects are followed, so it never imports them: the kinds are
registered by label (in `FollowsConfig.ready` for the known ones; an app above may register its
own in its `ready()`), and objects are reached through `apps.get_model` and contenttypes.

`parents(obj)` names the objects whose followers also hear of `obj`'s updates: an initiative's
area, a round's areas, a council's or group's area, an area's parent district or village. So a
follower of a district hears of its neighbourhoods, and a follower of an area of what happens
there; one person gets one mail per update, through the nearest thing they follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse


@dataclass(frozen=True)
class Followable:
    label: str  # app_label.model_name, lower case
    # the objects whose followers also get this object's updates
    parents: Callable[[Any], Iterable[models.Model]] = lambda obj: ()
    # the municipality the object belongs to (audit, lists)
    municipality_id: Callable[[Any], int | None] = lambda obj: getattr(obj, "municipality_id", None)
    # the permission to see the object (None: public), checked before someone may follow it
    view_perm: str | None = None
    # the object's page, for a model without get_absolute_url (its page is in an app above)
    url: Callable[[Any], str] | None = None


_kinds: dict[str, Followable] = {}


def register(kind: Followable) -> None:
    _kinds[kind.label] = kind


def kind_of(obj: Any) -> Followable | None:
    if not isinstance(obj, models.Model):
        return None
    return _kinds.get(obj._meta.label_lower)


def url_of(obj: Any) -> str:
    """The page of a followed object ("" when it has none)."""
    kind = kind_of(obj)
    if kind is not None and kind.url is not None:
        return kind.url(obj)
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if get_url is not None else ""


def labels() -> list[str]:
    return list(_kinds)


def is_followable(obj: Any) -> bool:
    return kind_of(obj) is not None


def lineage(obj: models.Model, *, depth: int = 4) -> list[models.Model]:
    """`obj` and the objects whose followers hear of it, nearest first, each once."""
    seen: set[tuple[str, Any]] = set()
    found: list[models.Model] = []
    level = [obj]
    for _step in range(depth):
        following: list[models.Model] = []
        for item in level:
            key = (item._meta.label_lower, item.pk)
            if key in seen:
                continue
            seen.add(key)
            found.append(item)
            kind = kind_of(item)
            if kind is not None:
                following.extend(kind.parents(item))
        level = following
        if not level:
            break
    return found


# ----- The kinds follows knows from the start ----------------------------------------------------


def _area_parents(area: Any) -> list[Any]:
    return [area.parent] if area.parent_id else []


def _own_area(obj: Any) -> list[Any]:
    return [obj.area]


def _round_areas(process: Any) -> list[Any]:
    return [link.area for link in process.process_areas.select_related("area__parent")]


def _via_area(obj: Any) -> int | None:
    return int(obj.area.municipality_id)


def register_defaults() -> None:
    register(Followable("areas.area", parents=_area_parents))
    register(
        Followable(
            "areas.areacouncil",
            parents=_own_area,
            municipality_id=_via_area,
            url=lambda council: reverse("councils:detail", args=[council.pk]),
        )
    )
    register(Followable("areas.residentgroup", parents=_own_area, municipality_id=_via_area))
    register(
        Followable(
            "initiatives.initiative",
            parents=_own_area,
            municipality_id=_via_area,
            view_perm="initiatives.view_initiative",
        )
    )
    register(
        Followable(
            "budgeting.budgetprocess",
            parents=_round_areas,
            view_perm="budgeting.view_process",
            url=lambda process: reverse("budgeting:round_detail", args=[process.pk]),
        )
    )
