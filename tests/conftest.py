"""Shared test fixtures: the cast, a real SMTP server, Chromium for Playwright, axe, database
markers."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.db import connection

from .cast import Cast, build_cast

# Playwright's sync API runs an event loop in the test thread; Django's ORM is used beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# The tests that `./dev test` also runs on SQLite; the whole suite runs on PostgreSQL, as
# production does. SQLite is the database of `./dev run` (the demo), so what runs on it too is
# what SQLite does differently: the demo loaded as `./dev run` loads it (every app's part), its
# logins and pages; full-text and trigram search (FTS5 and our own similarity function); where
# SQLite keeps rows; query counts that differ; and every page of the page tour rendered once.
# What the demo holds is the same on both databases: those tests (each loads the whole demo) run
# on PostgreSQL only. Also on SQLite: a test marked `sqlite` and a test that asks for the
# `on_postgres` fixture. A test that branches on `connection.vendor` belongs in this list (a
# path, or a path::test).
SQLITE_TESTS = (
    "tests/demo/test_load_demo.py::test_if_empty_loads_into_an_empty_database",
    "tests/demo/test_load_demo.py::test_if_empty_leaves_an_existing_installation_alone",
    "tests/demo/test_demo_contents.py::test_every_demo_area_and_municipality_page_renders",
    "tests/demo/test_demo_contents.py::test_the_demo_pages_of_initiatives_render",
    "tests/demo/test_demo_contents.py::test_the_demo_rounds_pages_render",
    "tests/demo/test_demo_contents.py::test_a_demo_official_logs_in_with_password_and_demo_totp",
    "tests/demo/test_load_demo.py::test_demo_totp_prints_the_current_code",
    "tests/demo/test_demo_postcodes.py",
    "tests/core/test_page_tour.py",
    "tests/initiatives/test_search_and_queries.py",
    "tests/areas/test_search.py",
    "tests/public/test_search_properties.py",
    "tests/budgeting/test_secrecy.py",
    "tests/budgeting/test_ballot_pages.py::test_a_first_ballot_takes_a_fixed_number_of_queries",
)


def runs_on_sqlite_too(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    return item.nodeid.startswith(SQLITE_TESTS) or "on_postgres" in fixtures


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: run through ./dev test")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if runs_on_sqlite_too(item):
            item.add_marker(pytest.mark.sqlite)


class MailCollector:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, controller: Controller, handler: MailCollector) -> None:
        self.controller = controller
        self.handler = handler

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    @staticmethod
    def body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        assert part is not None
        return str(part.get_content())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    """A real SMTP server on a loopback port; Django's default mailer sends to it."""
    handler = MailCollector()
    # aiosmtpd 1.4 checks that its server is up by connecting to the configured port, which
    # fails for port 0; so a free port is chosen first.
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    try:
        yield SmtpServer(controller, handler)
    finally:
        controller.stop()


DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Rate limits and used TOTP codes live in the cache: no test inherits them.

    The cache is a table in the database (settings.CACHES), so only tests that use the database
    have one to clear. Tests whose writes are committed (live server, transactional tests) would
    otherwise leave their entries to the next test.
    """
    if request.node.get_closest_marker("django_db") is None and not (
        DATABASE_FIXTURES & set(request.fixturenames)
    ):
        yield
        return
    request.getfixturevalue("django_db_setup")  # the test database, never the real one
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        cache.clear()
    yield
    with blocker.unblock():
        cache.clear()


@pytest.fixture(autouse=True)
def _no_shared_fragments(settings: Any) -> None:
    """Tests run in a transaction that never commits, and a shared fragment is renewed when a
    change commits (core/fragments.py): pages are built afresh. The tests of the fragments and
    of the pages' query counts turn the cache on (`fragments_on` fixture)."""
    settings.FRAGMENT_CACHE_SECONDS = 0


@pytest.fixture
def fragments_on(settings: Any) -> None:
    """The shared fragments as in production. Ask for it after the fixtures that write (the
    cast): their changes would wait for a commit a test never makes."""
    settings.FRAGMENT_CACHE_SECONDS = 60


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded files go to the test's own folder, never to the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings: Any) -> None:
    """Tasks run in-process in unit tests unless a test starts the real worker itself."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, with the flags this closed network needs."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def cast(db: None) -> Cast:
    """The places and people every test plays in (tests/cast.py), made afresh for each test; a
    test that also asks for `transactional_db` or `live_server` gets them committed."""
    return build_cast()
