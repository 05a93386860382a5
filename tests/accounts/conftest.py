from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tests.conftest import SmtpServer

from .smtp import start_smtp_server


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """allauth counts failed logins in the cache: each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    """The shared fixture's real SMTP server, on an explicitly chosen free port."""
    controller, server = start_smtp_server(settings)
    try:
        yield server
    finally:
        controller.stop()
