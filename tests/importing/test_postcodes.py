"""The postcode table import: our own CSV or the CBS's postcode-house-number file, every problem
with its line, all or nothing, a municipality's table replaced as a whole."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.areas.factories import NeighbourhoodFactory
from tests.cast import Cast
from wijkwerk.areas.audit_actions import AreaAction
from wijkwerk.areas.models import PostcodeArea
from wijkwerk.areas.selectors import area_search
from wijkwerk.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, *lines: str, name: str = "postcodes.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return str(path)


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_postcodes", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def problems(*args: str) -> list[str]:
    """The problems listed; asserts the command failed and saved nothing."""
    before = set(PostcodeArea.objects.values_list("postcode", "street", "area_id", "year"))
    events = AuditEvent.objects.count()
    err = StringIO()
    with pytest.raises(CommandError, match=r"problem\(s\) in the import; nothing was saved"):
        call_command("import_postcodes", *args, stdout=StringIO(), stderr=err)
    assert set(PostcodeArea.objects.values_list("postcode", "street", "area_id", "year")) == before
    assert AuditEvent.objects.count() == events
    return err.getvalue().splitlines()


def table() -> set[tuple[str, str, str, int]]:
    return set(PostcodeArea.objects.values_list("postcode", "street", "area__cbs_code", "year"))


def test_our_own_file_with_streets(tmp_path: Path, cast: Cast) -> None:
    path = write(
        tmp_path,
        "postcode;street;neighbourhood_code",
        "4849 AB;Kerkstraat;BU08261307",
        "4849ab;Kerkstraat;BU08261307",
        "4849AC; Molenstraat ;bu08261307",
        "",
    )
    out = run(path, "--year", "2026")
    assert "GM0826: 2 postcodes and streets of 2026" in out
    assert "Postcodes imported: 2 rows." in out
    assert table() == {
        ("4849AB", "Kerkstraat", "BU08261307", 2026),
        ("4849AC", "Molenstraat", "BU08261307", 2026),
    }
    event = AuditEvent.objects.get(action=AreaAction.POSTCODES_IMPORT)
    assert event.municipality_id == cast.municipality.pk
    assert event.after == {"postcode_year": 2026, "postcode_rows": 2}
    assert [a.name for a in area_search("4849 AC")] == ["Dorst-Zuid"]
    assert [a.name for a in area_search("Molenstraat")] == ["Dorst-Zuid"]


def test_the_cbs_file_as_it_is(tmp_path: Path, cast: Cast) -> None:
    """PC6;Huisnummer;Buurt2023;Wijk2023;Gemeente2023, codes without BU, a row per house."""
    path = write(
        tmp_path,
        "PC6;Huisnummer;Buurt2023;Wijk2023;Gemeente2023",
        "4849AB;1;08261307;082613;0826",
        "4849AB;3;08261307;082613;0826",
        "4849AD;2;08261307;082613;0826",
    )
    assert "Postcodes imported: 2 rows." in run(path, "--year", "2023")
    assert table() == {("4849AB", "", "BU08261307", 2023), ("4849AD", "", "BU08261307", 2023)}


def test_a_new_edition_replaces_the_municipality_s_table_only(tmp_path: Path, cast: Cast) -> None:
    lith_centrum = NeighbourhoodFactory(
        parent=cast.lith, name="Lith-Centrum", cbs_code="BU08289901"
    )
    PostcodeArea.objects.create(
        postcode="5366AA", street="Kerkstraat", area=lith_centrum, year=2025
    )
    first = write(tmp_path, "postcode,neighbourhood_code", "4849AB,BU08261307", "4849AC,BU08261307")
    run(first, "--year", "2025")
    second = write(tmp_path, "postcode,neighbourhood_code", "4849AD,BU08261307", name="new.csv")
    out = run(second, "--year", "2026")
    assert "GM0826: 1 postcodes and streets of 2026 (replacing 2 of 2025)" in out
    assert table() == {
        ("4849AD", "", "BU08261307", 2026),
        ("5366AA", "Kerkstraat", "BU08289901", 2025),
    }
    run(second, "--year", "2026")  # again: the same table
    assert len(table()) == 2


def test_every_problem_with_its_line(tmp_path: Path, cast: Cast) -> None:
    path = write(
        tmp_path,
        "postcode,street,neighbourhood_code",
        "4849AB,Kerkstraat,BU08261307",
        "0849AB,Kerkstraat,BU08261307",
        "4849 A,Kerkstraat,BU08261307",
        "4849AB,Kerkstraat,BU0826130",
        "4849AB,Kerkstraat,BU08269999",
        "4849AB,Kerkstraat,BU08269999",
        "4849AB,Kerkstraat",
        "4849AB,<b>Kerk</b>,BU08261307",
        "4849AE,Kerkstraat,WK082613",
    )
    assert problems(path, "--year", "2026") == [
        "postcodes.csv:3: postcode '0849AB' is not a Dutch postcode: four digits (not starting "
        "with 0) and two letters, such as 5051 AB",
        "postcodes.csv:4: postcode '4849 A' is not a Dutch postcode: four digits (not starting "
        "with 0) and two letters, such as 5051 AB",
        "postcodes.csv:5: neighbourhood code 'BU0826130' is not a CBS neighbourhood code such as "
        "BU08260102 or 08260102",
        "postcodes.csv:6: unknown neighbourhood code BU08269999: import the areas first "
        "(import_areas), or leave out its rows (--skip-unknown)",
        "postcodes.csv:8: expected 3 fields, found 2",
        "postcodes.csv:9: street contains < or >; a street name is plain text",
        "postcodes.csv:10: neighbourhood code 'WK082613' is not a CBS neighbourhood code such as "
        "BU08260102 or 08260102",
    ]


def test_unknown_neighbourhoods_can_be_left_out(tmp_path: Path, cast: Cast) -> None:
    path = write(tmp_path, "postcode,neighbourhood_code", "4849AB,BU08261307", "4849ZZ,BU08269999")
    run(path, "--year", "2026", "--skip-unknown")
    assert table() == {("4849AB", "", "BU08261307", 2026)}


def test_one_municipality_from_the_national_file(tmp_path: Path, cast: Cast) -> None:
    path = write(tmp_path, "postcode,neighbourhood_code", "4849AB,BU08261307", "5366AA,BU08289999")
    run(path, "--year", "2026", "--municipality", "gm0826")
    assert table() == {("4849AB", "", "BU08261307", 2026)}


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "street,neighbourhood_code",
            "postcodes.csv:1: missing column(s): the postcode (postcode or pc6)",
        ),
        (
            "pc6,straat",
            "postcodes.csv:1: missing column(s): the neighbourhood's CBS code "
            "(neighbourhood_code or buurtcode or buurt, such as buurt2026)",
        ),
        (
            "postcode,neighbourhood_code,house",
            "postcodes.csv:1: unknown column(s): 'house' (the columns are: postcode, street, "
            "neighbourhood_code)",
        ),
    ],
)
def test_missing_and_unknown_columns(tmp_path: Path, cast: Cast, header: str, message: str) -> None:
    assert problems(write(tmp_path, header, "4849AB,BU08261307"), "--year", "2026") == [message]


def test_a_file_that_is_not_utf8(tmp_path: Path, cast: Cast) -> None:
    path = write(
        tmp_path,
        "postcode;street;neighbourhood_code",
        "4849AB;Kerkstraat;BU08261307",
        "4849AC;Ruïnestraat;BU08261307",
        encoding="latin-1",
    )
    assert problems(path, "--year", "2026") == [
        "postcodes.csv:3: the file is not UTF-8 text (byte 74); save it as UTF-8"
    ]


def test_empty_file_and_wrong_year(tmp_path: Path, cast: Cast) -> None:
    assert problems(write(tmp_path, ""), "--year", "2026") == [
        "postcodes.csv:1: the file is empty; the first line must name the columns"
    ]
    assert problems(write(tmp_path, "postcode,neighbourhood_code"), "--year", "2026") == [
        "postcodes.csv: no postcodes to import"
    ]
    assert problems(write(tmp_path, "postcode,neighbourhood_code"), "--year", "26") == [
        "--year 26 is not the year of a CBS edition, such as 2026"
    ]
