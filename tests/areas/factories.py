"""factory_boy factories for areas: municipalities (the tenant), areas, councils and groups."""

from __future__ import annotations

import factory

from wijkwerk.areas.models import (
    Area,
    AreaCouncil,
    AreaKind,
    CouncilKind,
    CouncilMembership,
    GroupMembership,
    Municipality,
    ResidentGroup,
)

# People come from tests/accounts/factories.py (which imports this module for `official`).
USER_FACTORY = "tests.accounts.factories.UserFactory"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("cbs_code",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.Sequence(lambda n: f"gemeente-{n}")
    # GM and four digits; the 9000s are no real municipality's, and a long session wraps around.
    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = AreaKind.DISTRICT
    name = factory.Sequence(lambda n: f"Wijk {n}")
    slug = factory.Sequence(lambda n: f"wijk-{n}")
    cbs_code = factory.Sequence(lambda n: f"WK{n:06d}")
    cbs_year = 2020


class NeighbourhoodFactory(AreaFactory):
    kind = AreaKind.NEIGHBOURHOOD
    parent = factory.SubFactory(AreaFactory)
    municipality = factory.SelfAttribute("parent.municipality")
    name = factory.Sequence(lambda n: f"Buurt {n}")
    slug = factory.Sequence(lambda n: f"buurt-{n}")
    cbs_code = factory.Sequence(lambda n: f"BU{n:08d}")


class AreaCouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaCouncil

    area = factory.SubFactory(AreaFactory)
    kind = CouncilKind.DISTRICT_COUNCIL
    name = factory.LazyAttribute(lambda o: f"Wijkraad {o.area.name}")


class CouncilMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMembership

    council = factory.SubFactory(AreaCouncilFactory)
    user = factory.SubFactory(USER_FACTORY)


class ResidentGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentGroup

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Bewonersgroep {n}")


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(ResidentGroupFactory)
    user = factory.SubFactory(USER_FACTORY)
