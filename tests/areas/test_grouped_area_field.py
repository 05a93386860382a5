"""The one area select of every form: an option group per municipality, built from the field's
own queryset in one query, values and labels escaped."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse

from wijkwerk.areas.forms import GroupedAreaChoiceField
from wijkwerk.areas.models import Area

from ..initiatives.test_views import client_for
from .factories import AreaFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db


class AreaForm(forms.Form):
    area = GroupedAreaChoiceField(required=False, empty_label="(geen)")


def test_options_are_grouped_by_municipality_with_the_district_of_a_neighbourhood(
    cast, django_assert_num_queries
):
    # The cast's Oosterhout and Oss, with a "Centrum" in each: a neighbourhood of Dorst, and an
    # area of Oss with markup in its name.
    NeighbourhoodFactory(parent=cast.district, name="Centrum")
    AreaFactory(municipality=cast.oss, name="Centrum <b>")
    form = AreaForm()
    with django_assert_num_queries(1):
        html = str(form["area"])
    assert html.startswith('<select name="area"')
    assert re.findall(r'<optgroup label="([^"]+)">', html) == ["Oosterhout", "Oss"]
    assert '<option value="" selected>(geen)</option>' in html
    assert ">Centrum (Dorst)</option>" in html
    assert ">Dorst-Zuid (Dorst)</option>" in html
    assert ">Centrum &lt;b&gt;</option>" in html


def test_the_options_follow_the_fields_queryset_and_validate_against_it(cast):
    lith = cast.lith
    form = AreaForm({"area": lith.pk})
    form.fields["area"].queryset = Area.objects.filter(municipality=cast.municipality)
    assert "Lith" not in str(form["area"]) and ">Dorst</option>" in str(form["area"])
    assert not form.is_valid()
    assert AreaForm({"area": lith.pk}).is_valid()


def test_the_back_office_role_form_groups_its_areas(cast):
    html = (
        client_for(cast.admin)
        .get(reverse("backoffice:role_assign", args=[cast.municipality.slug]))
        .content.decode()
    )
    start = html.index('<select name="area"')
    area_select = html[start : html.index("</select>", start)]
    assert re.findall(r'<optgroup label="([^"]+)">', area_select) == ["Oosterhout"]
    assert ">Dorst-Zuid (Dorst)</option>" in area_select
