"""Trigram similarity, the same measure on PostgreSQL and SQLite, for searches that forgive typos.

PostgreSQL computes it with the pg_trgm extension's `similarity()` (areas migration 0002 creates
the extension). SQLite has no such function: `register_sqlite_functions` gives every SQLite
connection one written in Python that follows pg_trgm's definition, so the same query gives the
same rows in the same order on both databases:

- the text is lower-cased and cut into words at every character that is not a letter or digit;
- each word is padded with two spaces in front and one behind ("  dorst ") and cut into its
  three-character pieces ("  d", " do", "dor", "ors", "rst", "st ");
- the similarity of two texts is the number of pieces they share divided by the number of distinct
  pieces of both, as a single-precision number (PostgreSQL's `real`, as the database gives it).

`Similarity(field, text)` is the one expression the selectors use; Django compiles it to
`SIMILARITY(...)` on PostgreSQL and to the registered function on SQLite.
"""

from __future__ import annotations

import functools
import re
import struct
from typing import Any

from django.contrib.postgres.search import TrigramSimilarity

# pg_trgm's default `pg_trgm.similarity_threshold`.
THRESHOLD = 0.3
SQLITE_FUNCTION = "wijkwerk_similarity"
_WORD = re.compile(r"[^\W_]+")
# about the number of areas in the Netherlands (some 15,000 neighbourhoods and districts)
CACHED_TEXTS = 20_000


@functools.lru_cache(maxsize=CACHED_TEXTS)
def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's `show_trgm(text)` as a set.

    Remembered for the last CACHED_TEXTS texts: SQLite asks for the similarity of the query to
    every area name, and cutting the same names again was most of a search's time. A pure
    function's results, so what is remembered can never be out of date (no state kept between
    requests in any other sense)."""
    pieces: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        pieces.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(pieces)


@functools.lru_cache(maxsize=4_096)
def _ratio(shared: int, total: int) -> float:
    """shared / total as PostgreSQL's `real` gives it: rounded to single precision and written
    with the fewest digits that read back as the same `real` (0.3529412, not
    0.3529411852359772). Few pairs occur, so they are remembered."""
    single = struct.pack("f", shared / total)
    for digits in range(1, 10):
        shortest = float(f"{struct.unpack('f', single)[0]:.{digits}g}")
        if struct.pack("f", shortest) == single:
            return shortest
    return float(struct.unpack("f", single)[0])


def similarity(a: str | None, b: str | None) -> float:
    """pg_trgm's `similarity(a, b)`: 0 (nothing shared) to 1 (the same pieces)."""
    if a is None or b is None:
        return 0.0
    first, second = trigrams(a), trigrams(b)
    shared = len(first & second)
    if not shared:
        return 0.0
    return _ratio(shared, len(first) + len(second) - shared)


class Similarity(TrigramSimilarity):
    """`Similarity("name", "Dorts")`: pg_trgm's similarity on PostgreSQL, the Python one (above,
    registered on every connection) on SQLite."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: SQLite connections get `wijkwerk_similarity(a, b)`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 2, similarity, deterministic=True)
