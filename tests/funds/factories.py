"""factory_boy factories for funds: categories, schemes and funds."""

from __future__ import annotations

import factory

from wijkwerk.funds.models import Category, Fund, Scheme

from ..areas.factories import MunicipalityFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Categorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Regeling {n}")
    max_per_initiative_cents = 500_000
    min_applicant_age = 18
    applicant_must_live_in_area = True
    required_cosigners = 0
    lead_time_days = 0


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    scheme = factory.SubFactory(SchemeFactory)
    municipality = factory.SelfAttribute("scheme.municipality")
    name = factory.Sequence(lambda n: f"Fonds {n}")
    year = 2026
    amount_cents = 700_000
