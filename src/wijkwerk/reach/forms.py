from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.quarters import Quarter

from .importing import MAX_BYTES
from .services import FIRST_YEAR


def quarter_choices(count: int = 12) -> list[tuple[str, str]]:
    quarter = Quarter.current()
    found = []
    for _step in range(count):
        found.append((quarter.slug, str(quarter)))
        quarter = quarter.previous()
    return found


class QuarterForm(forms.Form):
    kwartaal = forms.ChoiceField(label=_("Quarter"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kwartaal"].choices = quarter_choices()  # type: ignore[attr-defined]


class PopulationForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year of the figures"),
        help_text=_("The CBS edition: inhabitants on 1 January of this year."),
        min_value=FIRST_YEAR,
    )
    file = forms.FileField(
        label=_("Population table (CSV)"),
        help_text=_(
            "The CBS table “Kerncijfers wijken en buurten” as StatLine exports it (CSV, ; or ,), "
            "with the region code (WijkenEnBuurten or Codering_3) and AantalInwoners_5; "
            "households (HuishoudensTotaal) if present. At most 20 MB."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        year.widget.attrs.update({"max": timezone.localdate().year, "inputmode": "numeric"})

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        last = timezone.localdate().year
        if year > last:
            raise forms.ValidationError(
                _("There are no figures for %(year)s yet; the latest year is %(last)s.")
                % {"year": year, "last": last}
            )
        return year

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; is it the right table?"))
        if upload.size == 0:
            raise forms.ValidationError(
                _("The file is empty; the first line must name the columns.")
            )
        return upload
