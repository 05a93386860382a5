"""Fail when an app's Dutch catalogue is missing, or has an untranslated or fuzzy message.

Message ids are English, so English is complete by construction; every app with user-facing text
keeps its Dutch catalogue in its own `locale/nl/`. Uses GNU gettext's msgattrib, the same tools that
compile the catalogues.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

LANGUAGE = "nl"


def catalogues() -> list[Path]:
    return sorted(Path(settings.BASE_DIR).rglob(f"locale/{LANGUAGE}/LC_MESSAGES/django.po"))


def apps_without_catalogue() -> list[str]:
    return sorted(
        app.name
        for app in Path(settings.BASE_DIR).iterdir()
        if (app / "templates").is_dir() and not (app / "locale" / LANGUAGE).is_dir()
    )


def problems(po_file: Path) -> list[str]:
    found = []
    for flag, what in (("--only-fuzzy", "fuzzy"), ("--untranslated", "untranslated")):
        result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
            ["msgattrib", flag, "--no-obsolete", "--no-wrap", str(po_file)],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        )
        msgids = [
            line[len("msgid ") :]
            for line in result.stdout.splitlines()
            if line.startswith("msgid ") and line != 'msgid ""'
        ]
        found += [f"{po_file}: {what} {msgid}" for msgid in msgids]
    return found


class Command(BaseCommand):
    help = "Check that every message has a Dutch translation that is not fuzzy."

    def handle(self, *args: object, **options: object) -> None:
        files = catalogues()
        errors = [
            f"app {name} has templates but no Dutch catalogue" for name in apps_without_catalogue()
        ]
        errors += [problem for po_file in files for problem in problems(po_file)]
        if errors:
            raise CommandError("\n".join(errors[:50]) + f"\n{len(errors)} problem(s)")
        self.stdout.write(f"{len(files)} catalogues complete.")
