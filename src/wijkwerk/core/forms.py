"""Form pieces every app uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input
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


# --- One way to render a form field -----------------------------------------------------------
#
# settings.FORM_RENDERER is `FormRenderer`: `{{ field.as_field_group }}` renders every field of
# every app through core/forms/field.html in NL Design System markup (checkbox and radio labels
# beside their controls, description and errors linked by the ids Django's aria-describedby
# points at). `{% error_summary form formset ... %}` (core_forms) puts the list of errors, each a
# link to its field, at the top of a form.

_DESIGN_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.CheckboxSelectMultiple, "utrecht-checkbox utrecht-checkbox--html-input"),
    # Utrecht's radio button draws itself from tokens our themes do not set: a native one.
    (forms.RadioSelect, "form-radio"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.FileInput, "utrecht-file-input"),
    (Input, "utrecht-textbox utrecht-textbox--html-input"),
]


class FormRenderer(DjangoTemplates):
    """Django's template renderer with the project's field template (see above)."""

    field_template_name = "core/forms/field.html"


def design_classes(widget: forms.Widget, *, invalid: bool = False) -> str:
    """The widget's own classes plus its NL Design System classes (once), and the block's
    `--invalid` modifier when the server found an error in the field."""
    own = str(widget.attrs.get("class", "")).split()
    for widget_type, classes in _DESIGN_CLASSES:
        if isinstance(widget, widget_type):
            wanted = classes.split()
            if invalid:
                wanted.append(f"{wanted[0]}--invalid")
            return " ".join(dict.fromkeys([*own, *wanted]))
    return " ".join(own)


def shows_optional(field: forms.BoundField) -> bool:
    """Whether the label says "(optional)": a field may say so itself (`show_optional`, for a
    field the form accepts empty but that is needed later, such as for submitting an
    application); otherwise a field that is not required, in a form that requires something (a
    search form of optional filters marks none)."""
    explicit = getattr(field.field, "show_optional", None)
    if explicit is not None:
        return bool(explicit)
    if field.field.required or field.is_hidden:
        return False
    return any(f.required for f in field.form.fields.values())


def error_entries(*forms_or_formsets: Any) -> list[tuple[str, str, str]]:
    """(anchor id, label, message) for every error of the forms and formsets, in page order;
    errors of the form as a whole have no anchor."""
    entries: list[tuple[str, str, str]] = []
    for item in forms_or_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            if not item.is_bound:
                continue
            entries += [("", "", str(e)) for e in item.non_form_errors()]
            for number, form in enumerate(item.forms, start=1):
                for anchor, label, message in error_entries(form):
                    entries.append((anchor, f"{label} ({number})" if label else "", message))
            continue
        if not item.is_bound:
            continue
        entries += [("", "", str(e)) for e in item.non_field_errors()]
        for bound in item:
            for message in bound.errors:
                entries.append((bound.id_for_label or bound.auto_id, str(bound.label), message))
    return entries
