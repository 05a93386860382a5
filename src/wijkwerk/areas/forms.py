"""The one way an area is chosen on any form: a select with an option group per municipality.

`GroupedAreaChoiceField` is a `ModelChoiceField` whose options come from its own queryset, grouped
by municipality (`<optgroup label="Oosterhout">`), each district or village followed by its
neighbourhoods, which carry their district's name so that two neighbourhoods called "Centrum"
can be told apart. The initiative form, the profile, the back office's role, council and group
forms and the list filters use it; narrow the queryset (one municipality, the person's own) as
with any ModelChoiceField.

The choices come from one query of plain values (no model instances) and the select is rendered
in Python, so that a select of thousands of areas stays fast; only the chosen area is loaded when
the form is validated.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from django import forms
from django.db.models import F, QuerySet
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .models import Area, AreaKind

Option = tuple[Any, str]
Group = tuple[str, list[Option]]


def area_choice_groups(queryset: QuerySet[Area] | None = None) -> list[Group]:
    """(municipality name, [(area id, label), ...]) for the areas of `queryset`: one query.

    Groups by municipality name; within a group, areas in alphabetical order of their label
    ("Dorst", "Dorst-Zuid (Dorst)", "Slotjes", ...)."""
    rows = (
        (Area.objects.all() if queryset is None else queryset)
        .annotate(municipality_name=F("municipality__name"), parent_name=F("parent__name"))
        .order_by("municipality__name", "municipality_id", "name", "pk")
        .values_list("pk", "name", "kind", "parent_name", "municipality_name", "municipality_id")
    )
    groups: list[Group] = []
    for (municipality_name, _municipality_id), areas in groupby(rows, key=lambda r: (r[4], r[5])):
        options: list[Option] = []
        for pk, name, kind, parent_name, _m, _mid in areas:
            label = (
                f"{name} ({parent_name})"
                if kind == AreaKind.NEIGHBOURHOOD and parent_name
                else name
            )
            options.append((pk, label))
        groups.append((municipality_name, sorted(options, key=lambda o: o[1].casefold())))
    return groups


class GroupedSelect(forms.Select):
    """A select rendered in Python, with `<optgroup>` for grouped choices: Django renders every
    option through a template, which costs milliseconds for a select of all areas. Same markup
    and attributes as forms.Select; labels and values are escaped once each."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}

        def option(option_value: Any, label: Any) -> str:
            selected = " selected" if str(option_value) in chosen else ""
            return (
                f'<option value="{html.escape(str(option_value))}"{selected}>'
                f"{html.escape(str(label))}</option>"
            )

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                inner = "".join(option(v, lab) for v, lab in label)
                group = html.escape(str(option_value))
                parts.append(f'<optgroup label="{group}">{inner}</optgroup>')
            else:
                parts.append(option(option_value, label))
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            mark_safe("".join(parts)),  # noqa: S308 - every label and value escaped above
        )


class GroupedAreaChoiceField(forms.ModelChoiceField):
    """Areas as a select with one option group per municipality (see the module's docstring)."""

    widget = GroupedSelect

    def __init__(self, queryset: QuerySet[Area] | None = None, **kwargs: Any) -> None:
        super().__init__(Area.objects.all() if queryset is None else queryset, **kwargs)

    def _get_choices(self) -> Any:
        return _GroupedChoices(self)

    # As ModelChoiceField itself does: a property whose getter is ours, the setter inherited.
    choices = property(_get_choices, forms.ChoiceField.choices.fset)  # type: ignore[union-attr]


class _GroupedChoices(BaseChoiceIterator):
    """Iterated by the widget at render time only: the query runs once, when the page is drawn.

    A BaseChoiceIterator, so that Django does not normalise (and so query) it when it is set."""

    def __init__(self, field: GroupedAreaChoiceField) -> None:
        self.field = field

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from area_choice_groups(self.field.queryset)

    def __bool__(self) -> bool:
        return True
