"""Phases: periods of a participation process, each declaring what it allows.

A budget round, a survey or a right-to-challenge procedure runs through phases (collecting
proposals, checking them, voting, results). As adhocracy4's phases declare their features, a phase
here declares its capabilities, and the rest of the domain asks the phase instead of comparing
dates or phase names:

    KINDS = PhaseKinds(
        PhaseKind("collect", _("Proposals"), {Capability.PROPOSE, Capability.COMMENT}),
        PhaseKind("vote", _("Voting"), {Capability.VOTE}),
        PhaseKind("results", _("Results"), {Capability.SEE_RESULTS}),
    )

    class RoundPhase(PhaseModel):          # a domain's concrete model: one row per phase
        KINDS = KINDS
        round = models.ForeignKey(BudgetRound, related_name="phases", ...)

    allows(round_phase, Capability.VOTE)   # a phase row: running now, and its kind allows it
    schedule = Schedule(round.phases.all())
    allows(schedule, Capability.VOTE)      # whichever phase is running now
    phase_allows(Capability.PROPOSE, lambda proposal: proposal.round.schedule)
                                           # a predicate for a workflow step or a policy

A phase runs from `starts_at` (included) to `ends_at` (excluded); between phases nothing runs and
nothing is allowed. The workflow of the things inside the process (a proposal's states) lives in
`wijkwerk.core.workflow`; a step there can require a capability of the running phase.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

import rules
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Capability(models.TextChoices):
    """What a phase can allow. A new kind of participation adds its capability here."""

    PROPOSE = "propose", _("propose")
    COMMENT = "comment", _("comment")
    SUPPORT = "support", _("support (like)")
    REVIEW = "review", _("review")
    VOTE = "vote", _("vote")
    SEE_RESULTS = "see_results", _("see the results")


@dataclass(frozen=True)
class PhaseKind:
    """A kind of phase and the capabilities it allows."""

    key: str
    label: str | Promise
    capabilities: frozenset[Capability] = field(default_factory=frozenset)
    description: str | Promise = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "capabilities", frozenset(self.capabilities))

    def allows(self, capability: Capability | str) -> bool:
        return Capability(capability) in self.capabilities


class PhaseKinds:
    """A domain's kinds of phase, declared once (their keys are what phase rows store)."""

    def __init__(self, *kinds: PhaseKind) -> None:
        self._kinds: dict[str, PhaseKind] = {}
        for kind in kinds:
            if kind.key in self._kinds:
                raise ImproperlyConfigured(f"phase kind {kind.key!r} declared twice")
            self._kinds[kind.key] = kind

    def __getitem__(self, key: str) -> PhaseKind:
        return self._kinds[key]

    def __contains__(self, key: object) -> bool:
        return key in self._kinds

    def __iter__(self) -> Iterator[PhaseKind]:
        return iter(self._kinds.values())

    @property
    def choices(self) -> list[tuple[str, str | Promise]]:
        return [(kind.key, kind.label) for kind in self]


@runtime_checkable
class ScheduledPhase(Protocol):
    """A phase with its period: a `PhaseModel` row, or any object with these attributes."""

    @property
    def phase_kind(self) -> PhaseKind: ...

    @property
    def starts_at(self) -> datetime.datetime: ...

    @property
    def ends_at(self) -> datetime.datetime: ...


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now if now is not None else timezone.now()


def is_running(phase: ScheduledPhase, now: datetime.datetime | None = None) -> bool:
    moment = _now(now)
    return phase.starts_at <= moment < phase.ends_at


class PhaseModel(models.Model):
    """One phase of something (abstract): a domain's model adds the relation to its process and
    `KINDS`, the kinds of phase it may have."""

    KINDS: ClassVar[PhaseKinds] = PhaseKinds()

    kind = models.CharField(_("kind of phase"), max_length=40)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        abstract = True
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
            )
        ]

    @property
    def phase_kind(self) -> PhaseKind:
        return self.KINDS[self.kind]

    @property
    def label(self) -> str | Promise:
        return self.phase_kind.label

    def is_running(self, now: datetime.datetime | None = None) -> bool:
        return is_running(self, now)

    def allows(self, capability: Capability | str, now: datetime.datetime | None = None) -> bool:
        return self.is_running(now) and self.phase_kind.allows(capability)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.kind not in self.KINDS:
            errors["kind"] = gettext("Choose a kind of phase.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = gettext("A phase ends after it starts.")
        if errors:
            raise ValidationError(errors)


class Schedule:
    """The phases of one process, in order of their start."""

    def __init__(self, phases: Iterable[ScheduledPhase]) -> None:
        self.phases = sorted(phases, key=lambda phase: phase.starts_at)

    def __iter__(self) -> Iterator[ScheduledPhase]:
        return iter(self.phases)

    def current(self, now: datetime.datetime | None = None) -> ScheduledPhase | None:
        """The phase running now, or None between phases, before the first and after the last."""
        moment = _now(now)
        return next((phase for phase in self.phases if is_running(phase, moment)), None)

    def upcoming(self, now: datetime.datetime | None = None) -> ScheduledPhase | None:
        moment = _now(now)
        return next((phase for phase in self.phases if phase.starts_at > moment), None)

    def allows(self, capability: Capability | str, now: datetime.datetime | None = None) -> bool:
        phase = self.current(now)
        return phase is not None and phase.phase_kind.allows(capability)

    def overlaps(self) -> list[tuple[ScheduledPhase, ScheduledPhase]]:
        """Pairs of consecutive phases that overlap (a schedule must have none)."""
        return [
            (first, second)
            for first, second in zip(self.phases, self.phases[1:], strict=False)
            if second.starts_at < first.ends_at
        ]


def allows(
    subject: PhaseKind | ScheduledPhase | Schedule | None,
    capability: Capability | str,
    *,
    now: datetime.datetime | None = None,
) -> bool:
    """Whether `subject` allows `capability` now: a kind of phase (always, by declaration), a
    phase (while it runs) or a schedule (through the phase running now). None allows nothing."""
    if subject is None:
        return False
    if isinstance(subject, PhaseKind):
        return subject.allows(capability)
    if isinstance(subject, Schedule):
        return subject.allows(capability, now)
    return is_running(subject, now) and subject.phase_kind.allows(capability)


def phase_allows(
    capability: Capability | str,
    subject_of: Callable[[Any], PhaseKind | ScheduledPhase | Schedule | None],
) -> rules.Predicate:
    """A predicate `(user, obj)` for a workflow step or a permission: the phase that governs
    `obj` (found by `subject_of(obj)`) allows `capability` now."""
    capability = Capability(capability)

    def check(user: Any, obj: Any) -> bool:
        return obj is not None and allows(subject_of(obj), capability)

    return rules.predicate(check, name=f"phase_allows_{capability.value}")
