"""Who may do what with an initiative: the initiatives' permission policy (`core.policy`).

One declaration per action answers "may this user do it to this initiative" (rules.py registers
each as `initiatives.<action>` for `has_perm`, templates and views), "which initiatives may this
user do it to" and "which users may do it to this initiative"; `tests/initiatives/
test_policy_agreement.py` checks on random data that the three agree.

Checks take the initiative loaded with `area__parent__parent` (the area lineage costs no queries).
Who reads which part of an initiative is decided in docs/adr/001.
"""

from __future__ import annotations

from django.db.models import Q

from wijkwerk.accounts.policy import (
    is_area_admin,
    is_area_broker,
    is_area_official,
    is_case_handler,
    is_official,
)
from wijkwerk.core.policy import (
    IsPerson,
    ObjectCondition,
    PermissionPolicy,
    is_authenticated,
    is_superuser,
)

from .models import Initiative
from .states import EDITABLE, PUBLIC, SUPPORTABLE, Status

is_applicant = IsPerson("applicant")
is_draft = ObjectCondition(
    "is_draft", lambda initiative: initiative.status == Status.DRAFT, Q(status=Status.DRAFT)
)
is_public = ObjectCondition(
    "is_public", lambda initiative: initiative.is_public, Q(consent_to_publish=True) & PUBLIC.q()
)
is_editable = ObjectCondition(
    "is_editable", lambda initiative: initiative.status in EDITABLE, EDITABLE.q()
)
is_supportable = ObjectCondition(
    "is_supportable", lambda initiative: initiative.status in SUPPORTABLE, SUPPORTABLE.q()
)

# The area's officials (alderman, broker, community worker, coordinator) and the municipality's
# administrator read submitted applications.
is_staff = is_area_official | is_area_admin | is_superuser
# The broker decides; the municipality's administrator can step in when a broker is absent.
is_reviewer = is_area_broker | is_area_admin | is_superuser
# Who handles the application and so reads its private side: the conversation with the
# applicant, internal notes, receipts, co-applicants and bank account (docs/adr/001).
handles_the_case = is_case_handler | is_area_admin | is_superuser

# A draft is the resident's own working copy until it is submitted: nobody else reads it.
can_view = is_public | is_applicant | (is_staff & ~is_draft)
can_offer_help = is_authenticated & ~is_applicant & is_public & is_supportable
# Officials do not support applications: support counts towards what the municipality reviews.
can_support = can_offer_help & ~is_official
can_read_private_side = is_applicant | (handles_the_case & ~is_draft)

POLICY = PermissionPolicy(
    Initiative,
    {
        "view_initiative": can_view,
        "change_initiative": is_applicant & is_editable,
        "support_initiative": can_support,
        "offer_help": can_offer_help,
        "converse": can_read_private_side,
        "view_internal": handles_the_case & ~is_draft,
        "view_private_files": can_read_private_side,
        # whoever reads the private files may add to them (the service decides which kind when)
        "add_attachment": can_read_private_side,
        "change_payee": is_applicant,
        "assign": is_reviewer,
    },
)

# The initiatives on an official's "My areas" overview: those of the areas they work in (and the
# areas inside them) and of the municipality they administer.
works_on = is_area_official | is_area_admin
