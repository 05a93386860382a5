"""The demo's population figures: every demo district, village and neighbourhood has one for
last year and this year, loaded through the import, and loading again changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core.quarters import Quarter
from wijkwerk.demo.areas import load_demo
from wijkwerk.demo.reach import FIGURES, load_demo_reach
from wijkwerk.reach.models import Population
from wijkwerk.reach.selectors import reach_table

pytestmark = pytest.mark.django_db


def test_demo_population() -> None:
    load_demo()
    summary = load_demo_reach()
    year = timezone.localdate().year
    assert summary.years == (year - 1, year)
    assert summary.figures == 2 * len(FIGURES)
    # every demo area has a figure (none is made up of codes the demo does not have)
    codes = set(Area.objects.filter(population__year=year).values_list("cbs_code", flat=True))
    assert codes == set(Area.objects.values_list("cbs_code", flat=True)) == set(FIGURES)
    assert Population.objects.get(area__cbs_code="WK082613", year=year).inhabitants == 4300
    assert Population.objects.get(area__cbs_code="WK082613", year=year - 1).inhabitants == 4257
    load_demo_reach()
    assert Population.objects.count() == 4 * len(FIGURES) // 2
    table = reach_table(Municipality.objects.get(slug="oosterhout"), Quarter.current())
    dorst = next(row for row in table.areas if row.obj.cbs_code == "WK082613")
    assert (dorst.population, dorst.population_year) == (4300, year)
    assert table.total.population == sum(
        inhabitants for code, (inhabitants, _h) in FIGURES.items() if code.startswith("WK0826")
    )
