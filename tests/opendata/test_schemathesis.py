"""Schemathesis against the served OpenAPI document: every operation with generated valid and
invalid parameters (through the Django app as WSGI, in process), checked by all of
schemathesis's checks (no server error, status codes and content types as documented, answers
as their schemas say, invalid parameters refused, undeclared methods 405 with Allow, ...).
Bounded: a few dozen examples per operation, well under a minute in all."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from wijkwerk.wsgi import application

from ..cast import Cast
from .conftest import build_world

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def world(cast: Cast) -> None:
    build_world(cast)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_openapi_document(world: None, case: schemathesis.Case) -> None:
    case.call_and_validate()
