"""Municipality and area pages: content, who is who, escaping, map data, query counts."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory, official
from tests.areas.factories import (
    AreaCouncilFactory,
    AreaFactory,
    CouncilMembershipFactory,
    GroupMembershipFactory,
    NeighbourhoodFactory,
    ResidentGroupFactory,
)
from tests.cast import Cast
from tests.events.factories import make_event
from tests.news.factories import post as news_post
from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.areas.models import CouncilKind, CouncilPosition
from wijkwerk.areas.selectors import contact_route

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[4.85, 51.64], [4.87, 51.64], [4.87, 51.65], [4.85, 51.65], [4.85, 51.64]]],
}


@pytest.fixture
def oss(cast: Cast):
    """The cast's Oss, another municipality than Oosterhout where the rest of the cast plays."""
    return cast.oss


@pytest.fixture
def lith(cast: Cast):
    """The cast's village Lith in Oss, with a demo code and a description."""
    return cast.lith


def get(client: Client, area):
    response = client.get(area.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_municipality_page_groups_districts_and_villages_with_neighbourhoods(
    client: Client, oss, lith
) -> None:
    noordwest = AreaFactory(municipality=oss, name="Oss Noordwest", slug="noordwest")
    NeighbourhoodFactory(
        parent=noordwest, name="Elzenburg", slug="elzenburg", cbs_code="BU08280500"
    )
    NeighbourhoodFactory(parent=noordwest, name="De Geer", slug="de-geer", cbs_code="BU08280503")
    response = client.get(oss.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Gemeente Oss" in html
    districts = html[html.index('id="districts-heading"') : html.index('id="villages-heading"')]
    assert "Oss Noordwest" in districts and "Elzenburg" in districts and "De Geer" in districts
    assert html.index(">De Geer</a>") < html.index(">Elzenburg</a>")
    villages = html[html.index('id="villages-heading"') :]
    assert ">Lith</a>" in villages and "democode" in villages
    assert "1 wijk, 1 dorp, 2 buurten" in html


def test_municipality_page_query_count_is_fixed(
    client: Client, oss, django_assert_max_num_queries
) -> None:
    for _ in range(20):
        district = AreaFactory(municipality=oss)
        NeighbourhoodFactory.create_batch(3, parent=district)
    with django_assert_max_num_queries(2):
        response = client.get(oss.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("/oss/buurt-") == 60


def test_unknown_municipality_and_area_give_404(client: Client, cast: Cast, oss, lith) -> None:
    assert client.get("/bestaat-niet/").status_code == 404
    assert client.get("/oss/bestaat-niet/").status_code == 404
    other = cast.municipality
    # An area is found only under its own municipality.
    assert client.get(f"/{other.slug}/{lith.slug}/").status_code == 404
    assert client.get(f"/{oss.slug}/{cast.district.slug}/").status_code == 404
    assert client.get(f"/{other.slug}/{cast.district.slug}/").status_code == 200


def test_area_page_shows_kind_code_and_breadcrumb(client: Client, oss, lith) -> None:
    neighbourhood = NeighbourhoodFactory(
        parent=lith, name="Maren-Kessel", slug="maren-kessel", cbs_code="BU08289901", cbs_year=2023
    )
    html = get(client, neighbourhood)
    breadcrumb = html[html.index('aria-label="Kruimelpad"') :]
    breadcrumb = breadcrumb[: breadcrumb.index("</nav>")]
    assert re.findall(r">([^<>]+)</a>", breadcrumb) == ["Home", "Oss", "Lith", "Maren-Kessel"]
    assert 'aria-current="page"' in breadcrumb
    assert "Buurt" in html
    assert "BU08289901" in html and "CBS-editie 2023" in html
    html = get(client, lith)
    assert "democode, geen officiële CBS-code" in html
    assert "Lith, Oijen en Maren-Kessel." in html
    assert ">Maren-Kessel</a>" in html


def test_who_is_who_includes_officials_of_surrounding_areas(client: Client, oss, lith) -> None:
    neighbourhood = NeighbourhoodFactory(parent=lith, name="Oijen")
    alderman = official(Role.ALDERMAN, area=lith, full_name="Wethouder Van Dijk")
    RoleAssignment.objects.filter(user=alderman).update(public_contact="wethouder@oss.example")
    broker = official(Role.BROKER, area=neighbourhood, full_name="Makelaar Jansen")
    RoleAssignment.objects.filter(user=broker).update(public_contact="0412 123 456")
    official(Role.COMMUNITY_WORKER, area=AreaFactory(municipality=oss), full_name="Elders Werker")
    official(Role.CLERK, municipality=oss, full_name="Griffier Smit")

    html = get(client, neighbourhood)
    who = html[html.index('id="who-heading"') :]
    assert "Wethouder Van Dijk" in who and "Wijkwethouder" in who
    assert 'href="mailto:wethouder@oss.example"' in who
    assert "voor Lith" in who
    assert "Makelaar Jansen" in who and 'href="tel:0412123456"' in who
    # Alderman first, then the broker.
    assert who.index("Wethouder Van Dijk") < who.index("Makelaar Jansen")
    assert "Elders Werker" not in html
    assert "Griffier Smit" not in html

    # On the village page the broker of one of its neighbourhoods is not listed.
    html = get(client, lith)
    assert "Wethouder Van Dijk" in html
    assert "Makelaar Jansen" not in html


def test_councils_with_members_positions_and_contact(client: Client, oss, lith) -> None:
    council = AreaCouncilFactory(
        area=lith,
        name="Dorpsraad Lith",
        kind=CouncilKind.VILLAGE_COUNCIL,
        contact_email="dorpsraad@lith.example",
    )
    CouncilMembershipFactory(
        council=council, user=UserFactory(full_name="Piet Member"), position=CouncilPosition.MEMBER
    )
    CouncilMembershipFactory(
        council=council,
        user=UserFactory(full_name="Zoë Voorzitter"),
        position=CouncilPosition.CHAIR,
    )
    html = get(client, lith)
    section = html[html.index('id="councils-heading"') : html.index('id="groups-heading"')]
    assert "Dorpsraad Lith" in section
    assert "Zoë Voorzitter – voorzitter" in section
    assert "Piet Member – lid" in section
    # The chair comes first although her name sorts after the member's.
    assert section.index("Zoë Voorzitter") < section.index("Piet Member")
    assert 'href="mailto:dorpsraad@lith.example"' in section
    # The neighbourhood page shows the council of the village it lies in.
    neighbourhood = NeighbourhoodFactory(parent=lith)
    assert "Dorpsraad Lith" in get(client, neighbourhood)


def test_resident_groups_show_how_to_join(client: Client, oss, lith) -> None:
    open_group = ResidentGroupFactory(area=lith, name="Buurtmoestuin", join_policy="open")
    GroupMembershipFactory(
        group=open_group, user=UserFactory(full_name="Kees Contact"), role="contact"
    )
    GroupMembershipFactory(group=open_group)
    ResidentGroupFactory(area=lith, name="Zorgcoöperatie", join_policy="invitation")
    html = get(client, lith)
    groups = html[html.index('id="groups-heading"') : html.index('id="activity-heading"')]
    assert "Buurtmoestuin" in groups and "Staat open voor nieuwe leden" in groups
    assert "2 leden" in groups and "Kees Contact" in groups
    assert "Zorgcoöperatie" in groups and "Alleen op uitnodiging" in groups
    activity = html[html.index('id="activity-heading"') :]
    assert 'href="#group-' in activity and "Buurtmoestuin" in activity
    assert "Zorgcoöperatie" not in activity


def test_html_in_names_and_descriptions_is_escaped(client: Client, oss) -> None:
    payload = '<script>alert("x")</script>'
    area = AreaFactory(
        municipality=oss, name=f"Wijk {payload}", description=payload, boundary=SQUARE
    )
    NeighbourhoodFactory(parent=area, name=f"Buurt {payload}", boundary=SQUARE)
    AreaCouncilFactory(area=area, name=f"Raad {payload}", description=payload)
    ResidentGroupFactory(area=area, name=f"Groep {payload}", description=payload)
    official(Role.BROKER, area=area, full_name=f"Naam {payload}")
    RoleAssignment.objects.filter(area=area).update(public_contact=payload)
    for url in (area.get_absolute_url(), oss.get_absolute_url(), "/?q=script"):
        html = client.get(url).content.decode()
        assert payload not in html
        assert "&lt;script&gt;" in html
    # In the map data too: json_script escapes < and >, so the data cannot close its <script>.
    html = client.get(area.get_absolute_url()).content.decode()
    data = re.search(
        r'<script id="area-map-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert data is not None
    assert "<" not in data.group(1)
    names = [f["properties"]["name"] for f in json.loads(data.group(1))["features"]]
    assert names == [f"Wijk {payload}", f"Buurt {payload}"]


def test_map_only_when_there_is_a_boundary(client: Client, oss, lith) -> None:
    html = get(client, lith)
    assert "area-map-data" not in html
    assert "leaflet" not in html
    lith.boundary = SQUARE
    lith.save()
    html = get(client, lith)
    assert 'id="area-map"' in html and "hidden" in html
    assert "vendor/leaflet/dist/leaflet.js" in html
    assert "wijkwerk/area-map.js" in html
    # Every script carries the CSP nonce; no inline script runs.
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'type="application/json"' in tag or "nonce=" in tag


def test_malformed_boundary_gives_no_map_and_no_error(client: Client, oss, lith) -> None:
    lith.boundary = {"not": "geojson"}
    lith.save()
    assert "area-map-data" not in get(client, lith)


def test_area_page_query_count_is_fixed(
    client: Client, oss, lith, django_assert_max_num_queries
) -> None:
    def add_rows(count: int) -> None:
        for n in range(count):
            child = NeighbourhoodFactory(parent=lith, boundary=SQUARE)
            council = AreaCouncilFactory(area=child if n % 2 else lith)
            CouncilMembershipFactory.create_batch(3, council=council)
            group = ResidentGroupFactory(area=child)
            GroupMembershipFactory.create_batch(2, group=group, role="contact")
            official(Role.BROKER, area=lith if n % 2 else child)
            news_post(lith, title=f"Nieuws {n}")
            make_event(child, title=f"Buurtavond {n}")

    resident = UserFactory(home_area=lith)
    alderman = official(Role.ALDERMAN, area=lith)

    def counts() -> list[int]:
        found = []
        for user in (None, resident, alderman):
            client.logout()
            if user is not None:
                client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                get(client, lith)
            found.append(len(queries))
        return found

    add_rows(2)
    few = counts()
    add_rows(8)
    client.logout()
    # The page's own 4 (the area with its children; their councils; their groups; the councils'
    # members with the groups' contacts) and one per panel: the initiatives (open ones and good
    # examples), the budget rounds running now, the coming events, the open polls and surveys,
    # the latest news, the open questions, the challenges, the pilots, the officials, and the
    # councils' two (the councils with their next meeting; their recent decisions): 15 for
    # anyone, however many rows.
    with django_assert_max_num_queries(15):
        html = get(client, lith)
    assert html.count('class="card" aria-labelledby="council-') == 10
    # Logged in, the session, the user (with her role index and second factor: one query) and
    # the follow panel's own follow of the area add 3 (tests/public/test_area_page_queries.py).
    assert counts() == few == [15, 18, 18]


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("wijkmakelaar@oosterhout.nl", "mailto:wijkmakelaar@oosterhout.nl"),
        ("0162 489 911", "tel:0162489911"),
        ("+31 (0)412 629 911", "tel:+31412629911"),
        ("https://www.oss.nl/wijkcoordinator", "https://www.oss.nl/wijkcoordinator"),
        ("Ask at the service desk", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_contact_route_links_only_safe_kinds(text: str, href: str) -> None:
    route = contact_route(text)
    assert route is not None
    assert route.text == text
    assert route.href == href


def test_empty_contact_route_is_none() -> None:
    assert contact_route("  ") is None
