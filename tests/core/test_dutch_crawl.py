"""Every page for every visitor is Dutch: no English texts of the catalogues, no raw values, Dutch
dates and amounts as "€ 1.250,00" (tests/dutch.py says what counts). A browser asking for
English gets Dutch too: only the language switch makes the site English.

The pages are the page tour's (tests/page_tour.py: every GET the permission matrix expects a 200
for, plus initiatives the cast took through the services), and the forms' error pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

import wijkwerk
from wijkwerk.funds.models import LedgerEntry
from wijkwerk.initiatives import services
from wijkwerk.initiatives.models import StatusChange

from ..cast import Cast
from ..dutch import problems, text_problems, visible_text
from ..page_tour import by_visitor, tour
from ..permissions.framework import VISITORS, Case, World
from ..permissions.test_matrix import all_cases

pytestmark = pytest.mark.django_db

BROWSERS = {
    "dutch": "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7",
    "english": "en-US,en;q=0.9",
}


def _client(user: object, browser: str) -> Client:
    client = Client(headers={"accept-language": BROWSERS[browser]})
    if user is not None:
        client.force_login(user)
    return client


def _findings(client: Client, url: str, name: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (name, url, response.status_code)
    html = response.content.decode()
    found = [f"{name} {url}: {kind}: {text}" for kind, text in problems(html)]
    if '<html lang="nl"' not in html:
        found.append(f"{name} {url}: language: the page is not Dutch")
    return found


@pytest.mark.parametrize("browser", BROWSERS)
@pytest.mark.parametrize("visitor", VISITORS)
def test_every_page_is_dutch(cast: Cast, visitor: str, browser: str) -> None:
    stops = by_visitor(tour(cast))[visitor]
    assert stops
    client = _client(stops[0].user, browser)
    found: list[str] = []
    for stop in stops:
        found += _findings(client, stop.url, stop.name)
    assert not found, f"{len(found)} findings:\n" + "\n".join(sorted(set(found)))


@pytest.mark.parametrize("browser", BROWSERS)
def test_form_errors_are_dutch(cast: Cast, browser: str) -> None:
    """What the forms say back: the password rules, allauth's and Django's own messages."""
    visitor = _client(None, browser)
    found: list[str] = []
    posts = [
        (
            visitor,
            reverse("account_signup"),
            {"email": "nieuw@example.org", "password1": "12345", "password2": "54321"},
        ),
        (
            visitor,
            reverse("account_signup"),
            {"email": "geen-adres", "password1": "nieuw@example.org", "password2": ""},
        ),
        (visitor, reverse("account_login"), {"login": cast.applicant.email, "password": "fout"}),
        (visitor, reverse("account_login"), {"login": "", "password": ""}),
        (visitor, reverse("account_reset_password"), {"email": "geen-adres"}),
    ]
    applicant = _client(cast.applicant, browser)
    posts += [
        (
            applicant,
            reverse("account_change_password"),
            {"oldpassword": "fout", "password1": "password", "password2": "password"},
        ),
        (applicant, reverse("accounts:profile"), {"full_name": "x" * 151, "phone": "x" * 40}),
        (applicant, reverse("account_email"), {"action_add": "", "email": "geen-adres"}),
    ]
    for client, url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (200, 400), (url, response.status_code)
        html = response.content.decode()
        assert "errorlist" in html or "utrecht-form-field-error" in html or "error" in html, url
        found += [f"POST {url}: {kind}: {text}" for kind, text in problems(html)]
    assert not found, f"{len(found)} findings:\n" + "\n".join(sorted(set(found)))


FORM_ERRORS = [
    case
    for case in all_cases()
    if case.method == "post" and any(status in (200, 400) for status in case.expect.values())
]


@pytest.mark.parametrize("case", FORM_ERRORS, ids=lambda case: case.id)
def test_the_matrix_form_errors_are_dutch(cast: Cast, case: Case) -> None:
    """Every form the permission matrix sends wrong input to answers in Dutch (with an English
    browser): a new form's errors are checked as soon as it has a matrix case."""
    world = World.of(cast)
    case.setup(world)
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    found: list[str] = []
    for visitor in VISITORS:  # in the matrix's order: a step may depend on the one before
        response = _client(world.users.get(visitor), "english").post(url, case.data(world))
        assert response.status_code == case.expect[visitor], visitor
        if response.status_code in (200, 400):
            html = response.content.decode()
            assert '<html lang="nl"' in html, visitor
            found += [f"{visitor}: {kind}: {text}" for kind, text in problems(html)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("browser", BROWSERS)
def test_error_pages_are_dutch(cast: Cast, browser: str) -> None:
    """Not found, not allowed, a form that expired: in Dutch too."""
    found: list[str] = []
    resident = _client(cast.neighbour, browser)
    csrf = Client(enforce_csrf_checks=True, headers={"accept-language": BROWSERS[browser]})
    for client, method, url, status in [
        (_client(None, browser), "get", "/bestaat-niet/", 404),
        (resident, "get", reverse("backoffice:dashboard"), 403),
        (csrf, "post", reverse("account_login"), 403),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == status, url
        html = response.content.decode()
        assert '<html lang="nl"' in html, url
        found += [f"{url}: {kind}: {text}" for kind, text in problems(html)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", ["en", None])
def test_the_records_are_dutch_whoever_takes_the_step(cast: Cast, language: str | None) -> None:
    """Timeline notes and ledger reasons are kept as written: Dutch, also when the step is taken
    by someone who chose English, or without any language (the demo's management command)."""
    with translation.override(language, deactivate=True):
        paid = cast.accounted(cast.advance_paid(title="Moestuin"), (60_000, 50_000))
        services.initiative_transition(
            actor=cast.broker, initiative=paid, action="accept_accountability"
        )
        withdrawn = cast.approved(title="Een tweede plan")
        services.initiative_transition(
            actor=cast.applicant, initiative=withdrawn, action="withdraw"
        )
    records = [change.note for change in StatusChange.objects.exclude(note="")]
    records += [entry.reason for entry in LedgerEntry.objects.all()]
    assert len(records) > 6
    found = [(record, text_problems(record)) for record in records if text_problems(record)]
    assert not found


def _translations(po: Path) -> list[str]:
    """The Dutch texts (msgstr, continuation lines joined) of a catalogue."""
    texts: list[str] = []
    current: list[str] | None = None
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgstr"):
            current = [line.split(" ", 1)[1].strip('"')]
            texts.append("")
        elif line.startswith('"') and current is not None:
            current.append(line.strip('"'))
        else:
            current = None
        if current is not None:
            texts[-1] = "".join(current)
    return texts


def test_the_catalogues_say_je() -> None:
    """One form of address: every Dutch text of every app says "je", never "u" or "uw"."""
    catalogues = sorted(Path(wijkwerk.__file__).parent.glob("*/locale/nl/LC_MESSAGES/django.po"))
    assert len(catalogues) >= 7
    formal = [
        (po.parent.parent.parent.parent.name, text)
        for po in catalogues
        for text in _translations(po)
        if any(kind == "address" for kind, _text in text_problems(text))
    ]
    assert not formal


def test_the_checks_catch_what_they_must() -> None:
    """The checks themselves: each kind found where it is, and Dutch text passes."""
    found = {
        kind
        for kind, _text in text_problems(
            "Select an option\nBetaald: True\npaid_cents\n2 Dec 2026\nEUR 1.250,00\nbroker"
        )
    }
    assert found == {"english", "raw", "date", "money"}
    assert text_problems("This field is required.") == [("english", "This field is required.")]
    assert {kind for kind, _ in text_problems("Bedrag: 1250.00")} == {"money"}
    assert text_problems("Open van 8.30 tot 17.00 uur") == []
    assert {kind for kind, _ in text_problems("Bijgewerkt op 2026-12-02")} == {"date"}
    assert {kind for kind, _ in text_problems("Invited to take up a role")} == {"english"}
    assert {kind for kind, _ in text_problems("Wilt u uw wachtwoord wijzigen?")} == {"address"}
    dutch = (
        "Status: ingediend op 2 december 2026\nContact\nGevraagd: € 1.250,00\nTotaal € 695,50\n"
        "Wat is er gedaan? Het was een mooi feest, over de hele straat. Hoogstens € 500 per jaar."
    )
    assert text_problems(dutch) == []
    html = (
        '<p title="Click here">Hallo</p><script>var x = "None";</script>'
        '<button lang="en" value="en">English</button>'
    )
    assert visible_text(html) == "Click here\nHallo"
