from ..framework import Case, World, everyone


def _other_municipality(world: World) -> None:
    world.extra["other_municipality"] = world.cast.oss


# Area pages are public information (areas/rules.py): every visitor sees them; an area or
# municipality that does not exist, or an area asked for under the wrong municipality, is a 404.
CASES = [
    Case(
        "areas:municipality",
        everyone(200),
        kwargs=lambda w: {"municipality": w.municipality.slug},
    ),
    Case(
        "areas:municipality",
        everyone(404),
        kwargs=lambda w: {"municipality": "bestaat-niet"},
        label="unknown",
    ),
    Case(
        "areas:area",
        everyone(200),
        kwargs=lambda w: {"municipality": w.municipality.slug, "area": w.area.slug},
    ),
    Case(
        "areas:area",
        everyone(200),
        kwargs=lambda w: {"municipality": w.municipality.slug, "area": w.neighbourhood.slug},
        label="neighbourhood",
    ),
    Case(
        "areas:area",
        everyone(404),
        kwargs=lambda w: {"municipality": w.municipality.slug, "area": "bestaat-niet"},
        label="unknown",
    ),
    Case(
        "areas:area",
        everyone(404),
        kwargs=lambda w: {"municipality": w.extra["other_municipality"].slug, "area": w.area.slug},
        setup=_other_municipality,
        label="wrong municipality",
    ),
]
