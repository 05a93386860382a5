"""Schemathesis against the served OpenAPI document: every operation with generated valid and
invalid parameters (through the Django app as WSGI, in process), checked by all of
schemathesis's checks (no server error, status codes and content types as documented, answers
as their schemas say, invalid parameters refused, undeclared methods 405 with Allow, ...).
Bounded: a few dozen examples per operation, well under a minute in all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from wijkwerk.wsgi import application

from ..cast import Cast
from .conftest import build_world

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def world(cast: Cast) -> Iterator[None]:
    """The world, and the real WSGI application kept from closing the test's database
    connection after each request (Django's test Client does the same; on PostgreSQL the
    closed connection would end the test's transaction)."""
    build_world(cast)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_openapi_document(world: None, case: schemathesis.Case) -> None:
    case.call_and_validate()
