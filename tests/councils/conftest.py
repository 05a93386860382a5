from __future__ import annotations

from typing import Any

import pytest

from .factories import Council, council_world


@pytest.fixture
def world(cast: Any) -> Council:
    return council_world(cast)
