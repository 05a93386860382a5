"""The reach pages: a quarter without data says so (200, not an error), Dutch numbers, an
unreadable or future quarter is 404, and the chart and its table hold the same figures."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from wijkwerk.core.quarters import Quarter

from ..accounts.factories import UserFactory
from . import factories as f

pytestmark = pytest.mark.django_db


def test_a_quarter_without_data(cast: Any, client: Any) -> None:
    response = client.get("/bereik/oosterhout/kwartaal/2025-K2/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geen gegevens over dit kwartaal: niemand deed mee in het 2e kwartaal 2025" in html


@pytest.mark.parametrize("slug", ["2025-K5", "vorig-jaar", "2099-K1"])
def test_an_unknown_quarter_is_not_found(cast: Any, client: Any, slug: str) -> None:
    assert client.get(f"/bereik/oosterhout/kwartaal/{slug}/").status_code == 404


def test_figures_in_dutch_and_the_chart_holds_the_table(cast: Any, client: Any) -> None:
    now = Quarter.current()
    when = f.moment(now.first_day + datetime.timedelta(days=2))
    plan = f.submitted(cast.other_district, cast.applicant, when)
    for _number in range(11):
        f.support(plan, UserFactory(), when)
    f.population(cast.other_district, now.year - 1, 12345)
    response = client.get("/bereik/oosterhout/")
    html = response.content.decode()
    assert "12.345" in html
    assert "0,1%" in html  # 12 of 12.345
    assert "minder dan 5" in html
    page = client.get("/bereik/oosterhout/gebied/slotjes/").content.decode()
    assert f"{now}: 12." in page  # the chart's description
    assert '<title id="reach-chart-title">' in page
    assert page.count(">12<") >= 2  # the bar's figure and the table's cell
