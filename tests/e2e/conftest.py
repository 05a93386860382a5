from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..oidc_provider import ACCOUNTS, Provider, start


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """The local OpenID Connect provider (tools/oidc-provider), once per test session."""
    yield from start(ACCOUNTS, tmp_path_factory.mktemp("oidc"))
