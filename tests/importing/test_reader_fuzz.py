"""Whatever bytes arrive, the readers give rows or clean, located messages; never an exception."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkwerk.areas.importing import (
    COLUMNS,
    AreaImportError,
    import_areas,
    read_area_rows,
    read_boundaries,
)
from wijkwerk.areas.models import Area

from .helpers import DORST, DORST_ZUID, HEADER

CSVISH = st.text(
    alphabet=st.sampled_from(list('GMWKBU0123456789,;"\n\r \t<>&éx\ufeff')), max_size=300
)
CELL = st.one_of(
    st.sampled_from(
        [
            "GM0826",
            "Oosterhout",
            "WK082613",
            "BU08261307",
            "village",
            "neighbourhood",
            "district",
            "2020",
            "0",
            "1",
            "",
        ]
    ),
    st.text(max_size=20),
)


def _located(messages: list[str], filename: str) -> bool:
    return all(isinstance(m, str) and m.startswith(filename + ":") for m in messages)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=500))
def test_random_bytes(data: bytes) -> None:
    contents = read_area_rows(data, filename="f.csv")
    assert _located(contents.errors, "f.csv")


@settings(max_examples=300, deadline=None)
@given(CSVISH)
def test_random_csv_like_text_after_a_valid_header(text: str) -> None:
    contents = read_area_rows((HEADER + "\n" + text).encode(), filename="f.csv")
    assert _located(contents.errors, "f.csv")
    for row in contents.rows:
        assert row.kind in ("district", "village", "neighbourhood")
        assert 0 < len(row.name) <= 120


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(CELL, min_size=len(COLUMNS), max_size=len(COLUMNS)), max_size=6),
    st.sampled_from([",", ";"]),
)
def test_random_rows_parse_or_explain(rows: list[list[str]], delimiter: str) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    contents = read_area_rows(buffer.getvalue().encode(), filename="f.csv")
    assert _located(contents.errors, "f.csv")
    if not contents.errors:
        assert len(contents.rows) == sum(1 for row in rows if any(cell.strip() for cell in row))


JSON = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(["type", "features", "properties", "geometry", "coordinates", "code"]),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_random_json_as_geojson(value: Any) -> None:
    boundaries, errors = read_boundaries(json.dumps(value).encode(), filename="b.geojson")
    assert all(m.startswith("b.geojson") for m in errors)
    assert all(isinstance(b, dict) for b in boundaries.values())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_as_geojson(data: bytes) -> None:
    _, errors = read_boundaries(data, filename="b.geojson")
    assert all(m.startswith("b.geojson") for m in errors)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from([DORST, DORST_ZUID, "", "x", DORST.replace("Dorst", "<b>")]), max_size=5
    ),
    CSVISH,
)
def test_whole_import_never_half_saves(lines: list[str], noise: str) -> None:
    data = "\n".join([HEADER, *lines, noise]).encode()
    before = Area.objects.count()
    try:
        import_areas(data, dry_run=True)
    except AreaImportError as error:
        assert error.errors and all(m.startswith(("areas.csv", "--")) for m in error.errors)
    assert Area.objects.count() == before
