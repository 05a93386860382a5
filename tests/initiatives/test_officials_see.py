"""Officials see what they need: the applicant and the scheme's checks on the detail page (the
public does not), no support button (and no support through a POST), their work queue after
logging in, the funds in the navigation, and each person once on the area page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.core.models import AuditEvent
from wijkwerk.initiatives import services
from wijkwerk.initiatives.models import Initiative, Support
from wijkwerk.initiatives.refusals import ActionRefused

from ..accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signed(cast) -> Initiative:
    """Submitted, with a legal entity and two co-signers, one of them too young."""
    initiative = cast.draft(legal_entity="Stichting Groen Dorst")
    initiative = services.initiative_save_draft(
        actor=cast.applicant,
        initiative=initiative,
        values=cast.values(legal_entity="Stichting Groen Dorst"),
        budget_lines=[services.BudgetLineData("Planten", 150_000)],
        co_applicants=[
            services.CoApplicantData("Kees Mede", 51, True),
            services.CoApplicantData("Jonge Jan", 9, False),
        ],
    )
    return services.initiative_submit(actor=cast.applicant, initiative=initiative)


def page(user, initiative: Initiative) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_handlers_see_the_applicant_and_the_checks(cast) -> None:
    cast.applicant.phone = "06 12345678"
    cast.applicant.save()
    initiative = signed(cast)
    for official in (cast.broker, cast.coordinator, cast.admin):
        html = page(official, initiative)
        assert 'id="applicant-heading"' in html, official
        assert cast.applicant.email in html and "06 12345678" in html
        assert "Anna Aanvrager" in html
        assert "Stichting Groen Dorst" in html
        assert "Kees Mede" in html and "Jonge Jan" in html
        assert "Dorst-Zuid" in html
    html = page(cast.broker, initiative)
    assert "minimumleeftijd van 18" in html or "minimum age of 18" in html
    assert "in het gebied van het initiatief" in html or "in the initiative's area" in html


def test_the_public_and_other_residents_do_not_see_the_applicant(cast) -> None:
    cast.applicant.phone = "06 12345678"
    cast.applicant.save()
    initiative = signed(cast)
    # the alderman and community worker read the application, not its private side (ADR 001)
    for visitor in (None, cast.neighbour, cast.outsider, cast.alderman, cast.community_worker):
        html = page(visitor, initiative)
        assert 'id="applicant-heading"' not in html, visitor
        assert cast.applicant.email not in html, visitor
        assert "06 12345678" not in html
        assert "Kees Mede" not in html and "Stichting Groen Dorst" not in html


def test_an_applicant_too_young_and_living_elsewhere_is_flagged(cast) -> None:
    cast.applicant.home_area = cast.other_district
    cast.applicant.save()
    initiative = cast.draft(applicant_age=16)
    # Submitting refuses such an application; one returned for changes can still show it. The
    # page reads what is stored, so the check is shown as it stands.
    Initiative.objects.filter(pk=initiative.pk).update(status="under_review")
    html = page(cast.broker, initiative)
    assert "jonger dan de minimumleeftijd" in html or "younger than the scheme's minimum" in html
    assert "Slotjes" in html
    assert "niet in het gebied" in html or "not in the initiative's area" in html


def test_officials_are_not_offered_support_and_cannot_support(cast) -> None:
    initiative = cast.submitted()
    neighbour = page(cast.neighbour, initiative)
    support_url = reverse("initiatives:support", kwargs={"pk": initiative.pk})
    assert f'action="{support_url}"' in neighbour
    for official in (cast.broker, cast.other_broker, cast.alderman, cast.clerk, cast.oss_admin):
        assert f'action="{support_url}"' not in page(official, initiative), official
        assert not official.has_perm("initiatives.support_initiative", initiative)
        with pytest.raises(ActionRefused) as refused:
            services.support_toggle(actor=official, initiative=initiative)
        assert refused.value.code == "official_support"
    # Through the form's address: a clear message, nothing counted.
    client = Client()
    client.force_login(cast.other_broker)
    response = client.post(support_url, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "ondersteunen geen initiatieven" in text or "do not support initiatives" in text
    assert not Support.objects.filter(initiative=initiative).exists()
    initiative.refresh_from_db()
    assert initiative.support_count == 0
    assert not AuditEvent.objects.filter(action="initiative.support").exists()
    # A resident can.
    assert services.support_toggle(actor=cast.neighbour, initiative=initiative) is True


def test_officials_may_still_offer_help(cast) -> None:
    initiative = cast.submitted()
    html = page(cast.community_worker, initiative)
    assert reverse("initiatives:offer_help", kwargs={"pk": initiative.pk}) in html


def log_in(email: str) -> str:
    response = Client().post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def test_officials_land_on_their_work_queue_and_residents_on_their_profile(cast) -> None:
    # Officials log in with a second step; the page after it is where they land.
    for official in (cast.broker, cast.admin, cast.alderman):
        client = Client()
        client.post(reverse("account_login"), {"login": official.email, "password": PASSWORD})
        from ..accounts.factories import totp_code

        done = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
        assert done.status_code == 302, official
        assert done["Location"] == reverse("initiatives:dashboard"), official
        client.logout()
        from django.core.cache import cache

        cache.clear()  # the TOTP code was used: the next official needs it again
    assert log_in(cast.neighbour.email) == reverse("accounts:profile")
    # A clerk has no work queue: the profile.
    clerk = UserFactory()
    RoleAssignment.objects.create(user=clerk, role=Role.CLERK, municipality=cast.municipality)
    assert log_in(clerk.email) == reverse("accounts:profile")


def test_funds_are_in_the_navigation_for_who_may_see_them(cast) -> None:
    overview = reverse("funds:overview")
    for reader in (cast.broker, cast.alderman, cast.admin):
        client = Client()
        client.force_login(reader)
        html = client.get(reverse("site:home")).content.decode()
        assert f'href="{overview}"' in html, reader
        assert client.get(overview).status_code == 200
    for other in (cast.neighbour, cast.community_worker, None):
        client = Client()
        if other is not None:
            client.force_login(other)
        assert f'href="{overview}"' not in client.get(reverse("site:home")).content.decode()


def test_a_person_with_two_roles_appears_once_on_the_area_page(cast) -> None:
    RoleAssignment.objects.create(
        user=cast.broker,
        role=Role.COMMUNITY_WORKER,
        municipality=cast.municipality,
        area=cast.neighbourhood,
    )
    html = Client().get(cast.neighbourhood.get_absolute_url()).content.decode()
    aside = html[html.index('id="who-heading"') :]
    assert aside.count(cast.broker.full_name) == 1
    assert "Wijkmakelaar" in aside and "Wijkwerker" in aside


def test_the_back_office_links_to_the_funds_and_schemes(cast) -> None:
    client = Client()
    client.force_login(cast.admin)
    html = client.get(
        reverse("backoffice:role_list", kwargs={"municipality": cast.municipality.slug})
    ).content.decode()
    nav = html[html.index('class="backoffice-nav"') :]
    assert f'href="{reverse("funds:overview")}"' in nav
    assert f'href="{reverse("funds:schemes")}"' in nav
