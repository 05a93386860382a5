from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ..oidc_provider import ACCOUNTS, Provider, start


@pytest.fixture(autouse=True)
def _shared_fragments_as_in_production(settings: Any) -> None:
    """Browser journeys commit their writes (the live server's): pages keep their shared
    fragments as in production (core/fragments.py), so a journey that changes what a page shows
    and looks again checks that the change renews them."""
    settings.FRAGMENT_CACHE_SECONDS = 60


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """The local OpenID Connect provider (tools/oidc-provider), once per test session."""
    yield from start(ACCOUNTS, tmp_path_factory.mktemp("oidc"))
