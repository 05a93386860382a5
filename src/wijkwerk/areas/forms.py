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


# ---- Several areas: checkboxes grouped by municipality and district ---------------------------

DistrictGroup = tuple[str, list[Option]]


def area_district_groups(queryset: QuerySet[Area]) -> list[tuple[str, list[DistrictGroup]]]:
    """(municipality name, [(district or village name, [(area id, name), ...]), ...]) for the
    areas of `queryset`, one query: each district or village first in its own group, then its
    neighbourhoods, alphabetically."""
    rows = (
        queryset.annotate(municipality_name=F("municipality__name"), parent_name=F("parent__name"))
        .order_by("municipality__name", "municipality_id", "name", "pk")
        .values_list(
            "pk", "name", "parent_id", "parent_name", "municipality_name", "municipality_id"
        )
    )
    result = []
    for (municipality_name, _mid), areas in groupby(rows, key=lambda r: (r[4], r[5])):
        districts: dict[Any, tuple[str, list[Option], list[Option]]] = {}
        for pk, name, parent_id, parent_name, _m, _id in areas:
            key, title = (parent_id, parent_name) if parent_id else (pk, name)
            own, children = districts.setdefault(key, (title, [], []))[1:]
            (children if parent_id else own).append((pk, name))
        groups = [
            (title, own + sorted(children, key=lambda o: o[1].casefold()))
            for title, own, children in sorted(districts.values(), key=lambda d: d[0].casefold())
        ]
        result.append((municipality_name, groups))
    return result


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes of areas, a fieldset per district or village (its legend the district's
    name) and, where the areas lie in more than one municipality, a folded section per
    municipality (open where something is chosen): usable without JavaScript, where a
    multiple select of dozens of areas was not. Rendered in Python, as GroupedSelect."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        from wijkwerk.core.forms import design_classes

        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        base_id = final.get("id") or f"id_{name}"
        classes = design_classes(forms.CheckboxInput(), invalid=bool(final.get("aria-invalid")))
        queryset = getattr(self.choices, "queryset", None)
        groups = area_district_groups(queryset if queryset is not None else Area.objects.all())

        def box(pk: Any, label: str) -> str:
            box_id = html.escape(f"{base_id}_{pk}")
            checked = " checked" if str(pk) in chosen else ""
            value = html.escape(str(pk))
            return (
                '<div class="utrecht-form-field utrecht-form-field--checkbox">'
                '<div class="utrecht-form-field__input">'
                f'<input type="checkbox" name="{html.escape(name)}" value="{value}"'
                f' id="{box_id}" class="{classes}"{checked}></div>'
                '<div class="utrecht-form-field__label">'
                '<label class="utrecht-form-label utrecht-form-label--checkbox"'
                f' for="{box_id}">{html.escape(label)}</label></div></div>'
            )

        def district(title: str, options: list[Option]) -> str:
            return (
                '<fieldset class="utrecht-form-fieldset area-checkboxes__district">'
                f'<legend class="utrecht-form-fieldset__legend">{html.escape(title)}</legend>'
                + "".join(box(pk, label) for pk, label in options)
                + "</fieldset>"
            )

        parts = []
        for municipality, districts in groups:
            inner = "".join(district(title, options) for title, options in districts)
            if len(groups) == 1:
                parts.append(inner)
                continue
            is_open = any(str(pk) in chosen for _t, options in districts for pk, _l in options)
            parts.append(
                f'<details class="area-checkboxes__municipality"{" open" if is_open else ""}>'
                f"<summary>{html.escape(municipality)}</summary>{inner}</details>"
            )
        return format_html(
            '<div class="area-checkboxes" id="{}">{}</div>',
            base_id,
            mark_safe("".join(parts)),  # noqa: S308 - every label and value escaped above
        )


class GroupedAreaMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several areas, as checkboxes grouped by district (GroupedCheckboxSelectMultiple)."""

    widget = GroupedCheckboxSelectMultiple
