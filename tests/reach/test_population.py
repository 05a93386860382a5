"""Population tables: the CBS export read as it is, bad tables refused with line numbers and
nothing saved, the command and the upload page."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from wijkwerk.core.actors import SystemActor
from wijkwerk.core.audit import AuditEvent
from wijkwerk.reach.models import Population
from wijkwerk.reach.services import PopulationImportError, population_import

pytestmark = pytest.mark.django_db

SYSTEM = SystemActor("tests")
# as StatLine exports "Kerncijfers wijken en buurten 2024" (a few of its many columns)
CBS = (
    '"ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";'
    '"AantalInwoners_5";"Mannen_6";"HuishoudensTotaal_29"\n'
    '1;"GM0826  ";"Oosterhout";"Gemeente";"GM0826";56123;27800;25000\n'
    '2;"WK082613";"Oosterhout";"Wijk";"WK082613";"4320";2100;1800\n'
    '3;"BU08261307";"Oosterhout";"Buurt";"BU08261307";1650;800;"."\n'
    '4;"WK082601";"Oosterhout";"Wijk";"WK082601";8000;4000;3500\n'
    '5;"BU03440101";"Utrecht";"Buurt";"BU03440101";999;500;400\n'
)


def run(cast: Any, text: str, year: int = 2024) -> Any:
    return population_import(
        actor=SYSTEM, municipalities=[cast.municipality], data=text.encode(), year=year
    )


def test_the_cbs_export_is_read_as_it_is(cast: Any) -> None:
    (result,) = run(cast, CBS)
    assert result.rows == 3
    assert result.elsewhere == 2  # the municipality's own row and Utrecht's neighbourhood
    figures = {p.area.cbs_code: (p.inhabitants, p.households) for p in Population.objects.all()}
    assert figures == {
        "WK082613": (4320, 1800),
        "BU08261307": (1650, None),
        "WK082601": (8000, 3500),
    }
    event = AuditEvent.objects.get(action="population.import")
    assert event.after["rows"] == 3


def test_a_comma_table_of_our_own_and_a_second_import_replaces_the_year(cast: Any) -> None:
    run(cast, "code,inwoners\nBU08261307,1600\nWK082601,7900\n")
    (result,) = run(cast, "code,inwoners,huishoudens\nBU08261307,1650,700\n")
    assert result.replaced == 2
    assert list(Population.objects.values_list("inhabitants", "households")) == [(1650, 700)]


@pytest.mark.parametrize(
    ("text", "year", "errors"),
    [
        ("", 2024, [(1, "The file is empty; the first line must name the columns.")]),
        (
            "code;inwoners\nWK082613;4000\nBU08261399;10\n",
            2024,
            [(3, "BU08261399 is not an area of Oosterhout here.")],
        ),
        (
            "code;inwoners\nWK082613;4000\nBU08261307;-5\n",
            2024,
            [(3, "Inhabitants of BU08261307 is negative (-5).")],
        ),
        (
            "code;inwoners\nBU08261307;veel\nWK082601;12,5\n",
            2024,
            [
                (2, "Inhabitants of BU08261307 is not a whole number (veel)."),
                (3, "Inhabitants of WK082601 is not a whole number (12,5)."),
            ],
        ),
        (
            "code;inwoners\nBU08261307;10\nWK082601;5\nBU08261307;11\n",
            2024,
            [(4, "BU08261307 appears twice (first on line 2).")],
        ),
        (
            "code;inwoners;Perioden\nBU08261307;10;2023JJ00\n",
            2024,
            [(2, "The row is about 2023JJ00, not 2024.")],
        ),
        (
            "code;inwoners\nBU08261307;10\n",
            1800,
            [(0, "The year must lie between 1995 and %s, not 1800.")],
        ),
        (
            "naam;aantal\nDorst;10\n",
            2024,
            [
                (
                    1,
                    "The first line must name the columns: the region's code (WijkenEnBuurten, "
                    "Codering_3 or code) and the inhabitants (AantalInwoners_5 or inwoners).",
                )
            ],
        ),
        (
            "code;inwoners\nBU03440101;10\n",
            2024,
            [(1, "The file has no figures for the neighbourhoods, districts or villages here.")],
        ),
    ],
    ids=[
        "empty",
        "unknown",
        "negative",
        "not-numeric",
        "duplicate",
        "period",
        "year",
        "header",
        "elsewhere",
    ],
)
def test_bad_tables_are_refused_whole(
    cast: Any, text: str, year: int, errors: list[tuple[int, str]]
) -> None:
    run(cast, "code;inwoners\nWK082601;8000\n")
    with translation.override("en"), pytest.raises(PopulationImportError) as raised:
        run(cast, text, year)
    expected = [
        (line, message % timezone.localdate().year if "%s" in message else message)
        for line, message in errors
    ]
    assert raised.value.errors == expected
    # nothing half saved: the earlier figure stands, no other
    assert list(Population.objects.values_list("area__cbs_code", "inhabitants")) == [
        ("WK082601", 8000)
    ]


def test_the_command(cast: Any, tmp_path: Any) -> None:
    path = tmp_path / "kwb.csv"
    path.write_text(CBS, encoding="utf-8-sig")
    out = StringIO()
    call_command("import_population", str(path), "--year", "2024", stdout=out)
    assert "Oosterhout 2024: 3 areas" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("code;inwoners\nBU08261307;-1\n")
    with pytest.raises(CommandError, match=r"bad.csv:2: .*BU08261307"):
        call_command("import_population", str(bad), "--year", "2024")


def test_the_upload_page(cast: Any, client: Any) -> None:
    client.force_login(cast.admin)
    url = reverse("reach:population", kwargs={"municipality": "oosterhout"})
    bad = SimpleUploadedFile("kwb.csv", b"code;inwoners\nBU08261307;-3\n", "text/csv")
    response = client.post(url, {"year": 2024, "file": bad}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "Regel 2:" in response.content.decode()
    assert "negatief (-3)" in response.content.decode()
    assert not Population.objects.exists()
    good = SimpleUploadedFile("kwb.csv", CBS.encode(), "text/csv")
    response = client.post(url, {"year": 2024, "file": good}, follow=True)
    assert response.status_code == 200
    assert "3 gebieden" in response.content.decode()
    assert Population.objects.count() == 3
