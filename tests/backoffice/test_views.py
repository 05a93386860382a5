"""Back-office pages: access, 404 elsewhere, form errors, htmx, fixed query counts."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wijkwerk.accounts.models import RoleAssignment
from wijkwerk.areas.models import Area, AreaKind, CouncilMembership, GroupMembership
from wijkwerk.backoffice import views
from wijkwerk.core.models import AuditEvent

from ..accounts.factories import UserFactory
from ..areas.factories import (
    AreaCouncilFactory,
    AreaFactory,
    CouncilMembershipFactory,
    GroupMembershipFactory,
    ResidentGroupFactory,
)
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


def pks(model) -> set[int]:
    return set(model.objects.values_list("pk", flat=True))


@pytest.fixture
def client_admin(client, admin):
    client.force_login(admin)
    return client


def url(name, municipality, **kwargs):
    return reverse(f"backoffice:{name}", kwargs={"municipality": municipality.slug, **kwargs})


def test_dashboard_counts_per_municipality(client_admin, cast, oosterhout):
    # The cast's Oosterhout: 3 areas (Dorst, Dorst-Zuid, Slotjes), 1 council (Dorpsraad Dorst)
    # and 7 roles (the brokers of Dorst and Slotjes; Dorst's alderman, community worker and
    # coordinator; the clerk and the admin); a group is added here.
    ResidentGroupFactory(area=cast.neighbourhood)
    # Another municipality: not counted, not shown (the cast's Oss has Lith and its admin).
    AreaCouncilFactory(area=cast.lith)
    ResidentGroupFactory(area=cast.lith)
    response = client_admin.get(reverse("backoffice:dashboard"))
    assert response.status_code == 200
    (row,) = response.context["municipalities"]
    assert row == oosterhout
    assert (row.area_count, row.council_count, row.group_count, row.role_count) == (3, 1, 1, 7)


def test_other_municipality_is_404_for_every_page(client_admin, cast):
    other = cast.oss
    area = cast.lith
    council = AreaCouncilFactory(area=area)
    group = ResidentGroupFactory(area=area)
    for name, kwargs in [
        ("area_list", {}),
        ("area_create", {}),
        ("area_edit", {"pk": area.pk}),
        ("role_list", {}),
        ("role_assign", {}),
        ("council_list", {}),
        ("council_edit", {"pk": council.pk}),
        ("group_list", {}),
        ("group_edit", {"pk": group.pk}),
        ("audit_log", {}),
    ]:
        assert client_admin.get(url(name, other, **kwargs)).status_code == 404, name


def test_objects_of_another_municipality_are_404_under_own_slug(client_admin, cast, oosterhout):
    area = cast.lith
    council = AreaCouncilFactory(area=area)
    assignment = RoleAssignment.objects.get(user=cast.oss_admin)
    assert client_admin.get(url("area_edit", oosterhout, pk=area.pk)).status_code == 404
    assert client_admin.get(url("council_edit", oosterhout, pk=council.pk)).status_code == 404
    assert client_admin.get(url("role_revoke", oosterhout, pk=assignment.pk)).status_code == 404
    assert client_admin.post(url("role_revoke", oosterhout, pk=assignment.pk)).status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_area_list_search_and_fixed_queries(
    client_admin, oosterhout, django_assert_max_num_queries
):
    districts = AreaFactory.create_batch(60, municipality=oosterhout)
    for district in districts[:20]:
        Area.objects.create(
            municipality=oosterhout,
            parent=district,
            kind=AreaKind.NEIGHBOURHOOD,
            name=f"Buurt van {district.name}",
            slug=f"buurt-{district.slug}",
            cbs_code=f"BU0826{district.pk:04d}",
        )
    with django_assert_max_num_queries(15):
        response = client_admin.get(url("area_list", oosterhout))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == views.PAGE_SIZE
    with django_assert_max_num_queries(15):
        response = client_admin.get(url("area_list", oosterhout), {"q": "Buurt van", "pagina": 1})
    assert response.context["page"].paginator.count == 20


def test_area_create_with_boundary_file(client_admin, oosterhout):
    upload = SimpleUploadedFile(
        "den-hout.geojson",
        json.dumps({"type": "Feature", "geometry": SQUARE}).encode(),
        content_type="application/geo+json",
    )
    response = client_admin.post(
        url("area_create", oosterhout),
        {"kind": "village", "name": "Den Hout", "cbs_code": "WK082612", "boundary_file": upload},
    )
    area = Area.objects.get(cbs_code="WK082612")
    assert response.status_code == 302
    assert area.boundary == SQUARE and area.slug == "den-hout"
    assert AuditEvent.objects.filter(action="area.create", object_id=str(area.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "x" * 121}, "name", "at most 120"),
        ({"name": "<b>Dorst</b>"}, "name", "cannot contain"),
        ({"cbs_code": "BU08261307"}, "cbs_code", "WK082601"),
        ({"boundary_text": "{nope"}, "boundary_text", "not valid JSON"),
        (
            {"boundary_text": '{"type": "Point", "coordinates": [5, 52]}'},
            "boundary_text",
            "Polygon",
        ),
        ({"kind": "neighbourhood", "cbs_code": "BU08261201"}, "parent", "inside a district"),
        ({"cbs_year": "1700"}, "cbs_year", "1990"),
    ],
)
def test_area_form_errors_are_shown_not_500(client_admin, oosterhout, data, field, message):
    post = {"kind": "village", "name": "Den Hout", "cbs_code": "WK082612", **data}
    before = pks(Area)
    response = client_admin.post(url("area_create", oosterhout), post)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert pks(Area) == before
    assert f'id="id_{field}_error"' in response.text
    assert f'aria-describedby="id_{field}' in response.text or "aria-describedby" in response.text


def test_area_edit_shows_history_with_before_and_after(client_admin, cast, oosterhout):
    area = cast.district  # the village Dorst, WK082613
    response = client_admin.post(
        url("area_edit", oosterhout, pk=area.pk),
        {"kind": "village", "name": "Dorst & <Omstreken", "cbs_code": "WK082613", "slug": "dorst"},
    )
    assert response.status_code == 422  # < refused
    response = client_admin.post(
        url("area_edit", oosterhout, pk=area.pk),
        {"kind": "village", "name": "Dorst & omstreken", "cbs_code": "WK082613", "slug": "dorst"},
        follow=True,
    )
    assert response.status_code == 200
    history = response.context["history"]
    assert history[0].event.action == "area.update"
    change = next(c for c in history[0].changes if c.after == "Dorst & omstreken")
    assert change.before == "Dorst"
    assert "Dorst &amp; omstreken" in response.text


def test_assign_broker_and_area_page_data(client_admin, cast, oosterhout):
    area = cast.neighbourhood  # Dorst-Zuid: no broker of its own yet
    # Someone new, whose address is stored with capitals: the form finds it in lower case.
    person = UserFactory(email="Makelaar@Oosterhout.nl")
    response = client_admin.post(
        url("role_assign", oosterhout),
        {
            "email": "makelaar@oosterhout.nl",
            "role": "broker",
            "area": area.pk,
            "public_contact": "06-12345678",
        },
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=person, role="broker", area=area).exists()
    again = client_admin.post(
        url("role_assign", oosterhout),
        {"email": "makelaar@oosterhout.nl", "role": "broker", "area": area.pk},
    )
    assert again.status_code == 422
    assert "already has this role" in again.text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "nobody@example.org", "role": "clerk"}, "email"),
        ({"role": "broker"}, "area"),
        ({"role": "clerk", "area": "AREA"}, "area"),
        ({"role": "emperor"}, "role"),
        ({"role": "clerk", "public_contact": "x" * 201}, "public_contact"),
    ],
)
def test_role_form_errors(client_admin, cast, oosterhout, data, field):
    area = cast.neighbourhood
    person = cast.neighbour
    post = {"email": person.email, **data}
    if post.get("area") == "AREA":
        post["area"] = area.pk
    before = pks(RoleAssignment)  # only the cast's officials' own
    response = client_admin.post(url("role_assign", oosterhout), post)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert pks(RoleAssignment) == before


def test_revoke_and_last_admin(client_admin, cast, oosterhout, admin):
    assignment = RoleAssignment.objects.get(user=cast.clerk)
    assert client_admin.get(url("role_revoke", oosterhout, pk=assignment.pk)).status_code == 200
    assert client_admin.post(url("role_revoke", oosterhout, pk=assignment.pk)).status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    own = RoleAssignment.objects.get(user=admin)
    response = client_admin.post(url("role_revoke", oosterhout, pk=own.pk))
    assert response.status_code == 409
    assert "last administrator" in response.text


def test_council_members_without_javascript(client_admin, cast, oosterhout):
    council = cast.council  # Dorpsraad Dorst, with the cast's council member
    person = cast.neighbour
    response = client_admin.post(
        url("council_member_add", oosterhout, pk=council.pk),
        {"email": person.email.upper(), "position": "chair"},
    )
    assert response.status_code == 302
    membership = CouncilMembership.objects.get(council=council, user=person)
    assert membership.position == "chair"
    unknown = client_admin.post(
        url("council_member_add", oosterhout, pk=council.pk),
        {"email": "nobody@example.org", "position": "member"},
    )
    assert unknown.status_code == 422
    assert "no account with this e-mail" in unknown.text
    response = client_admin.post(
        url("council_member_remove", oosterhout, pk=council.pk, membership=membership.pk)
    )
    assert response.status_code == 302
    assert list(CouncilMembership.objects.values_list("council", "user")) == [
        (council.pk, cast.council_member.pk)
    ]


def test_group_members_with_htmx_swap_the_section(client_admin, cast, oosterhout):
    group = ResidentGroupFactory(area=cast.neighbourhood)
    person = cast.neighbour
    response = client_admin.post(
        url("group_member_add", oosterhout, pk=group.pk),
        {"email": person.email, "role": "contact"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert '<section id="members"' in response.text and "<html" not in response.text
    assert person.email in response.text
    assert GroupMembership.objects.get(group=group, user=person).role == "contact"
    duplicate = client_admin.post(
        url("group_member_add", oosterhout, pk=group.pk),
        {"email": person.email},
        headers={"HX-Request": "true"},
    )
    assert duplicate.status_code == 200
    assert "already a member" in duplicate.text


def test_member_of_another_group_cannot_be_removed(client_admin, cast, oosterhout):
    group = ResidentGroupFactory(area=cast.neighbourhood)
    # a member of a group in another municipality, and one of another group in the same one
    foreign = GroupMembershipFactory(group=ResidentGroupFactory(area=cast.lith))
    neighbour = GroupMembershipFactory(group=ResidentGroupFactory(area=cast.other_district))
    response = client_admin.post(
        url("group_member_remove", oosterhout, pk=group.pk, membership=neighbour.pk)
    )
    assert response.status_code == 404
    assert GroupMembership.objects.filter(pk=neighbour.pk).exists()
    response = client_admin.post(
        url("group_member_remove", oosterhout, pk=group.pk, membership=foreign.pk)
    )
    assert response.status_code == 404
    assert GroupMembership.objects.filter(pk=foreign.pk).exists()


def test_edit_pages_have_fixed_query_counts(
    client_admin, cast, oosterhout, django_assert_max_num_queries
):
    council = cast.council
    group = ResidentGroupFactory(area=council.area)
    for _ in range(15):
        CouncilMembershipFactory(council=council)
        GroupMembershipFactory(group=group)
    for name, kwargs in [
        ("council_edit", {"pk": council.pk}),
        ("group_edit", {"pk": group.pk}),
        ("council_list", {}),
        ("group_list", {}),
        ("role_list", {}),
        ("area_edit", {"pk": council.area.pk}),
        ("audit_log", {}),
    ]:
        with django_assert_max_num_queries(15):
            assert client_admin.get(url(name, oosterhout, **kwargs)).status_code == 200


def test_audit_log_filters(client_admin, cast, oosterhout, admin, django_assert_max_num_queries):
    # WK082650 to WK082679: the cast's Dorst and Slotjes have WK082613 and WK082601.
    for i in range(30):
        response = client_admin.post(
            url("area_create", oosterhout),
            {"kind": "district", "name": f"Wijk {i}", "cbs_code": f"WK0826{50 + i:02d}"},
        )
        assert response.status_code == 302
    client_admin.post(
        url("role_assign", oosterhout), {"email": cast.neighbour.email, "role": "clerk"}
    )
    other = cast.oss
    other_admin = cast.oss_admin
    from wijkwerk.areas.services import area_create

    area_create(
        actor=other_admin,
        municipality=other,
        kind="district",
        name="Elders",
        slug="elders",
        cbs_code=f"WK{other.cbs_code[2:]}01",
    )
    with django_assert_max_num_queries(15):
        response = client_admin.get(url("audit_log", oosterhout))
    assert response.context["page"].paginator.count == 31
    assert "Elders" not in response.text
    response = client_admin.get(url("audit_log", oosterhout), {"kind": "accounts"})
    assert response.context["page"].paginator.count == 1
    response = client_admin.get(url("audit_log", oosterhout), {"person": "nobody@"})
    assert response.context["page"].paginator.count == 0
    response = client_admin.get(url("audit_log", oosterhout), {"person": admin.email})
    assert response.context["page"].paginator.count == 31
    response = client_admin.get(
        url("audit_log", oosterhout), {"date_from": "2000-01-01", "date_to": "2000-01-02"}
    )
    assert response.context["page"].paginator.count == 0
    bad = client_admin.get(
        url("audit_log", oosterhout), {"date_from": "2020-02-02", "date_to": "2020-01-01"}
    )
    assert bad.status_code == 422
    assert (
        client_admin.get(url("audit_log", oosterhout), {"date_from": "gisteren"}).status_code == 422
    )


def test_non_admins_get_403_and_anonymous_the_login(client, cast, oosterhout):
    assert client.get(reverse("backoffice:dashboard")).status_code == 302
    for person in (cast.broker, cast.clerk, cast.applicant):
        client.force_login(person)
        assert client.get(reverse("backoffice:dashboard")).status_code == 403
        assert client.get(url("area_list", oosterhout)).status_code == 403
