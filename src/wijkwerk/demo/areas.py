"""Loading the demo data set: areas through the area import, then people, roles, councils and
groups, all through the same services as the back office (with the demo's system actor), so
validation and the audit trail exist once.

Every step looks up what exists first, so loading twice leaves the database as after once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction

from wijkwerk.accounts.models import MUNICIPALITY_ROLES, RoleAssignment, User
from wijkwerk.accounts.services import (
    council_member_add,
    group_member_add,
    person_create,
    role_assign,
)
from wijkwerk.areas.importing import ImportSummary, import_areas
from wijkwerk.areas.models import (
    Area,
    AreaCouncil,
    CouncilMembership,
    GroupMembership,
    GroupRole,
    Municipality,
    PostcodeArea,
    ResidentGroup,
)
from wijkwerk.areas.postcodes import import_postcodes
from wijkwerk.areas.services import council_create, group_create, municipality_update
from wijkwerk.core.actors import DEMO

from . import AREA_FILES, DEMO_DIR, DEMO_PASSWORD, DEMO_TOTP_SECRET
from .people import COUNCILS, GROUPS, OFFICIALS, RESIDENTS, Person

MUNICIPALITY_DETAILS = {
    "GM0826": {
        "description": (
            "Oosterhout werkt wijkgericht: per buurt, wijk en kerkdorp, met drie wijkmakelaars, "
            "een wijkwerker en een wijkwethouder voor elk gebied."
        ),
        "website": "https://www.oosterhout.nl",
    },
    "GM0828": {
        "description": (
            "Oss werkt gebiedsgericht met elf wijk- en dorpsraden, elk ondersteund door een "
            "wijkcoördinator."
        ),
        "website": "https://www.oss.nl",
    },
}


# Made up for the demo, not the CBS's table: plausible postcodes and streets for a few
# neighbourhoods of Oosterhout and Oss (the Kerkstraat runs through Dorst and Dorst-Zuid).
POSTCODE_FILE = "postcodes.csv"
POSTCODE_YEAR = 2026


@dataclass
class DemoSummary:
    areas: list[ImportSummary] = field(default_factory=list)
    postcodes: int = 0
    users_created: int = 0
    roles_created: int = 0
    councils_created: int = 0
    groups_created: int = 0
    memberships_created: int = 0


@transaction.atomic
def load_demo() -> DemoSummary:
    """Everything through the services the back office uses, with the demo's system actor."""
    summary = DemoSummary()
    for csv_name, geojson_name in AREA_FILES:
        summary.areas.append(
            import_areas(
                (DEMO_DIR / csv_name).read_bytes(),
                csv_name=csv_name,
                geojson_data=(DEMO_DIR / geojson_name).read_bytes(),
                geojson_name=geojson_name,
            )
        )
    summary.postcodes = _load_postcodes()
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    for code, details in MUNICIPALITY_DETAILS.items():
        municipality = municipalities[code]
        if not municipality.description and not municipality.website:
            municipality_update(actor=DEMO, municipality=municipality, **details)
    areas = {
        area.cbs_code: area
        for area in Area.objects.filter(municipality__cbs_code__in=MUNICIPALITY_DETAILS)
    }
    # One hash for the one published password: hashing it per person would make loading slow.
    password = make_password(DEMO_PASSWORD)
    users = {
        person.email: _user(person, areas, password, summary) for person in OFFICIALS + RESIDENTS
    }
    for person in OFFICIALS:
        user = users[person.email]
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        for role, area_code in person.roles:
            area = areas[area_code] if area_code else None
            municipality = municipalities[person.municipality]
            if RoleAssignment.objects.filter(
                user=user, role=role, area=area, municipality=municipality
            ).exists():
                continue
            role_assign(
                actor=DEMO,
                user=user,
                role=role,
                municipality=municipality,
                area=area,
                public_contact="" if role in MUNICIPALITY_ROLES else person.email,
            )
            summary.roles_created += 1
    for council_data in COUNCILS:
        area = areas[council_data.area]
        council = AreaCouncil.objects.filter(area=area, name=council_data.name).first()
        if council is None:
            council = council_create(
                actor=DEMO,
                area=area,
                name=council_data.name,
                kind=council_data.kind,
                description=council_data.description,
            )
            summary.councils_created += 1
        for email, position in council_data.members:
            if not CouncilMembership.objects.filter(council=council, user=users[email]).exists():
                council_member_add(
                    actor=DEMO, council=council, user=users[email], position=position
                )
                summary.memberships_created += 1
    for group_data in GROUPS:
        area = areas[group_data.area]
        group = ResidentGroup.objects.filter(area=area, name=group_data.name).first()
        if group is None:
            group = group_create(
                actor=DEMO,
                area=area,
                name=group_data.name,
                interest=group_data.interest,
                description=group_data.description,
                contact_email=group_data.members[0],
            )
            summary.groups_created += 1
        for index, email in enumerate(group_data.members):
            if not GroupMembership.objects.filter(group=group, user=users[email]).exists():
                group_member_add(
                    actor=DEMO,
                    group=group,
                    user=users[email],
                    role=GroupRole.CONTACT if index == 0 else GroupRole.MEMBER,
                )
                summary.memberships_created += 1
    return summary


def _user(person: Person, areas: dict[str, Area], password: str, summary: DemoSummary) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        # A verified address, as after the confirmation mail: demo users can log in at once.
        user = person_create(
            actor=DEMO,
            email=person.email,
            full_name=person.full_name,
            home_area=areas[person.home_area] if person.home_area else None,
            expertise=person.expertise,
            password_hash=password,
            email_verified=True,
        )
        summary.users_created += 1
    return user


def _load_postcodes() -> int:
    """The demo's postcode table, unless the demo municipalities have one (loaded before, or
    imported by an operator: that one stays)."""
    if PostcodeArea.objects.filter(area__municipality__cbs_code__in=MUNICIPALITY_DETAILS).exists():
        return 0
    return import_postcodes(
        (DEMO_DIR / POSTCODE_FILE).read_bytes(), year=POSTCODE_YEAR, filename=POSTCODE_FILE
    ).rows
