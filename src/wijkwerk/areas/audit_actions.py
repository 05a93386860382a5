"""What the audit trail records about municipalities, areas, councils and resident groups, and how
the audit log shows it (`wijkwerk.core.auditlog`; registered in `AreasConfig.ready`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaAction(models.TextChoices):
    MUNICIPALITY_CREATE = "municipality.create", _("Municipality created")
    MUNICIPALITY_UPDATE = "municipality.update", _("Municipality changed")
    AREA_CREATE = "area.create", _("Area created")
    AREA_UPDATE = "area.update", _("Area changed")
    COUNCIL_CREATE = "council.create", _("Council created")
    COUNCIL_UPDATE = "council.update", _("Council changed")
    GROUP_CREATE = "group.create", _("Resident group created")
    GROUP_UPDATE = "group.update", _("Resident group changed")
    POSTCODES_IMPORT = "postcodes.import", _("Postcode table imported")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("areas", _("Areas, councils and groups"), AreaAction)
    # the boundary is kept as a summary ("polygon, 24 points"), not as the model's GeoJSON
    log.register_fields("areas.area", {"boundary": log.Text(_("boundary"))})
    log.register_fields(
        "areas.municipality",
        {
            "postcode_year": log.Text(_("postcode table's CBS edition")),
            "postcode_rows": log.Text(_("postcodes and streets")),
        },
    )
