import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions read the English message ids; the Dutch catalogue is checked separately."""
    settings.LANGUAGE_CODE = "en"
