"""Command line: ``wijkwerk count|check|explain FILE.pb``.

Errors print ``FILE.pb:LINE: message`` on stderr and exit with status 2 (bad
input) or 3 (a tie the tie-break list cannot break); never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from .completion import COMPARISONS, COMPLETIONS, available_cpus
from .engine import RULES, Outcome, count
from .english import render
from .model import CountingError, Election, TieError, format_amount
from .pabulib import read_pb
from .rules.prepare import ELIGIBILITY_RULES


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got '{text}'")
    return value


def _choices(table: Mapping[str, Any]) -> str:
    """``name: description`` of every entry of a table of rules."""
    return "; ".join(
        f"{name}: {getattr(entry, 'description', entry)}" for name, entry in table.items()
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wijkwerk", description="Exact participatory-budgeting counts of pabulib .pb files."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("file", help="the .pb file")
        p.add_argument(
            "--rule",
            choices=list(RULES),
            help=f"counting rule (default: META rule). {_choices(RULES)}",
        )
        p.add_argument(
            "--completion",
            choices=list(COMPLETIONS),
            help=f"MES completion. {_choices(COMPLETIONS)}",
        )
        p.add_argument(
            "--comparison",
            choices=list(COMPARISONS),
            help=f"MES comparison step against greedy. {_choices(COMPARISONS)}",
        )
        p.add_argument(
            "--tie-break", default=None, help="ordered list, default min-cost,max-votes,file-order"
        )
        p.add_argument(
            "--eligibility",
            choices=list(ELIGIBILITY_RULES),
            default="none",
            help=_choices(ELIGIBILITY_RULES),
        )
        p.add_argument("--json", action="store_true", help="print JSON")
        p.add_argument(
            "--jobs",
            type=_positive,
            default=available_cpus(),
            help="processes for the MES completion steps (default: the CPUs available, "
            "%(default)s here); the outcome is the same for every value",
        )

    common(sub.add_parser("count", help="count the votes"))
    check = sub.add_parser("check", help="validate the file")
    check.add_argument("file")
    explain = sub.add_parser("explain", help="explain the result for one project")
    common(explain)
    explain.add_argument("project_id")
    explain.add_argument(
        "--no-search", action="store_true", help="skip the exact what-if search (faster)"
    )
    return parser


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
                render(e),
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
        + (f", completion {s.completion}" if RULES[s.rule].completes else "")
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
    foot.extend(render(note) for note in outcome.notes)
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
                + (f"weighing {election.total_weight}, " if election.weighted else "")
                + f"vote_type {election.vote_type}, budget {format_amount(election.budget)})"
            )
            return 0
        settings = {
            "rule": args.rule,
            "completion": args.completion,
            "tie_break": args.tie_break,
            "eligibility_rule": args.eligibility,
            "comparison": args.comparison,
            "jobs": args.jobs,
        }
        if args.command == "count":
            outcome = count(election, **settings)
            if args.json:
                print(json.dumps(outcome.to_json(), ensure_ascii=False, indent=1))
            else:
                print(_table(election, outcome))
            return 0
        from .explain import explain_project  # here: only the explain command needs it

        report = explain_project(election, args.project_id, search=not args.no_search, **settings)
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
        else:
            e = report.explanation
            print(f"{e.project_id} ({e.name}): {'funded' if e.funded else 'not funded'}")
            print(render(e))
            for note in report.what_if:
                print(render(note))
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
