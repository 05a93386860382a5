"""manage.py send_event_reminders: mail everyone with a place at an event that starts tomorrow.
Each sign-up is reminded once (`Rsvp.reminded_at`), so cron may run it every hour, and on more
than one server; `--enqueue` hands the work to the task worker instead."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ...services import send_reminders
from ...tasks import send_event_reminders


class Command(BaseCommand):
    help = "Mail a reminder to everyone signed up for an event that starts tomorrow (once each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the work for the task worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            send_event_reminders.enqueue()
            if options["verbosity"]:
                self.stdout.write("Reminders queued for the worker.")
            return
        sent = send_reminders()
        if options["verbosity"]:
            self.stdout.write(f"{sent} reminder(s) sent.")
