"""Command line: ``wijkwerk count|check|explain FILE.pb``.

Errors print ``FILE.pb:LINE: message`` on stderr and exit with status 2 (bad
input) or 3 (a tie the tie-break list cannot break); never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Sequence

from .completion import COMPARISONS, COMPLETIONS, available_cpus
from .engine import RULES, Outcome, count
from .explain import explain_project
from .model import CountingError, Election, TieError, format_amount
from .pabulib import read_pb


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got '{text}'")
    return value


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="wijkwerk", description="Exact participatory-budgeting counts of pabulib .pb files."
    )
    sub = ap.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("file", help="the .pb file")
        p.add_argument("--rule", choices=RULES, help="counting rule (default: META rule)")
        p.add_argument("--completion", choices=COMPLETIONS, help="MES completion")
        p.add_argument(
            "--comparison", choices=COMPARISONS, help="MES comparison step against greedy"
        )
        p.add_argument(
            "--tie-break", default=None, help="ordered list, default min-cost,max-votes,file-order"
        )
        p.add_argument("--eligibility", choices=("none", "cost-share"), default="none")
        p.add_argument("--json", action="store_true", help="print JSON")
        p.add_argument(
            "--jobs",
            type=_positive,
            default=available_cpus(),
            help="processes for the MES completion steps (default: the CPUs available, "
            "%(default)s here); the outcome is the same for every value",
        )

    common(sub.add_parser("count", help="count the votes"))
    pc = sub.add_parser("check", help="validate the file")
    pc.add_argument("file")
    pe = sub.add_parser("explain", help="explain the result for one project")
    common(pe)
    pe.add_argument("project_id")
    pe.add_argument(
        "--no-search", action="store_true", help="skip the exact what-if search (faster)"
    )
    return ap


def _table(election: Election, outcome: Outcome) -> str:
    rows = [("project", "name", "cost", "votes", "funded", "reason")]
    for e in outcome.explanations.values():
        name = e.name if len(e.name) <= 40 else e.name[:39] + "…"
        rows.append(
            (
                e.project_id,
                name,
                format_amount(e.cost),
                str(e.votes),
                "yes" if e.funded else "no",
                e.reason,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for r in rows:
        lines.append(
            "  ".join(
                r[i].ljust(widths[i]) if i != 2 and i != 3 else r[i].rjust(widths[i])
                for i in range(5)
            )
            + "  "
            + r[5]
        )
    s = outcome.settings
    head = (
        f"{election.source}: rule {s.rule}"
        + (f", completion {s.completion}" if s.rule == "mes" else "")
        + (f", comparison {s.comparison}" if s.comparison != "none" else "")
        + f", tie-break {s.tie_break}"
        + (f", eligibility {s.eligibility}" if s.eligibility != "none" else "")
    )
    foot = [
        f"funded: {len(outcome.selected)} projects, total cost {format_amount(outcome.total_cost)} "
        f"of budget {format_amount(outcome.budget)}"
    ]
    if outcome.per_voter_budget is not None:
        foot.append(
            f"per-voter budget used by equal shares: {format_amount(outcome.per_voter_budget)}"
        )
    foot.extend(outcome.notes)
    return "\n".join([head, "", *lines, "", *foot])


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wijkwerk`` console script."""
    args = _parser().parse_args(argv)
    # The reader allocates ~10**5 long-lived objects (ballots, ids) and no cycles: no
    # cyclic GC while reading, then freeze them so that later collections do not
    # traverse them again (~60 ms on Warszawa 2026); unfrozen on return.
    frozen = gc.isenabled()
    try:
        gc.disable()
        try:
            election = read_pb(args.file, keep_extra=False)
        finally:
            if frozen:
                gc.freeze()
                gc.enable()
        if args.command == "check":
            print(
                f"{election.source}: OK ({len(election.projects)} projects, "
                f"{election.num_voters} votes, "
                f"vote_type {election.vote_type}, budget {format_amount(election.budget)})"
            )
            return 0
        kw = {
            "rule": args.rule,
            "completion": args.completion,
            "tie_break": args.tie_break,
            "eligibility_rule": args.eligibility,
            "comparison": args.comparison,
            "jobs": args.jobs,
        }
        if args.command == "count":
            outcome = count(election, **kw)
            if args.json:
                print(json.dumps(outcome.to_json(), ensure_ascii=False, indent=1))
            else:
                print(_table(election, outcome))
            return 0
        info = explain_project(election, args.project_id, search=not args.no_search, **kw)
        if args.json:
            print(json.dumps(info, ensure_ascii=False, indent=1))
        else:
            print(
                f"{info['project_id']} ({info['name']}): "
                f"{'funded' if info['funded'] else 'not funded'}"
            )
            print(info["reason"])
            for line in info.get("what_if", []):
                print(line)
        return 0
    except TieError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 3
    except CountingError as exc:
        msg = str(exc)
        if not msg.startswith(str(args.file)) and ":" not in msg.split(" ")[0]:
            msg = f"{args.file}: {msg}"
        print(msg, file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    finally:
        if frozen:
            gc.unfreeze()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
