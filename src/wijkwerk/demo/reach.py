"""The demo's population figures (issue 16, reach): inhabitants and households of the demo's
districts, villages and neighbourhoods in Oosterhout and Oss, for last year and this year, so the
reach pages show shares.

These are DEMO FIGURES: round numbers of about the right size, not the CBS's. Real figures come
from the CBS table "Kerncijfers wijken en buurten" (StatLine), imported with
`manage.py import_population FILE --year YYYY` or on the population page. The demo feeds them
through the same import, as a table in the CBS export's own layout.

Loaded before the reports demo (its report reads reach). Loading again replaces the same years'
figures with the same figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from wijkwerk.areas.models import Municipality
from wijkwerk.core import notifications
from wijkwerk.core.actors import DEMO
from wijkwerk.reach.models import Population
from wijkwerk.reach.services import population_import

# code: (inhabitants this year, households this year); last year 1% fewer of both
FIGURES: dict[str, tuple[int, int]] = {
    # Oosterhout
    "WK082600": (5200, 2900),
    "WK082601": (6100, 2700),
    "WK082602": (4800, 2100),
    "WK082603": (6400, 2800),
    "WK082604": (5300, 2300),
    "WK082605": (4900, 2100),
    "WK082606": (5600, 2400),
    "WK082607": (6200, 2700),
    "WK082608": (120, 60),
    "WK082609": (80, 40),
    "WK082610": (1900, 750),
    "WK082611": (2400, 950),
    "WK082612": (2700, 1100),
    "WK082613": (4300, 1800),
    "BU08260102": (2900, 1300),
    "BU08260191": (3200, 1400),
    "BU08260591": (2400, 1000),
    "BU08261300": (3900, 1650),
    "BU08261307": (400, 150),
    # Oss
    "WK082881": (9800, 5200),
    "WK082882": (8700, 4000),
    "WK082883": (15600, 6900),
    "WK082884": (10900, 4800),
    "WK082885": (12400, 5400),
    "WK082886": (3100, 1250),
    "WK082887": (6700, 2800),
    "WK082888": (3400, 1400),
    "WK082889": (2900, 1150),
    "WK082890": (5800, 2400),
    "WK082891": (5100, 2100),
    "BU08280200": (1600, 800),
    "BU08280303": (1900, 850),
    "BU08280500": (2300, 1000),
    "BU08280503": (3100, 1300),
    "BU08280605": (2000, 900),
    "BU08280909": (1400, 600),
}


@dataclass
class ReachDemoSummary:
    figures: int = 0
    years: tuple[int, ...] = ()


def table(year: int, shrink: float = 1.0) -> bytes:
    """The figures as StatLine exports "Kerncijfers wijken en buurten" (a few of its columns)."""
    lines = ['"ID";"WijkenEnBuurten";"SoortRegio_2";"AantalInwoners_5";"HuishoudensTotaal_29"']
    for number, (code, (inhabitants, households)) in enumerate(FIGURES.items(), start=1):
        kind = "Buurt" if code.startswith("BU") else "Wijk"
        lines.append(
            f'{number};"{code}  ";"{kind}";{round(inhabitants * shrink)};'
            f"{round(households * shrink)}"
        )
    return ("\n".join(lines) + "\n").encode()


def load_demo_reach() -> ReachDemoSummary:
    municipalities = list(Municipality.objects.filter(cbs_code__in=["GM0826", "GM0828"]))
    summary = ReachDemoSummary()
    if not municipalities:
        return summary
    this_year = timezone.localdate().year
    years = (this_year - 1, this_year)
    with notifications.quiet():
        for year in years:
            # loaded once: a second `load_demo` leaves the figures (and their audit) as they are
            if Population.objects.filter(area__municipality__in=municipalities, year=year).exists():
                continue
            results = population_import(
                actor=DEMO,
                municipalities=municipalities,
                data=table(year, 0.99 if year < this_year else 1.0),
                year=year,
                file_name=f"demo-kerncijfers-{year}.csv",
            )
            summary.figures += sum(result.rows for result in results)
    summary.years = years
    return summary
