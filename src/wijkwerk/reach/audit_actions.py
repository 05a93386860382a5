"""What the audit trail records about population figures (`wijkwerk.core.auditlog`; registered
in `ReachConfig.ready`). Reach itself writes nothing: it is computed when read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReachAction(models.TextChoices):
    POPULATION_IMPORT = "population.import", _("Population table imported")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("reach", _("Reach and population"), ReachAction)
    log.register_fields(
        "reach.populationimport",
        {
            "replaced": log.Text(_("figures replaced")),
            "without_figure": log.Text(_("rows without a figure")),
        },
    )
