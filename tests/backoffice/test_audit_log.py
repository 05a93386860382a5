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

from ..initiatives.conftest import Place, build_place


@pytest.fixture
def place(db: None) -> Place:
    place = build_place()
    place.advance_paid(125_000)
    return place


@pytest.fixture
def client(client: Client, place: Place) -> Client:
    client.force_login(place.admin)
    return client


def log(client: Client, place: Place, **filters: str) -> Any:
    url = reverse("backoffice:audit_log", kwargs={"municipality": place.municipality.slug})
    return client.get(url, filters, HTTP_ACCEPT_LANGUAGE="nl")


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def actions(response: Any) -> set[str]:
    return {view.event.action for view in response.context["events"]}


def test_the_log_filters_money_and_initiatives(
    client: Client, place: Place, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(15):
        everything = log(client, place)
    assert everything.status_code == 200
    total = everything.context["page"].paginator.count
    assert total == AuditEvent.objects.filter(municipality=place.municipality).count() > 5
    money = log(client, place, kind="funds")
    assert money.status_code == 200
    assert actions(money) == {"ledger.commit", "ledger.pay"}
    assert actions(money) <= set(FundAction.values)
    initiatives = log(client, place, kind="initiatives")
    assert {"initiative.create", "initiative.approve", "initiative.pay"} <= actions(initiatives)
    assert actions(initiatives) <= set(InitiativeAction.values)
    assert (
        money.context["page"].paginator.count + initiatives.context["page"].paginator.count == total
    )
    approve = log(client, place, kind="initiative.approve")
    assert actions(approve) == {"initiative.approve"}
    page = text(approve)
    assert "Initiatief toegekend" in page
    assert "Toegekend bedrag" in page and "€ 1.250,00" in page
    assert f"Bewonersinitiatieven ({place.fund.year})" in page
    for raw in ("initiative.approve", "granted_cents", "EUR", "True", "False"):
        assert raw not in page, raw
    # the filter offers every app's actions, grouped per app
    assert '<optgroup label="Geld">' in everything.content.decode()
    assert '<option value="initiatives">Alles: Initiatieven</option>' in everything.content.decode()


def test_the_log_filters_by_period(client: Client, place: Place) -> None:
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert log(client, place, date_from=tomorrow.isoformat()).context["page"].paginator.count == 0
    assert (
        log(client, place, kind="funds", date_from=today.isoformat(), date_to=today.isoformat())
        .context["page"]
        .paginator.count
        == 2
    )


def test_an_unknown_kind_is_refused(client: Client, place: Place) -> None:
    response = log(client, place, kind="funds.commitment")
    assert response.status_code == 422
    assert response.context["page"].paginator.count == (
        AuditEvent.objects.filter(municipality=place.municipality).count()
    )
