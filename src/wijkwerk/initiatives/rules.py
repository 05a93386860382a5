"""Who may do what with an initiative: one predicate per rule, registered with django-rules.

Predicates take the initiative (loaded with `area__parent__parent` so the area lineage costs no
queries). The workflow table in workflow.py names these predicates for each transition.
"""

from __future__ import annotations

from typing import Any

import rules

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.roles import role_index
from wijkwerk.accounts.rules import is_area_official, is_superuser

from .models import SUPPORTABLE, Status

CASE_HANDLER_ROLES = (Role.BROKER, Role.AREA_COORDINATOR)


@rules.predicate
def is_applicant(user: Any, initiative: Any) -> bool:
    return bool(
        initiative is not None and user.is_authenticated and initiative.applicant_id == user.pk
    )


@rules.predicate
def is_admin_of_initiative(user: Any, initiative: Any) -> bool:
    return initiative is not None and role_index(user).holds_for_municipality(
        Role.ADMIN, initiative.area.municipality_id
    )


@rules.predicate
def is_official_of_initiative(user: Any, initiative: Any) -> bool:
    """Alderman, broker, community worker or coordinator of the initiative's area."""
    return initiative is not None and is_area_official(user, initiative.area)


@rules.predicate
def is_broker_of_initiative(user: Any, initiative: Any) -> bool:
    return initiative is not None and role_index(user).holds_for_area(
        Role.BROKER, initiative.area.lineage_ids
    )


@rules.predicate
def is_case_handler_of_initiative(user: Any, initiative: Any) -> bool:
    """Broker or area coordinator of the initiative's area: the officials who handle
    applications (aldermen and community workers do not)."""
    if initiative is None:
        return False
    index = role_index(user)
    lineage = initiative.area.lineage_ids
    return any(index.holds_for_area(role, lineage) for role in CASE_HANDLER_ROLES)


@rules.predicate
def is_draft(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.status == Status.DRAFT


@rules.predicate
def is_public(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.is_public


@rules.predicate
def is_editable(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.status in (Status.DRAFT, Status.RETURNED)


@rules.predicate
def is_supportable(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.status in SUPPORTABLE


@rules.predicate
def is_authenticated(user: Any) -> bool:
    return bool(user.is_authenticated)


is_staff_of_initiative = is_official_of_initiative | is_admin_of_initiative | is_superuser
# The broker decides; the municipality's administrator can step in when a broker is absent.
is_reviewer = is_broker_of_initiative | is_admin_of_initiative | is_superuser
# Who handles the application and so reads its private side: the conversation with the
# applicant, internal notes, receipts, co-applicants and bank account (docs/adr/001).
handles_the_case = is_case_handler_of_initiative | is_admin_of_initiative | is_superuser

# A draft is the resident's own working copy until it is submitted: nobody else reads it.
can_view = is_public | is_applicant | (is_staff_of_initiative & ~is_draft)
can_edit = is_applicant & is_editable
can_support = is_authenticated & ~is_applicant & is_public & is_supportable
can_converse = is_applicant | (handles_the_case & ~is_draft)
can_view_private_files = is_applicant | (handles_the_case & ~is_draft)

rules.add_perm("initiatives.view_initiative", can_view)
rules.add_perm("initiatives.change_initiative", can_edit)
rules.add_perm("initiatives.support_initiative", can_support)
rules.add_perm("initiatives.offer_help", can_support)
rules.add_perm("initiatives.converse", can_converse)
rules.add_perm("initiatives.view_internal", handles_the_case & ~is_draft)
rules.add_perm("initiatives.view_private_files", can_view_private_files)
rules.add_perm("initiatives.assign", is_reviewer)
rules.add_perm("initiatives.add_initiative", is_authenticated)


@rules.predicate
def works_in_an_area(user: Any) -> bool:
    """Holds an area role, or administers a municipality: has a "My areas" overview."""
    index = role_index(user)
    return bool(index.area_roles or index.admin_municipality_ids)


rules.add_perm("initiatives.use_dashboard", works_in_an_area)
