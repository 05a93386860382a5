"""factory_boy factories for people, and the helpers that make someone an official: `official`
(a role with the two-factor login officials must have), `with_totp`, the test `PASSWORD` and
`totp_code` for the current code of `TOTP_SECRET`."""

from __future__ import annotations

import datetime
import functools
import time
from typing import Any

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.hashers import get_hasher, make_password

from wijkwerk.accounts.models import Role, RoleAssignment, User
from wijkwerk.areas.models import Area, Municipality

from ..areas.factories import MunicipalityFactory

PASSWORD = "correct horse battery staple"
# A fixed TOTP secret for officials in tests: `totp_code(TOTP_SECRET)` gives the current code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@functools.cache
def _password_hash(hasher: str) -> str:
    """PASSWORD hashed once per process and hasher: every test person logs in with it, and a
    fresh salt per person would cost a full PBKDF2 run each (the PostgreSQL run's hasher)."""
    return make_password(PASSWORD, hasher=hasher)


def password_hash() -> str:
    return _password_hash(get_hasher().algorithm)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="nl_NL")
    birth_date = datetime.date(1984, 3, 12)
    password = factory.LazyFunction(password_hash)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Mark the e-mail address as confirmed, as after the allauth confirmation mail."""
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    """A role held in an area (`area=`) or, for clerks and admins, in `municipality=`."""

    class Meta:
        model = RoleAssignment
        django_get_or_create = ("user", "role", "area", "municipality")

    user = factory.SubFactory(UserFactory)
    role = Role.BROKER
    area = None
    municipality = factory.LazyAttribute(
        lambda o: o.area.municipality if o.area else MunicipalityFactory()
    )


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
    RoleAssignmentFactory(
        user=user,
        role=role,
        area=area,
        municipality=municipality or (area.municipality if area else MunicipalityFactory()),
    )
    return user


def totp_code(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
