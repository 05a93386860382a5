"""factory_boy factories for initiatives."""

from __future__ import annotations

import factory

from wijkwerk.initiatives.models import Initiative

from ..accounts.factories import UserFactory
from ..areas.factories import AreaFactory


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Initiatief {n}")
    area = factory.SubFactory(AreaFactory)
    applicant = factory.SubFactory(UserFactory)
    status = "under_review"
