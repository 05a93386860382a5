"""manage.py close_budget_rounds: close the voting of every published round whose voting phase
has ended (the close destroys the link between voters and ballots and queues the count), and tell
the followers of a round whose next phase opened. Run it from cron every few minutes; see the
README."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wijkwerk.core.actors import SCHEDULE

from ...notifications import announce_open_phases
from ...refusals import BudgetRefused
from ...round_selectors import rounds_to_close
from ...services.voting import voting_close


class Command(BaseCommand):
    help = "Close the voting of published budget rounds whose voting phase has ended."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = 0
        for process in rounds_to_close():
            try:
                voting_close(actor=SCHEDULE, process=process)
            except BudgetRefused:
                continue  # closed meanwhile (by the administrator or another run)
            closed += 1
            if options["verbosity"]:
                self.stdout.write(f"Closed: {process.title} ({process.pk})")
        if options["verbosity"]:
            self.stdout.write(f"{closed} round(s) closed.")
        # phases that opened since the last run: their followers hear of it, each phase once
        opened = announce_open_phases()
        if options["verbosity"]:
            self.stdout.write(f"{opened} phase(s) that opened announced to followers.")
