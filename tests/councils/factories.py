"""A council that decides, in the cast's Dorst: Dorpsraad Dorst with five members (the cast's
council member, a chair, a secretary and two more), its own fund of this year and a meeting
that has started (so it can decide)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from wijkwerk.areas.models import CouncilPosition
from wijkwerk.councils import services
from wijkwerk.funds.models import Fund
from wijkwerk.initiatives import services as initiative_services

from ..accounts.factories import UserFactory
from ..areas.factories import CouncilMembershipFactory
from ..funds.factories import FundFactory

FUND_CENTS = 500_000


@dataclass
class Council:
    cast: Any
    council: Any
    chair: Any
    secretary: Any
    members: list[Any]  # all five, the chair first
    fund: Fund

    def meeting(self, *, starts_in: datetime.timedelta = -datetime.timedelta(hours=1), **kw: Any):
        starts = timezone.now() + starts_in
        data = services.MeetingData(
            title=kw.pop("title", "Vergadering Dorpsraad Dorst"),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place_name="Gemeenschapshuis De Wissel",
            is_public=kw.pop("is_public", True),
        )
        return services.meeting_create(actor=self.chair, council=self.council, data=data)

    def addressed(self, **overrides: Any) -> Any:
        """A submitted initiative (€ 1.500 requested) the broker handed to the council."""
        initiative = self.cast.submitted(**overrides)
        return services.initiative_hand_to_council(
            actor=self.cast.broker, initiative=initiative, council=self.council
        )

    def on_agenda(self, meeting: Any = None, **overrides: Any) -> Any:
        meeting = meeting or self.meeting()
        initiative = self.addressed(**overrides)
        return services.agenda_item_add(
            actor=self.chair, meeting=meeting, title="", initiative=initiative
        )

    def votes(self, *choices: str) -> dict[int, str]:
        """The first len(choices) members vote these, the others are absent."""
        return {member.pk: choice for member, choice in zip(self.members, choices, strict=False)}


def council_world(cast: Any, *, fund_cents: int = FUND_CENTS) -> Council:
    chair = UserFactory(home_area=cast.district, full_name="Henk van Gils")
    secretary = UserFactory(home_area=cast.district, full_name="Sara Schrijver")
    others = [
        UserFactory(home_area=cast.district, full_name="Piet Pannekoek"),
        UserFactory(home_area=cast.district, full_name="Ria Hoeks"),
    ]
    CouncilMembershipFactory(council=cast.council, user=chair, position=CouncilPosition.CHAIR)
    CouncilMembershipFactory(
        council=cast.council, user=secretary, position=CouncilPosition.SECRETARY
    )
    for person in others:
        CouncilMembershipFactory(council=cast.council, user=person)
    fund = FundFactory(
        scheme=cast.scheme,
        name="Leefbaarheidsbudget Dorpsraad Dorst",
        year=timezone.localdate().year,
        amount_cents=fund_cents,
        council=cast.council,
    )
    fund.areas.add(cast.district)
    return Council(
        cast=cast,
        council=cast.council,
        chair=chair,
        secretary=secretary,
        members=[chair, secretary, cast.council_member, *others],
        fund=fund,
    )


__all__ = ["Council", "council_world", "initiative_services"]
