"""The councils' permission policies (policy.py), registered with django-rules as
`councils.<action>`."""

from __future__ import annotations

from .policy import COUNCIL_POLICY, DOCUMENT_POLICY, HANDING_POLICY, MEETING_POLICY

for policy in (COUNCIL_POLICY, MEETING_POLICY, DOCUMENT_POLICY, HANDING_POLICY):
    policy.register("councils")
