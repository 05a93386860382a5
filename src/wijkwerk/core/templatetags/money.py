"""`{{ cents|money }}`: an amount in cents as people read it, "€ 1.250,00" (core.money), kept on
one line (`<span class="amount">`: the euro sign never ends a line with the number on the next).
For HTML text only; an attribute or a <title> takes `core.money.format_money` in the view."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wijkwerk.core.money import format_money

register = template.Library()


@register.filter
def money(cents: Any) -> SafeString | str:
    """125000 -> '<span class="amount">€ 1.250,00</span>'; nothing (None or "") stays empty."""
    if cents is None or cents == "":
        return ""
    return format_html('<span class="amount">{}</span>', format_money(int(cents)))
