"""A council's own quorum: more than half of its members (the default) or a fixed number, set by
its chair, the council clerk or the administrator, and used by its decisions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from wijkwerk.core.models import AuditEvent
from wijkwerk.councils import services, votes
from wijkwerk.councils.models import CouncilDecision, CouncilRules, QuorumRule
from wijkwerk.funds.models import LedgerEntry
from wijkwerk.initiatives.models import Decision, Initiative

from .factories import Council
from .test_services import REASONS, decide

pytestmark = pytest.mark.django_db


@given(st.integers(min_value=1, max_value=60))
def test_more_than_half_is_the_default(members: int) -> None:
    needed = votes.quorum(members)
    assert needed > members / 2 and needed - 1 <= members / 2


def test_a_fixed_number_is_that_number() -> None:
    assert votes.quorum(7, QuorumRule.NUMBER, 3) == 3
    assert votes.quorum(7, QuorumRule.MAJORITY, None) == 4


def test_the_chair_sets_a_fixed_number_and_the_council_decides_with_it(world: Council) -> None:
    rules = services.quorum_set(
        actor=world.chair, council=world.council, rule=QuorumRule.NUMBER, number=2
    )
    assert (rules.quorum_rule, rules.quorum_number, rules.updated_by) == ("number", 2, world.chair)
    item = world.on_agenda()
    record = decide(world, item, "for", "for")  # 2 of 5: below half, but the council's rule
    assert (record.outcome, record.quorum) == ("approved", 2)
    assert (
        "Quorum: 2 van de 5 leden (het vaste aantal van de raad)."
        in Decision.objects.get(initiative_id=item.initiative_id).reasons
    )
    audit = AuditEvent.objects.get(action="council.quorum_set")
    assert (audit.before, audit.after) == (
        {"quorum_rule": "majority", "quorum_number": None},
        {"quorum_rule": "number", "quorum_number": 2},
    )


def test_a_decision_without_the_council_quorum_is_refused_naming_it(world: Council) -> None:
    services.quorum_set(
        actor=world.cast.admin, council=world.council, rule=QuorumRule.NUMBER, number=5
    )
    item = world.on_agenda()
    with pytest.raises(ValidationError) as info:
        decide(world, item, "for", "for", "for", "for")
    assert info.value.code == "no_quorum"
    assert info.value.messages == [
        "Geen quorum: 4 van de 5 leden zijn aanwezig. Het quorum van Dorpsraad Dorst is 5 van "
        "de 5 leden (het vaste aantal van de raad): de raad kan niet besluiten."
    ]
    assert CouncilDecision.objects.count() == 0
    assert Decision.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
    assert Initiative.objects.get(pk=item.initiative_id).status == "under_review"


def test_back_to_more_than_half_forgets_the_number(world: Council) -> None:
    services.quorum_set(actor=world.chair, council=world.council, rule="number", number=2)
    rules = services.quorum_set(actor=world.chair, council=world.council, rule="majority", number=4)
    assert (rules.quorum_rule, rules.quorum_number) == ("majority", None)
    assert CouncilRules.objects.count() == 1


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (None, "Vul in hoeveel leden er aanwezig moeten zijn: minstens 1."),
        (0, "Vul in hoeveel leden er aanwezig moeten zijn: minstens 1."),
        (
            6,
            "Dorpsraad Dorst heeft 5 leden: het quorum kan niet hoger zijn (je vulde 6 in).",
        ),
    ],
)
def test_a_bad_number_is_refused_and_nothing_saved(
    world: Council, number: int | None, message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        services.quorum_set(actor=world.chair, council=world.council, rule="number", number=number)
    assert (info.value.code, info.value.messages) == ("bad_quorum", [message])
    assert CouncilRules.objects.count() == 0
    assert AuditEvent.objects.filter(action="council.quorum_set").count() == 0


def test_who_sets_the_quorum(world: Council) -> None:
    cast = world.cast
    allowed = {"chair": world.chair, "clerk": cast.clerk, "admin": cast.admin}
    refused = {
        "secretary": world.secretary,
        "member": cast.council_member,
        "broker": cast.broker,
        "oss_admin": cast.oss_admin,
        "resident": cast.neighbour,
    }
    for person in allowed.values():
        assert person.has_perm("councils.set_quorum", world.council)
    for name, person in refused.items():
        assert not person.has_perm("councils.set_quorum", world.council), name
    with pytest.raises(PermissionDenied):
        services.quorum_set(actor=world.secretary, council=world.council, rule="majority")


def test_the_form_page_shows_errors_and_saves(world: Council, client: Any) -> None:
    client.force_login(world.chair)
    url = f"/raden/{world.council.pk}/quorum/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Nu: 3 van de 5 leden (meer dan de helft)." in page.content.decode()
    failed = client.post(url, {"rule": "number", "number": ""})
    assert failed.status_code == 400
    assert "Vul in hoeveel leden er aanwezig moeten zijn." in failed.content.decode()
    too_many = client.post(url, {"rule": "number", "number": "9"})
    assert too_many.status_code == 400
    assert "het quorum kan niet hoger zijn (je vulde 9 in)" in too_many.content.decode()
    saved = client.post(url, {"rule": "number", "number": "4"})
    assert saved.status_code == 302
    council_page = client.get(saved["Location"]).content.decode()
    assert "Quorum: 4 van de 5 leden (het vaste aantal van de raad) moeten aanwezig zijn" in (
        council_page
    )


def test_the_meeting_page_shows_the_quorum_and_who_was_present(world: Council, client: Any) -> None:
    item = world.on_agenda()
    decide(world, item, "for", "for", "against")
    html = client.get(item.meeting.get_absolute_url()).content.decode()
    assert "Quorum: 3 leden." in html
    present = ", ".join(m.display_name for m in world.members[:3])
    assert f"<strong>Aanwezige leden:</strong> {present}</p>" in html


__all__ = ["REASONS"]
