"""Benchmark of the offer search (``.venv/bin/python benchmarks/expertise.py``; ``./dev bench
expertise`` runs it on SQLite, then on a throwaway PostgreSQL).

Builds, in a database of its own (a temporary SQLite file, or a fresh PostgreSQL database beside
the one DATABASE_URL names, dropped afterwards), a municipality of 10 districts with 5
neighbourhoods each and 2,000 residents, first 1,000 and then 20,000 offers (bulk_create), each
with one or two areas, two or three tags and one of the three visibilities, a fifth of them
paused. Then requests the search (`/aanbod/zoeken/`) in-process with Django's test Client, as a
broker (who sees every active offer of the municipality) and as an initiator (who sees those for
everyone and those for initiators in the area of their initiative): without filters, by words
(PostgreSQL's Dutch full text; icontains on SQLite), by tag, by area, all together and a page far
down; and an offer's page. Prints one table: median and p95 server time after a warm-up, and the
SQL query count per page at both sizes (it must not grow with the data). Target: median < 20 ms,
p95 < 40 ms, <= 15 queries.

Options: ``--requests N`` (default 200).
"""

from __future__ import annotations

import argparse
import os
import random
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

SKILLS = [
    ("Timmerwerk", "timmeren"),
    ("Fietsen repareren", "fiets"),
    ("Tuinonderhoud", "tuin"),
    ("Bijles wiskunde", "bijles"),
    ("Koken voor de buurt", "koken"),
    ("Computerhulp", "computer"),
    ("Naaiwerk", "naaien"),
    ("Schilderen", "schilderen"),
    ("Boodschappen doen", "boodschappen"),
    ("Muziek maken", "muziek"),
    ("Fotografie", "fotografie"),
    ("Vergaderruimte", "ruimte"),
]
EXTRA_TAGS = ["hout", "buiten", "jeugd", "ouderen", "weekend", "avond", "gereedschap", "taal"]


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
        from tests.accounts.factories import official

        from wijkwerk.accounts.models import Role, User
        from wijkwerk.areas.models import Area, AreaKind, Municipality
        from wijkwerk.expertise.models import Tag
        from wijkwerk.initiatives.models import Initiative

        self.municipality = Municipality.objects.create(
            name="Oosterhout", slug="oosterhout", cbs_code="GM0826"
        )
        self.districts = [
            Area.objects.create(
                municipality=self.municipality,
                kind=AreaKind.DISTRICT,
                name=f"Wijk {d}",
                slug=f"wijk-{d}",
                cbs_code=f"WK0826{d:02d}",
            )
            for d in range(10)
        ]
        self.areas = list(self.districts)
        for d, district in enumerate(self.districts):
            for n in range(5):
                self.areas.append(
                    Area.objects.create(
                        municipality=self.municipality,
                        parent=district,
                        kind=AreaKind.NEIGHBOURHOOD,
                        name=f"Buurt {d}-{n}",
                        slug=f"buurt-{d}-{n}",
                        cbs_code=f"BU0826{d:02d}{n:02d}",
                    )
                )
        User.objects.bulk_create(
            User(
                email=f"bewoner{i}@example.org",
                full_name=f"Bewoner {i}",
                home_area=self.areas[10 + i % 50],
                password="!",  # noqa: S106 - unusable password
            )
            for i in range(2_000)
        )
        self.owner_ids = list(User.objects.values_list("pk", flat=True))
        self.broker = official(Role.BROKER, area=self.districts[0], full_name="Bram Makelaar")
        self.initiator = User.objects.create(
            email="initiatiefnemer@example.org",
            full_name="Ina Initiatief",
            home_area=self.areas[10],
        )
        Initiative.objects.create(
            title="Buurtmoestuin",
            summary="Samen tuinieren.",
            area=self.areas[10],
            applicant=self.initiator,
            status="submitted",
            requested_cents=100_000,
        )
        names = sorted({tag for _title, tag in SKILLS} | set(EXTRA_TAGS))
        Tag.objects.bulk_create(Tag(name=name) for name in names)
        self.tags = {tag.name: tag.pk for tag in Tag.objects.all()}
        self.random = random.Random(15)
        self.count = 0

    def grow(self, offers: int) -> None:
        from django.db import transaction

        from wijkwerk.expertise.models import Offer

        rnd = self.random
        through_areas = Offer.areas.through
        through_tags = Offer.tags.through
        with transaction.atomic():
            batch = []
            chosen = []
            for n in range(offers):
                title, tag = rnd.choice(SKILLS)
                extra = rnd.sample(EXTRA_TAGS, rnd.randint(1, 2))
                tags = [tag, *extra]
                batch.append(
                    Offer(
                        owner_id=rnd.choice(self.owner_ids),
                        municipality=self.municipality,
                        kind=rnd.choice(["skill", "hours", "tools", "place"]),
                        title=f"{title} {self.count + n}",
                        description=(
                            f"Ik help graag met {title.lower()} in de buurt; "
                            f"ervaring met {', '.join(extra)}."
                        ),
                        tags_text=" ".join(tags),
                        availability="Zaterdagochtend",
                        visibility=rnd.choice(["everyone", "officials", "initiators"]),
                        status="paused" if rnd.random() < 0.2 else "active",
                    )
                )
                chosen.append(tags)
            made = Offer.objects.bulk_create(batch, batch_size=2_000)
            area_rows, tag_rows = [], []
            for offer, tags in zip(made, chosen, strict=True):
                for area in rnd.sample(self.areas, rnd.randint(1, 2)):
                    area_rows.append(through_areas(offer_id=offer.pk, area_id=area.pk))
                for tag in tags:
                    tag_rows.append(through_tags(offer_id=offer.pk, tag_id=self.tags[tag]))
            through_areas.objects.bulk_create(area_rows, batch_size=5_000)
            through_tags.objects.bulk_create(tag_rows, batch_size=5_000)
        self.count += offers
        self.sample_pk = next(o.pk for o in made if o.status == "active")

    def pages(self) -> list[tuple[str, str, Any]]:
        district = self.districts[0].pk
        search = "/aanbod/zoeken/"
        return [
            ("search, no filters (broker)", search, self.broker),
            ("search: words 'fietsen repareren'", f"{search}?q=fietsen+repareren", self.broker),
            ("search: tag 'timmeren'", f"{search}?tag=timmeren", self.broker),
            ("search: area (a district)", f"{search}?area={district}", self.broker),
            (
                "search: words, tag, area, kind",
                f"{search}?q=timmerwerk&tag=hout&area={district}&kind=skill",
                self.broker,
            ),
            ("search: page 20", f"{search}?page=20", self.broker),
            ("search, no filters (initiator)", search, self.initiator),
            ("search: words (initiator)", f"{search}?q=tuinonderhoud", self.initiator),
            ("an offer's page (broker)", f"/aanbod/{self.sample_pk}/", self.broker),
        ]


def run(requests: int, where: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {connection.vendor} ({where})", flush=True)
    call_command("migrate", verbosity=0)
    world = World()
    started = time.perf_counter()
    world.grow(1_000)
    print(f"Built 1,000 offers in {time.perf_counter() - started:.1f} s", flush=True)
    small = query_counts(world.pages())
    started = time.perf_counter()
    world.grow(19_000)
    print(f"Grew to 20,000 offers in {time.perf_counter() - started:.1f} s", flush=True)
    vacuum()
    rows = measure_pages(world.pages(), requests, small)
    print_table("Offer search", rows, requests, sizes=("1k", "20k"))


if __name__ == "__main__":
    main()
