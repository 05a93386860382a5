"""Form pieces every app uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import has_control_characters

# Text fields whose value may span lines, or never leaves the form.
MULTI_LINE_WIDGETS = (forms.Textarea, forms.PasswordInput)


def validate_single_line(value: object) -> None:
    # Some text fields clean to another type (an amount in cents): only text is checked.
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _("Type this on one line, without line breaks, tabs or other control characters."),
            code="control_characters",
        )


def is_single_line(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field.widget, MULTI_LINE_WIDGETS)


class SingleLineFieldsMixin:
    """Every one-line text field of the form (a CharField, also e-mail, URL and slug fields, not
    shown as a textarea) refuses control characters such as line breaks: titles, names and
    addresses end up in mail subjects, exports and other one-line places. Applied when the form
    is cleaned, so fields added in `__init__` are covered too."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for field in self.fields.values():
            if is_single_line(field) and validate_single_line not in field.validators:
                field.validators.append(validate_single_line)
        super().full_clean()  # type: ignore[misc]


def single_line_fields(form_class: type[Any]) -> list[str]:
    """The names of a form class's one-line text fields (for tests and checks)."""
    return [name for name, field in form_class.base_fields.items() if is_single_line(field)]
