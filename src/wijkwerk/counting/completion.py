"""Completions of MES (Add1 variants, Add1U) and the comparison step.

* ``add1``: raise every voter's budget by 1 currency unit at a time, starting at
  ``B/n``; keep the last outcome that costs at most ``B``; stop when the next one
  costs more (no stop at exhaustiveness; reproduces Wieliczka 2023). It also stops
  when every candidate is funded or when the per-voter budget exceeds ``B/n + B``
  (the bound of pabutools' ``exhaustion_by_budget_increase``).
* ``add1-exhaustive``: as ``add1`` but also stop at the first exhaustive outcome
  (equalshares.net tool default; pabutools ``voter_budget_increment=1``).
* ``add1u``: ``add1``, then add the remaining projects greedily by votes while they fit.

The steps are independent MES runs, so with ``jobs > 1`` forked worker processes
compute later steps while this process computes its own share (speculatively: the
steps after the stop are thrown away). The result is the same for every ``jobs``:
each step is decided by this process in order, and a step that failed in a worker
(a tie the list cannot break, say) is recomputed here, where it raises as it would
without workers.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from .model import CountingError
from .rules.equal_shares import MesRun, mes_run
from .rules.prepare import Grouped
from .tiebreak import TieBreaker

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


class Completion(NamedTuple):
    """A completion of MES: how the per-voter budget is raised, and what follows."""

    name: str
    description: str
    add1: bool = False  # raise the per-voter budget by 1 at a time (else: B/n only)
    exhaustive_stop: bool = False  # also stop at the first exhaustive outcome
    then_greedy: bool = False  # then fund what still fits, greedy by votes (engine.py)


COMPLETIONS: dict[str, Completion] = {
    c.name: c
    for c in (
        Completion("none", "MES with the per-voter budget B/n only"),
        Completion(
            "add1",
            "raise the per-voter budget by 1 while the outcome costs at most B",
            add1=True,
        ),
        Completion(
            "add1-exhaustive",
            "add1, stopping at the first exhaustive outcome",
            add1=True,
            exhaustive_stop=True,
        ),
        Completion(
            "add1u", "add1, then greedy by votes with the money left", add1=True, then_greedy=True
        ),
    )
}
"""The completions by name (``--completion``)."""


class Comparison(NamedTuple):
    """The comparison step: which outcome voters prefer, by a measure of each voter's ballot.

    ``measure(k)`` turns the number ``k`` of funded projects a voter supports into what is
    compared; ``None``: no comparison.
    """

    name: str
    description: str
    measure: Callable[[int], int] | None


def _at_least_one(funded_supported: int) -> int:
    return int(funded_supported > 0)


COMPARISONS: dict[str, Comparison] = {
    c.name: c
    for c in (
        Comparison("none", "no comparison step", None),
        Comparison("satisfaction", "per voter, the number of funded projects she supports", int),
        Comparison(
            "exclusion-ratio",
            "per voter, whether she supports at least one funded project",
            _at_least_one,
        ),
    )
}
"""The comparison steps by name (``--comparison``)."""

# Steps taken in this process before workers are started: most small elections stop
# within a few steps, and forking costs a few milliseconds.
SEQUENTIAL_STEPS = 3

# (over budget, reason to stop at this step or None)
Status = tuple[bool, str | None]


@dataclass
class CompletedRun:
    """Final MES run after completion, plus how it was reached."""

    run: MesRun
    steps: int  # number of +1 increments accepted
    stop_reason: str


def _is_exhaustive(grouped: Grouped, selected: list[int], total: Fraction) -> bool:
    chosen = set(selected)
    left = Fraction(grouped.budget) - total
    return all(p in chosen or grouped.cost[p] > left for p in range(len(grouped.candidates)))


def available_cpus() -> int:
    """Number of CPUs this process may run on (the default of the CLI's ``--jobs``)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class _Steps:
    """Status of Add1 step ``k`` (per-voter budget ``x0 + k``), asked for in order.

    With workers, every process (this one included) takes the lowest step nobody has
    taken yet from a shared counter, so the work goes to whichever process is free: a
    worker slowed down by other load on the machine holds up at most the step it has.
    Workers send their results through their own pipe; this process, while the step it
    needs is still being computed elsewhere, computes the next free step itself and
    only waits when every step up to the bound is taken. Workers are forked, so they
    share the grouped data without copying it, and are killed when the completion ends.
    A step that failed in a worker, or whose worker died, is recomputed here.
    """

    def __init__(self, evaluate: Callable[[int], Status], jobs: int) -> None:
        self.evaluate = evaluate
        self.jobs = jobs
        self.last = 0
        self.results: dict[int, Status | None] = {}  # None: recompute here
        self.pipes: dict[Connection, int] = {}  # result pipe -> worker number
        self.procs: list[Any] = []
        self.shared: Any = None  # (lock, next free step, step each worker is on)

    def start(self, first: int, last: int) -> None:
        """Start the workers for steps ``first`` .. ``last``."""
        if self.jobs < 2 or last - first < self.jobs:
            return
        import multiprocessing  # here: ~20 ms to import, only needed with workers

        if "fork" not in multiprocessing.get_all_start_methods():
            return
        ctx = multiprocessing.get_context("fork")
        self.last = last
        self.shared = (
            ctx.Lock(),
            ctx.RawValue("q", first),
            ctx.RawArray("q", [-1] * (self.jobs - 1)),
        )
        for number in range(self.jobs - 1):
            receiver, sender = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=self._work, args=(number, sender), daemon=True)
            proc.start()
            sender.close()
            self.pipes[receiver] = number
            self.procs.append(proc)

    def _take(self, worker: int | None = None) -> int | None:
        lock, free, working_on = self.shared
        with lock:
            k = int(free.value)
            if k > self.last:
                return None
            free.value = k + 1
            if worker is not None:
                working_on[worker] = k
        return k

    def _work(self, number: int, out: Connection) -> None:
        parent = os.getppid()
        while os.getppid() == parent:
            k = self._take(number)
            if k is None:
                return
            try:
                status = self.evaluate(k)
            except CountingError:
                out.send((k, None))  # recomputed, and raised, here if this step is reached
                return
            out.send((k, status))
            if status[0] or status[1] is not None:
                return  # the completion stops here at the latest

    def _receive(self, wait: bool) -> None:
        from multiprocessing.connection import wait as ready

        for item in ready(list(self.pipes), timeout=None if wait else 0):
            pipe = cast("Connection", item)
            try:
                k, status = pipe.recv()
            except (EOFError, OSError):  # the worker ended or died
                number = self.pipes.pop(pipe)
                pipe.close()
                orphan = int(self.shared[2][number])
                if orphan >= 0 and orphan not in self.results:
                    self.results[orphan] = None
                continue
            self.results[k] = status

    def status(self, k: int) -> Status:
        while self.shared is not None and k not in self.results:
            self._receive(wait=False)
            if k in self.results:
                break
            mine = self._take()
            if mine is not None:
                try:
                    self.results[mine] = self.evaluate(mine)
                except CountingError:
                    self.results[mine] = None
            elif self.pipes:
                self._receive(wait=True)
            else:
                break
        got = self.results.pop(k, None)
        return got if got is not None else self.evaluate(k)

    def close(self) -> None:
        for proc in self.procs:
            proc.kill()
        for proc in self.procs:
            proc.join()
        for pipe in self.pipes:
            pipe.close()


def run_with_completion(
    grouped: Grouped, completion: str, tie_breaker: TieBreaker, *, jobs: int = 1
) -> CompletedRun:
    """Run MES (fixed budget ``B/n``) and the Add1 part of ``completion``.

    ``jobs`` is the number of processes that compute Add1 steps (1: this one only).
    """
    if completion not in COMPLETIONS:
        raise CountingError(f"unknown completion '{completion}' (use {', '.join(COMPLETIONS)})")
    kind = COMPLETIONS[completion]
    B = Fraction(grouped.budget)
    n = grouped.n
    if n == 0:
        return CompletedRun(mes_run(grouped, Fraction(0), tie_breaker, record=True), 0, "no voters")
    x0 = B / n
    if not kind.add1:
        return CompletedRun(mes_run(grouped, x0, tie_breaker, record=True), 0, "no completion")
    supported = sum(1 for groups in grouped.supporter_groups if len(groups))

    def evaluate(k: int) -> Status:
        run = mes_run(grouped, x0 + k, tie_breaker)
        if kind.exhaustive_stop and _is_exhaustive(grouped, run.selected, run.total_cost):
            return run.total_cost > B, "exhaustive"
        if len(set(run.selected)) == supported:
            return run.total_cost > B, "every project funded"
        return run.total_cost > B, None

    # the per-voter budget may not exceed x0 + B (so at most floor(B) steps)
    last = int(B)
    steps = _Steps(evaluate, jobs)
    try:
        _over, reason = evaluate(0)
        k = 0
        while reason is None:
            if k + 1 > last:
                reason = "per-voter budget bound reached"
                break
            if k + 1 == SEQUENTIAL_STEPS:
                steps.start(k + 1, last)
            over, stop = steps.status(k + 1)
            if over:
                reason = "next step over budget"
                break
            k += 1
            reason = stop
    finally:
        steps.close()
    final = mes_run(grouped, x0 + k, tie_breaker, record=True)
    return CompletedRun(final, k, reason)
