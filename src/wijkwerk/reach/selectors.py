"""Reach per quarter: how many different residents took part, through which channel, against
the area's population (docs/learning.md, "Reach").

Stable interface for the quarterly report (reports app) and the pages:

- `reach_table(municipality, quarter) -> ReachTable`: a row per area (district/village, their
  neighbourhoods, the municipality as a whole) and per council, each with persons per channel,
  distinct persons, budget-vote turnout, population and its year, share, and suppression flags.
- `reach_over_time(target, quarters) -> list[ReachPoint]`: one point per quarter for an area or a
  council.

Figures below `THRESHOLD` are suppressed: `Figure.value` is None and `Figure.suppressed` True.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.utils.translation import pgettext_lazy

from wijkwerk.areas.models import Area, AreaCouncil, Municipality, ResidentGroup
from wijkwerk.core.quarters import Quarter

from .models import Population

THRESHOLD = 5

# The channels through which a person is reached, in the order the tables show them. Budget
# votes are not a channel of persons: their turnout is a count of ballots (see `budget_votes`).
CHANNELS: tuple[tuple[str, object], ...] = (
    ("attendance", pgettext_lazy("reach channel", "meeting or event")),
    ("poll", pgettext_lazy("reach channel", "poll")),
    ("survey", pgettext_lazy("reach channel", "survey")),
    ("initiative", pgettext_lazy("reach channel", "initiative submitted")),
    ("support", pgettext_lazy("reach channel", "support")),
    ("comment", pgettext_lazy("reach channel", "comment")),
    ("follow", pgettext_lazy("reach channel", "follow")),
)
CHANNEL_KEYS = tuple(key for key, _label in CHANNELS)


@dataclass(frozen=True)
class Figure:
    """A count as it may be shown: `value` None when it is suppressed (fewer than THRESHOLD, or
    a figure from which a suppressed one could be worked out)."""

    value: int | None
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return not self.suppressed


@dataclass(frozen=True)
class ReachRow:
    kind: str  # "municipality", "area" or "council"
    obj: Municipality | Area | AreaCouncil
    name: str
    depth: int  # 0 municipality, 1 district/village, 2 neighbourhood; councils: their area's
    channels: dict[str, Figure]
    total: Figure  # distinct persons across the channels
    budget_votes: Figure  # ballots cast in budget rounds (counts from the rounds, no persons)
    population: int | None
    population_year: int | None
    share: Decimal | None  # total / population in percent, None when not shown

    @property
    def channel_list(self) -> list[tuple[str, Figure]]:
        return [(key, self.channels[key]) for key in CHANNEL_KEYS]


@dataclass(frozen=True)
class ReachTable:
    municipality: Municipality
    quarter: Quarter
    total: ReachRow
    areas: list[ReachRow] = field(default_factory=list)
    councils: list[ReachRow] = field(default_factory=list)
    has_data: bool = False


@dataclass(frozen=True)
class ReachPoint:
    quarter: Quarter
    total: Figure
    budget_votes: Figure
    channels: dict[str, Figure]
    population: int | None
    population_year: int | None
    share: Decimal | None
    has_data: bool = False  # whether the municipality had any reach that quarter

    @property
    def channel_list(self) -> list[tuple[str, Figure]]:
        return [(key, self.channels[key]) for key in CHANNEL_KEYS]


# ---------------------------------------------------------------------------------------------
# Who was reached: rows (area id, channel, person key, quarter) from the other apps, read only.
#
# A person is a user id ("u", id). Without an account: a survey's keyed hash of the voting code
# ("code", hash) or of the browser session ("session", hash), and an event sign-up's e-mail
# address ("email", address) — used only inside this computation, never stored. A person is
# attributed to the area of what they took part in (the event's, survey's, initiative's,
# comment's area; a follow's followed area, council's, group's, initiative's or round's areas),
# and rolled up to the district or village and the municipality. Budget votes are never read
# per person: their turnout is the count of ballots per area of rounds whose voting closed in the
# quarter (`budget_votes`), a column of its own.
# ---------------------------------------------------------------------------------------------

Key = tuple[str, object]
# quarter -> area id -> channel -> person keys
Reached = dict[Quarter, dict[int, dict[str, set[Key]]]]


def _span(quarters: Sequence[Quarter]) -> list[Quarter]:
    """Every quarter from the first to the last of `quarters`, in order."""
    first, last = min(quarters), max(quarters)
    found = [first]
    while found[-1] < last:
        found.append(found[-1].next())
    return found


def _bucket(span: list[Quarter]) -> Any:
    """An expression giving a moment's index in `span` (plain comparisons: the database needs
    no date function, and reads it fast on SQLite and PostgreSQL alike)."""

    def of(field_name: str) -> Any:
        if len(span) == 1:
            return Value(0, output_field=IntegerField())
        whens = [
            When(**{f"{field_name}__lt": quarter.end}, then=Value(index))
            for index, quarter in enumerate(span[:-1])
        ]
        return Case(*whens, default=Value(len(span) - 1), output_field=IntegerField())

    return of


def _add(reached: Reached, quarter: Quarter, area_id: int, channel: str, key: Key) -> None:
    by_area = reached.setdefault(quarter, {})
    by_area.setdefault(area_id, {}).setdefault(channel, set()).add(key)


def _collect(municipality_id: int, span: list[Quarter]) -> tuple[Reached, Ballots]:
    """Everyone reached in [start, end) in the municipality: a fixed number of queries."""
    from wijkwerk.budgeting.models import Ballot, ProcessArea
    from wijkwerk.comments.models import Comment
    from wijkwerk.events.models import Rsvp
    from wijkwerk.events.states import EventStatus, RsvpStatus
    from wijkwerk.follows.models import Follow
    from wijkwerk.initiatives.models import Initiative, Support
    from wijkwerk.surveys.models import Response, SurveyKind

    reached: Reached = {}
    start, end = span[0].start, span[-1].end
    quarter = _bucket(span)
    # 1. meetings and events: who signed up (and was not cancelled) or was recorded as present
    rsvps = (
        Rsvp.objects.filter(
            event__area__municipality_id=municipality_id,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
        )
        .exclude(event__status=EventStatus.CANCELLED)
        .filter(Q(status=RsvpStatus.GOING) | Q(attended=True))
        .annotate(q=quarter("event__starts_at"))
        .values_list("event__area_id", "user_id", Lower("email"), "q")
        .distinct()
    )
    for area_id, user_id, email, moment in rsvps:
        key: Key = ("u", user_id) if user_id else ("email", email)
        _add(reached, span[moment], area_id, "attendance", key)
    # 2. polls and surveys
    responses = (
        Response.objects.filter(
            survey__area__municipality_id=municipality_id,
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(q=quarter("created_at"))
        .values_list("survey__area_id", "survey__kind", "user_id", "voter_key", "session_key", "q")
        .distinct()
    )
    for area_id, kind, user_id, voter_key, session_key, moment in responses:
        if user_id:
            key = ("u", user_id)
        elif voter_key:
            key = ("code", voter_key)
        elif session_key:
            key = ("session", session_key)
        else:
            continue  # an account since deleted: no one to count
        channel = "poll" if kind == SurveyKind.POLL else "survey"
        _add(reached, span[moment], area_id, channel, key)
    # 3. initiatives submitted
    submitted = (
        Initiative.objects.filter(
            area__municipality_id=municipality_id,
            submitted_at__gte=start,
            submitted_at__lt=end,
        )
        .annotate(q=quarter("submitted_at"))
        .values_list("area_id", "applicant_id", "q")
        .distinct()
    )
    for area_id, user_id, moment in submitted:
        _add(reached, span[moment], area_id, "initiative", ("u", user_id))
    # 4. support for an initiative
    supports = (
        Support.objects.filter(
            initiative__area__municipality_id=municipality_id,
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(q=quarter("created_at"))
        .values_list("initiative__area_id", "user_id", "q")
        .distinct()
    )
    for area_id, user_id, moment in supports:
        _add(reached, span[moment], area_id, "support", ("u", user_id))
    # 5. comments (a hidden comment too: its author took part)
    comments = (
        Comment.objects.filter(
            area__municipality_id=municipality_id, created_at__gte=start, created_at__lt=end
        )
        .annotate(q=quarter("created_at"))
        .values_list("area_id", "author_id", "q")
        .distinct()
    )
    for area_id, user_id, moment in comments:
        if user_id:
            _add(reached, span[moment], area_id, "comment", ("u", user_id))
    # 6. follows: the followed object's area(s); one query for the follows, one per kind
    follows = list(
        Follow.objects.filter(created_at__gte=start, created_at__lt=end)
        .filter(Q(municipality_id=municipality_id) | Q(municipality__isnull=True))
        .annotate(q=quarter("created_at"))
        .values_list("content_type__app_label", "content_type__model", "object_id", "user_id", "q")
        .distinct()
    )
    wanted: dict[str, set[int]] = {}
    for app_label, model, object_id, _user, _moment in follows:
        wanted.setdefault(f"{app_label}.{model}", set()).add(object_id)
    areas_of = _followed_areas(wanted, municipality_id, ProcessArea)
    for app_label, model, object_id, user_id, moment in follows:
        for area_id in areas_of.get((f"{app_label}.{model}", object_id), ()):
            _add(reached, span[moment], area_id, "follow", ("u", user_id))
    # 7. budget votes: ballots counted per area of a round, never a person
    ballots: Ballots = {}
    counts = (
        Ballot.objects.filter(
            process__municipality_id=municipality_id,
            process__closed_at__gte=start,
            process__closed_at__lt=end,
        )
        .annotate(q=quarter("process__closed_at"))
        .values_list("area_id", "q")
        .annotate(n=Count("id"))
    )
    for area_id, moment, number in counts:
        by_area = ballots.setdefault(span[moment], {})
        by_area[area_id] = by_area.get(area_id, 0) + number
    return reached, ballots


Ballots = dict[Quarter, dict[int, int]]


def _followed_areas(
    wanted: dict[str, set[int]], municipality_id: int, process_area: type[models.Model]
) -> dict[tuple[str, int], list[int]]:
    """The area ids of followed objects, by (label, object id): one query per kind followed."""
    from wijkwerk.initiatives.models import Initiative

    found: dict[tuple[str, int], list[int]] = {}
    m = municipality_id
    sources: dict[str, Any] = {
        "areas.area": Area.objects.filter(municipality_id=m).values_list("pk", "pk"),
        "areas.areacouncil": AreaCouncil.objects.filter(area__municipality_id=m).values_list(
            "pk", "area_id"
        ),
        "areas.residentgroup": ResidentGroup.objects.filter(area__municipality_id=m).values_list(
            "pk", "area_id"
        ),
        "initiatives.initiative": Initiative.objects.filter(area__municipality_id=m).values_list(
            "pk", "area_id"
        ),
        "budgeting.budgetprocess": process_area.objects.filter(  # type: ignore[attr-defined]
            process__municipality_id=m
        ).values_list("process_id", "area_id"),
    }
    for label, ids in wanted.items():
        source = sources.get(label)
        if source is None:
            continue  # a kind without an area of its own (e.g. an expertise question)
        field = "process_id__in" if label == "budgeting.budgetprocess" else "pk__in"
        for object_id, area_id in source.filter(**{field: ids}):
            found.setdefault((label, object_id), []).append(area_id)
    return found


# ---------------------------------------------------------------------------------------------
# Suppression: a figure below THRESHOLD is not shown; neither is a sibling's when a parent's
# figure would otherwise give away the one suppressed child by subtraction.
# ---------------------------------------------------------------------------------------------


def suppress[Node: Hashable](
    values: Mapping[Node, int], groups: Sequence[tuple[Node, Sequence[Node]]]
) -> set[Node]:
    """The nodes whose figure is not shown. `groups` are (parent, children) pairs: where the
    parent is shown and exactly one child with people in it is hidden, the smallest shown sibling
    is hidden too (or, without one, the parent), so that parent minus the shown children never is
    one hidden figure."""
    hidden = {node for node, value in values.items() if value < THRESHOLD}
    changed = True
    while changed:
        changed = False
        for parent, children in groups:
            if parent in hidden:
                continue
            # a hidden zero gives no one away; one hidden figure of one or more people would
            if sum(1 for child in children if child in hidden and values[child] > 0) != 1:
                continue
            shown = [child for child in children if child not in hidden]
            if shown:
                hidden.add(min(shown, key=lambda child: (values[child], str(child))))
            else:  # no sibling to hide with it: the parent goes
                hidden.add(parent)
            changed = True
    return hidden


def _share(total: Figure, population: int | None) -> Decimal | None:
    if total.value is None or not population:
        return None
    return (Decimal(total.value) * 100 / Decimal(population)).quantize(Decimal("0.1"))


@dataclass
class _Tree:
    municipality: Municipality
    areas: list[Area]  # districts and villages, each followed by its neighbourhoods
    children: dict[int | None, list[int]]  # None: the top-level areas
    depth: dict[int, int]
    councils: list[AreaCouncil]
    population: dict[int, dict[int, int]]  # year -> area id -> inhabitants (given rows)


def _load_tree(municipality: Municipality) -> _Tree:
    rows = list(Area.objects.filter(municipality=municipality).order_by("name", "pk"))
    children: dict[int | None, list[int]] = {}
    for area in rows:
        children.setdefault(area.parent_id, []).append(area.pk)
    by_id = {area.pk: area for area in rows}
    ordered: list[Area] = []
    depth: dict[int, int] = {}

    def walk(area_id: int, level: int) -> None:
        depth[area_id] = level
        ordered.append(by_id[area_id])
        for child in children.get(area_id, []):
            walk(child, level + 1)

    for top in children.get(None, []):
        walk(top, 1)
    for area in rows:  # an area whose parent lies elsewhere (should not happen): keep it
        if area.pk not in depth:
            depth[area.pk] = 1
            ordered.append(area)
    councils = list(
        AreaCouncil.objects.filter(area__municipality=municipality)
        .select_related("area")
        .order_by("name", "pk")
    )
    population: dict[int, dict[int, int]] = {}
    for area_id, year, inhabitants in Population.objects.filter(
        area__municipality=municipality
    ).values_list("area_id", "year", "inhabitants"):
        population.setdefault(year, {})[area_id] = inhabitants
    return _Tree(municipality, ordered, children, depth, councils, population)


def _population(tree: _Tree, quarter: Quarter) -> tuple[int | None, dict[int | None, int | None]]:
    """The year used (the latest edition up to the quarter's year) and the inhabitants per area
    (None: the municipality): an area's own figure, else the sum of its neighbourhoods'."""
    years = [year for year in tree.population if year <= quarter.year]
    if not years:
        return None, {}
    year = max(years)
    given = tree.population[year]
    result: dict[int | None, int | None] = {}

    def of(area_id: int | None) -> int | None:
        if area_id is not None and area_id in given:
            result[area_id] = given[area_id]
            return given[area_id]
        parts = [of(child) for child in tree.children.get(area_id, [])]
        known = [part for part in parts if part is not None]
        result[area_id] = sum(known) if known else None
        return result[area_id]

    of(None)
    return year, result


def _tables(municipality: Municipality, quarters: Sequence[Quarter]) -> dict[Quarter, ReachTable]:
    tree = _load_tree(municipality)
    if not quarters:
        return {}
    reached, ballots = _collect(municipality.pk, _span(quarters))
    return {quarter: _table(tree, quarter, reached, ballots) for quarter in quarters}


def _table(tree: _Tree, quarter: Quarter, reached: Reached, ballots: Ballots) -> ReachTable:
    own = reached.get(quarter, {})
    own_ballots = ballots.get(quarter, {})
    # rolled up: an area's persons are its own and its neighbourhoods' (None: the municipality)
    persons: dict[int | None, dict[str, set[Key]]] = {}
    votes: dict[int | None, int] = {}

    def roll(area_id: int | None) -> None:
        channels: dict[str, set[Key]] = {key: set() for key in CHANNEL_KEYS}
        count = 0
        if area_id is not None:
            for key, people in own.get(area_id, {}).items():
                channels[key] |= people
            count = own_ballots.get(area_id, 0)
        for child in tree.children.get(area_id, []):
            roll(child)
            for key in CHANNEL_KEYS:
                channels[key] |= persons[child][key]
            count += votes[child]
        persons[area_id] = channels
        votes[area_id] = count

    roll(None)
    for area in tree.areas:  # an area outside the tree walk
        if area.pk not in persons:
            roll(area.pk)
    nodes = list(persons)
    groups = [(parent, tree.children.get(parent, [])) for parent in nodes]
    columns: dict[str, dict[int | None, int]] = {
        key: {node: len(persons[node][key]) for node in nodes} for key in CHANNEL_KEYS
    }
    distinct = {node: len(set().union(*persons[node].values())) for node in nodes}
    columns["total"] = distinct
    columns["budget_votes"] = votes
    hidden = {name: suppress(values, groups) for name, values in columns.items()}

    def figure(name: str, node: int | None) -> Figure:
        if node in hidden[name]:
            return Figure(None, suppressed=True)
        return Figure(columns[name][node])

    year, inhabitants = _population(tree, quarter)

    def row(kind: str, obj: Any, name: str, depth: int, node: int | None) -> ReachRow:
        total = figure("total", node)
        population = inhabitants.get(node)
        return ReachRow(
            kind=kind,
            obj=obj,
            name=name,
            depth=depth,
            channels={key: figure(key, node) for key in CHANNEL_KEYS},
            total=total,
            budget_votes=figure("budget_votes", node),
            population=population,
            population_year=year if population is not None else None,
            share=_share(total, population),
        )

    has_data = any(distinct.values()) or any(votes.values())
    return ReachTable(
        municipality=tree.municipality,
        quarter=quarter,
        total=row("municipality", tree.municipality, tree.municipality.name, 0, None),
        areas=[
            row("area", area, area.name, tree.depth.get(area.pk, 1), area.pk) for area in tree.areas
        ],
        councils=[
            row(
                "council",
                council,
                council.name,
                tree.depth.get(council.area_id, 1),
                council.area_id,
            )
            for council in tree.councils
        ],
        has_data=has_data,
    )


def reach_table(municipality: Municipality, quarter: Quarter) -> ReachTable:
    """Reach in `quarter`: the municipality, every area (districts and villages with their
    neighbourhoods, rolled up) and every council (its area's figures). A fixed number of
    queries whatever the rows."""
    return _tables(municipality, [quarter])[quarter]


def reach_over_time(
    target: Area | AreaCouncil | Municipality, quarters: Sequence[Quarter]
) -> list[ReachPoint]:
    """One point per quarter (in the order given) for an area, a council or the municipality,
    suppressed exactly as in that quarter's `reach_table` (so no page shows what another hides)."""
    if isinstance(target, Municipality):
        municipality, kind, pk = target, "municipality", None
    elif isinstance(target, AreaCouncil):
        municipality, kind, pk = target.area.municipality, "council", target.pk
    else:
        municipality, kind, pk = target.municipality, "area", target.pk
    tables = _tables(municipality, list(quarters))
    points = []
    for quarter in quarters:
        table = tables[quarter]
        if kind == "municipality":
            found: ReachRow | None = table.total
        else:
            rows = table.councils if kind == "council" else table.areas
            found = next((r for r in rows if r.obj.pk == pk), None)
        if found is None:
            continue
        points.append(
            ReachPoint(
                quarter=quarter,
                total=found.total,
                budget_votes=found.budget_votes,
                channels=found.channels,
                population=found.population,
                population_year=found.population_year,
                share=found.share,
                has_data=table.has_data,
            )
        )
    return points


def last_quarters(count: int, until: Quarter | None = None) -> list[Quarter]:
    """The `count` quarters up to and including `until` (default: the current one), oldest first."""
    quarter = until or Quarter.current()
    found = [quarter]
    for _step in range(count - 1):
        found.append(found[-1].previous())
    return list(reversed(found))
