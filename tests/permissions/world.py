from __future__ import annotations

from wijkwerk.accounts.models import Role
from wijkwerk.areas.models import AreaKind

from ..accounts.factories import UserFactory, official
from ..areas.factories import (
    AreaCouncilFactory,
    AreaFactory,
    CouncilMembershipFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
)
from .framework import World


def build_world() -> World:
    gemeente = MunicipalityFactory(name="Oosterhout", slug="oosterhout", cbs_code="GM0826")
    area = AreaFactory(
        municipality=gemeente,
        name="Dorst",
        slug="dorst",
        cbs_code="WK082613",
        kind=AreaKind.VILLAGE,
    )
    neighbourhood = NeighbourhoodFactory(
        parent=area, name="Dorst-Zuid", slug="dorst-zuid", cbs_code="BU08261307"
    )
    other_area = AreaFactory(
        municipality=gemeente, name="Slotjes", slug="slotjes", cbs_code="WK082601"
    )
    council = AreaCouncilFactory(area=area, name="Dorpsraad Dorst")
    council_member = UserFactory(home_area=area)
    CouncilMembershipFactory(council=council, user=council_member)
    users = {
        "resident": UserFactory(home_area=neighbourhood),
        "applicant": UserFactory(home_area=neighbourhood),
        "council_member": council_member,
        "broker_other": official(Role.BROKER, area=other_area),
        "broker_this": official(Role.BROKER, area=area),
        "alderman": official(Role.ALDERMAN, area=area),
        "clerk": official(Role.CLERK, municipality=gemeente),
        "admin": official(Role.ADMIN, municipality=gemeente),
    }
    return World(gemeente, area, neighbourhood, other_area, users)
