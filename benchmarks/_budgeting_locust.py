"""The load generator of ``benchmarks/budgeting.py`` (run by it through locust, headless).

Each locust user is a polling-station queue: it takes the next voter of the file that
BENCH_VOTERS names (their session, CSRF secret and choices, made by the benchmark directly in
the database) and posts that voter's ballot to the confirming URL, at most BENCH_PER_USER ballots
a second. A ballot counts as an error unless the answer is 200 with a receipt code in it.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from locust import FastHttpUser, constant, constant_throughput, task

with open(os.environ["BENCH_VOTERS"], encoding="utf-8") as file:
    VOTERS: list[dict[str, Any]] = json.load(file)
_NEXT = iter(VOTERS)
RECEIPT = re.compile(r"\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b")


PER_USER = float(os.environ.get("BENCH_PER_USER", "0"))


class Voter(FastHttpUser):
    # 0: as fast as the server answers (a closed loop: the server's capacity)
    wait_time = constant_throughput(PER_USER) if PER_USER else constant(0)

    @task
    def vote(self) -> None:
        voter = next(_NEXT, None)
        if voter is None:
            self.stop()
            return
        self.client.cookiejar.clear()
        with self.client.post(
            voter["url"],
            data=voter["body"],
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={voter['session']}; csrftoken={voter['csrf']}",
            },
            name="ballot_confirm",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif not RECEIPT.search(response.text or ""):
                response.failure("no receipt code in the answer")
