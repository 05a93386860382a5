"""factory_boy factories for the foundation models; apps add theirs in tests/<app>/factories.py."""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from wijkwerk.accounts.models import Role, RoleAssignment, User
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

PASSWORD = "correct horse battery staple"
# A fixed TOTP secret for officials in tests: `totp_code(TOTP_SECRET)` gives the current code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("cbs_code",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.Sequence(lambda n: f"gemeente-{n}")
    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")


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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Mark the e-mail address as confirmed, as after the allauth confirmation mail."""
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


def with_totp(user: User, secret: str = TOTP_SECRET) -> User:
    """Give an official the two-factor login that the platform requires of them."""
    TOTP.activate(user, secret)
    return user


def official(
    role: Role,
    *,
    area: Area | None = None,
    municipality: Municipality | None = None,
    **user_fields: Any,
) -> User:
    user = with_totp(UserFactory(**user_fields))
    RoleAssignment.objects.create(
        user=user,
        role=role,
        area=area,
        municipality=municipality or (area.municipality if area else MunicipalityFactory()),
    )
    return user


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
    user = factory.SubFactory(UserFactory)


class ResidentGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentGroup

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Bewonersgroep {n}")


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(ResidentGroupFactory)
    user = factory.SubFactory(UserFactory)


def totp_code(secret: str = TOTP_SECRET) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
