"""manage.py import_areas: the happy path, idempotence, dry runs and boundaries."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from wijkwerk.areas.models import Area, AreaKind, Municipality
from wijkwerk.core.models import AuditEvent

from ..areas.factories import AreaFactory, MunicipalityFactory
from .helpers import (
    DORST,
    DORST_ZUID,
    GEFFEN,
    HEADER,
    SLOTJES,
    SLOTJES_MIDDEN,
    csv_file,
    feature,
    geojson_file,
    square,
)

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_areas", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_creates_municipality_and_areas_with_parents(tmp_path: Path) -> None:
    path = csv_file(tmp_path, DORST_ZUID, DORST, SLOTJES, SLOTJES_MIDDEN)

    output = run(str(path))

    assert "4 created, 0 updated, 0 unchanged" in output
    oosterhout = Municipality.objects.get(cbs_code="GM0826")
    assert (oosterhout.name, oosterhout.slug) == ("Oosterhout", "oosterhout")
    dorst_zuid = Area.objects.select_related("parent").get(cbs_code="BU08261307")
    assert dorst_zuid.parent is not None and dorst_zuid.parent.cbs_code == "WK082613"
    assert dorst_zuid.kind == AreaKind.NEIGHBOURHOOD
    assert (dorst_zuid.slug, dorst_zuid.cbs_year, dorst_zuid.code_is_demo) == (
        "buitengebied-dorst-zuid",
        2020,
        False,
    )
    assert Area.objects.get(cbs_code="BU08260191").code_is_demo is True
    assert Area.objects.get(cbs_code="WK082613").description == "Kerkdorp"
    events = AuditEvent.objects.filter(action="area.create")
    assert events.count() == 4
    assert all(event.actor_id is None for event in events)
    dorst_event = events.get(object_id=str(Area.objects.get(cbs_code="WK082613").pk))
    assert dorst_event.after is not None
    assert dorst_event.after["municipality"] == oosterhout.pk
    assert dorst_event.after["name"] == "Dorst"
    assert AuditEvent.objects.filter(action="municipality.create").count() == 1


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    lines = [HEADER, DORST, DORST_ZUID]
    path.write_bytes("\ufeff".encode() + "\r\n".join(x.replace(",", ";") for x in lines).encode())

    assert "2 created" in run(str(path))
    assert Area.objects.filter(municipality__cbs_code="GM0826").count() == 2


def test_reimport_is_idempotent_and_audits_only_changes(tmp_path: Path) -> None:
    run(str(csv_file(tmp_path, DORST, DORST_ZUID, SLOTJES)))
    events = AuditEvent.objects.count()

    assert "0 created, 0 updated, 3 unchanged" in run(
        str(csv_file(tmp_path, DORST, DORST_ZUID, SLOTJES))
    )
    assert AuditEvent.objects.count() == events

    renamed = DORST_ZUID.replace("Buitengebied Dorst-Zuid", "Dorst-Zuid")
    assert "0 created, 1 updated, 2 unchanged" in run(
        str(csv_file(tmp_path, DORST, renamed, SLOTJES))
    )
    area = Area.objects.get(cbs_code="BU08261307")
    assert area.name == "Dorst-Zuid"
    # The address of the page stays the same when a name changes.
    assert area.slug == "buitengebied-dorst-zuid"
    update = AuditEvent.objects.get(action="area.update")
    assert update.actor_id is None
    assert update.before is not None and update.after is not None
    assert (update.before["name"], update.after["name"]) == (
        "Buitengebied Dorst-Zuid",
        "Dorst-Zuid",
    )


def test_parent_may_already_exist_in_the_database(tmp_path: Path) -> None:
    run(str(csv_file(tmp_path, DORST)))
    assert "1 created, 0 updated, 0 unchanged" in run(str(csv_file(tmp_path, DORST_ZUID)))


def test_dry_run_saves_nothing_but_reports_what_would_change(tmp_path: Path) -> None:
    output = run(str(csv_file(tmp_path, DORST, DORST_ZUID)), "--dry-run")

    assert "Dry run, nothing saved: 2 created, 0 updated, 0 unchanged" in output
    assert not Area.objects.exists()
    assert not Municipality.objects.exists()
    assert not AuditEvent.objects.exists()


def test_municipality_option_imports_only_that_municipality(tmp_path: Path) -> None:
    output = run(str(csv_file(tmp_path, DORST, GEFFEN)), "--municipality", "gm0828")

    assert "1 created" in output
    assert list(Area.objects.values_list("cbs_code", flat=True)) == ["WK082891"]


def test_geojson_attaches_boundaries_by_cbs_code(tmp_path: Path) -> None:
    geojson = geojson_file(
        tmp_path,
        feature("WK082613", prop="statcode"),
        feature("bu08261307", square(4.87, 51.58), prop="buurtcode"),
    )
    run(str(csv_file(tmp_path, DORST, DORST_ZUID, SLOTJES)), "--geojson", str(geojson))

    assert Area.objects.get(cbs_code="WK082613").boundary == square()
    assert Area.objects.get(cbs_code="BU08261307").boundary == square(4.87, 51.58)
    assert Area.objects.get(cbs_code="WK082601").boundary is None
    event = AuditEvent.objects.get(action="area.create", object_repr="Dorst")
    assert event.after is not None and event.after["boundary"].startswith(
        "Polygon, 5 points, sha256 "
    )

    # Without --geojson a re-import keeps the boundaries it has.
    assert "3 unchanged" in run(str(csv_file(tmp_path, DORST, DORST_ZUID, SLOTJES)))
    assert Area.objects.get(cbs_code="WK082613").boundary == square()


def test_existing_slug_gets_the_code_added(tmp_path: Path) -> None:
    municipality = MunicipalityFactory(cbs_code="GM0826", name="Oosterhout", slug="oosterhout")
    AreaFactory(municipality=municipality, name="Dorst", slug="dorst", cbs_code="WK082699")

    run(str(csv_file(tmp_path, DORST)))

    assert Area.objects.get(cbs_code="WK082613").slug == "dorst-wk082613"
