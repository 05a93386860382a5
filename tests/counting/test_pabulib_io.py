"""Reader/writer: format details, validation errors with line numbers, fuzzing."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkwerk.counting import CountingError, PabulibError, count, read_pb, write_pb
from wijkwerk.counting.cli import main

PABULIB = Path(__file__).resolve().parents[2].parent / "shared" / "pabulib"

GOOD = """META
key;value
description;test
num_projects;3
num_votes;3
budget;100
vote_type;approval
min_length;1
max_length;2
PROJECTS
project_id;cost;name;category
1;50;"Park; with bench";green
02;60;Bench;green
10;30.50;Tree;green
VOTES
voter_id;vote;age
v1;1,02;30
v2;10;40
v3;1;50
"""


def test_read_good_with_bom_crlf_quotes() -> None:
    data = ("\ufeff" + GOOD.replace("\n", "\r\n")).encode()
    e = read_pb(data, name="t.pb")
    assert [p.id for p in e.projects] == ["1", "02", "10"]  # ids are strings
    assert e.projects[0].name == "Park; with bench"
    assert str(e.projects[2].cost) == "61/2"
    assert e.vote_extra_columns == ["age"]
    assert e.supporters() == [2, 1, 1]


def test_roundtrip() -> None:
    e = read_pb(GOOD)
    e2 = read_pb(write_pb(e))
    assert [(p.id, p.cost, p.name, p.extra) for p in e2.projects] == [
        (p.id, p.cost, p.name, p.extra) for p in e.projects
    ]
    assert e2.voter_ids == e.voter_ids
    assert e2.vote_extra == e.vote_extra
    assert count(e2).selected == count(e).selected


@pytest.mark.parametrize(
    "name",
    ["Switzerland_Zurich_D10.pb", "Switzerland_Zurich_S5R.pb", "Netherlands_Assen_2024.pb"],
)
def test_roundtrip_real(name: str) -> None:
    e = read_pb(PABULIB / name)
    e2 = read_pb(write_pb(e))
    assert e2.scores() == e.scores()
    assert count(e2).selected == count(e).selected


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("v2;10;40", "v2;99;40", "t.pb:18: unknown project '99' in vote of voter 'v2'"),
        ("v3;1;50", "v1;1;50", "t.pb:19: duplicate voter id 'v1'"),
        ("v2;10;40", "v2;10,10;40", "t.pb:18: project '10' appears twice in vote of voter 'v2'"),
        ("num_votes;3", "num_votes;4", "t.pb:5: num_votes is 4 but VOTES has 3"),
        ("num_projects;3", "num_projects;2", "t.pb:4: num_projects is 2 but PROJECTS lists 3"),
        ("02;60;Bench", "02;sixty;Bench", "t.pb:13: cost 'sixty' of project '02' is not a number"),
        (
            "v1;1,02;30",
            "v1;1,02,10;30",
            "t.pb:17: vote of voter 'v1' has 3 projects, max_length is 2",
        ),
        ("v2;10;40", "v2;;40", "t.pb:18: vote of voter 'v2' has 0 projects, min_length is 1"),
        ("VOTES\n", "", "t.pb: missing section VOTES"),
        ("v2;10;40", "v2;10", "t.pb:18: vote line has 2 fields, header has 3"),
        ("budget;100", "budget;lots", "t.pb:6: budget 'lots' is not a non-negative number"),
        ("02;60;Bench", "1;60;Bench", "t.pb:13: duplicate project id '1'"),
    ],
)
def test_errors_name_line_and_problem(old: str, new: str, message: str) -> None:
    text = GOOD.replace(old, new, 1)
    with pytest.raises(PabulibError) as exc:
        read_pb(text.encode(), name="t.pb")
    assert str(exc.value) == message


CUMULATIVE = """META
key;value
num_projects;2
num_votes;2
budget;10
vote_type;cumulative
max_sum_points;5
PROJECTS
project_id;cost
a;5
b;6
VOTES
voter_id;vote;points
1;a,b;2,3
2;b;4
"""


def test_points_validation() -> None:
    e = read_pb(CUMULATIVE)
    assert e.scores() == [2, 7]
    with pytest.raises(
        PabulibError, match=r":14: points of voter '1' sum to 6, max_sum_points is 5"
    ):
        read_pb(CUMULATIVE.replace("1;a,b;2,3", "1;a,b;3,3"))
    with pytest.raises(PabulibError, match=r":15: vote of voter '2' has 1 projects but 2 points"):
        read_pb(CUMULATIVE.replace("2;b;4", "2;b;2,2"))
    with pytest.raises(PabulibError, match=r"not an integer"):
        read_pb(CUMULATIVE.replace("2;b;4", "2;b;x"))


@settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(st.binary(max_size=400))
def test_fuzz_bytes_only_clean_errors(data: bytes) -> None:
    try:
        e = read_pb(data, name="fuzz.pb")
    except PabulibError:
        return
    with contextlib.suppress(CountingError):
        count(e)


def _mutations() -> st.SearchStrategy[bytes]:
    base = GOOD.encode()
    return st.builds(
        lambda pos, junk, cut: base[:pos] + junk + base[pos + cut :],
        st.integers(0, len(base)),
        st.binary(max_size=8)
        | st.sampled_from([b";", b",", b'"', b"\n", b"\r\n", b"META\n", b"-1"]),
        st.integers(0, 6),
    )


@settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(_mutations())
def test_fuzz_mutated_file_only_clean_errors(data: bytes) -> None:
    try:
        e = read_pb(data, name="fuzz.pb")
    except PabulibError as exc:
        assert str(exc).startswith("fuzz.pb")
        return
    for rule in ("greedy", "mes"):
        try:
            out = count(e, rule=rule)
        except CountingError:
            continue
        assert out.total_cost <= e.budget


def test_cli_count_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["count", str(PABULIB / "Netherlands_Assen_2024.pb"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["selected"]) == {"2", "3", "5", "6", "9", "11", "12", "13", "14"}
    assert out["total_cost"] == "76700"
    assert {p["project_id"] for p in out["projects"]} == {str(i) for i in range(1, 15)}
    assert all(p["reason"] for p in out["projects"])


def test_cli_table_check_explain(capsys: pytest.CaptureFixture[str]) -> None:
    f = str(PABULIB / "Netherlands_Amsterdam_309.pb")
    assert main(["count", f, "--rule", "greedy-no-skip"]) == 0
    out = capsys.readouterr().out
    assert "project" in out and "reason" in out and "290790" in out
    assert main(["check", f]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["explain", f, "37826", "--rule", "greedy-no-skip", "--no-search"]) == 0
    assert "stops at the first project that does not fit" in capsys.readouterr().out


@pytest.mark.slow
def test_cli_explain_what_if(capsys: pytest.CaptureFixture[str]) -> None:
    f = str(PABULIB / "Netherlands_Assen_2024.pb")
    assert main(["explain", f, "1"]) == 0
    out = capsys.readouterr().out
    assert "would have been funded if it had cost at most 30305" in out
    assert "6 more supporters" in out


def test_cli_errors_exit_nonzero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text(GOOD.replace("v2;10;40", "v2;x;40"), encoding="utf-8")
    assert main(["count", str(bad)]) == 2
    assert capsys.readouterr().err.strip() == "bad.pb:18: unknown project 'x' in vote of voter 'v2'"
    assert main(["check", str(tmp_path / "missing.pb")]) == 2
    assert "cannot read file" in capsys.readouterr().err
    f = str(PABULIB / "Netherlands_Assen_2024.pb")
    assert main(["count", f, "--tie-break", "max-votes"]) == 3
    assert "tie between projects" in capsys.readouterr().err


def test_console_script_installed() -> None:
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "wijkwerk"
    assert exe.exists()
    r = subprocess.run(
        [str(exe), "count", str(PABULIB / "Netherlands_Amsterdam_643.pb"), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert '"selected": [\n  "44251"\n ]' in r.stdout
