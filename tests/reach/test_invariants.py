"""Properties of the reach figures, on generated areas and participation (in memory, no
database): a person counts once, a shown figure is never below 5, and no parent's figure gives
away a single suppressed child by subtraction."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from wijkwerk.areas.models import Area, AreaCouncil, Municipality
from wijkwerk.core.quarters import Quarter
from wijkwerk.reach.selectors import CHANNEL_KEYS, THRESHOLD, _table, _Tree, suppress

Q = Quarter(2026, 2)


@st.composite
def worlds(draw: Any) -> tuple[_Tree, dict[int, dict[str, set[Any]]], dict[int, int]]:
    municipality = Municipality(pk=1, name="Gemeente", slug="gemeente", cbs_code="GM9999")
    tops = draw(st.integers(1, 3))
    areas: list[Area] = []
    children: dict[int | None, list[int]] = {None: []}
    depth: dict[int, int] = {}
    pk = 1
    for _top in range(tops):
        top = Area(pk=pk, municipality=municipality, name=f"Wijk {pk}", slug=f"w{pk}")
        areas.append(top)
        children[None].append(pk)
        children[pk] = []
        depth[pk] = 1
        parent = pk
        pk += 1
        for _child in range(draw(st.integers(0, 3))):
            areas.append(
                Area(pk=pk, municipality=municipality, parent_id=parent, name=f"Buurt {pk}")
            )
            children[parent].append(pk)
            depth[pk] = 2
            pk += 1
    councils = [AreaCouncil(pk=1, area=areas[0], name="Raad")]
    area_ids = [a.pk for a in areas]
    people = st.integers(1, 12)
    reached: dict[int, dict[str, set[Any]]] = {}
    for area_id in area_ids:
        reached[area_id] = {}
        for channel in draw(st.sets(st.sampled_from(CHANNEL_KEYS), max_size=4)):
            reached[area_id][channel] = {("u", p) for p in draw(st.sets(people, max_size=9))}
    ballots = {a: draw(st.integers(0, 12)) for a in area_ids}
    tree = _Tree(municipality, areas, children, depth, councils, {})
    return tree, reached, ballots


def raw_rollup(tree: _Tree, reached: dict[int, dict[str, set[Any]]], node: int | None) -> Any:
    channels: dict[str, set[Any]] = {key: set() for key in CHANNEL_KEYS}
    if node is not None:
        for key, people in reached.get(node, {}).items():
            channels[key] |= people
    for child in tree.children.get(node, []):
        for key, people in raw_rollup(tree, reached, child).items():
            channels[key] |= people
    return channels


def raw_ballots(tree: _Tree, ballots: dict[int, int], node: int | None) -> int:
    own = ballots.get(node, 0) if node is not None else 0
    return own + sum(raw_ballots(tree, ballots, c) for c in tree.children.get(node, []))


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_reach_invariants(world: Any) -> None:
    tree, reached, ballots = world
    table = _table(tree, Q, {Q: reached}, {Q: ballots})
    rows: dict[int | None, Any] = {None: table.total}
    rows.update({row.obj.pk: row for row in table.areas})
    raw: dict[int | None, dict[str, int]] = {}
    for node, row in rows.items():
        channels = raw_rollup(tree, reached, node)
        distinct = len(set().union(*channels.values()))
        # a person is counted once: distinct at most the sum of the channels, at least the largest
        assert distinct <= sum(len(p) for p in channels.values())
        assert distinct >= max(len(p) for p in channels.values())
        raw[node] = {key: len(p) for key, p in channels.items()}
        raw[node]["total"] = distinct
        raw[node]["budget_votes"] = raw_ballots(tree, ballots, node)
        figures = {**row.channels, "total": row.total, "budget_votes": row.budget_votes}
        for name, figure in figures.items():
            if figure.shown:
                # what is shown is the true figure, and never below the threshold
                assert figure.value == raw[node][name] >= THRESHOLD
            else:
                assert figure.value is None
        if row.total.shown and all(f.shown for f in row.channels.values()):
            assert row.total.value <= sum(f.value for f in row.channels.values())
        if row.share is not None:
            assert row.total.shown
    # no shown parent minus its shown children is one hidden child with people in it
    for parent in rows:
        kids = tree.children.get(parent, [])
        for name in [*CHANNEL_KEYS, "total", "budget_votes"]:

            def figure(node: int | None, name: str = name) -> Any:
                row = rows[node]
                return {**row.channels, "total": row.total, "budget_votes": row.budget_votes}[name]

            if not kids or not figure(parent).shown:
                continue
            hidden_with_people = [k for k in kids if not figure(k).shown and raw[k][name] > 0]
            assert len(hidden_with_people) != 1, (parent, name)
    # a council's row is its area's
    council = table.councils[0]
    assert council.total == rows[tree.councils[0].area.pk].total


@given(
    st.dictionaries(st.integers(1, 6), st.integers(0, 30), min_size=1),
)
def test_suppress_hides_every_small_figure(values: dict[int, int]) -> None:
    values[0] = sum(values.values())
    hidden = suppress(values, [(0, [k for k in values if k != 0])])
    assert {k for k, v in values.items() if v < THRESHOLD} <= hidden
    if 0 not in hidden:
        assert len([k for k in hidden if k != 0 and values[k] > 0]) != 1
