"""Resident groups' pages: founding on the form (and its refusals as form messages, 400), the
group page (names as members allow, the count always), joining by each policy (invitation only:
403 with the reason), leaving as the last contact, the contact form, dissolving."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from wijkwerk.areas.models import GroupMembership, GroupRole, JoinPolicy, ResidentGroup
from wijkwerk.groups import services

from ..accounts.factories import UserFactory
from ..cast import Cast


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def found(cast: Cast, policy: str = JoinPolicy.OPEN) -> ResidentGroup:
    return services.group_found(
        actor=cast.applicant,
        data=services.GroupData(
            area=cast.neighbourhood,
            name="Moestuin Dorst-Zuid",
            description="Samen tuinieren.",
            join_policy=policy,
        ),
    )


def form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Buurtpreventie Dorst-Zuid",
        "interest": "veiligheid",
        "description": "Samen letten we op de buurt.",
        "join_policy": "request",
    }
    return {**data, **overrides}


def test_a_resident_founds_a_group_on_the_form(cast: Cast) -> None:
    client = login(cast.applicant)
    page = client.get(reverse("groups:create"))
    assert page.status_code == 200 and "Begin een bewonersgroep" in page.text
    response = client.post(reverse("groups:create"), form(area=str(cast.neighbourhood.pk)))
    group = ResidentGroup.objects.get(name="Buurtpreventie Dorst-Zuid")
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    assert group.join_policy == JoinPolicy.ON_REQUEST
    assert GroupMembership.objects.get(group=group).role == GroupRole.CONTACT


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "MOESTUIN dorst-zuid"}, "Er is al een groep die “MOESTUIN dorst-zuid” heet"),
        ({"description": "<script>alert(1)</script>"}, "Schrijf gewone tekst, zonder HTML"),
        ({"name": "x" * 151}, "niet meer dan 150 tekens bevat (het zijn er nu 151)"),
        ({"description": "x" * 4001}, "niet meer dan 4000 tekens bevat (het zijn er nu 4001)"),
        ({"join_policy": "iedereen"}, "Selecteer een geldige keuze"),
    ],
)
def test_bad_input_comes_back_on_the_form_and_nothing_is_saved(
    cast: Cast, overrides: dict[str, str], message: str
) -> None:
    found(cast)
    client = login(cast.applicant)
    response = client.post(
        reverse("groups:create"), form(area=str(cast.neighbourhood.pk), **overrides)
    )
    assert response.status_code == 400
    assert message in response.text
    assert ResidentGroup.objects.count() == 1


def test_an_area_of_another_municipality_is_refused(cast: Cast) -> None:
    from ..areas.factories import AreaFactory

    elsewhere = AreaFactory(municipality=cast.oss)
    response = login(cast.applicant).post(reverse("groups:create"), form(area=str(elsewhere.pk)))
    assert response.status_code == 400
    assert "Kies een gebied in je eigen gemeente." in response.text


def test_the_page_names_members_as_they_allow_and_counts_them_all(cast: Cast) -> None:
    group = found(cast)
    shy = UserFactory(full_name="Sanne Stil", home_area=cast.neighbourhood)
    proud = UserFactory(full_name="Pieter Trots", home_area=cast.neighbourhood)
    services.join(actor=shy, group=group)
    services.join(actor=proud, group=group)
    services.set_name_shown(actor=proud, group=group, shown=True)
    page = Client().get(group.get_absolute_url())
    assert page.status_code == 200
    assert "3 leden" in page.text
    assert cast.applicant.full_name in page.text  # the contact
    assert "Pieter Trots" in page.text and "Sanne Stil" not in page.text
    assert "En 1 lid dat hier niet met naam staat." in page.text
    assert "Log in om lid te worden van deze groep" in page.text
    # the member sees themself, and the button to hide or show their name
    own = login(shy).get(group.get_absolute_url())
    assert "Je bent lid van deze groep (lid)." in own.text
    assert "Toon mijn naam op deze pagina" in own.text


def test_joining_an_invitation_only_group_is_refused_with_the_reason(cast: Cast) -> None:
    group = found(cast, JoinPolicy.INVITATION)
    client = login(cast.neighbour)
    page = client.get(group.get_absolute_url())
    assert "alleen nieuwe leden aan op uitnodiging" in page.text
    response = client.post(reverse("groups:join", args=[group.pk]))
    assert response.status_code == 403
    assert "Deze groep neemt alleen nieuwe leden aan op uitnodiging." in response.text
    assert not GroupMembership.objects.filter(group=group, user=cast.neighbour).exists()


def test_asking_to_join_and_the_contact_accepting(cast: Cast) -> None:
    group = found(cast, JoinPolicy.ON_REQUEST)
    resident = login(cast.neighbour)
    resident.post(reverse("groups:join", args=[group.pk]), {"message": "Ik help graag."})
    assert "Je hebt gevraagd om lid te worden." in resident.get(group.get_absolute_url()).text
    twice = resident.post(reverse("groups:join", args=[group.pk]))
    assert twice.status_code == 403 and "Je hebt al gevraagd" in twice.text
    contact = login(cast.applicant)
    manage = contact.get(reverse("groups:manage", args=[group.pk]))
    assert "Ik help graag." in manage.text
    request = group.join_requests.get()
    contact.post(
        reverse("groups:request_answer", args=[group.pk, request.pk]), {"answer": "accept"}
    )
    assert GroupMembership.objects.filter(group=group, user=cast.neighbour).exists()


def test_the_last_contact_names_a_successor_to_leave(cast: Cast) -> None:
    group = found(cast)
    services.join(actor=cast.neighbour, group=group)
    client = login(cast.applicant)
    page = client.get(reverse("groups:leave", args=[group.pk]))
    assert "Je bent de laatste contactpersoon van de groep." in page.text
    refused = client.post(reverse("groups:leave", args=[group.pk]), {"successor": ""})
    assert refused.status_code == 400
    assert "Kies een lid van de groep dat het overneemt als contactpersoon." in refused.text
    successor = GroupMembership.objects.get(group=group, user=cast.neighbour)
    done = client.post(reverse("groups:leave", args=[group.pk]), {"successor": successor.pk})
    assert done.status_code == 302
    assert GroupMembership.objects.get(group=group).user == cast.neighbour
    assert GroupMembership.objects.get(group=group).role == GroupRole.CONTACT


def test_the_contact_form_refuses_script_and_oversize(cast: Cast) -> None:
    group = found(cast)
    url = reverse("groups:contact", args=[group.pk])
    data = {"name": "Els", "email": "els@example.org", "message": "<script>x</script>"}
    response = Client().post(url, data)
    assert response.status_code == 400 and "Schrijf gewone tekst" in response.text
    response = Client().post(url, {**data, "message": "x" * 2001})
    assert response.status_code == 400
    assert "niet meer dan 2000 tekens bevat (het zijn er nu 2001)" in response.text


def test_dissolving_on_the_page(cast: Cast) -> None:
    group = found(cast)
    client = login(cast.applicant)
    unconfirmed = client.post(reverse("groups:dissolve", args=[group.pk]), {})
    assert unconfirmed.status_code == 400
    assert "Vink het vakje aan om te bevestigen dat je de groep opheft." in unconfirmed.text
    client.post(reverse("groups:dissolve", args=[group.pk]), {"confirm": "on"})
    page = Client().get(group.get_absolute_url())
    assert "Deze bewonersgroep is opgeheven op" in page.text
    assert not GroupMembership.objects.filter(group=group).exists()
