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

can_view = is_public | is_applicant | is_staff_of_initiative
can_edit = is_applicant & is_editable
can_support = is_authenticated & ~is_applicant & is_public & is_supportable
can_converse = is_applicant | is_staff_of_initiative

rules.add_perm("initiatives.view_initiative", can_view)
rules.add_perm("initiatives.change_initiative", can_edit)
rules.add_perm("initiatives.support_initiative", can_support)
rules.add_perm("initiatives.offer_help", can_support)
rules.add_perm("initiatives.converse", can_converse)
rules.add_perm("initiatives.view_internal", is_staff_of_initiative)
rules.add_perm("initiatives.view_private_files", is_applicant | is_staff_of_initiative)
rules.add_perm("initiatives.assign", is_reviewer)
rules.add_perm("initiatives.add_initiative", is_authenticated)


@rules.predicate
def works_in_an_area(user: Any) -> bool:
    """Holds an area role, or administers a municipality: has a "My areas" overview."""
    index = role_index(user)
    return bool(index.area_roles or index.admin_municipality_ids)


rules.add_perm("initiatives.use_dashboard", works_in_an_area)
