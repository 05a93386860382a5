"""manage.py demo_totp: the current two-factor code of the demo officials."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from wijkwerk.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the current TOTP code for the demo officials loaded by load_demo (they all share "
        "one published secret; only for the demo)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = int(time.time())
        period = app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // period))
        self.stdout.write(code)
        self.stderr.write(f"valid for another {period - now % period} seconds")
