"""Population per area and year, imported from the CBS table "Kerncijfers wijken en buurten"
(docs/learning.md, "Reach"). Reach itself is computed, never stored: see selectors.py.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Population", "PopulationImport"]


class PopulationImport(models.Model):
    """One population table taken in: which file, which year, by whom, how many rows."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="population_imports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("population import")
        verbose_name_plural = _("population imports")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year} ({self.file_name})"


class Population(models.Model):
    """Inhabitants (and, when the table has them, households) of one area on 1 January of `year`.

    Neighbourhoods come from the CBS table; a district or village has a row only when the table
    gives a figure for it, otherwise its population is the sum of its neighbourhoods (computed
    in the selectors)."""

    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        related_name="population",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    inhabitants = models.PositiveIntegerField(_("inhabitants"))
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    source = models.ForeignKey(
        PopulationImport,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="figures",
    )

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("population figures")
        ordering = ["area__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="population_area_year_unique"),
            models.CheckConstraint(
                condition=models.Q(year__gte=1990) & models.Q(year__lte=2100),
                name="population_year_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.inhabitants}"
