"""Area, council and group services: validation, permission, audit with before/after, atomicity."""

from __future__ import annotations

import contextlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from wijkwerk.accounts.services import (
    council_member_add,
    council_member_remove,
    group_member_add,
    group_member_remove,
)
from wijkwerk.areas.models import Area, AreaKind, CouncilPosition
from wijkwerk.areas.services import (
    area_create,
    area_update,
    council_create,
    council_update,
    group_create,
    group_update,
    validate_area_code,
    validate_boundary,
    validate_name,
)
from wijkwerk.core.models import AuditEvent

from ..areas.factories import ResidentGroupFactory
from ..cast import Cast

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[4.8, 51.6], [4.9, 51.6], [4.9, 51.7], [4.8, 51.7], [4.8, 51.6]]],
}


@pytest.fixture
def oosterhout(cast: Cast):
    """The cast's Oosterhout, which already has Dorst (WK082613), Dorst-Zuid and Slotjes: a new
    area in these tests is the village Den Hout (WK082612)."""
    return cast.municipality


@pytest.fixture
def admin(cast: Cast):
    return cast.admin


def area_pks() -> set[int]:
    return set(Area.objects.values_list("pk", flat=True))


# ----- validate_area_code -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "code", "expected"),
    [
        (AreaKind.DISTRICT, "WK082613", "WK082613"),
        (AreaKind.VILLAGE, " wk082613 ", "WK082613"),
        (AreaKind.NEIGHBOURHOOD, "BU08261307", "BU08261307"),
    ],
)
def test_area_code_accepted(kind, code, expected):
    assert validate_area_code(kind, code, municipality_code="GM0826") == expected


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        (AreaKind.DISTRICT, "BU08261307", "WK082601"),
        (AreaKind.NEIGHBOURHOOD, "WK082613", "BU08260101"),
        (AreaKind.DISTRICT, "WK08261", "6 digits"),
        (AreaKind.DISTRICT, "", "WK082601"),
        ("castle", "WK082613", "Unknown kind"),
        (AreaKind.DISTRICT, "WK082801", "municipality's number 0826"),
    ],
)
def test_area_code_refused_with_a_clear_message(kind, code, message):
    with pytest.raises(ValidationError) as raised:
        validate_area_code(kind, code, municipality_code="GM0826")
    assert message in raised.value.messages[0]


@given(st.text(max_size=12))
def test_area_code_never_crashes_and_accepts_only_the_pattern(code):
    try:
        result = validate_area_code(AreaKind.DISTRICT, code)
    except ValidationError:
        return
    assert result.startswith("WK") and result[2:].isdigit() and len(result) == 8


# ----- validate_boundary --------------------------------------------------------------------------


def test_boundary_accepts_text_bytes_feature_and_multipolygon():
    assert validate_boundary(json.dumps(SQUARE)) == SQUARE
    assert validate_boundary(json.dumps(SQUARE).encode()) == SQUARE
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": SQUARE}
    assert validate_boundary(feature) == SQUARE
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]] * 2}
    assert validate_boundary(multi) == multi


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not valid JSON (line 1"),
        ("[1, 2]", "must be a GeoJSON object"),
        ({"type": "Point", "coordinates": [4.8, 51.6]}, "Polygon or MultiPolygon"),
        ({"type": "FeatureCollection", "features": []}, "FeatureCollection"),
        ({"type": "Feature", "geometry": None}, "no geometry"),
        ({"type": "Polygon", "coordinates": []}, "at least one ring"),
        ({"type": "Polygon", "coordinates": [[[4.8, 51.6], [4.9, 51.6], [4.8, 51.6]]]}, "four"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[51.6, 4.8], [51.6, 4.9], [51.7, 4.9], [51.6, 4.8]]],
            },
            "does not lie in the Netherlands",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[4.8, 51.6], [4.9, 51.6], [4.9, 51.7], [4.8, 51.7]]],
            },
            "end at the point where it starts",
        ),
        ({"type": "Polygon", "coordinates": [[["a", 51.6]] * 4]}, "must be numbers"),
        (b"\xff\xfe", "not UTF-8"),
        ({"type": "MultiPolygon", "coordinates": []}, "at least one polygon"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_boundary_refused_with_a_clear_message(data, message):
    with pytest.raises(ValidationError) as raised:
        validate_boundary(data)
    assert message in raised.value.messages[0]


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.text(max_size=5),
        lambda c: (
            st.lists(c, max_size=4)
            | st.dictionaries(st.sampled_from(["type", "coordinates", "geometry"]), c, max_size=3)
        ),
        max_leaves=20,
    )
)
def test_boundary_only_raises_validation_errors(data):
    with contextlib.suppress(ValidationError):
        validate_boundary(data)


def test_name_is_trimmed_and_plain_text():
    assert validate_name("  Dorst   Zuid ", max_length=20) == "Dorst Zuid"
    for bad in ("", "   ", "x" * 21, "<b>Dorst</b>"):
        with pytest.raises(ValidationError):
            validate_name(bad, max_length=20)


# ----- areas --------------------------------------------------------------------------------------


def test_area_create_records_after_state(oosterhout, admin):
    area = area_create(
        actor=admin,
        municipality=oosterhout,
        kind=AreaKind.VILLAGE,
        name="Den Hout",
        slug="",
        cbs_code="wk082612",
        cbs_year=2020,
        boundary=SQUARE,
    )
    assert (area.slug, area.cbs_code) == ("den-hout", "WK082612")
    event = AuditEvent.objects.get(action="area.create")
    assert event.actor == admin
    assert event.before is None
    assert event.after["name"] == "Den Hout"
    assert event.after["municipality"] == oosterhout.pk
    assert event.after["boundary"].startswith("Polygon, 5 points")


def test_area_update_records_before_and_after_per_field(cast, admin):
    area = cast.district  # Dorst, WK082613, without a description
    area_update(actor=admin, area=area, name="Dorst (kerkdorp)", description="Kerkdorp")
    event = AuditEvent.objects.get(action="area.update")
    assert ("name", "Dorst", "Dorst (kerkdorp)") in event.changed_fields()
    assert ("description", "", "Kerkdorp") in event.changed_fields()
    assert [f for f, _b, _a in event.changed_fields()] == ["description", "name"]


def test_area_update_without_change_records_nothing(cast, admin):
    area = cast.district
    area_update(actor=admin, area=area, name=area.name)
    assert not AuditEvent.objects.exists()


def test_area_validation_collects_errors_per_field_and_saves_nothing(oosterhout, admin):
    # The slug and code are the cast's Dorst's (slug "dorst", WK082613).
    before = area_pks()
    with pytest.raises(ValidationError) as raised:
        area_create(
            actor=admin,
            municipality=oosterhout,
            kind=AreaKind.NEIGHBOURHOOD,
            name="<script>",
            slug="dorst",
            cbs_code="WK082613",
            boundary={"type": "Point"},
        )
    assert set(raised.value.message_dict) == {"name", "slug", "cbs_code", "parent", "boundary"}
    assert area_pks() == before
    assert not AuditEvent.objects.exists()


def test_neighbourhood_needs_a_parent_of_the_same_municipality(cast, oosterhout, admin):
    elsewhere = cast.lith  # WK082899, in Oss
    with pytest.raises(ValidationError) as raised:
        area_create(
            actor=admin,
            municipality=oosterhout,
            kind=AreaKind.NEIGHBOURHOOD,
            name="Dorst-Noord",
            slug="dorst-noord",
            cbs_code="BU08261308",
            parent=elsewhere,
        )
    assert set(raised.value.message_dict) == {"parent"}
    assert "another municipality" in raised.value.message_dict["parent"][0]


def test_area_write_needs_the_municipality_admin(cast, oosterhout):
    before = area_pks()
    for actor in (cast.oss_admin, cast.broker, cast.clerk):
        with pytest.raises(PermissionDenied):
            area_create(
                actor=actor,
                municipality=oosterhout,
                kind=AreaKind.VILLAGE,
                name="Den Hout",
                slug="den-hout",
                cbs_code="WK082612",
            )
    assert not AuditEvent.objects.exists()
    assert area_pks() == before


def test_audit_is_rolled_back_with_a_failed_write(oosterhout, admin, monkeypatch):
    """The event and the change commit together or not at all."""
    from wijkwerk.areas import services

    def broken_record(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "record", broken_record)
    before = area_pks()
    with pytest.raises(RuntimeError):
        area_create(
            actor=admin,
            municipality=oosterhout,
            kind=AreaKind.VILLAGE,
            name="Den Hout",
            slug="den-hout",
            cbs_code="WK082612",
        )
    assert area_pks() == before
    assert not Area.objects.filter(cbs_code="WK082612").exists()


# ----- councils, groups, members ------------------------------------------------------------------


def test_council_and_members_are_recorded(cast, oosterhout, admin):
    area = cast.other_district  # Slotjes, which has no council yet
    council = council_create(actor=admin, area=area, kind="district_council", name="Wijkraad")
    person = cast.outsider  # a resident of Slotjes
    membership = council_member_add(
        actor=admin, council=council, user=person, position=CouncilPosition.CHAIR
    )
    with pytest.raises(ValidationError) as raised:
        council_member_add(actor=admin, council=council, user=person)
    assert "already a member" in raised.value.message_dict["email"][0]
    council_member_remove(actor=admin, membership=membership)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["council.create", "council.member_add", "council.member_remove"]
    removed = AuditEvent.objects.get(action="council.member_remove")
    assert removed.before["position"] == "chair"
    assert removed.before["person"] == person.email
    assert removed.before["municipality"] == oosterhout.pk
    assert not council.memberships.exists()


def test_council_area_must_be_in_the_municipality(cast, admin):
    council = cast.council  # Dorpsraad Dorst
    with pytest.raises(ValidationError) as raised:
        council_update(actor=admin, council=council, area=cast.lith)
    assert "area" in raised.value.message_dict
    council.refresh_from_db()
    assert council.area == cast.district


def test_group_update_and_members(cast, admin):
    group = group_create(actor=admin, area=cast.neighbourhood, name="Buurtplatform Oost")
    group_update(
        actor=admin, group=group, join_policy="invitation", name="Buurtplatform Oosterheide"
    )
    event = AuditEvent.objects.get(action="group.update")
    assert ("join_policy", "open", "invitation") in event.changed_fields()
    membership = group_member_add(actor=admin, group=group, user=cast.neighbour, role="contact")
    group_member_remove(actor=admin, membership=membership)
    assert AuditEvent.objects.filter(action__startswith="group.member").count() == 2


def test_group_of_other_municipality_is_refused(cast, admin):
    group = ResidentGroupFactory(area=cast.lith)
    with pytest.raises(PermissionDenied):
        group_member_add(actor=admin, group=group, user=cast.applicant)
    assert not group.memberships.exists()
