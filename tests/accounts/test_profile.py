"""The profile page: own details, home area grouped by municipality, roles, councils, groups."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.accounts.factories import UserFactory
from tests.areas.factories import (
    AreaFactory,
    CouncilMembershipFactory,
    GroupMembershipFactory,
    NeighbourhoodFactory,
    ResidentGroupFactory,
)
from tests.cast import Cast
from wijkwerk.accounts.forms import ProfileForm
from wijkwerk.core.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "/account/profiel/"


def data(**overrides: object) -> dict[str, object]:
    return {"full_name": "Anna de Vries", "home_area": "", "phone": "", "expertise": ""} | overrides


def test_url_is_dutch_and_login_required(client: Client) -> None:
    assert reverse("accounts:profile") == URL
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_saves_details_and_records_an_audit_event(client: Client, cast: Cast) -> None:
    # The applicant (Anna Aanvrager of Dorst-Zuid, no phone or expertise yet) moves to Dorst.
    area = cast.district
    user = cast.applicant
    client.force_login(user)
    response = client.post(
        URL,
        data(
            full_name="  Anna   de Vries ",
            home_area=area.pk,
            phone="0162 123 456",
            expertise="Timmerwerk",
        ),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.home_area, user.phone, user.expertise) == (
        "Anna de Vries",
        area,
        "0162 123 456",
        "Timmerwerk",
    )
    event = AuditEvent.objects.get(action="profile.update")
    assert event.actor == user
    assert event.before["home_area"] == cast.neighbourhood.pk
    assert event.after["home_area"] == area.pk
    assert event.before["full_name"] == "Anna Aanvrager"
    assert event.after["full_name"] == "Anna de Vries"
    page = client.get(URL)
    assert f'href="{area.get_absolute_url()}"' in page.content.decode()


def test_saving_unchanged_profile_records_nothing(client: Client, cast: Cast) -> None:
    user = cast.applicant
    client.force_login(user)
    response = client.post(
        URL, data(full_name=user.full_name, home_area=user.home_area.pk, phone=user.phone)
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="profile.update").exists()


def test_home_area_select_is_grouped_by_municipality_with_neighbourhood_context(
    client: Client, cast: Cast
) -> None:
    # Two areas called Centrum: a neighbourhood of the cast's Dorst and a district of Oss.
    NeighbourhoodFactory(parent=cast.district, name="Centrum")
    AreaFactory(municipality=cast.oss, name="Centrum")
    client.force_login(cast.applicant)
    html = client.get(URL).content.decode()
    select = html[html.index('<select name="home_area"') : html.index("</select>")]
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == ["Oosterhout", "Oss"]
    assert ">Centrum (Dorst)</option>" in select
    assert ">Centrum</option>" in select
    assert ">Dorst-Zuid (Dorst)</option>" in select


def test_home_area_select_takes_a_fixed_number_of_queries(
    client: Client, cast: Cast, django_assert_max_num_queries
) -> None:
    client.force_login(cast.applicant)
    # The cast's 4 areas (Dorst, Dorst-Zuid, Slotjes, Lith) and 5 more in Oss.
    municipality = cast.oss
    AreaFactory.create_batch(5, municipality=municipality)
    client.get(URL)  # warm caches (session, content types)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    AreaFactory.create_batch(1000, municipality=municipality)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(URL)
    select = response.content.decode().split('name="home_area"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") == 4 + 1005 + 1  # and the empty choice
    assert len(many.captured_queries) == len(few.captured_queries)


def test_unknown_area_is_a_form_error_not_a_500(client: Client, cast: Cast) -> None:
    client.force_login(cast.applicant)
    response = client.post(URL, data(home_area="999999"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_home_area_error"' in html
    assert 'aria-describedby="id_home_area_helptext id_home_area_error"' in html


def test_bad_phone_number_is_refused(client: Client, cast: Cast) -> None:
    client.force_login(cast.applicant)
    response = client.post(URL, data(phone="call me maybe"))
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_shows_roles_councils_and_groups_with_area_links(client: Client, cast: Cast) -> None:
    # The cast's broker of Dorst, also a member of Dorpsraad Dorst and a group's contact.
    area = cast.district
    user = cast.broker
    CouncilMembershipFactory(council=cast.council, user=user)
    group = ResidentGroupFactory(area=area, name="Speeltuin De Klimboom")
    GroupMembershipFactory(group=group, user=user, role="contact")
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "Dorpsraad Dorst" in html
    assert "Speeltuin De Klimboom" in html
    assert html.count(f'href="{area.get_absolute_url()}"') == 3
    assert "wijkmakelaar" in html.lower()


def test_a_person_sees_only_their_own_profile(client: Client, cast: Cast) -> None:
    other = cast.neighbour
    other.phone = "0612345678"
    other.save(update_fields=["phone"])
    client.force_login(cast.applicant)
    html = client.get(URL).content.decode()
    assert other.full_name not in html  # Niels Buur
    assert "0612345678" not in html
    assert other.email not in html


@settings(max_examples=40, deadline=None)
@given(name=st.text(max_size=300), phone=st.text(max_size=60))
def test_profile_form_never_crashes_on_any_text(name: str, phone: str) -> None:
    """Any input is either accepted within the field limits or refused with a form error."""
    form = ProfileForm(data=data(full_name=name, phone=phone), instance=UserFactory.build())
    if form.is_valid():
        assert len(form.cleaned_data["full_name"]) <= 150
        assert len(form.cleaned_data["phone"]) <= 30
    else:
        assert set(form.errors) <= {"full_name", "phone"}


def test_date_of_birth_is_saved_optional_and_checked(client: Client, cast: Cast) -> None:
    user = cast.applicant
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert 'type="date"' in page and 'name="birth_date"' in page
    assert "neighbourhood budget round with an age limit" in page or "leeftijdsgrens" in page
    response = client.post(URL, data(home_area=user.home_area.pk, birth_date="2001-02-03"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert str(user.birth_date) == "2001-02-03"
    event = AuditEvent.objects.get(action="profile.update")
    assert (event.before["birth_date"], event.after["birth_date"]) == ("1984-03-12", "2001-02-03")
    # a date in the future is refused, nothing saved
    response = client.post(URL, data(home_area=user.home_area.pk, birth_date="2999-01-01"))
    assert response.status_code == 400
    user.refresh_from_db()
    assert str(user.birth_date) == "2001-02-03"
    # empty clears it (it is optional); a form without the field leaves it alone
    client.post(URL, data(home_area=user.home_area.pk, birth_date="1990-05-06"))
    client.post(URL, data(home_area=user.home_area.pk))
    user.refresh_from_db()
    assert str(user.birth_date) == "1990-05-06"
    client.post(URL, data(home_area=user.home_area.pk, birth_date=""))
    user.refresh_from_db()
    assert user.birth_date is None
