"""The audit trail as people read it: one reader for the events of every app.

`core.audit.record` stores an event's action ("initiative.approve") and its object's state before
and after as JSON: ids, cents, ISO dates, choice values. This module turns those into lines such as
"Amount granted: – → € 650,00" or "Fund: Bewonersinitiatieven (2021)"; never
"granted_cents 0 → 65000", "fund → 7" or "True".

Core knows no domain. Each app registers in its `AppConfig.ready()`

- its actions: a `TextChoices` enum whose values are the stored action strings and whose labels
  say what happened. One naming rule: ``<object>.<verb>``, lower case with underscores, the object
  being what the event is filed under ("initiative.approve", "role.assign", "fund.update")::

      auditlog.register_actions("initiatives", _("Initiatives"), InitiativeAction)

- how to show the keys of its snapshots that its model fields do not already tell (extra keys,
  lists of ids, what to leave out), and optionally which reference names the event's subject::

      auditlog.register_fields("initiatives.initiative", {
          "requested_cents": Money(_("amount requested")),
          "message": Hidden(),
      })

A key that is a concrete field of the event's object needs no registration: a foreign key shows the
name of the object it points to, a choice its label, a boolean yes or no, a date in words in the
active language ("2 december 2026"), a ``..._cents`` field money ("€ 650,00"), anything else its
text. `describe` renders a page of events with one query per kind of object they refer to.
"""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent
from .money import format_money

Label = str | Promise
# (model label, primary key as text) -> the object's name, loaded once per page
Names = Mapping[tuple[str, str], str]

EMPTY = "–"


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


# ----- Formatters --------------------------------------------------------------------------------


class Formatter:
    """How one key of a snapshot is shown: its label and its values as text."""

    hidden = False

    def __init__(self, label: Label | None = None) -> None:
        self.label = label

    def labelled(self, label: Label) -> Formatter:
        """The same formatter with a label (for the label a model field gives)."""
        if self.label is not None:
            return self
        labelled = copy.copy(self)
        labelled.label = label
        return labelled

    def references(self, value: Any) -> Iterable[tuple[str, str]]:
        """The objects (model label, primary key) the value names, to load in one go."""
        return ()

    def show(self, value: Any, names: Names) -> str:
        return self.text(value, names) if not _empty(value) else EMPTY

    def text(self, value: Any, names: Names) -> str:
        raise NotImplementedError


class Text(Formatter):
    def __init__(self, label: Label | None = None, *, max_length: int = 200) -> None:
        super().__init__(label)
        self.max_length = max_length

    def text(self, value: Any, names: Names) -> str:
        return Truncator(" ".join(str(value).split())).chars(self.max_length)


class Money(Formatter):
    """Integer cents as "€ 1.250,00"."""

    def text(self, value: Any, names: Names) -> str:
        try:
            return format_money(int(value))
        except (TypeError, ValueError):
            return str(value)


class Number(Formatter):
    """A decimal as the page's language writes it ("51,646030" in Dutch), not as stored."""

    def text(self, value: Any, names: Names) -> str:
        try:
            return formats.number_format(Decimal(str(value)))
        except (ArithmeticError, ValueError):
            return str(value)


class Boolean(Formatter):
    def show(self, value: Any, names: Names) -> str:
        if value is None:
            return EMPTY
        return _("yes") if value else _("no")

    def text(self, value: Any, names: Names) -> str:  # pragma: no cover - show() decides
        return self.show(value, names)


def _as_datetime(value: Any) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and "T" in value:
        return parse_datetime(value)
    return None


class Date(Formatter):
    """An ISO date (or date and time) as the date in words: "2 december 2026"."""

    def text(self, value: Any, names: Names) -> str:
        moment = _as_datetime(value)
        day: datetime.date | None
        if moment is not None:
            day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
        elif isinstance(value, datetime.date):
            day = value
        else:
            day = parse_date(str(value))
        return formats.date_format(day, "DATE_FORMAT") if day else str(value)


class DateTime(Formatter):
    """An ISO date and time as "2 december 2026 14:05", in the site's time zone."""

    def text(self, value: Any, names: Names) -> str:
        moment = _as_datetime(value)
        if moment is None:
            return Date().text(value, names)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "DATETIME_FORMAT")


class Choice(Formatter):
    """A stored choice value as its label."""

    def __init__(
        self, label: Label | None = None, *, choices: Iterable[tuple[Any, Any]] = ()
    ) -> None:
        super().__init__(label)
        self.choices = {str(value): text for value, text in choices}

    def text(self, value: Any, names: Names) -> str:
        return str(self.choices.get(str(value), value))


class Reference(Formatter):
    """The primary key of an object of `model` ("funds.fund") as the object's name."""

    def __init__(self, label: Label | None = None, *, model: str) -> None:
        super().__init__(label)
        self.model = model.lower()

    def references(self, value: Any) -> Iterable[tuple[str, str]]:
        if _empty(value):
            return ()
        values = value if isinstance(value, list) else [value]
        return [(self.model, str(v)) for v in values]

    def text(self, value: Any, names: Names) -> str:
        return names.get((self.model, str(value))) or _("(removed)")


class References(Reference):
    """A list of primary keys as the objects' names."""

    def text(self, value: Any, names: Names) -> str:
        values = value if isinstance(value, list) else [value]
        return ", ".join(super(References, self).text(v, names) for v in values)


class Count(Formatter):
    """A list (say of entries) as how many it holds."""

    def text(self, value: Any, names: Names) -> str:
        return str(len(value) if isinstance(value, list) else value)


class Hidden(Formatter):
    """Not shown: implied by the page (the municipality) or told better by another key."""

    hidden = True

    def text(self, value: Any, names: Names) -> str:  # pragma: no cover - never shown
        return ""


# ----- Registry ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionGroup:
    """One app's actions, a group in the log's filter."""

    key: str
    label: Label
    actions: type[models.TextChoices]

    @property
    def values(self) -> list[str]:
        return [str(value) for value in self.actions.values]


@dataclass(frozen=True)
class ObjectType:
    fields: Mapping[str, Formatter]
    # the key whose reference names the event's subject (e.g. a ledger entry's fund)
    subject: str | None = None


_groups: dict[str, ActionGroup] = {}
_objects: dict[str, ObjectType] = {}
# Keys shown the same way whatever the object.
_common: dict[str, Formatter] = {
    # Every event of the log belongs to the municipality whose log it is.
    "municipality": Hidden(),
}


def register_actions(key: str, label: Label, actions: type[models.TextChoices]) -> None:
    """Register an app's actions under `key` (the app's label); again replaces."""
    for other in _groups.values():
        if other.key != key and set(other.values) & {str(v) for v in actions.values}:
            raise ValueError(f"actions of {key!r} are already registered by {other.key!r}")
    _groups[key] = ActionGroup(key, label, actions)


def register_fields(
    object_type: str, fields: Mapping[str, Formatter], *, subject: str | None = None
) -> None:
    """How the keys of `object_type`'s snapshots ("app_label.modelname") are shown."""
    known = _objects.get(object_type.lower())
    merged = {**(known.fields if known else {}), **fields}
    _objects[object_type.lower()] = ObjectType(
        merged, subject if subject is not None else (known.subject if known else None)
    )


def groups() -> list[ActionGroup]:
    return list(_groups.values())


def action_label(action: str) -> str:
    for group in _groups.values():
        if action in group.values:
            return str(group.actions(action).label)
    return action


def actions_for(kind: str) -> list[str] | None:
    """The actions a filter value stands for: an app's key (all its actions) or one action."""
    if kind in _groups:
        return _groups[kind].values
    for group in _groups.values():
        if kind in group.values:
            return [kind]
    return None


def filter_choices() -> list[tuple[Any, Any]]:
    """For a select: each app as a group, its first option all of its actions."""
    choices: list[tuple[Any, Any]] = [("", gettext_lazy("– all –"))]
    for group in sorted(_groups.values(), key=lambda g: str(g.label)):
        options = [(group.key, _("All: %(group)s") % {"group": group.label})]
        options += [(str(value), str(label)) for value, label in group.actions.choices]
        choices.append((str(group.label), options))
    return choices


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _inferred(model: type[models.Model] | None, key: str) -> Formatter | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    label = getattr(field, "verbose_name", key)
    related = field.related_model
    if field.many_to_many and isinstance(related, type):
        return References(label, model=related._meta.label_lower)
    if field.is_relation and isinstance(related, type):
        return Reference(label, model=related._meta.label_lower)
    if getattr(field, "choices", None):
        return Choice(label, choices=field.flatchoices)  # type: ignore[union-attr]
    if isinstance(field, models.BooleanField):
        return Boolean(label)
    if isinstance(field, models.DateTimeField):
        return DateTime(label)
    if isinstance(field, models.DateField):
        return Date(label)
    if key.endswith("_cents"):
        return Money(label)
    if isinstance(field, models.DecimalField | models.FloatField):
        return Number(label)
    if isinstance(field, models.JSONField):
        return Hidden()
    return Text(label)


def formatter(object_type: str, key: str) -> Formatter:
    """How `key` of an `object_type` snapshot is shown (registered, then common, then the
    model field; an unknown key, from an older snapshot, as its text under its own name)."""
    registered = _objects.get(object_type)
    if registered is not None and key in registered.fields:
        found = registered.fields[key]
        if found.label is None:
            inferred = _inferred(_model(object_type), key)
            if inferred is not None and inferred.label is not None:
                found = found.labelled(inferred.label)
        return found
    if key in _common:
        return _common[key]
    return _inferred(_model(object_type), key) or Text(key)


# ----- Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the key was not there before (a creation)
    after: str | None  # None: the key is gone (a removal)
    key: str = ""  # the snapshot's key, for tests and exports; never shown

    @property
    def text(self) -> str:
        if self.before is None:
            return f"{self.field}: {self.after}"
        return f"{self.field}: {self.before} → {self.after if self.after is not None else EMPTY}"


@dataclass(frozen=True)
class EventView:
    event: AuditEvent
    action: str  # what happened ("Initiative approved")
    kind: str  # what kind of object ("initiative")
    subject: str  # which ("Speeltuin Dorst")
    changes: list[Change]

    @property
    def lines(self) -> list[str]:
        return [change.text for change in self.changes]

    @property
    def text(self) -> str:
        """The event on one line, as in a mail or a report."""
        when = formats.date_format(timezone.localtime(self.event.created_at), "DATETIME_FORMAT")
        who = self.event.actor.email if self.event.actor else _("system")
        head = f"{when} · {who} · {self.action} · {self.kind} {self.subject}".rstrip()
        return "\n  ".join([head, *self.lines])


def _keys(event: AuditEvent) -> list[str]:
    before, after = event.before or {}, event.after or {}
    return list(dict.fromkeys([*after, *before]))


def _load_names(wanted: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    for label, keys in wanted.items():
        model = _model(label)
        if model is None:
            continue
        pks = [k for k in keys if k.lstrip("-").isdigit()] if _integer_pk(model) else list(keys)
        for obj in model._default_manager.filter(pk__in=pks):
            names[(label, str(obj.pk))] = str(obj)
    return names


def _integer_pk(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.IntegerField)


def describe(events: Sequence[AuditEvent]) -> list[EventView]:
    """The events as people read them: one query per kind of object the page refers to."""
    wanted: dict[str, set[str]] = defaultdict(set)
    plans = []
    for event in events:
        plan = []
        for key in _keys(event):
            shown = formatter(event.object_type, key)
            if shown.hidden:
                continue
            for state in (event.before, event.after):
                if state and key in state:
                    for label, pk in shown.references(state[key]):
                        wanted[label].add(pk)
            plan.append((key, shown))
        registered = _objects.get(event.object_type)
        subject_key = registered.subject if registered else None
        if subject_key:
            state = event.after or event.before or {}
            shown = formatter(event.object_type, subject_key)
            for label, pk in shown.references(state.get(subject_key)):
                wanted[label].add(pk)
        plans.append((event, plan, subject_key))
    names = _load_names(wanted)
    views = []
    for event, plan, subject_key in plans:
        before, after = event.before, event.after
        changes = []
        for key, shown in plan:
            if key == subject_key:
                continue  # named as the event's subject
            had = before is not None and key in before
            has = after is not None and key in after
            old = before.get(key) if before else None
            new = after.get(key) if after else None
            if had and has and old == new:
                continue
            if _empty(old) and _empty(new):
                continue
            label = capfirst(str(shown.label)) if shown.label is not None else key
            old_text = shown.show(old, names) if had else None
            new_text = shown.show(new, names) if has else None
            if new_text is None and old_text is not None and after is None:
                # a removal: what there was
                changes.append(Change(label, None, old_text, key))
                continue
            changes.append(
                Change(label, old_text, new_text if new_text is not None else EMPTY, key)
            )
        model = _model(event.object_type)
        kind = str(model._meta.verbose_name) if model is not None else ""
        subject = event.object_repr
        if subject_key:
            state = after or before or {}
            shown = formatter(event.object_type, subject_key)
            subject = shown.show(state.get(subject_key), names)
            target = _model(getattr(shown, "model", ""))
            kind = str(target._meta.verbose_name) if target is not None else kind
        views.append(EventView(event, action_label(event.action), kind, subject, changes))
    return views
