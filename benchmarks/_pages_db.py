"""A database of the benchmark's own, so that it never touches the development data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def bench_database(tmp: str) -> Iterator[str]:
    """Point DATABASE_URL at a fresh database until the block ends; yields a description.

    On PostgreSQL (DATABASE_URL set) a new database is created beside the given one and dropped
    afterwards; otherwise a SQLite file in `tmp` is used.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        path = Path(tmp) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        try:
            yield f"temporary file {path}"
        finally:
            _close_django_connections()
            os.environ["DATABASE_URL"] = url
        return

    import psycopg
    from psycopg import sql

    name = f"wijkwerk_bench_{os.getpid()}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        try:
            yield f"fresh database {name} on {parts.hostname}:{parts.port}, dropped afterwards"
        finally:
            _close_django_connections()
            os.environ["DATABASE_URL"] = url
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _close_django_connections() -> None:
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()
