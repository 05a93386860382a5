from ..framework import Case, World, everyone, logged_in


def here(world: World, **kwargs: object) -> dict[str, object]:
    return {"municipality": world.municipality.slug, **kwargs}


def admin_only(status: int = 200) -> dict[str, int]:
    """The statements' back-office pages follow the back office: its administrators only."""
    return logged_in(403, admin=status)


# The public pages: everyone sees them. A search that cannot be run is the visitor's input error.
CASES = [
    Case("site:home", everyone(200)),
    Case("site:home", everyone(200), data=lambda w: {"q": "Dorst"}, label="search"),
    Case("site:home", everyone(400), data=lambda w: {"q": "x" * 101}, label="search too long"),
    Case("site:about", everyone(200)),
    # set_language redirects back to the page the visitor came from, logged in or not.
    Case("set_language", everyone(302), method="post", data=lambda w: {"language": "en"}),
    # A GET changes nothing and just sends the visitor back.
    Case("set_language", everyone(302), label="GET"),
    # The statements every government site has: public, at the well-known addresses and per
    # municipality (ADR 005).
    Case("site:accessibility_index", everyone(200)),
    Case("site:privacy_index", everyone(200)),
    Case("site:contact_index", everyone(200)),
    Case("site:accessibility", everyone(200), kwargs=here),
    Case("site:privacy", everyone(200), kwargs=here),
    Case("site:contact", everyone(200), kwargs=here),
    Case(
        "site:contact",
        everyone(404),
        kwargs=lambda w: {"municipality": "nergens"},
        label="unknown municipality",
    ),
    # Editing them: the municipality's administrators, in the back office.
    Case("site:statement_list", admin_only(), kwargs=here),
    Case("site:statement_edit", admin_only(), kwargs=lambda w: here(w, kind="accessibility")),
    Case(
        "site:statement_edit",
        admin_only(404),
        kwargs=lambda w: here(w, kind="cookies"),
        label="unknown kind",
    ),
    Case(
        "site:statement_edit",
        admin_only(302),
        kwargs=lambda w: here(w, kind="contact"),
        method="post",
        data=lambda w: {"email": "info@oosterhout.example"},
    ),
]
