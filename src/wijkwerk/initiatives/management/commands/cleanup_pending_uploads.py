"""manage.py cleanup_pending_uploads: remove the files chosen on new applications that were
never saved (pending uploads older than a day, by default). Run it daily (cron, a systemd timer);
see the README."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wijkwerk.initiatives.services import PENDING_UPLOAD_AGE, pending_uploads_cleanup


class Command(BaseCommand):
    help = (
        "Remove files chosen on new applications whose form was never saved, with their "
        "records, once they are older than --hours (24)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=int,
            default=int(PENDING_UPLOAD_AGE.total_seconds() // 3600),
            help="remove pending uploads chosen longer ago than this (default 24)",
        )

    def handle(self, *args: Any, hours: int, **options: Any) -> None:
        if hours < 1:
            raise CommandError("--hours must be at least 1: a form being written keeps its files.")
        removed = pending_uploads_cleanup(older_than=datetime.timedelta(hours=hours))
        if options["verbosity"]:
            self.stdout.write(f"{removed} pending upload(s) removed.")
