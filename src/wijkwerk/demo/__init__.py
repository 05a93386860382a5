"""The demo data set: Oosterhout and Oss with their real areas and schemes, fictional people.

Only for demonstrations and local development: every demo account shares one published password
and officials share one published two-factor secret, so that anyone can log in from the README.
"""

from __future__ import annotations

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "wijkwerk-demo-2026"  # noqa: S105 - published on purpose, demo only
# Base32, as authenticator apps expect; `manage.py demo_totp` prints the current code.
DEMO_TOTP_SECRET = "WIJKWERKDEMOTOTPWIJKWERKDEMOTOTP"  # noqa: S105 - published on purpose
# (CSV file, GeoJSON file) per municipality, loaded through the area import.
AREA_FILES = (
    ("oosterhout.csv", "oosterhout.geojson"),
    ("oss.csv", "oss.geojson"),
)
