"""Funds: staff read (brokers and aldermen the funds of their areas, admins all of their
municipality); only the municipality's admin corrects and configures."""

from __future__ import annotations

from wijkwerk.funds import services
from wijkwerk.funds.models import Category, Fund, Scheme
from wijkwerk.initiatives.models import Initiative

from ..framework import Case, World, logged_in


def funds(world: World) -> None:
    scheme = Scheme.objects.create(
        municipality=world.municipality,
        name="Bewonersinitiatieven fysieke leefomgeving",
        max_per_initiative_cents=2_000_000,
    )
    area_fund = Fund.objects.create(
        municipality=world.municipality,
        scheme=scheme,
        name="Dorpsbudget Dorst",
        year=2026,
        amount_cents=1_000_000,
    )
    area_fund.areas.add(world.area)
    wide_fund = Fund.objects.create(
        municipality=world.municipality,
        scheme=scheme,
        name="Bewonersinitiatieven",
        year=2026,
        amount_cents=30_000_000,
    )
    category = Category.objects.create(
        municipality=world.municipality, name="Fysiek", slug="fysiek"
    )
    world.extra.update(scheme=scheme, area_fund=area_fund, wide_fund=wide_fund, category=category)


def paid_out(world: World) -> None:
    """The area fund paid an initiative € 500, and that payment is in a batch."""
    funds(world)
    fund = world.extra["area_fund"]
    fund.payment_iban = "NL66BNGH0285094291"
    fund.save(update_fields=["payment_iban"])
    initiative = Initiative.objects.create(
        title="Speeltuin",
        area=world.area,
        applicant=world.users["applicant"],
        status="approved",
        requested_cents=50_000,
        granted_cents=50_000,
        fund=fund,
        payee_iban="NL91ABNA0417164300",
        payee_name="Speeltuinvereniging",
    )
    admin = world.users["admin"]
    services.commit(actor=admin, fund=fund, initiative=initiative, amount_cents=50_000, reason="Ja")
    services.pay(
        actor=admin,
        fund=fund,
        initiative=initiative,
        amount_cents=50_000,
        reason="Voorschot",
        payee_iban=initiative.payee_iban,
        payee_name=initiative.payee_name,
    )
    world.extra["batch"] = services.payment_batch_create(actor=admin, fund=fund)


def batch(world: World) -> dict[str, int]:
    return {"pk": world.extra["area_fund"].pk, "batch": world.extra["batch"].pk}


# Brokers and aldermen read; council members, residents and the clerk may not.
READERS = logged_in(200, resident=403, applicant=403, council_member=403, clerk=403)
# The area fund is not for the other area's broker to know about.
AREA_FUND_READERS = {**READERS, "broker_other": 404}
ADMIN_ONLY = logged_in(403, admin=200)
CORRECTION = {**logged_in(403, admin=200), "broker_other": 404}


def area_fund(world: World) -> dict[str, int]:
    return {"pk": world.extra["area_fund"].pk}


def wide_fund(world: World) -> dict[str, int]:
    return {"pk": world.extra["wide_fund"].pk}


CASES = [
    Case("funds:overview", READERS, setup=funds),
    Case("funds:export_csv", READERS, setup=funds),
    Case("funds:export_xlsx", READERS, setup=funds),
    Case("funds:detail", AREA_FUND_READERS, kwargs=area_fund, setup=funds, label="area fund"),
    Case("funds:detail", READERS, kwargs=wide_fund, setup=funds, label="municipality-wide"),
    Case("funds:ledger", AREA_FUND_READERS, kwargs=area_fund, setup=funds),
    Case("funds:correct", CORRECTION, kwargs=area_fund, setup=funds),
    Case(
        "funds:correct",
        {**CORRECTION, "admin": 302},
        kwargs=area_fund,
        setup=funds,
        method="post",
        data=lambda w: {"direction": "add", "amount": "10,00", "reason": "Afronding"},
        label="book",
    ),
    Case("funds:payments", CORRECTION, kwargs=area_fund, setup=paid_out),
    Case(
        "funds:payments",
        {**CORRECTION, "admin": 302},
        kwargs=area_fund,
        setup=paid_out,
        method="post",
        label="make a batch",
    ),
    Case("funds:payment_batch_csv", CORRECTION, kwargs=batch, setup=paid_out),
    Case("funds:payment_batch_xml", CORRECTION, kwargs=batch, setup=paid_out),
    Case("funds:fund_edit", ADMIN_ONLY, kwargs=area_fund, setup=funds),
    Case(
        "funds:fund_edit",
        {**ADMIN_ONLY, "admin": 200},
        kwargs=area_fund,
        setup=funds,
        method="post",
        data=lambda w: {"name": ""},
        label="invalid post",
    ),
    Case("funds:fund_create", ADMIN_ONLY),
    Case("funds:schemes", ADMIN_ONLY, setup=funds),
    Case("funds:scheme_create", ADMIN_ONLY),
    Case(
        "funds:scheme_edit",
        ADMIN_ONLY,
        kwargs=lambda w: {"pk": w.extra["scheme"].pk},
        setup=funds,
    ),
    Case("funds:category_create", ADMIN_ONLY),
    Case(
        "funds:category_edit",
        ADMIN_ONLY,
        kwargs=lambda w: {"pk": w.extra["category"].pk},
        setup=funds,
    ),
]
