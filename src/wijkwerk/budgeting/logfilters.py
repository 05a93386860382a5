"""Log filters that keep the secret ballot out of the logs (docs/adr/006-secret-ballot.md).

Django writes every SQL statement with its parameters to the `django.db.backends` logger at
DEBUG level (with `DEBUG=True` or a forced debug cursor). A ballot's statement would stand in
the log beside the voter's own (the register, the audit event), in the order they were run, and
the round's ballot key would stand there too: `NoBallotSQL` drops those statements.
"""

from __future__ import annotations

import logging

SECRET_SQL = ("budgeting_ballot", "ballot_key")


class NoBallotSQL(logging.Filter):
    """Drops the SQL log records that read or write ballots or a round's ballot key."""

    def filter(self, record: logging.LogRecord) -> bool:
        sql = getattr(record, "sql", None)
        if sql is None:
            return True
        return not any(name in str(sql) for name in SECRET_SQL)
