"""manage.py purge_register_extracts: delete the rows of every register extract whose retention
ended (the round's close plus its `register_retention_days`), with the round's unused voting
codes; the extract's own row stays with its deletion time, and the audit trail records it. The
close queues the same work as a task for the day after; run this from cron once a day as well
(see the README), so that nothing waits for a worker that was down."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wijkwerk.core.actors import SCHEDULE

from ...services.register import purge_due_extracts


class Command(BaseCommand):
    help = "Delete the register extracts of budget rounds whose retention period has ended."

    def handle(self, *args: Any, **options: Any) -> None:
        done = purge_due_extracts(actor=SCHEDULE)
        if options["verbosity"]:
            for extract, rows in done:
                self.stdout.write(
                    f"Deleted: the register extract of {extract.process.title} "
                    f"({extract.process_id}), {rows} row(s)."
                )
            self.stdout.write(f"{len(done)} register extract(s) deleted.")
