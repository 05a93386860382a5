"""A challenge's money moves into the ledger as a case of its own (funds 0006).

Before, a commitment was a negative correction naming the challenge in its reason, and a
payment a `Booking` without a ledger entry. The ledger is append-only (on PostgreSQL a trigger
refuses UPDATE), so nothing is changed in it: each old commitment's correction is put back with
a positive correction and booked again as a commitment for the challenge, and each payment gets
its ledger payment (paid outside wijkwerk: no payment instruction, so no batch sends it again).
The fund's available amount stays the same; the booking now points at the new entry.
"""

from django.db import migrations

BACK = "Uitdaagrecht: de correctie is omgezet in een verplichting voor de uitdaging"


def forward(apps, schema_editor):
    Booking = apps.get_model("challenges", "Booking")
    LedgerEntry = apps.get_model("funds", "LedgerEntry")
    for booking in Booking.objects.select_related("challenge", "ledger_entry").order_by("id"):
        challenge = booking.challenge
        case = {
            "case_type": "challenge",
            "case_id": challenge.pk,
            "case_title": f"{challenge.title} ({challenge.organisation_name})"[:200],
        }
        old = booking.ledger_entry
        if booking.kind == "commitment" and old is not None and old.kind == "correction":
            LedgerEntry.objects.create(
                fund_id=old.fund_id,
                kind="correction",
                amount_cents=-old.amount_cents,
                author_id=old.author_id,
                reason=BACK,
            )
            entry = LedgerEntry.objects.create(
                fund_id=old.fund_id,
                kind="commitment",
                amount_cents=booking.amount_cents,
                author_id=booking.booked_by_id,
                reason=old.reason,
                **case,
            )
        elif booking.kind == "payment" and old is None:
            entry = LedgerEntry.objects.create(
                fund_id=booking.fund_id,
                kind="payment",
                amount_cents=booking.amount_cents,
                author_id=booking.booked_by_id,
                reason=booking.note,
                **case,
            )
        else:
            continue
        Booking.objects.filter(pk=booking.pk).update(ledger_entry=entry)


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0001_challenges"),
        ("funds", "0006_ledger_entries_for_other_cases"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
