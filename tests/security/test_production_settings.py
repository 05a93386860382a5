"""Production settings: secure cookies, HSTS, SSL redirect; refuse to start when misconfigured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
GOOD_SECRET = "k" * 20 + "9Zq!x3@vT#p8Lm&w2RsY"  # 40 characters, not the development key
PROBE = """
import json
import wijkwerk.settings as s
print(json.dumps({name: getattr(s, name, None) for name in [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME", "SESSION_COOKIE_HTTPONLY", "SECURE_PROXY_SSL_HEADER", "PASSWORD_HASHERS",
    "ALLOWED_HOSTS",
]}))
"""


def load(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update({"PYTHONPATH": str(SRC), "WIJKWERK_ENV": "production", **env})
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_is_locked_down() -> None:
    result = load(SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="wijkwerk.example.nl")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ALLOWED_HOSTS"] == ["wijkwerk.example.nl"]
    # The fast test hasher is never used in production, even if the variable leaks in.
    assert "MD5" not in " ".join(values["PASSWORD_HASHERS"])


def test_fast_hasher_variable_is_ignored_in_production() -> None:
    result = load(
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="wijkwerk.example.nl",
        WIJKWERK_FAST_PASSWORD_HASHER="1",
    )
    assert result.returncode == 0, result.stderr
    assert "MD5" not in result.stdout


@pytest.mark.parametrize(
    "env,message",
    [
        ({"ALLOWED_HOSTS": "wijkwerk.example.nl"}, "SECRET_KEY"),
        (
            {"SECRET_KEY": "development-only-not-secret", "ALLOWED_HOSTS": "wijkwerk.example.nl"},
            "SECRET_KEY",
        ),
        ({"SECRET_KEY": "too-short-secret", "ALLOWED_HOSTS": "wijkwerk.example.nl"}, "SECRET_KEY"),
        (
            {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "wijkwerk.example.nl", "DEBUG": "1"},
            "DEBUG",
        ),
        ({"SECRET_KEY": GOOD_SECRET}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS"),
    ],
    ids=["no-secret", "default-secret", "short-secret", "debug-on", "no-hosts", "blank-hosts"],
)
def test_refuses_to_start_when_misconfigured(env: dict[str, str], message: str) -> None:
    result = load(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    assert message in last_line
    assert "WIJKWERK_ENV=production" in last_line


def test_development_defaults_still_start() -> None:
    result = load(WIJKWERK_ENV="development")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["DEBUG"] is True
