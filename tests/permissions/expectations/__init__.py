"""One module per app, each with `CASES: list[Case]` (see ../framework.py)."""
