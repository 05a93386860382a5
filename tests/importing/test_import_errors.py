"""Every problem is reported with file and line, all at once, and nothing is saved."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core.models import AuditEvent

from .helpers import DORST, DORST_ZUID, HEADER, SLOTJES, csv_file, feature, geojson_file, square

pytestmark = pytest.mark.django_db


def problems(*args: str) -> list[str]:
    """The problems the command lists; asserts it failed and saved nothing."""
    err = StringIO()
    with pytest.raises(CommandError, match=r"problem\(s\) in the import; nothing was saved"):
        call_command("import_areas", *args, stdout=StringIO(), stderr=err)
    assert not Area.objects.exists()
    assert not Municipality.objects.exists()
    assert not AuditEvent.objects.exists()
    return err.getvalue().splitlines()


def test_unknown_parent_code(tmp_path: Path) -> None:
    orphan = DORST_ZUID.replace(",WK082613,", ",WK082699,")
    assert problems(str(csv_file(tmp_path, DORST, orphan))) == [
        "areas.csv:3: unknown parent code WK082699"
    ]


def test_name_too_long(tmp_path: Path) -> None:
    long_name = DORST.replace(",Dorst,", f",{'D' * 160},")
    assert problems(str(csv_file(tmp_path, SLOTJES, long_name))) == [
        "areas.csv:3: name is 160 characters, at most 120"
    ]


def test_duplicate_codes(tmp_path: Path) -> None:
    assert problems(str(csv_file(tmp_path, DORST, SLOTJES, DORST))) == [
        "areas.csv:4: duplicate code WK082613 (also on line 2)"
    ]


def test_code_of_the_wrong_form_for_the_kind(tmp_path: Path) -> None:
    (message,) = problems(str(csv_file(tmp_path, DORST.replace("WK082613", "BU08261300"))))
    assert message.startswith("areas.csv:2: code BU08261300: A CBS code for a village")
    assert "WK082601" in message


def test_neighbourhood_without_parent(tmp_path: Path) -> None:
    assert problems(str(csv_file(tmp_path, DORST, DORST_ZUID.replace(",WK082613,", ",,")))) == [
        "areas.csv:3: neighbourhood BU08261307 has no parent_code (its district or village)"
    ]


def test_district_with_a_parent(tmp_path: Path) -> None:
    (message,) = problems(
        str(csv_file(tmp_path, DORST, SLOTJES.replace(",district,,", ",district,WK082613,")))
    )
    assert message.startswith("areas.csv:3: a district lies directly under the municipality")


def test_municipality_code_that_does_not_match_the_area_code(tmp_path: Path) -> None:
    (message,) = problems(str(csv_file(tmp_path, DORST.replace("GM0826", "GM0828"))))
    assert message.startswith("areas.csv:2: code WK082613: The CBS code WK082613 does not start")
    assert "0828" in message


def test_parent_that_is_a_neighbourhood(tmp_path: Path) -> None:
    nested = "GM0826,Oosterhout,BU08261399,Hoekje,neighbourhood,BU08261307,2020,0,"
    assert problems(str(csv_file(tmp_path, DORST, DORST_ZUID, nested))) == [
        "areas.csv:4: parent BU08261307 is a neighbourhood; choose its district or village"
    ]


def test_bad_kind_year_and_demo_flag(tmp_path: Path) -> None:
    row = "GM0826,Oosterhout,WK082613,Dorst,hamlet,,20x0,ja,"
    assert problems(str(csv_file(tmp_path, row))) == [
        "areas.csv:2: unknown kind 'hamlet' (use district, village, neighbourhood)",
        "areas.csv:2: cbs_year '20x0' is not a year such as 2020",
        "areas.csv:2: demo_code 'ja' must be 0 or 1",
    ]


def test_wrong_number_of_fields_and_missing_columns(tmp_path: Path) -> None:
    assert problems(str(csv_file(tmp_path, DORST, "GM0826,Oosterhout,WK082601"))) == [
        "areas.csv:3: expected 9 fields, found 3"
    ]
    missing, unknown = problems(str(csv_file(tmp_path, "x,y", header="code,naam")))
    assert missing == (
        "areas.csv:1: missing column(s): municipality_code, municipality_name, name, kind"
    )
    assert unknown.startswith("areas.csv:1: unknown column(s): 'naam' (the columns are: ")


def test_all_problems_are_listed_in_file_order(tmp_path: Path) -> None:
    long_name = DORST.replace(",Dorst,", f",{'x' * 121},").replace("WK082613", "WK082614")
    child_of_broken_row = DORST_ZUID.replace(",WK082613,", ",WK082614,")
    found = problems(
        str(
            csv_file(
                tmp_path,
                DORST,
                long_name,
                "",
                DORST_ZUID.replace(",WK082613,", ",WK999999,"),
                DORST,
                child_of_broken_row.replace("BU08261307", "BU08261308"),
            )
        )
    )
    # No "unknown parent WK082614" for line 7: its parent is the broken row on line 3.
    assert found == [
        "areas.csv:3: name is 121 characters, at most 120",
        "areas.csv:5: unknown parent code WK999999",
        "areas.csv:6: duplicate code WK082613 (also on line 2)",
    ]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    latin1_row = "GM0826,Oosterhout,WK082601,Sl\xf6tjes,district,,,,\n"
    path.write_bytes(f"{HEADER}\n{DORST}\n{latin1_row}".encode("latin-1"))
    (message,) = problems(str(path))
    assert message.startswith("latin1.csv:3: the file is not UTF-8 text")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert problems(str(path)) == [
        "empty.csv:1: the file is empty; the first line must name the columns"
    ]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_areas", str(tmp_path / "nope.csv"), stdout=StringIO())


def test_unknown_municipality_option(tmp_path: Path) -> None:
    assert problems(str(csv_file(tmp_path, DORST)), "--municipality", "GM0828") == [
        "areas.csv: no rows for municipality GM0828"
    ]
    assert problems(str(csv_file(tmp_path, DORST)), "--municipality", "Oss") == [
        "--municipality 'OSS' is not of the form GM0826"
    ]


def test_malformed_geojson(tmp_path: Path) -> None:
    areas = str(csv_file(tmp_path, DORST, DORST_ZUID))
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection",\n "features": [}')
    (message,) = problems(areas, "--geojson", str(broken))
    assert message.startswith("broken.geojson:2: not valid JSON")

    not_collection = tmp_path / "geometry.geojson"
    not_collection.write_text(json.dumps(square()))
    assert problems(areas, "--geojson", str(not_collection)) == [
        "geometry.geojson: expected a GeoJSON FeatureCollection"
    ]


def test_geojson_feature_problems_name_the_feature_index(tmp_path: Path) -> None:
    areas = str(csv_file(tmp_path, DORST, DORST_ZUID))
    rd_metres = {
        "type": "Polygon",
        "coordinates": [[[113000, 400000], [114000, 400000], [114000, 401000], [113000, 400000]]],
    }
    geojson = geojson_file(
        tmp_path,
        feature("WK082613"),
        feature("BU08261307", rd_metres),
        {"type": "Feature", "properties": {"naam": "Dorst"}, "geometry": square()},
        feature("WK082613"),
        "not a feature",  # type: ignore[arg-type]
    )
    found = problems(areas, "--geojson", str(geojson))
    assert found[0].startswith("areas.geojson: features[1] (BU08261307): ")
    assert "does not lie in the Netherlands" in found[0]
    assert found[1:] == [
        "areas.geojson: features[2]: no CBS code in its properties "
        "(one of: code, statcode, buurtcode, wijkcode)",
        "areas.geojson: features[3]: WK082613 also has features[0]",
        "areas.geojson: features[4]: not a GeoJSON Feature",
    ]


def test_geojson_feature_for_an_area_not_in_the_file(tmp_path: Path) -> None:
    geojson = geojson_file(tmp_path, feature("WK082613"), feature("WK082601"))
    assert problems(str(csv_file(tmp_path, DORST)), "--geojson", str(geojson)) == [
        "areas.geojson: a feature has code WK082601, which is not in areas.csv"
    ]


def test_html_in_a_name_is_refused_as_the_back_office_does(tmp_path: Path) -> None:
    name = '<script>alert("x")</script> & Co'
    row = DORST.replace(",Dorst,", f',"{name.replace(chr(34), chr(34) * 2)}",')
    assert problems(str(csv_file(tmp_path, row))) == [
        "areas.csv:2: name contains < or >; an area name is plain text"
    ]
