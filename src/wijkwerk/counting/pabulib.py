"""Reader, writer and validator for the pabulib ``.pb`` format (pabulib.org/format).

A file has three sections, ``META``, ``PROJECTS`` and ``VOTES``, each introduced by a
line holding the section name and followed by a ``;``-separated header line. Fields
may be quoted with ``"``; the file may start with a UTF-8 BOM and use CRLF line ends.

Every problem is reported as a :class:`PabulibError` that names the source and the
line, e.g. ``Poland_Lodz_2022.pb:181: unknown project 'x' in vote of voter 'v17'``.
"""

from __future__ import annotations

import csv
import io
import re
from fractions import Fraction
from pathlib import Path

from .model import (
    POINTS_TYPES,
    VOTE_TYPES,
    Amount,
    Ballot,
    CountingError,
    Election,
    Project,
    format_amount,
    normalize_amount,
)

__all__ = ["PabulibError", "parse_amount", "read_pb", "write_pb"]

_SECTIONS = ("meta", "projects", "votes")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_INT = re.compile(r"^[+-]?\d+$")


class PabulibError(CountingError):
    """A problem in a ``.pb`` file; ``str()`` gives ``SOURCE:LINE: message``."""

    def __init__(self, source: str, line: int, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line > 0 else source
        super().__init__(f"{where}: {message}")


def parse_amount(text: str) -> Amount | None:
    """Parse a decimal number (``"1500"``, ``"12.50"``) exactly; ``None`` if it is not one."""
    t = text.strip()
    if not _DECIMAL.match(t):
        return None
    return normalize_amount(Fraction(t))


def _split(line: str, source: str, lineno: int) -> list[str]:
    if '"' not in line:
        return line.split(";")
    try:
        rows = list(csv.reader([line], delimiter=";", quotechar='"', strict=True))
    except csv.Error as exc:
        raise PabulibError(source, lineno, f"bad quoting: {exc}") from None
    if len(rows) != 1:
        raise PabulibError(source, lineno, "bad quoting")
    return rows[0]


def read_pb(
    source: str | Path | bytes, *, name: str | None = None, keep_extra: bool = True
) -> Election:
    """Read and validate a ``.pb`` file.

    Args:
        source: a path, the file's bytes, or its text. A ``str`` that contains a
            newline is taken as the text itself, otherwise as a path.
        name: the name used in error messages (defaults to the file name).
        keep_extra: keep the optional VOTES columns (needed by :func:`write_pb`);
            ``False`` saves time and memory when only counting.

    Raises:
        PabulibError: on any format or consistency problem (with the line number).
    """
    if isinstance(source, bytes):
        src_name = name or "<bytes>"
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PabulibError(
                src_name, 0, f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
            ) from None
    elif isinstance(source, str) and ("\n" in source or "\r" in source):
        src_name = name or "<string>"
        text = source.removeprefix("\ufeff")
    else:
        path = Path(source)
        src_name = name or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PabulibError(src_name, 0, f"cannot read file: {exc.strerror}") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PabulibError(
                src_name, 0, f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
            ) from None
    if "\x00" in text:
        raise PabulibError(src_name, 0, "file contains NUL characters")
    return _parse(text, src_name, keep_extra)


def _parse(text: str, source_name: str, keep_extra_cols: bool = True) -> Election:
    lines = text.split("\n")
    # Locate the sections: (name, index of header line).
    starts: dict[str, int] = {}
    order: list[str] = []
    for i, raw in enumerate(lines):
        if not raw or raw[0] not in 'MPVmpv \t"':
            continue
        head = raw.rstrip("\r").split(";", 1)[0].strip().strip('"').strip().lower()
        if head in _SECTIONS and (
            ";" not in raw or raw.rstrip("\r").split(";", 1)[1].strip() == ""
        ):
            if head in starts:
                raise PabulibError(source_name, i + 1, f"section {head.upper()} appears twice")
            starts[head] = i
            order.append(head)
    for section in _SECTIONS:
        if section not in starts:
            raise PabulibError(source_name, 0, f"missing section {section.upper()}")
    if order != list(_SECTIONS):
        raise PabulibError(
            source_name, starts[order[0]] + 1, "sections must be in the order META, PROJECTS, VOTES"
        )
    first = starts["meta"]
    for i in range(first):
        if lines[i].strip():
            raise PabulibError(source_name, i + 1, "text before the META section")
    bounds = {
        "meta": (starts["meta"] + 1, starts["projects"]),
        "projects": (starts["projects"] + 1, starts["votes"]),
        "votes": (starts["votes"] + 1, len(lines)),
    }

    def section_rows(section: str) -> tuple[list[str], int, int]:
        lo, hi = bounds[section]
        while lo < hi and not lines[lo].strip():
            lo += 1
        if lo >= hi:
            raise PabulibError(
                source_name, starts[section] + 1, f"section {section.upper()} has no header line"
            )
        header = [h.strip() for h in _split(lines[lo].rstrip("\r"), source_name, lo + 1)]
        return header, lo + 1, hi

    # META
    header, lo, hi = section_rows("meta")
    if len(header) < 2 or header[0].lower() != "key" or header[1].lower() != "value":
        raise PabulibError(source_name, lo, "META header must be 'key;value'")
    meta: dict[str, str] = {}
    meta_line: dict[str, int] = {}
    for i in range(lo, hi):
        line = lines[i].rstrip("\r")
        if not line.strip():
            continue
        fields = _split(line, source_name, i + 1)
        if len(fields) < 2:
            raise PabulibError(source_name, i + 1, "META line must be 'key;value'")
        key = fields[0].strip()
        if key in meta:
            raise PabulibError(source_name, i + 1, f"META key '{key}' appears twice")
        meta[key] = ";".join(fields[1:]).strip()
        meta_line[key] = i + 1

    if "budget" not in meta:
        raise PabulibError(source_name, starts["meta"] + 1, "META has no 'budget'")
    budget = parse_amount(meta["budget"])
    if budget is None or budget < 0:
        raise PabulibError(
            source_name,
            meta_line["budget"],
            f"budget '{meta['budget']}' is not a non-negative number",
        )
    vote_type = meta.get("vote_type", "approval").strip().lower()
    if vote_type not in VOTE_TYPES:
        raise PabulibError(
            source_name, meta_line.get("vote_type", 0), f"unknown vote_type '{vote_type}'"
        )

    def meta_int(key: str) -> int | None:
        if key not in meta or meta[key].strip() == "":
            return None
        v = meta[key].strip()
        if _INT.match(v):
            return int(v)
        amount = parse_amount(v)
        if amount is not None and Fraction(amount).denominator == 1:
            return int(amount)
        raise PabulibError(
            source_name, meta_line[key], f"META '{key}' must be an integer, got '{v}'"
        )

    # PROJECTS
    project_header, lo, hi = section_rows("projects")
    if "project_id" not in project_header:
        raise PabulibError(source_name, lo, "PROJECTS header has no 'project_id' column")
    if "cost" not in project_header:
        raise PabulibError(source_name, lo, "PROJECTS header has no 'cost' column")
    if len(set(project_header)) != len(project_header):
        raise PabulibError(source_name, lo, "PROJECTS header repeats a column")
    id_col = project_header.index("project_id")
    cost_col = project_header.index("cost")
    name_col = project_header.index("name") if "name" in project_header else -1
    projects: list[Project] = []
    project_of_id: dict[str, int] = {}
    for i in range(lo, hi):
        line = lines[i].rstrip("\r")
        if not line.strip():
            continue
        fields = _split(line, source_name, i + 1)
        if len(fields) != len(project_header):
            raise PabulibError(
                source_name,
                i + 1,
                f"project line has {len(fields)} fields, header has {len(project_header)}",
            )
        project_id = fields[id_col].strip()
        if not project_id:
            raise PabulibError(source_name, i + 1, "empty project id")
        if project_id in project_of_id:
            raise PabulibError(source_name, i + 1, f"duplicate project id '{project_id}'")
        cost = parse_amount(fields[cost_col])
        if cost is None:
            raise PabulibError(
                source_name,
                i + 1,
                f"cost '{fields[cost_col].strip()}' of project '{project_id}' is not a number",
            )
        if cost < 0:
            raise PabulibError(source_name, i + 1, f"cost of project '{project_id}' is negative")
        extra = {
            h: fields[k]
            for k, h in enumerate(project_header)
            if k not in (id_col, cost_col, name_col)
        }
        project_of_id[project_id] = len(projects)
        projects.append(
            Project(project_id, cost, fields[name_col] if name_col >= 0 else "", extra, i + 1)
        )
    num_projects = meta_int("num_projects")
    if num_projects is not None and num_projects != len(projects):
        raise PabulibError(
            source_name,
            meta_line["num_projects"],
            f"num_projects is {num_projects} but PROJECTS lists {len(projects)}",
        )

    # VOTES
    vote_header, lo, hi = section_rows("votes")
    if "voter_id" not in vote_header:
        raise PabulibError(source_name, lo, "VOTES header has no 'voter_id' column")
    if "vote" not in vote_header:
        raise PabulibError(source_name, lo, "VOTES header has no 'vote' column")
    if len(set(vote_header)) != len(vote_header):
        raise PabulibError(source_name, lo, "VOTES header repeats a column")
    has_points = vote_type in POINTS_TYPES
    if has_points and "points" not in vote_header:
        raise PabulibError(source_name, lo, f"vote_type {vote_type} needs a 'points' column")
    voter_id_col = vote_header.index("voter_id")
    vote_col = vote_header.index("vote")
    points_col = vote_header.index("points") if "points" in vote_header else -1
    # wijkwerk's `weight` column (pabulib allows extra columns): the voter counts as that many
    # voters with the same ballot; a file without it: every voter weighs 1
    weight_col = vote_header.index("weight") if "weight" in vote_header else -1
    extra_cols = [
        k
        for k in range(len(vote_header))
        if k not in (voter_id_col, vote_col, points_col, weight_col)
    ]
    extra_names = [vote_header[k] for k in extra_cols]
    if not has_points and points_col >= 0:
        extra_cols.append(points_col)
        extra_names.append("points")
        points_col = -1
    ncols = len(vote_header)

    min_len = meta_int("min_length")
    max_len = meta_int("max_length")
    if vote_type == "choose-1":
        max_len = 1 if max_len is None else min(max_len, 1)
    min_pts = meta_int("min_points")
    max_pts = meta_int("max_points")
    min_sum = meta_int("min_sum_points")
    max_sum = meta_int("max_sum_points")

    ballots: list[Ballot] = []
    ballot_ix: dict[str, int] = {}  # raw vote field (+ NUL + raw points field)
    voter_ids: list[str] = []
    voter_ballot: list[int] = []
    vote_extra: list[tuple[str, ...]] = []
    voter_weights: list[int] | None = [] if weight_col >= 0 else None
    seen: set[str] = set()
    keep_extra = bool(extra_cols) and keep_extra_cols
    if not keep_extra:
        extra_names = []

    def parse_ballot(vote: str, points_field: str, lineno: int, voter_id: str) -> Ballot:
        if not has_points and vote_type != "ordinal" and vote:
            # fast path for a clean approval ballot; anything odd goes the careful way
            try:
                indices = [project_of_id[it] for it in vote.split(",")]
            except KeyError:
                indices = []
            n_items = len(indices)
            if (
                indices
                and len(set(indices)) == n_items
                and (min_len is None or n_items >= min_len)
                and (max_len is None or n_items <= max_len)
            ):
                indices.sort()
                return Ballot(tuple(indices))
        vote = vote.strip()
        items = [x.strip() for x in vote.split(",")] if vote else []
        idx: list[int] = []
        for it in items:
            k = project_of_id.get(it)
            if k is None:
                if it == "":
                    raise PabulibError(
                        source_name, lineno, f"empty project id in vote of voter '{voter_id}'"
                    )
                raise PabulibError(
                    source_name, lineno, f"unknown project '{it}' in vote of voter '{voter_id}'"
                )
            idx.append(k)
        if len(set(idx)) != len(idx):
            dup = next(x for x in items if items.count(x) > 1)
            raise PabulibError(
                source_name, lineno, f"project '{dup}' appears twice in vote of voter '{voter_id}'"
            )
        if min_len is not None and len(idx) < min_len:
            raise PabulibError(
                source_name,
                lineno,
                f"vote of voter '{voter_id}' has {len(idx)} projects, min_length is {min_len}",
            )
        if max_len is not None and len(idx) > max_len:
            raise PabulibError(
                source_name,
                lineno,
                f"vote of voter '{voter_id}' has {len(idx)} projects, max_length is {max_len}",
            )
        if not has_points:
            if vote_type == "ordinal":
                return Ballot(tuple(idx))
            return Ballot(tuple(sorted(idx)))
        points_text = points_field.strip()
        point_items = [x.strip() for x in points_text.split(",")] if points_text else []
        if len(point_items) != len(idx):
            raise PabulibError(
                source_name,
                lineno,
                f"vote of voter '{voter_id}' has {len(idx)} projects but {len(point_items)} points",
            )
        points: list[int] = []
        for x in point_items:
            if not _INT.match(x):
                raise PabulibError(
                    source_name,
                    lineno,
                    f"points '{x}' in vote of voter '{voter_id}' is not an integer",
                )
            v = int(x)
            if v < 0:
                raise PabulibError(
                    source_name, lineno, f"negative points in vote of voter '{voter_id}'"
                )
            if min_pts is not None and v < min_pts:
                raise PabulibError(
                    source_name,
                    lineno,
                    f"points {v} of voter '{voter_id}' below min_points {min_pts}",
                )
            if max_pts is not None and v > max_pts:
                raise PabulibError(
                    source_name,
                    lineno,
                    f"points {v} of voter '{voter_id}' above max_points {max_pts}",
                )
            points.append(v)
        total = sum(points)
        if min_sum is not None and total < min_sum:
            raise PabulibError(
                source_name,
                lineno,
                f"points of voter '{voter_id}' sum to {total}, min_sum_points is {min_sum}",
            )
        if max_sum is not None and total > max_sum:
            raise PabulibError(
                source_name,
                lineno,
                f"points of voter '{voter_id}' sum to {total}, max_sum_points is {max_sum}",
            )
        pairs = sorted(zip(idx, points, strict=True))
        return Ballot(tuple(p for p, _ in pairs), tuple(v for _, v in pairs))

    need = max(voter_id_col, vote_col, points_col, weight_col) + 1
    separators = ncols - 1
    short = not keep_extra and need < ncols
    add_id = voter_ids.append
    add_ballot = voter_ballot.append
    has_cr = "\r" in text
    for i in range(lo, hi):
        line = lines[i]
        if has_cr and line.endswith("\r"):
            line = line[:-1]
        if short and line.count(";") == separators and '"' not in line:
            fields = line.split(";", need)  # right field count; later columns unused
        else:
            if not line or not line.strip():
                continue
            fields = line.split(";") if '"' not in line else _split(line, source_name, i + 1)
            if len(fields) != ncols:
                raise PabulibError(
                    source_name, i + 1, f"vote line has {len(fields)} fields, header has {ncols}"
                )
        voter_id = fields[voter_id_col].strip()
        if not voter_id:
            raise PabulibError(source_name, i + 1, "empty voter id")
        if voter_id in seen:
            raise PabulibError(source_name, i + 1, f"duplicate voter id '{voter_id}'")
        seen.add(voter_id)
        # the text has no NUL (checked above), so NUL separates the two fields safely
        ballot_key = (
            fields[vote_col] if points_col < 0 else fields[vote_col] + "\0" + fields[points_col]
        )
        b = ballot_ix.get(ballot_key)
        if b is None:
            b = len(ballots)
            raw_points = fields[points_col] if points_col >= 0 else ""
            ballots.append(parse_ballot(fields[vote_col], raw_points, i + 1, voter_id))
            ballot_ix[ballot_key] = b
        add_id(voter_id)
        add_ballot(b)
        if voter_weights is not None:
            weight_text = fields[weight_col]
            if not (weight_text.isascii() and weight_text.isdigit()):  # the usual case is fast
                weight_text = weight_text.strip()
                if not _INT.match(weight_text):
                    weight_text = ""
            weight = int(weight_text) if weight_text else 0
            if weight < 1:
                raise PabulibError(
                    source_name,
                    i + 1,
                    f"weight '{fields[weight_col].strip()}' of voter '{voter_id}' is not a "
                    "positive integer",
                )
            voter_weights.append(weight)
        if keep_extra:
            vote_extra.append(tuple(fields[k] for k in extra_cols))
    num_votes = meta_int("num_votes")
    if num_votes is not None and num_votes != len(voter_ids):
        raise PabulibError(
            source_name,
            meta_line["num_votes"],
            f"num_votes is {num_votes} but VOTES has {len(voter_ids)}",
        )

    return Election(
        meta=meta,
        projects=projects,
        ballots=ballots,
        voter_ids=voter_ids,
        voter_ballot=voter_ballot,
        vote_type=vote_type,
        budget=budget,
        project_columns=project_header,
        vote_extra_columns=extra_names,
        vote_extra=vote_extra,
        source=source_name,
        voter_weights=voter_weights,
    )


def _row(fields: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(
        buf, delimiter=";", quotechar='"', lineterminator="\n", quoting=csv.QUOTE_MINIMAL
    ).writerow(fields)
    return buf.getvalue()


def write_pb(election: Election) -> str:
    """Serialise an election to ``.pb`` text (``\\n`` line ends, no BOM).

    ``num_projects``/``num_votes`` are written with the actual counts (``num_votes``: the
    voters, whatever their weights); optional project and vote columns are kept; the voters'
    weights, if any, go into a ``weight`` column.
    """
    out: list[str] = ["META\n", "key;value\n"]
    meta = dict(election.meta)
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(election.num_voters)
    meta["budget"] = format_amount(election.budget)
    meta.setdefault("vote_type", election.vote_type)
    for k, v in meta.items():
        out.append(_row([k, v]))
    columns = list(election.project_columns)
    for c in ("project_id", "cost"):
        if c not in columns:
            columns.insert(0 if c == "project_id" else 1, c)
    out.append("PROJECTS\n")
    out.append(_row(columns))
    for p in election.projects:
        row = []
        for c in columns:
            if c == "project_id":
                row.append(p.id)
            elif c == "cost":
                row.append(format_amount(p.cost))
            elif c == "name":
                row.append(p.name)
            else:
                row.append(p.extra.get(c, ""))
        out.append(_row(row))
    has_points = election.vote_type in POINTS_TYPES
    weights = election.voter_weights
    if weights is not None:
        election.check_weights()
    vote_columns = (
        ["voter_id", "vote"]
        + (["points"] if has_points else [])
        + (["weight"] if weights is not None else [])
        + [c for c in election.vote_extra_columns if c != "weight"]
    )
    extra_kept = [k for k, c in enumerate(election.vote_extra_columns) if c != "weight"]
    out.append("VOTES\n")
    out.append(_row(vote_columns))
    ids = [p.id for p in election.projects]
    rendered: list[tuple[str, str]] = []
    for b in election.ballots:
        vote = ",".join(ids[k] for k in b.projects)
        points_field = ",".join(str(x) for x in b.points) if b.points is not None else ""
        rendered.append((vote, points_field))
    for voter, voter_id in enumerate(election.voter_ids):
        vote, points_field = rendered[election.voter_ballot[voter]]
        row = [voter_id, vote] + ([points_field] if has_points else [])
        if weights is not None:
            row.append(str(weights[voter]))
        if extra_kept:
            extra = election.vote_extra[voter]
            row.extend(extra[k] for k in extra_kept)
        out.append(_row(row))
    return "".join(out)
