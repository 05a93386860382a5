"""The back office's audit log reads every app's events and filters them by app, action and
period: money and initiatives as well as areas and roles."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijkwerk.core.models import AuditEvent
from wijkwerk.funds.audit_actions import FundAction
from wijkwerk.initiatives.audit_actions import InitiativeAction

from ..cast import Cast, build_cast


@pytest.fixture
def cast(db: None) -> Cast:
    cast = build_cast()
    cast.advance_paid(125_000)
    return cast


@pytest.fixture
def client(client: Client, cast: Cast) -> Client:
    client.force_login(cast.admin)
    return client


def log(client: Client, cast: Cast, **filters: str) -> Any:
    url = reverse("backoffice:audit_log", kwargs={"municipality": cast.municipality.slug})
    client.cookies["django_language"] = "nl"  # Dutch chosen with the switch (conftest: English)
    return client.get(url, filters)


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def actions(response: Any) -> set[str]:
    return {view.event.action for view in response.context["events"]}


def test_the_log_filters_money_and_initiatives(
    client: Client, cast: Cast, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(15):
        everything = log(client, cast)
    assert everything.status_code == 200
    total = everything.context["page"].paginator.count
    assert total == AuditEvent.objects.filter(municipality=cast.municipality).count() > 5
    money = log(client, cast, kind="funds")
    assert money.status_code == 200
    assert actions(money) == {"ledger.commit", "ledger.pay"}
    assert actions(money) <= set(FundAction.values)
    initiatives = log(client, cast, kind="initiatives")
    assert {"initiative.create", "initiative.approve", "initiative.pay"} <= actions(initiatives)
    assert actions(initiatives) <= set(InitiativeAction.values)
    assert (
        money.context["page"].paginator.count + initiatives.context["page"].paginator.count == total
    )
    approve = log(client, cast, kind="initiative.approve")
    assert actions(approve) == {"initiative.approve"}
    page = text(approve)
    assert "Initiatief toegekend" in page
    assert "Toegekend bedrag" in page and "€ 1.250,00" in page
    assert f"Bewonersinitiatieven ({cast.fund.year})" in page
    assert f"Bram Makelaar {cast.broker.email}" in page  # who approved: a name, and the address
    for raw in ("initiative.approve", "granted_cents", "EUR", "True", "False"):
        assert raw not in page, raw
    # the filter offers every app's actions, grouped per app
    assert '<optgroup label="Geld">' in everything.content.decode()
    assert '<option value="initiatives">Alles: Initiatieven</option>' in everything.content.decode()


def test_the_log_filters_by_period(client: Client, cast: Cast) -> None:
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert log(client, cast, date_from=tomorrow.isoformat()).context["page"].paginator.count == 0
    assert (
        log(client, cast, kind="funds", date_from=today.isoformat(), date_to=today.isoformat())
        .context["page"]
        .paginator.count
        == 2
    )


def test_an_unknown_kind_is_refused(client: Client, cast: Cast) -> None:
    response = log(client, cast, kind="funds.commitment")
    assert response.status_code == 422
    assert response.context["page"].paginator.count == (
        AuditEvent.objects.filter(municipality=cast.municipality).count()
    )
