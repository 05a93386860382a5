"""One-time codes and login limits hold across app servers: two gunicorn processes, one database.

Every gunicorn worker is a process of its own, and what one keeps in memory the others do not see.
allauth keeps the TOTP codes that were used and its rate limits in Django's cache, so that cache
must be one that all app processes share (the database cache). This test starts two real servers
on one database (a file SQLite database, or the test database on PostgreSQL), logs officials in
through both and checks that a code works once and that the limits count attempts on both.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection

from tests.accounts.factories import PASSWORD, TOTP_SECRET, totp_code

# Transactional: on PostgreSQL the servers use the test database and see only what is committed.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"
CODE = "/accounts/2fa/authenticate/"
WRONG_CODE = "Incorrect code."
TOO_MANY = "Too many failed login attempts."
WRONG_PASSWORD = "not correct"
# Officials with the test TOTP secret, made in the shared database by the servers' own settings.
OFFICIALS = {
    "same_code": ["one.code@example.org"],
    "wrong_codes": ["guess.code@example.org"],
    "wrong_passwords": ["guess.password@example.org"],
}
CREATE_OFFICIALS = """
from tests.accounts.factories import official
from wijkwerk.accounts.models import Role
for email in {emails!r}:
    official(Role.CLERK, email=email)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "wijkwerk.settings",
        "PYTHONPATH": str(ROOT / "src"),
        # axes (in the database) locks an account out after 5 failed logins on any server; set
        # high here so that the test sees allauth's own limit on passwords, which is in the cache.
        "AXES_FAILURE_LIMIT": "1000",
    }


def manage(database_url: str, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=server_environment(database_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture
def shared_database(tmp_path: Path) -> Iterator[str]:
    """A database both servers use: PostgreSQL's test database, or a migrated SQLite file."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        yield (
            f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{db['NAME']}"
        )  # what the servers wrote is flushed after the test, the cache table emptied
    else:
        url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        manage(url, "migrate", "-v0")  # `migrate` alone must make everything the servers need
        yield url


@pytest.fixture
def two_servers(shared_database: str, tmp_path: Path) -> Iterator[tuple[int, int]]:
    ports = (free_port(), free_port())
    logs = [tmp_path / f"server{n}.log" for n in range(2)]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "wijkwerk.wsgi",
                "--workers=1",
                f"--bind=127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=server_environment(shared_database),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        emails = [email for group in OFFICIALS.values() for email in group]
        manage(shared_database, "shell", "-c", CREATE_OFFICIALS.format(emails=emails))
        for port, server, log in zip(ports, servers, logs, strict=True):
            wait_for(port, server, log)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_for(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server on port {port} stopped:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the server on port {port} did not start:\n{log.read_text()[-3000:]}")


class Browser:
    """One visitor with its own cookies, talking to one server from one loopback address."""

    def __init__(self, port: int, address: str = "127.0.0.1") -> None:
        self.port = port
        self.address = address
        # English, chosen with the language switch (the browser's language is not asked).
        self.cookies: dict[str, str] = {"django_language": "en"}

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
        )
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.getheader("Location") or "", response.read().decode()
        finally:
            connection.close()

    def post(self, path: str, form: dict[str, str]):
        status, _, html = self.request("GET", path)
        assert status == 200, f"GET {path}: {status}"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token, f"no CSRF token on {path}"
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **form})

    def password_step(self, email: str) -> None:
        status, location, _ = self.post(LOGIN, {"login": email, "password": PASSWORD})
        assert (status, location) == (302, CODE), "the password step should ask for the code"


def fresh_code() -> str:
    """The current TOTP code, with at least 5 seconds left before it changes."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.2)
    return totp_code(TOTP_SECRET)


def outcome(status: int, location: str, html: str) -> str:
    if status == 302 and location != CODE and not location.startswith(LOGIN):
        return "in"
    if TOO_MANY in html:
        return "limited"
    if WRONG_CODE in html or WRONG_PASSWORD in html:
        return "wrong"
    return f"{status} {location}"


def test_codes_and_login_limits_hold_across_two_servers(two_servers: tuple[int, int]) -> None:
    same_code_is_used_once(two_servers)
    wrong_codes_are_counted_on_both(two_servers)
    wrong_passwords_are_counted_on_both(two_servers)


def same_code_is_used_once(ports: tuple[int, int]) -> None:
    # Four sessions of one official, two on each server, at the code step; the same valid code
    # is sent by all four at the same moment.
    (email,) = OFFICIALS["same_code"]
    browsers = [Browser(ports[n % 2]) for n in range(4)]
    for browser in browsers:
        browser.password_step(email)
    tokens = []
    for browser in browsers:
        status, _, html = browser.request("GET", CODE)
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token
        tokens.append(token.group(1))
    code = fresh_code()
    results: list[str] = [""] * len(browsers)
    start = threading.Barrier(len(browsers))

    def send(n: int) -> None:
        start.wait()
        answer = browsers[n].request("POST", CODE, {"csrfmiddlewaretoken": tokens[n], "code": code})
        results[n] = outcome(*answer)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["in", "wrong", "wrong", "wrong"], f"one code, 4 sessions: {results}"


def wrong_codes_are_counted_on_both(ports: tuple[int, int]) -> None:
    # allauth allows 5 failed attempts per 5 minutes per account; guesses alternate between the
    # two servers, from an address of their own (allauth also counts 10 per minute per address).
    (email,) = OFFICIALS["wrong_codes"]
    browsers = [Browser(port, "127.0.0.2") for port in ports]
    for browser in browsers:
        browser.password_step(email)
    right = fresh_code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    results = [outcome(*browsers[n % 2].post(CODE, {"code": wrong})) for n in range(12)]
    assert results == ["wrong"] * 5 + ["limited"] * 7, f"12 wrong codes: {results}"
    # The limit holds for the right code as well, on either server.
    for browser in browsers:
        assert outcome(*browser.post(CODE, {"code": right})) == "limited"


def wrong_passwords_are_counted_on_both(ports: tuple[int, int]) -> None:
    (email,) = OFFICIALS["wrong_passwords"]
    browsers = [Browser(port, "127.0.0.3") for port in ports]
    results = [
        outcome(*browsers[n % 2].post(LOGIN, {"login": email, "password": "wrong-password-1"}))
        for n in range(12)
    ]
    assert results == ["wrong"] * 5 + ["limited"] * 7, f"12 wrong passwords: {results}"
    for browser in browsers:
        answer = browser.post(LOGIN, {"login": email, "password": PASSWORD})
        assert outcome(*answer) == "limited"
