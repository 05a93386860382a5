"""Add1 steps computed in forked workers give exactly the sequential outcome."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wijkwerk.counting import CountingError, count, read_pb
from wijkwerk.counting.completion import _Steps

PABULIB = Path(__file__).resolve().parents[2].parent / "shared" / "pabulib"


@pytest.mark.parametrize(
    ("name", "completion"),
    [
        ("Poland_Wieliczka_2023_Green_Budget.pb", "add1"),
        ("Poland_Wieliczka_2023_Green_Budget.pb", "add1-exhaustive"),
        ("Poland_Warszawa_2026.pb", "add1"),
        ("Poland_Lodz_2022.pb", "add1u"),
    ],
)
def test_workers_give_the_sequential_outcome(name: str, completion: str) -> None:
    election = read_pb(PABULIB / name)
    alone = count(election, rule="mes", completion=completion, jobs=1)
    assert alone.add1_steps is not None and alone.add1_steps > 3  # the workers are used
    for jobs in (2, 3):
        together = count(election, rule="mes", completion=completion, jobs=jobs)
        assert together.to_json() == alone.to_json()


def _status(k: int) -> tuple[bool, str | None]:
    return k % 7 == 0, "stop" if k % 11 == 0 else None


def test_steps_arrive_in_order_from_every_lane() -> None:
    steps = _Steps(_status, jobs=3)
    steps.start(3, 60)
    try:
        assert len(steps.pipes) == 2
        assert [steps.status(k) for k in range(3, 61)] == [_status(k) for k in range(3, 61)]
    finally:
        steps.close()
    assert all(not proc.is_alive() for proc in steps.procs)


def test_a_step_that_fails_in_a_worker_raises_here() -> None:
    def evaluate(k: int) -> tuple[bool, str | None]:
        if k == 9:
            raise CountingError("tie at step 9")
        return _status(k)

    steps = _Steps(evaluate, jobs=2)
    steps.start(3, 40)
    try:
        assert [steps.status(k) for k in range(3, 9)] == [_status(k) for k in range(3, 9)]
        with pytest.raises(CountingError, match="tie at step 9"):
            steps.status(9)
    finally:
        steps.close()


def test_a_worker_that_dies_is_replaced_by_this_process() -> None:
    parent = os.getpid()

    def evaluate(k: int) -> tuple[bool, str | None]:
        if k == 13 and os.getpid() != parent:
            os._exit(1)
        return _status(k)

    steps = _Steps(evaluate, jobs=3)
    steps.start(3, 40)
    try:
        assert [steps.status(k) for k in range(3, 41)] == [_status(k) for k in range(3, 41)]
        assert len(steps.pipes) == 1  # the lane of step 13 is computed here now
    finally:
        steps.close()


def test_cli_refuses_a_bad_jobs_value(capsys: pytest.CaptureFixture[str]) -> None:
    from wijkwerk.counting.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["count", str(PABULIB / "Netherlands_Assen_2024.pb"), "--jobs", "0"])
    assert exit_info.value.code == 2
    assert "expected a whole number of at least 1, got '0'" in capsys.readouterr().err
