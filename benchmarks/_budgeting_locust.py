"""The load generator of ``benchmarks/budgeting.py`` (run by it through locust, headless).

Each locust user is a polling-station queue on one of the app servers that BENCH_HOSTS lists
(comma-separated; user *n* on server *n* mod their number): it takes the next voter of the file
that BENCH_VOTERS names and votes as that voter at most BENCH_PER_USER times a second:

1. with a voting code (the voter has ``entry_url``): types the code on the round's code page
   (a POST without a session; the answer is a redirect to the ballot and a new session holding
   the pass), then
2. posts the ballot to the confirming URL with that session (or, for a voter without a code, the
   session the benchmark made in the database as after logging in).

A code counts as an error unless answered with a redirect and a session cookie; a ballot unless
answered 200 with a receipt code in it.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from typing import Any

from locust import FastHttpUser, constant, constant_throughput, task

with open(os.environ["BENCH_VOTERS"], encoding="utf-8") as file:
    VOTERS: list[dict[str, Any]] = json.load(file)
_NEXT = iter(VOTERS)
HOSTS = [host for host in os.environ.get("BENCH_HOSTS", "").split(",") if host]
_USERS = itertools.count()
RECEIPT = re.compile(r"\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b")
SESSION = re.compile(r"(?:^|[\s,;])sessionid=([^;,\s]+)")


PER_USER = float(os.environ.get("BENCH_PER_USER", "0"))


class Voter(FastHttpUser):
    # 0: as fast as the server answers (a closed loop: the server's capacity)
    wait_time = constant_throughput(PER_USER) if PER_USER else constant(0)

    def on_start(self) -> None:
        self.server = HOSTS[next(_USERS) % len(HOSTS)] if HOSTS else ""

    @task
    def vote(self) -> None:
        voter = next(_NEXT, None)
        if voter is None:
            self.stop()
            return
        self.client.cookiejar.clear()
        session = voter.get("session", "")
        if voter.get("entry_url"):
            session = self.enter_code(voter)
            if not session:
                return
        with self.client.post(
            self.server + voter["url"],
            data=voter["body"],
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={session}; csrftoken={voter['csrf']}",
            },
            name="ballot_confirm",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif not RECEIPT.search(response.text or ""):
                response.failure("no receipt code in the answer")

    def enter_code(self, voter: dict[str, Any]) -> str:
        """The session with the pass the code page granted, or "" (counted as an error)."""
        with self.client.post(
            self.server + voter["entry_url"],
            data=voter["entry_body"],
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={voter['csrf']}",
            },
            name="code_entry",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            cookies = " ".join(response.headers.getlist("Set-Cookie")) if response.headers else ""
            found = SESSION.search(cookies)
            if response.status_code != 302 or not found:
                response.failure(f"status {response.status_code}, no session")
                return ""
            return found.group(1)
