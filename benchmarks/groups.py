"""Benchmark of a resident group's page (``.venv/bin/python benchmarks/groups.py``; ``./dev bench
groups`` runs it on SQLite, then on a throwaway PostgreSQL).

Builds, in a database of its own (a temporary SQLite file, or a fresh PostgreSQL database beside
the one DATABASE_URL names, dropped afterwards), a municipality with a district and five
neighbourhoods, 600 residents, and in one neighbourhood a group founded through the services with
ten initiatives, ten coming events and ten news posts of its own, beside 40 other groups. The
group has first 20 and then 500 members (bulk_create): two contacts, a treasurer, a third of the
members showing their name. Then requests in-process with Django's test Client the group's page
as a visitor, as a member and as a contact (who also sees the number of waiting requests), and
the area's list of groups. What the group does (its initiatives, events and news) is the same for
every viewer and comes from the shared cache until a change to it commits (core/fragments.py): the
row "after a change" renews the cache's token before every request, so the page builds it afresh.
Prints one table: median and p95 server time after a warm-up, and the
SQL query count per page at both sizes (it must not grow with the members). Target: median
< 20 ms, p95 < 40 ms, <= 15 queries. The timing loop is `_timing.py`'s.

Options: ``--requests N`` (default 200).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

os.environ["DEBUG"] = "0"
os.environ["WIJKWERK_FAST_PASSWORD_HASHER"] = "1"  # noqa: S105 - a switch, not a password
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerk.settings")

from _pages_db import bench_database  # noqa: E402
from _timing import measure_pages, print_table, query_counts, vacuum  # noqa: E402

RESIDENTS = 600


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="wijkwerk-bench-") as tmp,
        bench_database(tmp) as where,
    ):
        os.environ["STATIC_ROOT"] = tmp
        run(args.requests, where)


class World:
    def __init__(self) -> None:
        from django.utils import timezone

        from wijkwerk.accounts.models import User
        from wijkwerk.areas.models import Area, AreaKind, Municipality, ResidentGroup
        from wijkwerk.core import notifications
        from wijkwerk.events.models import Event
        from wijkwerk.groups import services
        from wijkwerk.initiatives.models import Initiative
        from wijkwerk.news.models import NewsPost

        self.municipality = Municipality.objects.create(
            name="Oosterhout", slug="oosterhout", cbs_code="GM0826"
        )
        district = Area.objects.create(
            municipality=self.municipality,
            kind=AreaKind.DISTRICT,
            name="Dorst",
            slug="dorst",
            cbs_code="WK082613",
        )
        self.areas = [
            Area.objects.create(
                municipality=self.municipality,
                parent=district,
                kind=AreaKind.NEIGHBOURHOOD,
                name=f"Dorst {n}",
                slug=f"dorst-{n}",
                cbs_code=f"BU08261{n:03d}",
            )
            for n in range(5)
        ]
        self.district = district
        User.objects.bulk_create(
            User(
                email=f"bewoner{i}@example.org",
                full_name=f"Bewoner {i:03d}",
                home_area=self.areas[i % 5],
                password="!",  # noqa: S106 - unusable password
            )
            for i in range(RESIDENTS)
        )
        self.people = list(User.objects.order_by("pk"))
        self.founder = self.people[0]
        area = self.areas[0]
        with notifications.quiet():
            self.group = services.group_found(
                actor=self.founder,
                data=services.GroupData(
                    area=area,
                    name="Moestuin Dorst",
                    description="Samen tuinieren achter de school.\n\nIedere zaterdag.",
                    interest="groen",
                ),
            )
        ResidentGroup.objects.bulk_create(
            ResidentGroup(area=self.areas[n % 5], name=f"Groep {n}", interest="buurt")
            for n in range(40)
        )
        now = timezone.now()
        Initiative.objects.bulk_create(
            Initiative(
                title=f"Initiatief {n}",
                summary="Een plan van de groep.",
                area=area,
                applicant=self.founder,
                applicant_kind="group",
                resident_group=self.group,
                status="submitted",
                consent_to_publish=True,
                requested_cents=50_000,
                submitted_at=now,
            )
            for n in range(10)
        )
        Event.objects.bulk_create(
            Event(
                area=area,
                group=self.group,
                title=f"Tuindag {n}",
                starts_at=now + datetime.timedelta(days=n + 1),
                ends_at=now + datetime.timedelta(days=n + 1, hours=3),
                place_name="De moestuin",
            )
            for n in range(10)
        )
        NewsPost.objects.bulk_create(
            NewsPost(
                area=area,
                municipality=self.municipality,
                group=self.group,
                title=f"Oogst {n}",
                lead="De eerste tomaten zijn er.",
                body="Kom proeven.",
                status="published",
                published_at=now - datetime.timedelta(days=n),
            )
            for n in range(10)
        )
        self.members = 1

    def grow(self, members: int) -> None:
        """Members up to `members`: the second is a contact, the third the treasurer, every
        third shows their name."""
        from wijkwerk.areas.models import GroupMembership, GroupRole

        rows = []
        for index in range(self.members, members):
            role = {1: GroupRole.CONTACT, 2: GroupRole.TREASURER}.get(index, GroupRole.MEMBER)
            rows.append(
                GroupMembership(
                    group=self.group,
                    user=self.people[index],
                    role=role,
                    name_shown=index % 3 == 0,
                )
            )
        GroupMembership.objects.bulk_create(rows, batch_size=1_000)
        self.members = members

    def pages(self) -> list[tuple[str, str, Any]]:
        page = f"/groepen/{self.group.pk}/"
        return [
            ("group page (visitor)", page, None),
            ("group page (member)", page, self.people[10]),
            ("group page (contact)", page, self.founder),
            (AFRESH, page, self.people[10]),
            ("the area's groups", f"/groepen/oosterhout/{self.district.slug}/", None),
        ]


# What the group does comes from the shared cache (core/fragments.py) until a change to it
# commits; this row renews the token before every request, as such a change does.
AFRESH = "group page (member, after a change)"


def renew_activity() -> None:
    from wijkwerk.core import fragments
    from wijkwerk.groups.selectors import ACTIVITY

    fragments.renew(ACTIVITY)


def run(requests: int, where: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {connection.vendor} ({where})", flush=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    world = World()
    world.grow(20)
    print(f"Built a group of 20 members in {time.perf_counter() - started:.1f} s", flush=True)
    before = {AFRESH: renew_activity}
    query_counts(world.pages(), before=before)  # each visitor's first request (a session, ...)
    small = query_counts(world.pages(), before=before)
    world.grow(500)
    vacuum()
    print("Grew the group to 500 members", flush=True)
    rows = measure_pages(world.pages(), requests, small, before=before)
    print_table("Group page", rows, requests, sizes=("20 members", "500 members"))


if __name__ == "__main__":
    main()
