"""`{{ figure|reach_figure }}`: a reach figure as people read it ("1.250", or "minder dan 5"),
`{{ share|percent }}` ("2,5 %"), `{{ number|whole }}` ("12.345")."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from wijkwerk.reach.selectors import THRESHOLD

register = template.Library()


@register.filter
def whole(value: Any) -> str:
    if value is None or value == "":
        return "–"
    return str(number_format(value, 0, force_grouping=True))


@register.filter
def reach_figure(figure: Any) -> str:
    if figure is None:
        return "–"
    if figure.suppressed:
        return _("fewer than %(n)s") % {"n": THRESHOLD}
    return whole(figure.value)


@register.filter
def percent(share: Any) -> str:
    if share is None:
        return "–"
    return _("%(share)s%%") % {"share": number_format(share, 1, force_grouping=True)}
