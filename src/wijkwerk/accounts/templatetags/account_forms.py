"""Render form widgets with NL Design System classes (allauth's forms and ours alike).

Django itself links help text and errors to the widget (`aria-describedby` pointing at
`<id>_helptext` and `<id>_error`, `aria-invalid` on errors); the field template uses those ids.
"""

from __future__ import annotations

from django import forms, template
from django.forms.widgets import Input
from django.utils.safestring import SafeString

register = template.Library()

_BASE_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (Input, "utrecht-textbox utrecht-textbox--html-input"),
]


def _classes(widget: forms.Widget, invalid: bool) -> str:
    for widget_type, classes in _BASE_CLASSES:
        if isinstance(widget, widget_type):
            block = classes.split()[0]
            return f"{classes} {block}--invalid" if invalid else classes
    return ""


@register.filter
def nl_widget(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    attrs: dict[str, str | bool] = {}
    classes = " ".join(
        c for c in (widget.attrs.get("class", ""), _classes(widget, bool(field.errors))) if c
    )
    if classes:
        attrs["class"] = classes
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
