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


# Things that are not followed themselves but through their holder: a news post, an event or a
# survey reaches the followers of its council, group or area (their services call
# `notify_followers` with that holder), so its page offers to follow the holder. By model label
# too; the holder, nearest first, as the service that mails about it names it.
_holders: dict[str, Callable[[Any], models.Model | None]] = {}


def register_holder(label: str, holder: Callable[[Any], models.Model | None]) -> None:
    _holders[label] = holder


def followed_for(obj: Any) -> models.Model | None:
    """What a person follows to hear of `obj`: `obj` itself if it is followable, else its
    holder (a news post's council, group or area), else None."""
    if kind_of(obj) is not None:
        return obj
    if not isinstance(obj, models.Model):
        return None
    holder = _holders.get(obj._meta.label_lower)
    found = holder(obj) if holder is not None else None
    return found if kind_of(found) is not None else None


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


def _council_group_or_area(obj: Any) -> Any:
    return obj.council or obj.group or obj.area


def _group_council_or_area(obj: Any) -> Any:
    return obj.group or obj.council or obj.area


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
    # followed through their holder (the one their services tell: news.services._tell_followers,
    # events.services.announce, surveys.services._tell_followers); no query where the page
    # loaded the holder with the object, as these pages do
    register_holder("news.newspost", _council_group_or_area)
    register_holder("surveys.survey", _council_group_or_area)
    register_holder("events.event", _group_council_or_area)
