"""The demo's challenges: a running one in Lith (Oss) with its agreement, money and a report,
and a proposal in Den Hout (Oosterhout) awaiting the admissibility decision; no mail, loaded
once."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from wijkwerk.challenges.models import Booking, Challenge
from wijkwerk.challenges.states import Status
from wijkwerk.core import notifications
from wijkwerk.demo.challenges import DEN_HOUT, LITH

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_running_challenge_in_oss_and_one_awaiting_admission_in_oosterhout(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        out = StringIO()
        call_command("load_demo", stdout=out)
    assert "2 challenges (right to challenge) with 1 progress reports added." in out.getvalue()
    lith = Challenge.objects.select_related("agreement", "area__municipality").get(title=LITH)
    assert (lith.status, lith.area.municipality.name, lith.area.name) == (
        Status.RUNNING,
        "Oss",
        "Lith",
    )
    assert lith.agreement.budget_cents == 1_250_000 and lith.agreement.report_every_months == 3
    assert lith.reports.count() == 1 and lith.decisions.get().kind == "admitted"
    assert not lith.decided_late
    assert sorted(Booking.objects.filter(challenge=lith).values_list("kind", "amount_cents")) == [
        ("commitment", 250_000),
        ("payment", 125_000),
    ]
    den_hout = Challenge.objects.select_related("area__municipality").get(title=DEN_HOUT)
    assert (den_hout.status, den_hout.area.municipality.name) == (Status.SUBMITTED, "Oosterhout")
    # nobody is mailed (the demo loads quietly)
    assert not [c for c in callbacks if getattr(c, "func", None) is notifications._enqueue]
    register = Client().get("/uitdaagrecht/").content.decode()
    assert LITH in register and DEN_HOUT in register
    assert Client().get(lith.get_absolute_url()).status_code == 200
    call_command("load_demo", stdout=StringIO())
    assert Challenge.objects.count() == 2
