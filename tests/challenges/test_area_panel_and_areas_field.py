"""The area page's block of challenges under way there, and the proposal's other areas as
checkboxes grouped by municipality and district (usable without JavaScript)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from wijkwerk.challenges.forms import ProposalForm

from .factories import draft, running, submitted

pytestmark = pytest.mark.django_db


def test_the_area_page_lists_the_challenges_under_way(cast) -> None:
    lively = running(cast)
    waiting = submitted(cast, title="Speeltuinvereniging beheert de speeltuin")
    draft(cast, title="Nog een concept")  # a draft is the submitter's: never listed
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    for area in (cast.neighbourhood, cast.district):
        page = client.get(area.get_absolute_url()).content.decode()
        start = page.index('id="challenges-heading"')
        block = page[start : page.index("</section>", start)]
        assert f'href="{lively.get_absolute_url()}">{lively.title}</a>' in block
        assert f'href="{waiting.get_absolute_url()}">{waiting.title}</a>' in block
        assert "Nog een concept" not in block
        assert "(Dorpsvereniging Dorst, loopt" in block
    # elsewhere: none, and where to propose one
    page = client.get(cast.other_district.get_absolute_url()).content.decode()
    start = page.index('id="challenges-heading"')
    block = page[start : page.index("</section>", start)]
    assert "Hier loopt nu geen uitdaging." in block and "Een uitdaging indienen" in block
    assert lively.title not in block


def test_a_finished_challenge_leaves_the_area_page(cast) -> None:
    from wijkwerk.challenges import services

    challenge = running(cast)
    services.challenge_step(actor=cast.broker, challenge=challenge, action="complete")
    page = Client().get(cast.neighbourhood.get_absolute_url()).content.decode()
    assert challenge.title not in page


def test_other_areas_are_checkboxes_grouped_by_district(cast) -> None:
    form = ProposalForm(data={"other_areas": [str(cast.neighbourhood.pk)]})
    html = str(form["other_areas"].as_field_group())
    # one fieldset for the question, one per district or village with its legend
    assert html.count("<fieldset") == 1 + len(re.findall(r"area-checkboxes__district", html))
    assert '<legend class="utrecht-form-fieldset__legend">Dorst</legend>' in html
    # more than one municipality: a folded section each, open where an area is chosen
    assert (
        '<details class="area-checkboxes__municipality" open><summary>Oosterhout</summary>' in html
    )
    assert '<details class="area-checkboxes__municipality"><summary>Oss</summary>' in html
    pk = cast.neighbourhood.pk
    checkbox = f'<input type="checkbox" name="other_areas" value="{pk}" id="id_other_areas_{pk}"'
    assert re.search(re.escape(checkbox) + r"[^>]* checked>", html)
    label = 'class="utrecht-form-label utrecht-form-label--checkbox"'
    assert f'<label {label} for="id_other_areas_{pk}">Dorst-Zuid</label>' in html
    # the field accepts what the boxes send, and refuses an id that is no area
    assert form.is_valid() is False  # the rest of the proposal is missing
    assert "other_areas" not in form.errors
    bad = ProposalForm(data={"other_areas": ["999999"]})
    bad.is_valid()
    assert "other_areas" in bad.errors
