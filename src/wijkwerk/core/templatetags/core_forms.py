"""Form rendering helpers for core/forms/field.html and every form's error summary."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundWidget
from django.utils.safestring import SafeString

from wijkwerk.core.forms import design_classes, error_entries, shows_optional

register = template.Library()


@register.filter
def nl_widget(field: forms.BoundField) -> SafeString:
    """The field's widget with its NL Design System classes (Django adds aria-invalid and
    aria-describedby)."""
    return field.as_widget(
        attrs={"class": design_classes(field.field.widget, invalid=bool(field.errors))}
    )


@register.filter
def nl_option(option: BoundWidget, field: forms.BoundField) -> SafeString:
    """One radio button or checkbox of a choice field, with its classes."""
    attrs = dict(option.data["attrs"])
    attrs["class"] = design_classes(field.field.widget, invalid=bool(field.errors))
    if field.errors:
        attrs["aria-invalid"] = "true"
    option.data["attrs"] = attrs
    return option.tag()


@register.filter
def optional(field: forms.BoundField) -> bool:
    return shows_optional(field)


@register.inclusion_tag("core/forms/error_summary.html")
def error_summary(*forms_or_formsets: Any, title: str = "") -> dict[str, Any]:
    """`{% error_summary form lines %}`: a list of the errors at the top of the form, each a
    link to its field (nothing when there are none)."""
    return {"entries": error_entries(*forms_or_formsets), "title": title}
