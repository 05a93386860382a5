"""manage.py send_digests: send every weekly digest that waits (one mail per person with all
their updates), then remove what was sent. Run it once a week (cron, a systemd timer); running it
twice sends nothing twice. `--enqueue` leaves the sending to the task worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wijkwerk.follows import digest
from wijkwerk.follows.tasks import send_weekly_digests


class Command(BaseCommand):
    help = "Send the weekly digests to everyone who follows something weekly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the task for the worker instead of sending here",
        )

    def handle(self, *args: Any, enqueue: bool, **options: Any) -> None:
        if enqueue:
            result = send_weekly_digests.enqueue()
            if options["verbosity"]:
                self.stdout.write(f"Weekly digests queued (task {result.id}).")
            return
        run = digest.send_digests()
        if options["verbosity"]:
            self.stdout.write(
                f"{run.mails} digest(s) sent with {run.items} update(s); "
                f"{run.failed} refused by the mail server (kept for the next run)."
            )
