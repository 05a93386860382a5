"""The benchmark's data set, built with bulk_create and grown in place from small to large."""

from __future__ import annotations

import random
from dataclasses import dataclass

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction

from wijkwerk.accounts.models import Role, RoleAssignment, User
from wijkwerk.areas.models import (
    Area,
    AreaCouncil,
    AreaKind,
    CouncilKind,
    CouncilMembership,
    CouncilPosition,
    GroupMembership,
    GroupRole,
    Municipality,
    ResidentGroup,
)

MUNICIPALITIES = (
    ("GM0901", "Benchstad", "benchstad"),
    ("GM0902", "Proefdorp", "proefdorp"),
    ("GM0903", "Meetveld", "meetveld"),
    ("GM0904", "Toetsheuvel", "toetsheuvel"),
)
ADMIN_EMAIL = "beheer@bench.example"
AREA_ROLES = (Role.BROKER, Role.ALDERMAN, Role.COMMUNITY_WORKER, Role.AREA_COORDINATOR)
COUNCIL_SIZE = 7
GROUPS_PER_DISTRICT = 2
GROUP_SIZE = 10
BATCH = 5_000


@dataclass(frozen=True)
class Scale:
    districts_per_municipality: int
    neighbourhoods_per_district: int
    users: int


@dataclass
class Built:
    area_count: int
    user_count: int
    role_count: int
    council_count: int
    group_count: int
    membership_count: int
    admin_id: int
    municipality_slug: str
    district_slug: str
    neighbourhood_slug: str
    search: str

    def summary(self) -> str:
        return (
            f"{self.area_count:,} areas, {self.user_count:,} users, {self.role_count:,} roles, "
            f"{self.council_count:,} councils, {self.group_count:,} groups, "
            f"{self.membership_count:,} memberships"
        )


def _district_code(municipality: str, district: int) -> str:
    return f"WK{municipality[2:]}{district:02d}"


def _neighbourhood_code(municipality: str, district: int, neighbourhood: int) -> str:
    return f"BU{municipality[2:]}{district:02d}{neighbourhood:02d}"


@transaction.atomic
def build(scale: Scale) -> Built:
    """Grow the data set to `scale`; what exists already is kept (so 100 areas grow to 1,000)."""
    municipalities = []
    for code, name, slug in MUNICIPALITIES:
        municipality, _ = Municipality.objects.get_or_create(
            cbs_code=code, defaults={"name": name, "slug": slug}
        )
        municipalities.append(municipality)
    existing = set(Area.objects.values_list("cbs_code", flat=True))
    new_districts = [
        Area(
            municipality=municipality,
            kind=AreaKind.VILLAGE if d % 5 == 4 else AreaKind.DISTRICT,
            name=f"Wijk {m}-{d:02d}",
            slug=f"wijk-{m}-{d:02d}",
            cbs_code=_district_code(municipality.cbs_code, d),
            cbs_year=2020,
            description="Een wijk van de benchmark.",
        )
        for m, municipality in enumerate(municipalities)
        for d in range(scale.districts_per_municipality)
        if _district_code(municipality.cbs_code, d) not in existing
    ]
    Area.objects.bulk_create(new_districts, batch_size=BATCH)
    districts = {area.cbs_code: area for area in Area.objects.exclude(kind=AreaKind.NEIGHBOURHOOD)}
    Area.objects.bulk_create(
        [
            Area(
                municipality=municipality,
                parent=districts[_district_code(municipality.cbs_code, d)],
                kind=AreaKind.NEIGHBOURHOOD,
                name=f"Buurt {m}-{d:02d}-{n}",
                slug=f"buurt-{m}-{d:02d}-{n}",
                cbs_code=_neighbourhood_code(municipality.cbs_code, d, n),
                cbs_year=2020,
            )
            for m, municipality in enumerate(municipalities)
            for d in range(scale.districts_per_municipality)
            for n in range(scale.neighbourhoods_per_district)
            if _neighbourhood_code(municipality.cbs_code, d, n) not in existing
        ],
        batch_size=BATCH,
    )
    neighbourhood_ids = list(
        Area.objects.filter(kind=AreaKind.NEIGHBOURHOOD).values_list("pk", flat=True)
    )

    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        admin = User.objects.create_user(ADMIN_EMAIL, full_name="Beheerder benchmark")
        TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user=admin, role=role, municipality=municipality)
                for municipality in municipalities
                for role in (Role.ADMIN, Role.CLERK)
            ]
        )
    rng = random.Random(len(neighbourhood_ids))
    password = make_password("benchmark")
    first_new = User.objects.count() - 1
    User.objects.bulk_create(
        (
            User(
                email=f"bewoner{i}@bench.example",
                full_name=f"Bewoner {i}",
                password=password,
                home_area_id=rng.choice(neighbourhood_ids),
            )
            for i in range(first_new, scale.users)
        ),
        batch_size=BATCH,
    )
    user_ids = list(User.objects.exclude(pk=admin.pk).order_by("pk").values_list("pk", flat=True))

    roles: list[RoleAssignment] = []
    councils: list[AreaCouncil] = []
    groups: list[ResidentGroup] = []
    for index, district in enumerate(new_districts):
        for r, role in enumerate(AREA_ROLES):
            roles.append(
                RoleAssignment(
                    user_id=user_ids[(index * len(AREA_ROLES) + r) % 500],
                    role=role,
                    municipality_id=district.municipality_id,
                    area=district,
                    public_contact=f"{role}@bench.example",
                )
            )
        councils.append(
            AreaCouncil(
                area=district,
                kind=CouncilKind.VILLAGE_COUNCIL
                if district.kind == AreaKind.VILLAGE
                else CouncilKind.DISTRICT_COUNCIL,
                name=f"Raad {district.name}",
            )
        )
        groups += [
            ResidentGroup(
                area=district, name=f"Bewonersgroep {g} {district.name}", interest="groen"
            )
            for g in range(GROUPS_PER_DISTRICT)
        ]
    RoleAssignment.objects.bulk_create(roles, batch_size=BATCH)
    AreaCouncil.objects.bulk_create(councils, batch_size=BATCH)
    ResidentGroup.objects.bulk_create(groups, batch_size=BATCH)
    positions = list(CouncilPosition.values)
    CouncilMembership.objects.bulk_create(
        [
            CouncilMembership(
                council=council, user_id=user_id, position=positions[min(i, len(positions) - 1)]
            )
            for council in councils
            for i, user_id in enumerate(rng.sample(user_ids, COUNCIL_SIZE))
        ],
        batch_size=BATCH,
    )
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(
                group=group, user_id=user_id, role=GroupRole.CONTACT if i == 0 else GroupRole.MEMBER
            )
            for group in groups
            for i, user_id in enumerate(rng.sample(user_ids, GROUP_SIZE))
        ],
        batch_size=BATCH,
    )
    first = municipalities[0]
    return Built(
        area_count=Area.objects.count(),
        user_count=User.objects.count(),
        role_count=RoleAssignment.objects.count(),
        council_count=AreaCouncil.objects.count(),
        group_count=ResidentGroup.objects.count(),
        membership_count=CouncilMembership.objects.count() + GroupMembership.objects.count(),
        admin_id=admin.pk,
        municipality_slug=first.slug,
        district_slug="wijk-0-00",
        neighbourhood_slug="buurt-0-00-0",
        search="Buurt 1-0",
    )
