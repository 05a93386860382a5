"""Workflows: a domain declares its states, named state sets and transitions once, here.

A domain (initiatives today; budget rounds, challenges and surveys next) declares its states
with their named sets, then its transitions:

    STATES = States(
        Status.values,
        (EDITABLE, PUBLIC, ...),                   # StateSet("editable", {...}, "why"), once each
    )
    WORKFLOW = Workflow(
        states=STATES,
        transitions=(
            Transition("submit", EDITABLE, Status.SUBMITTED, is_applicant, effect=_submit),
            ...
        ),
        refusal=ActionRefused,                     # the domain's Refused subclass
        wrong_state=lambda step, obj: ...,         # the domain's words for "not now"
        required_messages={"reason": _("Give a reason.")},
    )

and its services take every step through it:

    move = WORKFLOW.take(actor, obj, "approve", amount=..., fund=...)
    obj.save(); timeline(move.note); audit; mail

`take` checks the step (`check`), checks the fields the step requires, runs the step's effect
(the step's own work: booking money, setting dates; an effect refuses by raising the domain's
refusal) and only then sets the new state, so an effect still sees the state the object was in.
Services save, record and notify; views build buttons from `available`, and code and templates
use the sets by name (`obj.status in EDITABLE`, `{% if obj.states.editable %}`, see `StateFlags`).

Every refusal carries a stable code (tests and API clients read the code, not the text):

- `unknown_step`: the workflow has no such step;
- `wrong_state`: the step exists, but not from the object's current state;
- `<field>_required`: a field the step requires (`Transition.required`) is empty.

A person who may not take the step at all gets `PermissionDenied` (403), as everywhere.
Phases (what a period of a budget round or survey allows) are in `wijkwerk.core.phases`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _


class Refused(ValidationError):
    """A step the rules do not allow now. The message is for people; `code` is stable.

    The code is required, so that every refusal can be told apart by a test or a client without
    reading its (translated) text. A list of messages gets the code on each of them that has
    none of its own."""

    def __init__(self, message: Any, code: str, params: dict[str, Any] | None = None) -> None:
        if isinstance(message, list):
            message = [
                item if isinstance(item, ValidationError) else ValidationError(item, code=code)
                for item in message
            ]
        super().__init__(message, code, params)
        self.code = code

    @property
    def codes(self) -> list[str | None]:
        """The code of every message (one for a single message)."""
        return [getattr(error, "code", None) for error in self.error_list]


class StateSet(frozenset[str]):
    """A named set of states, declared once: `StateSet("editable", {"draft", "returned"}, why)`.

    A frozenset, so `obj.status in EDITABLE`, `filter(status__in=EDITABLE)` and set algebra work
    as before; the name is what templates and messages use (`obj.states.editable`)."""

    name: str
    description: str

    def __new__(cls, name: str, states: Iterable[str], description: str = "") -> StateSet:
        self = super().__new__(cls, (str(state) for state in states))
        self.name = name
        self.description = description
        return self

    def __init__(self, name: str, states: Iterable[str], description: str = "") -> None:
        super().__init__()

    def __reduce__(self) -> tuple[Any, ...]:
        return (StateSet, (self.name, tuple(sorted(self)), self.description))

    def __repr__(self) -> str:
        return f"StateSet({self.name!r}, {sorted(self)!r})"

    def q(self, field_name: str = "status") -> Q:
        """The queryset condition `field_name in this set`."""
        return Q(**{f"{field_name}__in": sorted(self)})


Predicate = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Transition:
    """One step: from any of `sources` to `target`, for whom `allowed(user, obj)` holds.

    `required`: fields the actor must fill (checked by `Workflow.take`, refused with
    `<field>_required`). `effect(move)`: the step's own work, run before the state changes; it
    refuses by raising the domain's refusal and may set `move.note` and `move.notice`.
    `for_staff`: offered to officials as a button (the applicant's own steps have their own
    pages)."""

    action: str
    sources: frozenset[str]
    target: str
    allowed: Predicate
    required: tuple[str, ...] = ()
    label: str | Promise = ""
    effect: Callable[[Move], None] | None = None
    for_staff: bool = True


@dataclass
class Move:
    """One step being taken: what the effect gets, and what it tells the service.

    `note` is what the record of the step (a timeline) says, `notice` what the people concerned
    are told; None leaves both to the service (usually the reason given)."""

    transition: Transition
    actor: Any
    obj: Any
    source: str
    fields: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    notice: str | None = None
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def target(self) -> str:
        return self.transition.target

    def value(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)


class UnknownStateSet(LookupError):
    """A template or service asked for a state or state set that is not declared.

    Deliberately not a KeyError or AttributeError: templates swallow those, and a misspelt name
    would quietly read as False."""


class States:
    """A domain's states and its named state sets, declared once.

    `in_set(obj, name)` answers for a set's name or a single state's name, so templates read
    `initiative.states.editable` and `initiative.states.rejected` alike (see `StateFlags`)."""

    def __init__(
        self, values: Iterable[str], sets: Iterable[StateSet] = (), *, field: str = "status"
    ) -> None:
        self.values = frozenset(str(value) for value in values)
        self.field = field
        self.sets: dict[str, StateSet] = {}
        for state_set in sets:
            if state_set.name in self.sets or state_set.name in self.values:
                raise ImproperlyConfigured(f"state set {state_set.name!r} declared twice")
            unknown = set(state_set) - self.values
            if unknown:
                raise ImproperlyConfigured(
                    f"state set {state_set.name!r} names unknown states {unknown}"
                )
            self.sets[state_set.name] = state_set

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.values))

    def state_set(self, name: str) -> frozenset[str]:
        """The named set, or the one state of that name."""
        if name in self.sets:
            return self.sets[name]
        if name in self.values:
            return frozenset({name})
        raise UnknownStateSet(name)

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.field))

    def in_set(self, obj: Any, name: str) -> bool:
        return obj is not None and self.state_of(obj) in self.state_set(name)

    def flags(self, obj: Any) -> StateFlags:
        return StateFlags(self, obj)


class StateFlags:
    """`{% if initiative.states.editable %}`: whether the object is in a named state set (or in
    the state of that name). An unknown name raises `UnknownStateSet`, also in a template."""

    def __init__(self, states: States, obj: Any) -> None:
        self._states = states
        self._obj = obj

    def __getitem__(self, name: str) -> bool:
        return self._states.in_set(self._obj, name)

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._states.in_set(self._obj, name)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Workflow:
    """A domain's transitions between its `States`, checked for consistency when built."""

    def __init__(
        self,
        *,
        states: States,
        transitions: Iterable[Transition],
        refusal: type[Refused] = Refused,
        wrong_state: Callable[[Transition, Any], str] | None = None,
        required_messages: Mapping[str, str | Promise] | None = None,
    ) -> None:
        self.states = states
        self.transitions = tuple(transitions)
        self.refusal = refusal
        self._wrong_state = wrong_state
        self.required_messages = dict(required_messages or {})
        self.by_action: dict[str, Transition] = {}
        for step in self.transitions:
            if step.action in self.by_action:
                raise ImproperlyConfigured(f"step {step.action!r} declared twice")
            unknown = (set(step.sources) | {step.target}) - states.values
            if unknown:
                raise ImproperlyConfigured(f"step {step.action!r} names unknown states {unknown}")
            if not step.sources:
                raise ImproperlyConfigured(f"step {step.action!r} has no source state")
            self.by_action[step.action] = step

    # --- reading the declaration ---------------------------------------------------------------

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.transitions)

    def __getitem__(self, action: str) -> Transition:
        return self.by_action[action]

    def transition(self, action: str) -> Transition | None:
        return self.by_action.get(action)

    @property
    def terminal_states(self) -> frozenset[str]:
        """States no step leaves."""
        return self.states.values - {source for step in self.transitions for source in step.sources}

    @property
    def edges(self) -> frozenset[tuple[str, str, str]]:
        """Every (source, target, action) the table allows."""
        return frozenset(
            (source, step.target, step.action)
            for step in self.transitions
            for source in step.sources
        )

    def state_of(self, obj: Any) -> str:
        return self.states.state_of(obj)

    # --- taking steps -------------------------------------------------------------------------

    def available(self, user: Any, obj: Any, *, staff_only: bool = True) -> list[Transition]:
        """The steps this user may take now, in the table's order (for buttons; `take` checks
        again). `staff_only` leaves out the steps that have their own pages."""
        state = self.state_of(obj)
        return [
            step
            for step in self.transitions
            if state in step.sources
            and (step.for_staff or not staff_only)
            and step.allowed(user, obj)
        ]

    def wrong_state_message(self, step: Transition, obj: Any) -> str:
        if self._wrong_state is not None:
            return self._wrong_state(step, obj)
        return _("“%(action)s” is not possible now.") % {"action": step.label or step.action}

    def check(self, user: Any, obj: Any, action: str, *, system: bool = False) -> Transition:
        """The step, if this user may take it from the object's state now.

        Refuses an unknown step (`unknown_step`) and a step from another state (`wrong_state`);
        raises PermissionDenied for a person the step is not for. `system`: the platform itself
        takes the step (e.g. on behalf of a submission), so nobody's permission is asked."""
        step = self.by_action.get(action)
        if step is None:
            raise self.refusal(_("This step does not exist."), code="unknown_step")
        if not system and not step.allowed(user, obj):
            raise PermissionDenied
        if self.state_of(obj) not in step.sources:
            raise self.refusal(self.wrong_state_message(step, obj), code="wrong_state")
        return step

    def take(
        self, user: Any, obj: Any, action: str, *, system: bool = False, **fields: Any
    ) -> Move:
        """Check the step and its required fields, run its effect, set the new state.

        Does not save: the service saves, records and notifies, in its own transaction."""
        step = self.check(user, obj, action, system=system)
        for name in step.required:
            if _blank(fields.get(name)):
                message = self.required_messages.get(name) or _("Fill in %(field)s.") % {
                    "field": name
                }
                raise self.refusal(str(message), code=f"{name}_required")
        move = Move(step, user, obj, self.state_of(obj), dict(fields))
        if step.effect is not None:
            step.effect(move)
        setattr(obj, self.states.field, step.target)
        return move
