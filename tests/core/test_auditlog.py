"""The audit trail as people read it (core.auditlog): each app's services run, and every event they
record reads without raw field names, bare ids, True/False or cents; money has the euro sign and
dates are in Dutch words."""

from __future__ import annotations

import datetime
import importlib
import re
from typing import Any

from django.apps import apps as django_apps
from django.utils import translation

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.accounts.profile_services import profile_update
from wijkwerk.accounts.services import (
    council_member_add,
    council_member_remove,
    group_member_add,
    role_assign,
    role_revoke,
)
from wijkwerk.areas.models import AreaKind, CouncilKind, CouncilPosition
from wijkwerk.areas.services import area_create, area_update, council_create, group_create
from wijkwerk.core import auditlog
from wijkwerk.core.models import AuditEvent
from wijkwerk.funds import services as funds_services
from wijkwerk.funds.models import Fund
from wijkwerk.initiatives import services as initiative_services
from wijkwerk.initiatives.audit_actions import InitiativeAction
from wijkwerk.initiatives.workflow import TRANSITIONS

from ..accounts.factories import UserFactory
from ..cast import Cast
from ..initiatives.conftest import png_upload

DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
DUTCH_DATE = re.compile(r"\b\d{1,2} (" + "|".join(DUTCH_MONTHS) + r") \d{4}\b")
MONEY = re.compile(r"^(–|€ -?\d{1,3}(\.\d{3})*,\d\d)$")


def read(events: list[AuditEvent] | None = None) -> list[auditlog.EventView]:
    with translation.override("nl"):
        return auditlog.describe(events or list(AuditEvent.objects.order_by("id")))


def assert_readable(views: list[auditlog.EventView]) -> None:
    """What every event of every app must look like."""
    assert views
    for view in views:
        event = view.event
        where = f"{event.action} {view.lines}"
        assert view.action != event.action, f"no label for {event.action}"
        assert view.kind and view.subject, where
        keys = {*(event.before or {}), *(event.after or {})}
        for change in view.changes:
            # labels, not the snapshot's keys
            assert change.field not in keys and "_" not in change.field, where
            for value in (change.before, change.after):
                if value is None:
                    continue
                assert value not in ("True", "False", "None"), where
                assert "EUR" not in value, where
                assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", value), f"ISO date: {where}"
                if change.key.endswith("_cents"):
                    assert MONEY.match(value), f"money: {change.key} {value!r}"
                shown = auditlog.formatter(event.object_type, change.key)
                if isinstance(shown, auditlog.Reference):
                    # a name, never the id
                    assert not value.replace(", ", "").isdigit(), f"bare id: {where}"
        assert not any(re.search(r"\w+_cents|\w+_id\b", line) for line in view.lines), where


def line(views: list[auditlog.EventView], action: str, start: str) -> str:
    """The first line starting with `start` of the first event with this action."""
    for view in views:
        if view.event.action == action:
            for text in view.lines:
                if text.startswith(start):
                    return text
    raise AssertionError(f"no line {start!r} in {action}: {[v.lines for v in views]}")


# ----- Initiatives ------------------------------------------------------------------------------


def test_initiative_events_read_as_dutch_sentences(cast: Cast) -> None:
    initiative = cast.advance_paid(125_000)
    initiative_services.message_post(
        actor=cast.broker, initiative=initiative, body="Hoe gaat het?", internal=False
    )
    initiative_services.message_post(
        actor=cast.broker, initiative=initiative, body="Notitie", internal=True
    )
    initiative_services.help_offer_add(
        actor=cast.neighbour, initiative=initiative, text="Ik heb een aanhanger."
    )
    initiative_services.support_toggle(actor=cast.neighbour, initiative=initiative)
    initiative_services.attachment_add(
        actor=cast.applicant, initiative=initiative, upload=png_upload(), purpose="result_photo"
    )
    lines = list(initiative.budget_lines.all())
    initiative_services.accountability_submit(
        actor=cast.applicant,
        initiative=initiative,
        report="Het is gelukt.",
        took_place=True,
        participants=30,
        actual_costs={line.pk: line.amount_cents for line in lines},
    )
    views = read()
    assert_readable(views)
    year = cast.fund.year
    assert line(views, "initiative.approve", "Status") == "Status: in behandeling → toegekend"
    assert line(views, "initiative.approve", "Toegekend bedrag") == (
        "Toegekend bedrag: – → € 1.250,00"
    )
    assert line(views, "initiative.approve", "Fonds") == (
        f"Fonds: – → Bewonersinitiatieven ({year})"
    )
    assert line(views, "initiative.start_review", "Wijkmakelaar") == (
        "Wijkmakelaar: – → Bram Makelaar"
    )
    assert DUTCH_DATE.search(line(views, "initiative.submit", "Besluit uiterlijk"))
    assert DUTCH_DATE.search(line(views, "initiative.create", "Geplande start"))
    assert line(views, "initiative.create", "Toestemming om te publiceren") == (
        "Toestemming om te publiceren: ja"
    )
    assert line(views, "initiative.pay", "Uitbetaald bedrag") == (
        "Uitbetaald bedrag: € 0,00 → € 1.250,00"
    )
    decision = next(v for v in views if v.event.action == "initiative.decision")
    assert decision.action == "Besluit vastgelegd"
    assert "Besluit: toekenning" in decision.lines
    approve = next(v for v in views if v.event.action == "initiative.approve")
    assert (approve.action, approve.kind, approve.subject) == (
        "Initiatief toegekend",
        "initiatief",
        "Geveltuinen in de Kerkstraat",
    )


def test_every_workflow_step_and_recorded_action_has_a_label(cast: Cast) -> None:
    for transition in TRANSITIONS:
        assert InitiativeAction(f"initiative.{transition.action}")
    cast.advance_paid()
    recorded = set(AuditEvent.objects.values_list("action", flat=True))
    labelled = {value for group in auditlog.groups() for value in group.values}
    assert recorded <= labelled


# ----- Funds -------------------------------------------------------------------------------------


def test_fund_and_ledger_events_show_money_and_names(cast: Cast) -> None:
    fund = Fund.objects.get(pk=cast.fund.pk)
    fund.amount_cents = 35_000_000
    funds_services.save_fund(actor=cast.admin, fund=fund, areas=[cast.district])
    cast.approved(65_000)
    views = read()
    assert_readable(views)
    assert line(views, "fund.update", "Bedrag") == "Bedrag: € 300.000,00 → € 350.000,00"
    assert line(views, "fund.update", "Gebieden") == "Gebieden: – → Dorst"
    commit = next(v for v in views if v.event.action == "ledger.commit")
    assert (commit.action, commit.kind) == ("Geld toegekend", "fonds")
    assert commit.subject == f"Bewonersinitiatieven ({cast.fund.year})"
    assert "Initiatief: Geveltuinen in de Kerkstraat" in commit.lines
    assert "Bedrag: € 650,00" in commit.lines
    assert line(views, "ledger.commit", "Beschikbaar in het fonds") == (
        "Beschikbaar in het fonds: € 350.000,00 → € 349.350,00"
    )


# ----- Areas -------------------------------------------------------------------------------------


def test_area_council_and_group_events_read(cast: Cast) -> None:
    # The cast's admin adds Oosterhout's village Den Hout (the cast has Dorst and Slotjes) and
    # a neighbourhood of it.
    admin, oosterhout = cast.admin, cast.municipality
    den_hout = area_create(
        actor=admin,
        municipality=oosterhout,
        kind=AreaKind.VILLAGE,
        name="Den Hout",
        slug="den-hout",
        cbs_code="WK082612",
    )
    zuid = area_create(
        actor=admin,
        municipality=oosterhout,
        kind=AreaKind.NEIGHBOURHOOD,
        name="Den Hout-Zuid",
        slug="den-hout-zuid",
        cbs_code="BU08261201",
        parent=den_hout,
        code_is_demo=True,
    )
    area_update(actor=admin, area=zuid, name="Den Hout Zuid", cbs_year=2024)
    council_create(
        actor=admin, area=den_hout, kind=CouncilKind.VILLAGE_COUNCIL, name="Dorpsraad Den Hout"
    )
    group_create(actor=admin, area=zuid, name="Groen Den Hout", join_policy="open")
    views = read()
    assert_readable(views)
    assert line(views, "area.create", "Onderdeel van") == "Onderdeel van: Den Hout"
    assert line(views, "area.update", "Naam") == "Naam: Den Hout-Zuid → Den Hout Zuid"
    created = next(v for v in views if v.event.action == "area.create" and v.subject == "Den Hout")
    assert created.action == "Gebied aangemaakt"
    assert "Code is geen officiële CBS-code: nee" in created.lines
    group = next(v for v in views if v.event.action == "group.create")
    assert group.action == "Bewonersgroep aangemaakt"
    assert "Lid worden: open: iedereen wordt meteen lid" in group.lines


# ----- Accounts ----------------------------------------------------------------------------------


def test_role_membership_and_profile_events_read(cast: Cast) -> None:
    person = UserFactory(email="kees@example.org", full_name="Kees Schellekens")
    assignment = role_assign(
        actor=cast.admin,
        user=person,
        role=Role.COMMUNITY_WORKER,
        municipality=cast.municipality,
        area=cast.district,
    )
    role_revoke(actor=cast.admin, assignment=RoleAssignment.objects.get(pk=assignment.pk))
    council = council_create(
        actor=cast.admin,
        area=cast.district,
        kind=CouncilKind.VILLAGE_COUNCIL,
        name="Dorpsraad Dorst",
    )
    membership = council_member_add(
        actor=cast.admin,
        council=council,
        user=person,
        position=CouncilPosition.CHAIR,
        since=datetime.date(2024, 3, 1),
    )
    council_member_remove(actor=cast.admin, membership=membership)
    group = group_create(actor=cast.admin, area=cast.district, name="Groen Dorst")
    group_member_add(actor=cast.admin, group=group, user=person, role="contact")
    profile_update(
        actor=person,
        user=person,
        full_name="Kees Schellekens",
        home_area=cast.neighbourhood,
        phone="0162 123 456",
        expertise="timmeren",
        language="en",
    )
    views = read()
    assert_readable(views)
    assign = next(v for v in views if v.event.action == "role.assign")
    assert assign.action == "Rol toegekend"
    assert "Persoon: kees@example.org" in assign.lines
    assert "Gebied: Dorst" in assign.lines
    revoke = next(v for v in views if v.event.action == "role.revoke")
    assert "Persoon: kees@example.org" in revoke.lines, "a removal shows what there was"
    assert line(views, "council.member_add", "Lid sinds") == "Lid sinds: 1 maart 2024"
    assert line(views, "council.member_add", "Wijk- of dorpsraad") == (
        "Wijk- of dorpsraad: Dorpsraad Dorst"
    )
    assert line(views, "group.member_add", "Rol") == "Rol: contactpersoon"
    assert line(views, "group.member_add", "Bewonersgroep") == "Bewonersgroep: Groen Dorst"
    assert line(views, "profile.update", "Woonwijk") == "Woonwijk: – → Dorst-Zuid"
    assert line(views, "profile.update", "Taal voor e-mail") == (
        "Taal voor e-mail: Nederlands → English"
    )


# ----- The reader itself -------------------------------------------------------------------------


def test_formatters() -> None:
    names = {("funds.fund", "7"): "Bewonersinitiatieven (2021)"}
    with translation.override("nl"):
        assert auditlog.Money().show(65_000, names) == "€ 650,00"
        assert auditlog.Money().show(None, names) == "–"
        assert auditlog.Boolean().show(False, names) == "nee"
        assert auditlog.Date().show("2026-12-02", names) == "2 december 2026"
        assert auditlog.Date().show("2026-12-02T23:30:00+00:00", names) == "3 december 2026"
        assert auditlog.DateTime().show("2026-12-02T13:05:00+00:00", names) == (
            "2 december 2026 14:05"
        )
        assert auditlog.Reference(model="funds.Fund").show(7, names) == (
            "Bewonersinitiatieven (2021)"
        )
        assert auditlog.Reference(model="funds.Fund").show(8, names) == "(verwijderd)"
        assert auditlog.Choice(choices=[("a", "Een")]).show("a", names) == "Een"
        assert auditlog.Number().show("51.646030", names) == "51,646030"
        assert auditlog.formatter("initiatives.initiative", "latitude").show("51.5", names) == (
            "51,5"
        )
    with translation.override("en"):
        assert auditlog.Number().show("51.646030", names) == "51.646030"
        assert auditlog.Date().show("2026-12-02", names) == "Dec. 2, 2026"
        assert auditlog.Boolean().show(True, names) == "yes"


def test_a_page_of_events_costs_one_query_per_kind_of_object_named(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for _n in range(5):
        cast.approved()
    events = list(AuditEvent.objects.select_related("actor"))
    assert len(events) > 30
    # users, areas, categories, schemes, funds, initiatives: one query each
    with django_assert_max_num_queries(6):
        views = read(events)
    assert_readable(views)


def test_the_filter_offers_every_app_and_its_actions(db: None) -> None:
    with translation.override("nl"):
        choices = dict(auditlog.filter_choices()[1:])
    assert set(choices) == {
        "Buurtbudgetten",
        "Bereik en bevolking",
        "Bewonersgroepen",
        "Bijeenkomsten",
        "Gebieden, raden en groepen",
        "Geld",
        "Initiatieven",
        "Kwartaalrapportages",
        "Aanbod en vragen",
        "Nieuws",
        "Peilingen en enquêtes",
        "Reacties",
        "Uitdaagrecht",
        "Personen, rollen en lidmaatschappen",
        "Pilots en leerpunten",
        "Verklaringen op de website",
        "Volgen en overzichten",
        "Wijk- en dorpsraden",
    }
    money = dict(choices["Geld"])
    assert money["funds"] == "Alles: Geld"
    assert money["ledger.commit"] == "Geld toegekend"
    assert auditlog.actions_for("initiatives") == InitiativeAction.values
    assert auditlog.actions_for("initiative.approve") == ["initiative.approve"]
    assert auditlog.actions_for("nothing") is None


def test_migration_renames_the_funds_actions_and_back(db: None) -> None:
    migration = importlib.import_module("wijkwerk.funds.migrations.0004_audit_action_names")
    for action in ("funds.fund_created", "funds.commitment", "area.create"):
        AuditEvent.objects.create(action=action, object_type="x.y", object_id="1", object_repr="x")
    migration.rename(django_apps, None)
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "area.create",
        "fund.create",
        "ledger.commit",
    ]
    assert set(migration.RENAMED.values()) <= set(auditlog.actions_for("funds") or [])
    migration.rename_back(django_apps, None)
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "area.create",
        "funds.commitment",
        "funds.fund_created",
    ]
