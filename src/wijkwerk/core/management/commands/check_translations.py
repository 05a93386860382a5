"""Fail when a Dutch or English catalogue has an untranslated or fuzzy message.

Uses GNU gettext's msgattrib, so the catalogues are read by the same tools that compile them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

LANGUAGES = ("nl", "en")


def catalogues() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return sorted(p for p in root.rglob("locale/*/LC_MESSAGES/*.po") if p.parts[-3] in LANGUAGES)


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
    help = "Check that every Dutch and English message is translated and not fuzzy."

    def handle(self, *args: object, **options: object) -> None:
        files = catalogues()
        languages = {p.parts[-3] for p in files}
        if set(LANGUAGES) - languages:
            raise CommandError(f"missing catalogues for: {sorted(set(LANGUAGES) - languages)}")
        errors = [problem for po_file in files for problem in problems(po_file)]
        if errors:
            raise CommandError("\n".join(errors[:50]) + f"\n{len(errors)} problem(s)")
        self.stdout.write(f"{len(files)} catalogues complete.")
