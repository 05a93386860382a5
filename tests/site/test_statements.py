"""The privacy statement, accessibility statement and contact page of each municipality: public
pages in Dutch with the sections the law and the national model ask for, edited by the
municipality's administrator only, through the audited service (ADR 005)."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cast import Cast
from wijkwerk.core.actors import DEMO
from wijkwerk.core.models import AuditEvent
from wijkwerk.site.defaults import default_fields
from wijkwerk.site.models import (
    AccessibilityStatement,
    Compliance,
    ContactPage,
    PrivacyStatement,
)
from wijkwerk.site.services import add_months, statement_save
from wijkwerk.site.templatetags.statements import statement_text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def headings(html: str) -> list[str]:
    found = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", h).split()) for h in found]


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def oosterhout(cast: Cast) -> Any:
    """The cast's Oosterhout, with the general e-mail address the statements fall back on."""
    municipality = cast.municipality
    municipality.contact_email = "info@oosterhout.nl"
    municipality.save(update_fields=["contact_email"])
    return municipality


@pytest.fixture
def oss(cast: Cast) -> Any:
    return cast.oss


def accessibility_fields(municipality: Any, **changes: Any) -> dict[str, Any]:
    fields = default_fields("accessibility", municipality)
    fields.update(statement_date=TODAY, research_date=TODAY - datetime.timedelta(days=7))
    fields.update(changes)
    return fields


# ----- The public pages --------------------------------------------------------------------------

PRIVACY_SECTIONS = [
    "Wie is verantwoordelijk",
    "Welke gegevens wij verwerken en waarom",
    "De grondslag",
    "Hoe lang wij je gegevens bewaren",
    "Wie je gegevens ziet",
    "Je rechten",
    "Vragen en klachten",
]
ACCESSIBILITY_SECTIONS = [
    "Waarover deze verklaring gaat",
    "Nalevingsstatus",
    "Datum en onderzoek",
    "Zo is het onderzocht",
    "Bekende problemen",
    "Feedback en contact",
    "Niet tevreden met het antwoord?",
]


@pytest.mark.parametrize("visitor", ["anonymous", "resident", "admin"])
def test_the_statements_render_in_dutch_with_their_sections_for_everyone(
    cast: Cast, oosterhout: Any, visitor: str
) -> None:
    statement_save(
        actor=DEMO,
        municipality=oosterhout,
        kind="accessibility",
        **accessibility_fields(oosterhout),
    )
    client = Client()
    if visitor == "resident":
        client.force_login(cast.applicant)
    elif visitor == "admin":
        client.force_login(cast.admin)

    privacy = page(client, "/oosterhout/privacy/")
    assert headings(privacy)[0] == "Privacyverklaring Oosterhout"
    for section in PRIVACY_SECTIONS:
        assert section in headings(privacy)
    for fact in (
        "AVG artikel 6 lid 1 onder e",
        "AVG artikel 6 lid 1 onder c",
        "Archiefwet",
        "rekeningnummer (IBAN)",
        "audittrail",
        "7 jaar nadat de zaak is afgesloten",
        "12 maanden na de laatste wijziging",
        "Autoriteit Persoonsgegevens",
        "privacy@oosterhout.nl",
        "bezwaar te maken",
    ):
        assert fact in privacy, fact

    accessibility = page(client, "/oosterhout/toegankelijkheid/")
    assert headings(accessibility)[0] == "Toegankelijkheidsverklaring Oosterhout"
    for section in ACCESSIBILITY_SECTIONS:
        assert section in headings(accessibility)
    for fact in (
        "Deze website voldoet gedeeltelijk aan EN 301 549 (WCAG 2.1 niveau AA).",
        "Gemeente Oosterhout",
        "axe-core",
        "Nationale ombudsman",
        "Volgend onderzoek uiterlijk",
        "info@oosterhout.nl",
    ):
        assert fact in accessibility, fact
    assert "nog niet vastgesteld" not in accessibility

    contact = page(client, "/oosterhout/contact/")
    assert headings(contact)[0] == "Contact Oosterhout"
    assert "Zo bereik je ons" in headings(contact)
    assert "mailto:info@oosterhout.nl" in contact
    for html in (privacy, accessibility, contact):
        assert 'lang="nl"' in html
        assert "Privacy statement" not in html and "Accessibility statement" not in html


def test_a_statement_not_adopted_yet_shows_the_default_text_and_says_so(oosterhout: Any) -> None:
    html = page(Client(), "/oosterhout/toegankelijkheid/")
    assert "De gemeente Oosterhout heeft deze tekst nog niet vastgesteld" in html
    assert "Datum van deze verklaring" in html and "nog niet vastgesteld" in html
    assert not AccessibilityStatement.objects.exists()  # a GET saves nothing


def test_the_well_known_addresses_show_the_only_municipality_or_let_one_choose(
    oosterhout: Any, oss: Any
) -> None:
    client = Client()
    for path, kind in (("/toegankelijkheid", "accessibility"), ("/privacy", "privacy")):
        html = page(client, path)
        assert (
            f'href="/oosterhout/{"toegankelijkheid" if kind == "accessibility" else kind}/"' in html
        )
        assert f'href="/oss/{"toegankelijkheid" if kind == "accessibility" else kind}/"' in html
        assert "Kies je gemeente" in html
    assert 'href="/oss/contact/"' in page(client, "/contact")
    oss.areas.all().delete()  # the cast's Lith: areas keep their municipality
    oss.delete()
    only = page(client, "/toegankelijkheid")
    assert headings(only)[0] == "Toegankelijkheidsverklaring Oosterhout"
    assert "Deze pagina gaat over de gemeente Oosterhout." in only
    # exactly this path: no redirect to a trailing slash
    assert client.get("/toegankelijkheid").status_code == 200


def test_an_unknown_municipality_is_404(oosterhout: Any) -> None:
    assert Client().get("/nergens/toegankelijkheid/").status_code == 404


def test_the_footer_links_to_the_statements_of_the_municipality_being_looked_at(
    cast: Cast, oosterhout: Any
) -> None:
    area = cast.district
    client = Client()
    home = page(client, "/")
    for path in ("/contact", "/privacy", "/toegankelijkheid"):
        assert f'href="{path}"' in home
    on_area = page(client, area.get_absolute_url())
    for path in ("/oosterhout/contact/", "/oosterhout/privacy/", "/oosterhout/toegankelijkheid/"):
        assert f'href="{path}"' in on_area


def test_stored_text_is_escaped_and_becomes_paragraphs_and_lists() -> None:
    html = statement_text("Eerste <b>alinea</b>\n\n- een\n- twee\n  gaat door\nna")
    assert "&lt;b&gt;alinea&lt;/b&gt;" in html
    assert html.count("<li") == 2
    assert "twee gaat door na" in html


# ----- Editing in the back office ----------------------------------------------------------------


def test_the_admin_edits_a_statement_in_the_back_office(cast: Cast, oosterhout: Any) -> None:
    admin = cast.admin
    client = Client()
    client.force_login(admin)
    statements = page(client, "/beheer/oosterhout/verklaringen/")
    assert "Nog niet vastgesteld" in statements
    # the back office's navigation links to the statements (the backoffice_nav panel)
    areas = page(client, "/beheer/oosterhout/gebieden/")
    assert 'href="/beheer/oosterhout/verklaringen/"' in areas

    url = reverse("site:statement_edit", kwargs={"municipality": "oosterhout", "kind": "contact"})
    form = page(client, url)
    assert "Opslaan en publiceren" in form
    response = client.post(
        url,
        {
            "introduction": "Bel of mail ons.",
            "email": "contact@oosterhout.nl",
            "phone": "14 0162",
            "postal_address": "Postbus 10150\n4900 GB Oosterhout",
        },
    )
    assert response.status_code == 302
    contact = ContactPage.objects.get(municipality=oosterhout)
    assert contact.email == "contact@oosterhout.nl"
    event = AuditEvent.objects.get(action="contact_page.create")
    assert event.actor == admin and event.municipality_id == oosterhout.pk
    html = page(client, "/oosterhout/contact/")
    assert "Postbus 10150" in html and 'href="tel:140162"' in html

    client.post(url, {"email": "contact@oosterhout.nl", "phone": "14 0162"})
    changed = AuditEvent.objects.get(action="contact_page.update")
    assert changed.before["introduction"] == "Bel of mail ons."
    assert changed.after["introduction"] == ""
    # the back office's audit log reads the event in Dutch
    log = page(client, "/beheer/oosterhout/wijzigingen/")
    assert "Contactpagina gewijzigd" in log


def test_another_municipalitys_admin_and_others_cannot_edit(cast: Cast, oosterhout: Any) -> None:
    url = reverse("site:statement_edit", kwargs={"municipality": "oosterhout", "kind": "privacy"})
    data = {**default_fields("privacy", oosterhout)}
    expected = {
        cast.oss_admin: 404,  # not allowed to know it is managed here
        cast.broker: 403,
        cast.clerk: 403,
        cast.applicant: 403,
    }
    for person, status in expected.items():
        client = Client()
        client.force_login(person)
        assert client.get(url).status_code == status
        assert client.post(url, data).status_code == status
        assert client.get("/beheer/oosterhout/verklaringen/").status_code == status
    assert Client().get(url).status_code == 302  # to the login page
    assert not PrivacyStatement.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="privacy_statement").exists()


def test_the_service_refuses_a_person_who_does_not_manage_the_municipality(
    cast: Cast, oosterhout: Any
) -> None:
    with pytest.raises(PermissionDenied):
        statement_save(
            actor=cast.oss_admin,
            municipality=oosterhout,
            kind="contact",
            email="x@oosterhout.nl",
        )
    assert not ContactPage.objects.exists()


def test_saving_the_same_text_again_records_nothing(oosterhout: Any) -> None:
    fields = default_fields("privacy", oosterhout)
    statement_save(actor=DEMO, municipality=oosterhout, kind="privacy", **fields)
    statement_save(actor=DEMO, municipality=oosterhout, kind="privacy", **fields)
    actions = list(AuditEvent.objects.values_list("action", "actor"))
    assert actions == [("privacy_statement.create", None)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"compliance": Compliance.FULL}, "known_problems"),
        ({"known_problems": ""}, "known_problems"),
        ({"statement_date": TODAY + datetime.timedelta(days=1)}, "statement_date"),
        ({"research_date": TODAY + datetime.timedelta(days=1)}, "research_date"),
        ({"research_date": add_months(TODAY, -37)}, "research_date"),
        ({"feedback_email": "geen adres"}, "feedback_email"),
        ({"organisation": ""}, "organisation"),
        ({"response_days": 0}, "response_days"),
    ],
)
def test_the_accessibility_statement_follows_the_national_models_rules(
    oosterhout: Any, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        statement_save(
            actor=DEMO,
            municipality=oosterhout,
            kind="accessibility",
            **accessibility_fields(oosterhout, **changes),
        )
    assert field in refused.value.error_dict
    assert not AccessibilityStatement.objects.exists()


def test_a_fully_compliant_statement_without_problems_and_research_of_36_months_is_accepted(
    oosterhout: Any,
) -> None:
    statement_save(
        actor=DEMO,
        municipality=oosterhout,
        kind="accessibility",
        **accessibility_fields(
            oosterhout,
            compliance=Compliance.FULL,
            known_problems="",
            research_date=add_months(TODAY, -36),
        ),
    )
    html = page(Client(), "/oosterhout/toegankelijkheid/")
    assert "Deze website voldoet volledig aan" in html
    assert "Er zijn geen bekende toegankelijkheidsproblemen." in html


def test_the_form_shows_the_services_errors_in_dutch(cast: Cast, oosterhout: Any) -> None:
    client = Client()
    client.force_login(cast.admin)
    url = reverse(
        "site:statement_edit", kwargs={"municipality": "oosterhout", "kind": "accessibility"}
    )
    data = accessibility_fields(oosterhout, compliance=Compliance.FULL)
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Niet opgeslagen" in html or "Fout:" in html
    assert "Een website die volledig voldoet, heeft geen bekende problemen" in html
    assert not AccessibilityStatement.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("case_years", 0), ("draft_months", 61), ("dpo_email", "")]
)
def test_retention_periods_and_contacts_of_the_privacy_statement_are_checked(
    oosterhout: Any, field: str, value: Any
) -> None:
    fields = {**default_fields("privacy", oosterhout), field: value}
    with pytest.raises(ValidationError) as refused:
        statement_save(actor=DEMO, municipality=oosterhout, kind="privacy", **fields)
    assert field in refused.value.error_dict


def test_changed_retention_periods_show_on_the_page(oosterhout: Any) -> None:
    fields = {**default_fields("privacy", oosterhout), "case_years": 10, "mail_days": 1}
    statement_save(actor=DEMO, municipality=oosterhout, kind="privacy", **fields)
    html = page(Client(), "/oosterhout/privacy/")
    assert "10 jaar nadat de zaak is afgesloten" in html
    assert "1 dag na verzending" in html


# ----- The demo ----------------------------------------------------------------------------------


def test_the_demo_publishes_the_statements_of_oosterhout_and_oss_through_the_service() -> None:
    call_command("load_demo", stdout=StringIO())
    for model in (PrivacyStatement, AccessibilityStatement, ContactPage):
        assert sorted(model.objects.values_list("municipality__slug", flat=True)) == [
            "oosterhout",
            "oss",
        ]
    events = AuditEvent.objects.filter(action__endswith=".create", object_type__startswith="site.")
    assert events.count() == 6 and not events.exclude(actor=None).exists()
    call_command("load_demo", stdout=StringIO())
    assert AuditEvent.objects.filter(object_type__startswith="site.").count() == 6
    html = page(Client(), "/oss/contact/")
    assert "Raadhuislaan 2" in html and "info@oss.example" in html
    assert "nog niet vastgesteld" not in page(Client(), "/oosterhout/toegankelijkheid/")


def test_in_english_the_page_is_english_and_the_municipalitys_text_stays_dutch(
    oosterhout: Any,
) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = page(client, "/oosterhout/privacy/")
    assert "How long we keep your data" in headings(html)
    assert '<div lang="nl"><p class="utrecht-paragraph">De gemeente Oosterhout gebruikt' in html


def test_the_page_says_so_when_the_research_is_more_than_36_months_old(oosterhout: Any) -> None:
    statement_save(
        actor=DEMO,
        municipality=oosterhout,
        kind="accessibility",
        **accessibility_fields(oosterhout),
    )
    assert "meer dan 36 maanden oud" not in page(Client(), "/oosterhout/toegankelijkheid/")
    AccessibilityStatement.objects.update(
        statement_date=add_months(TODAY, -30), research_date=add_months(TODAY, -37)
    )
    assert "meer dan 36 maanden oud" in page(Client(), "/oosterhout/toegankelijkheid/")
