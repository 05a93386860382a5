"""Who may do what with a challenge: the challenges' permission policy (`core.policy`).

- any logged-in resident starts a proposal on behalf of an organisation (the views'
  `login_required`) and, as its submitter, edits and submits it and reports progress;
- the municipality's officials who handle cases in the area concerned (its broker or area
  coordinator) and the municipality's administrator review and decide: admissibility, the
  dialogue, the agreement, completing or ending;
- money is booked from a fund by the municipality's administrator (who alone corrects a fund's
  ledger, funds.policy);
- everyone reads the public register and a submitted challenge's public parts; the private side
  (the whole proposal, attachments, letters, reports' figures) is for the submitter and the
  area's officials.

Checks take the challenge loaded with `area__parent__parent` (no queries for the lineage).
"""

from __future__ import annotations

from django.db.models import Q

from wijkwerk.accounts.policy import is_area_admin, is_area_official, is_case_handler
from wijkwerk.core.policy import IsPerson, ObjectCondition, PermissionPolicy, is_superuser

from .models import Challenge
from .states import EDITABLE, PUBLIC, Status

is_submitter = IsPerson("submitter")
is_draft = ObjectCondition(
    "is_draft", lambda challenge: challenge.status == Status.DRAFT, Q(status=Status.DRAFT)
)
is_public = ObjectCondition("is_public", lambda challenge: challenge.status in PUBLIC, PUBLIC.q())
is_editable = ObjectCondition(
    "is_editable", lambda challenge: challenge.status in EDITABLE, EDITABLE.q()
)

# The area's officials and the municipality's administrator read a submitted challenge whole.
is_staff = is_area_official | is_area_admin | is_superuser
# The broker or area coordinator of the area decides; the administrator can step in.
is_reviewer = is_case_handler | is_area_admin | is_superuser
# Only the administrator books money (funds.services.correct).
is_booker = is_area_admin | is_superuser

can_view = is_public | is_submitter | (is_staff & ~is_draft)
can_view_private = is_submitter | (is_staff & ~is_draft)

POLICY = PermissionPolicy(
    Challenge,
    {
        "view_challenge": can_view,
        "view_private": can_view_private,
        "change_challenge": is_submitter & is_editable,
        "review_challenge": is_reviewer & ~is_draft,
        "book_money": is_booker & ~is_draft,
        "report_progress": is_submitter,
    },
)
