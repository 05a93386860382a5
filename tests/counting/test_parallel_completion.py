"""Add1 steps computed in forked workers give exactly the sequential outcome."""

from __future__ import annotations

import os
import time
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
    # over budget from step 50 on (a worker stops at the first step that ends the completion)
    return k >= 50, None


def _slow_status(k: int) -> tuple[bool, str | None]:
    time.sleep(0.002)  # long enough for the workers to take steps too
    return _status(k)


def test_steps_arrive_in_order_and_are_shared_out(tmp_path: Path) -> None:
    log = tmp_path / "pids"

    def evaluate(k: int) -> tuple[bool, str | None]:
        with log.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return _slow_status(k)

    steps = _Steps(evaluate, jobs=3)
    steps.start(3, 200)
    try:
        assert len(steps.pipes) == 2
        assert [steps.status(k) for k in range(3, 51)] == [_status(k) for k in range(3, 51)]
    finally:
        steps.close()
    assert all(not proc.is_alive() for proc in steps.procs)
    assert len(set(log.read_text().split())) == 3  # this process and both workers computed


def test_a_step_that_fails_anywhere_raises_here() -> None:
    def evaluate(k: int) -> tuple[bool, str | None]:
        if k == 30:
            raise CountingError("tie at step 30")
        return _slow_status(k)

    steps = _Steps(evaluate, jobs=2)
    steps.start(3, 100)
    try:
        assert [steps.status(k) for k in range(3, 30)] == [_status(k) for k in range(3, 30)]
        with pytest.raises(CountingError, match="tie at step 30"):
            steps.status(30)
    finally:
        steps.close()


def test_workers_that_die_are_replaced_by_this_process() -> None:
    parent = os.getpid()

    def evaluate(k: int) -> tuple[bool, str | None]:
        if k >= 13 and os.getpid() != parent:
            os._exit(1)  # every worker dies at its first step from 13 on
        return _slow_status(k)

    steps = _Steps(evaluate, jobs=3)
    steps.start(3, 60)
    try:
        assert [steps.status(k) for k in range(3, 51)] == [_status(k) for k in range(3, 51)]
        for proc in steps.procs:  # every worker has died or found no step left
            proc.join(timeout=10)
        assert any(proc.exitcode == 1 for proc in steps.procs)  # at least one died
    finally:
        steps.close()


def test_cli_refuses_a_bad_jobs_value(capsys: pytest.CaptureFixture[str]) -> None:
    from wijkwerk.counting.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["count", str(PABULIB / "Netherlands_Assen_2024.pb"), "--jobs", "0"])
    assert exit_info.value.code == 2
    assert "expected a whole number of at least 1, got '0'" in capsys.readouterr().err
