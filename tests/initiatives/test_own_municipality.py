"""Areas are chosen from a select grouped by municipality, and a person is offered (and may use)
only the schemes and categories of their own municipality; the list filter tells apart the
categories every municipality has under the same name."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wijkwerk.initiatives import services
from wijkwerk.initiatives.models import Initiative, Status

from ..funds.factories import CategoryFactory, SchemeFactory
from .test_views import client_for, form_data


def select(html: str, name: str) -> str:
    start = html.index(f'<select name="{name}"')
    return html[start : html.index("</select>", start)]


def option_labels(select_html: str) -> list[str]:
    return re.findall(r"<option[^>]*>([^<]*)</option>", select_html)


def groups(select_html: str) -> list[str]:
    return re.findall(r'<optgroup label="([^"]+)">', select_html)


def oss_scheme(cast: Any) -> Any:
    return SchemeFactory(municipality=cast.oss, name="Leefbaarheidsbudget Oss")


def test_a_resident_is_offered_the_schemes_and_areas_of_their_own_municipality(cast):
    oss_scheme(cast)
    CategoryFactory(municipality=cast.oss, name="Fysieke leefomgeving")
    client = client_for(cast.applicant)
    start = client.get(reverse("initiatives:create")).content.decode()  # choose a scheme
    assert "Regeling bewonersinitiatieven" in start
    assert "Leefbaarheidsbudget Oss" not in start
    html = client.get(reverse("initiatives:create"), {"regeling": cast.scheme.pk}).content.decode()
    assert option_labels(select(html, "category")).count("Fysieke leefomgeving") == 1
    areas = select(html, "area")
    assert groups(areas) == ["Oosterhout"]
    assert "Dorst-Zuid (Dorst)" in option_labels(areas)
    assert "Lith" not in option_labels(areas)


def test_another_municipalitys_scheme_is_refused_with_a_message_saying_so(cast):
    scheme = oss_scheme(cast)
    response = client_for(cast.applicant).post(
        reverse("initiatives:create"), form_data(cast, scheme=scheme.pk)
    )
    assert response.status_code == 400  # the form again, with its errors
    assert not Initiative.objects.exists()
    error = " ".join(response.context["form"].errors["scheme"])
    assert "Oss" in error and "Oosterhout" in error


def test_another_municipalitys_category_is_refused(cast):
    category = CategoryFactory(municipality=cast.oss, name="Overig")
    response = client_for(cast.applicant).post(
        reverse("initiatives:create"), form_data(cast, category=category.pk)
    )
    assert response.status_code == 400  # the form again, with its errors
    assert not Initiative.objects.exists()
    assert "Oss" in " ".join(response.context["form"].errors["category"])


def test_an_official_of_one_municipality_is_offered_only_its_schemes(cast):
    scheme = oss_scheme(cast)
    client = client_for(cast.oss_admin)
    start = client.get(reverse("initiatives:create")).content.decode()
    assert "Leefbaarheidsbudget Oss" in start
    assert "Regeling bewonersinitiatieven" not in start
    html = client.get(reverse("initiatives:create"), {"regeling": scheme.pk}).content.decode()
    assert groups(select(html, "area")) == ["Oss"]


def test_the_list_filter_groups_areas_and_categories_by_municipality(cast):
    CategoryFactory(municipality=cast.municipality, name="Overig")
    CategoryFactory(municipality=cast.oss, name="Overig")
    html = client_for(cast.applicant).get(reverse("initiatives:list")).content.decode()
    assert groups(select(html, "area")) == ["Oosterhout", "Oss"]
    categories = select(html, "category")
    assert groups(categories) == ["Oosterhout", "Oss"]
    # "Overig" twice, but each under its own municipality
    oosterhout, oss = categories.split('<optgroup label="Oss">')
    assert option_labels(oosterhout).count("Overig") == option_labels(oss).count("Overig") == 1


def test_submission_refuses_a_draft_whose_scheme_or_category_is_another_municipalitys(cast):
    """The form refuses such a choice; submission checks again, for a draft that got there some
    other way (its area moved, an import)."""
    draft = cast.draft()
    Initiative.objects.filter(pk=draft.pk).update(
        scheme=oss_scheme(cast), category=CategoryFactory(municipality=cast.oss, name="Overig")
    )
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.initiative_submit(actor=cast.applicant, initiative=draft)
    assert "Deze regeling hoort niet bij de gemeente van dit gebied." in caught.value.messages
    assert "Deze categorie hoort niet bij de gemeente van dit gebied." in caught.value.messages
    assert Initiative.objects.get(pk=draft.pk).status == Status.DRAFT
