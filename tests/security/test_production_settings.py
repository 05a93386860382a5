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


@pytest.mark.parametrize(
    "value", ["Production", "production ", "prod", "PRODUCTION", "staging", "", "test"]
)
def test_unknown_environment_is_refused(value: str) -> None:
    """A misspelt production switch must not start in development mode (DEBUG on, the published
    key): only `development` and `production` are known."""
    result = load(WIJKWERK_ENV=value, SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="wijkwerk.example.nl")
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    assert "WIJKWERK_ENV" in last_line
    assert repr(value) in last_line


@pytest.mark.parametrize(
    "secret",
    [
        "a" * 40,
        "ab" * 30,
        "0123456789" * 4,  # enough different characters, but a repeated pattern
        "development-only-not-secret" + "x7Qp2LmZ9vRt4Wk8Ns3Y",
        "Xq9#" + "development-only-not-secret" + "Lm2$Zr8vPq5TnW",
        "DEVELOPMENT-ONLY-NOT-SECRET" + "x7Qp2LmZ9vRt4Wk8Ns3Y",
        "django-insecure-" + "x7Qp2LmZ9vRt4Wk8Ns3Yb6Hc1Jd0Fg5",
        "x7Qp2LmZ9vRt4Wk8Ns3Y",  # random but too short
    ],
    ids=[
        "one-character",
        "two-characters",
        "repeated-pattern",
        "development-key-padded",
        "development-key-inside",
        "development-key-upper-case",
        "django-insecure",
        "short",
    ],
)
def test_weak_or_known_secret_is_refused(secret: str) -> None:
    result = load(SECRET_KEY=secret, ALLOWED_HOSTS="wijkwerk.example.nl")
    assert result.returncode != 0, result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert "SECRET_KEY" in last_line
    assert "WIJKWERK_ENV=production" in last_line
    assert secret not in result.stderr  # the refusal does not print the key


@pytest.mark.parametrize("hosts", ["*", "wijkwerk.example.nl,*", " * ", "*.example.nl"])
def test_wildcard_host_is_refused_in_production(hosts: str) -> None:
    result = load(SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS=hosts)
    assert result.returncode != 0, result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ALLOWED_HOSTS" in last_line
    assert "WIJKWERK_ENV=production" in last_line


def test_subdomain_pattern_is_still_allowed_in_production() -> None:
    result = load(SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS=".wijkwerk.example.nl")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ALLOWED_HOSTS"] == [".wijkwerk.example.nl"]


@pytest.mark.parametrize(
    "name,value",
    [
        ("DEBUG", "maybe"),
        ("DEBUG", "ja"),
        ("DEBUG", "2"),
        ("EMAIL_USE_TLS", "sometimes"),
        ("WIJKWERK_FAST_PASSWORD_HASHER", "fast"),
        ("AXES_ENABLED", "nee"),
    ],
)
@pytest.mark.parametrize("environment", ["production", "development"])
def test_unknown_boolean_is_refused(name: str, value: str, environment: str) -> None:
    result = load(
        WIJKWERK_ENV=environment,
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="wijkwerk.example.nl",
        **{name: value},
    )
    assert result.returncode != 0, result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert name in last_line
    assert repr(value) in last_line


@pytest.mark.parametrize(
    "value,expected", [("0", False), ("off", False), ("False", False), (" no ", False)]
)
def test_known_boolean_spellings_are_read(value: str, expected: bool) -> None:
    result = load(WIJKWERK_ENV="development", DEBUG=value)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["DEBUG"] is expected


def test_the_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    key_file.write_text(GOOD_SECRET + "\n", encoding="utf-8")
    probe = load(SECRET_KEY_FILE=str(key_file), ALLOWED_HOSTS="wijkwerk.example.nl")
    assert probe.returncode == 0, probe.stderr
    weak = tmp_path / "weak"
    weak.write_text("development-only-not-secret" * 2, encoding="utf-8")
    refused = load(SECRET_KEY_FILE=str(weak), ALLOWED_HOSTS="wijkwerk.example.nl")
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "cannot be read"),
        ("empty", "is empty"),
        ("both", "not both"),
    ],
)
def test_a_secret_file_that_cannot_be_used_stops_the_start(
    tmp_path: Path, setup: str, message: str
) -> None:
    path = tmp_path / "secret"
    env = {"ALLOWED_HOSTS": "wijkwerk.example.nl", "SECRET_KEY_FILE": str(path)}
    if setup == "empty":
        path.write_text("", encoding="utf-8")
    elif setup == "both":
        path.write_text(GOOD_SECRET, encoding="utf-8")
        env["SECRET_KEY"] = GOOD_SECRET
    probe = load(**env)
    assert probe.returncode != 0
    assert message in probe.stderr and "SECRET_KEY_FILE" in probe.stderr


def test_the_database_address_can_come_from_a_file(tmp_path: Path) -> None:
    url_file = tmp_path / "database_url"
    url_file.write_text("postgres://wijkwerk:geheim@db.example.nl:5432/wijkwerk\n")
    probe = subprocess.run(
        [sys.executable, "-c", "import wijkwerk.settings as s; print(s.DATABASES['default'])"],
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "WIJKWERK_ENV"}},
            "PYTHONPATH": str(SRC),
            "DATABASE_URL_FILE": str(url_file),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    assert "db.example.nl" in probe.stdout and "geheim" in probe.stdout
