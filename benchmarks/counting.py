"""Benchmark of the counting engine (``./dev bench counting``).

Prints one table: instance, rule, tool, wall time, peak memory (max RSS of the
process, from ``/usr/bin/time -v``) and the ratio pabutools / wijkwerk. The anchor is
pabutools at its best: identical ballots grouped (``profile.as_multiprofile()``),
exact gmpy2 fractions (see ``_counting_pabutools.py``); it runs in a subprocess with
a 600 s timeout. ``--quick`` skips pabutools on Łódź and
Warszawa 2026 (the run then takes a couple of minutes). Our CLI runs with its default
``--jobs`` (the CPUs available) and, on the real files, also with ``--jobs 1``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "pabulib"
PY = sys.executable
CLI = str(Path(PY).parent / "wijkwerk")
TIMEOUT = 600
JOBS = len(os.sched_getaffinity(0))  # the CLI's default --jobs
PABUTOOLS = "pabutools, multiprofile"


def measure(cmd: list[str], timeout: int = TIMEOUT) -> tuple[float | None, float | None, str]:
    """Run ``cmd`` under /usr/bin/time -v; return (wall s, peak MB, stdout)."""
    start = time.perf_counter()
    # own session, so that a timeout kills the measured program too, not only
    # /usr/bin/time (an orphan would keep a core busy during the next measurements)
    proc = subprocess.Popen(
        ["/usr/bin/time", "-v", *cmd],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, None, ""
    wall = time.perf_counter() - start
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    peak = int(match.group(1)) / 1024 if match else None
    if proc.returncode != 0:
        print(f"command failed: {' '.join(cmd)}\n{err[-2000:]}", file=sys.stderr)
        return None, peak, out
    return wall, peak, out


def measure_cli(cmd: list[str], runs: int) -> tuple[float | None, float | None]:
    """Median wall time and the largest peak of `runs` runs of our CLI: on a shared 2-core VM one
    run can be 30 % off either way, so a single figure says little."""
    results = [measure(cmd) for _ in range(runs)]
    walls = [wall for wall, _, _ in results if wall is not None]
    peaks = [peak for _, peak, _ in results if peak is not None]
    return (statistics.median(walls) if walls else None, max(peaks) if peaks else None)


def synthetic(path: Path, voters: int, projects: int = 200, seed: int = 1) -> None:
    """Write an approval .pb file: Zipf-like popularity, 1-5 approvals per voter."""
    rng = random.Random(seed)
    costs = [rng.randrange(20, 400) * 1000 for _ in range(projects)]
    weights = [1.0 / (i + 1) ** 0.8 for i in range(projects)]
    budget = sum(costs) // 6
    ids = [f"p{i}" for i in range(projects)]
    with path.open("w", encoding="utf-8") as f:
        f.write("META\nkey;value\n")
        f.write(f"description;synthetic\nnum_projects;{projects}\nnum_votes;{voters}\n")
        f.write(f"budget;{budget}\nvote_type;approval\nrule;equalshares/add1\nmax_length;5\n")
        f.write("PROJECTS\nproject_id;cost\n")
        for i in range(projects):
            f.write(f"{ids[i]};{costs[i]}\n")
        f.write("VOTES\nvoter_id;vote\n")
        lines = []
        for v in range(voters):
            k = rng.randint(1, 5)
            chosen = set(rng.choices(range(projects), weights=weights, k=k))
            lines.append(f"{v};{','.join(ids[j] for j in sorted(chosen))}\n")
            if len(lines) >= 100000:
                f.write("".join(lines))
                lines = []
        f.write("".join(lines))


def fmt(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="skip pabutools on Łódź and Warszawa 2026"
    )
    parser.add_argument("--no-synthetic", action="store_true")
    parser.add_argument(
        "--runs", type=int, default=5, help="runs of our CLI per row (median shown)"
    )
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    rows: list[tuple[str, str, str, str, str, str]] = []
    files = [
        ("Wieliczka 2023", "Poland_Wieliczka_2023_Green_Budget.pb", True),
        ("Łódź 2022", "Poland_Lodz_2022.pb", not args.quick),
        ("Warszawa 2026", "Poland_Warszawa_2026.pb", not args.quick),
    ]
    for label, name, with_pabutools in files:
        f = str(DATA / name)
        cmd = [CLI, "count", f, "--rule", "mes", "--completion", "add1", "--json"]
        ours = measure_cli(cmd, args.runs)
        rows.append(
            (label, "MES+add1", f"wijkwerk CLI, {JOBS} jobs", fmt(ours[0]), fmt(ours[1], 0), "")
        )
        alone = measure_cli([*cmd, "--jobs", "1"], args.runs)
        rows.append((label, "MES+add1", "wijkwerk CLI, 1 job", fmt(alone[0]), fmt(alone[1], 0), ""))
        if with_pabutools:
            theirs = measure([PY, str(ROOT / "benchmarks" / "_counting_pabutools.py"), f])
            wall = "> 600 s" if theirs[0] is None and theirs[1] is None else fmt(theirs[0])
            ratio = "-"
            if theirs[0] is not None and ours[0] and alone[0]:
                ratio = f"{theirs[0] / ours[0]:.0f}x ({theirs[0] / alone[0]:.0f}x vs 1 job)"
            elif theirs[0] is None and ours[0]:
                ratio = f"> {TIMEOUT / ours[0]:.0f}x"
            rows.append((label, "MES+add1", PABUTOOLS, wall, fmt(theirs[1], 0), ratio))
        else:
            rows.append((label, "MES+add1", PABUTOOLS, "skipped (--quick)", "-", "-"))
        for row in rows[-3:]:
            print(*row, sep=" | ", file=sys.stderr)
    if not args.no_synthetic:
        with tempfile.TemporaryDirectory() as tmp:
            for voters in (10**5, 10**6):
                p = Path(tmp) / f"synthetic_{voters}.pb"
                synthetic(p, voters)
                label = f"synthetic {voters:,} x 200"
                for shown, rule, extra in (
                    ("greedy", "greedy", []),
                    ("MES+add1", "mes", ["--completion", "add1"]),
                ):
                    cmd = [CLI, "count", str(p), "--rule", rule, *extra, "--json"]
                    seconds, peak_mb = measure_cli(cmd, max(1, args.runs // 2))
                    rows.append(
                        (
                            label,
                            shown,
                            f"wijkwerk CLI, {JOBS} jobs",
                            fmt(seconds),
                            fmt(peak_mb, 0),
                            "",
                        )
                    )
                    print(*rows[-1], sep=" | ", file=sys.stderr)
    print(
        f"wall s: median of {args.runs} runs of our CLI on the real files, "
        f"{max(1, args.runs // 2)} on the synthetic ones; one run of pabutools",
        file=sys.stderr,
    )
    head = ("instance", "rule", "tool", "wall s", "peak MB", "pabutools multiprofile/wijkwerk")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(6)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    # the machine's other work moves these figures; say how busy it was
    print(
        f"\n{os.cpu_count()} CPUs; 1-minute load average {load_at_start:.2f} at the start, "
        f"{os.getloadavg()[0]:.2f} at the end"
    )


if __name__ == "__main__":
    main()
