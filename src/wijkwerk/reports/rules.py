"""The reports' rules, registered with django-rules as `reports.<action>` (policy.py)."""

from __future__ import annotations

import rules

from .policy import POLICY, handles_reports

POLICY.register("reports")
rules.add_perm("reports.use_drafts", handles_reports)
