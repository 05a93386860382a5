"""Who may see reach and import population figures (docs/learning.md, "Reach").

reach           public: the figures are counts, suppressed below 5
population      imported by the administrators of the municipality (and by the
                `import_population` command, a system actor)
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import Municipality
from wijkwerk.core.policy import NOTHING, Condition, ObjectCondition, PermissionPolicy


class AdministersThisMunicipality(Condition):
    """An administrator of the municipality (on `Municipality` objects)."""

    name = "administers_this_municipality"

    def check(self, user: Any, obj: Any) -> bool:
        return obj is not None and role_index(user).holds_for_municipality(Role.ADMIN, obj.pk)

    def objects(self, user: Any) -> Q:
        admin = sorted(role_index(user).admin_municipality_ids)
        return Q(pk__in=admin) if admin else NOTHING

    def users(self, obj: Any) -> Q:
        return Q(
            pk__in=RoleAssignment.objects.filter(
                role=Role.ADMIN, municipality_id=obj.pk, area__isnull=True
            ).values("user_id")
        )


administers = AdministersThisMunicipality()
everyone = ObjectCondition("any_municipality", lambda municipality: True, ~Q(pk__in=[]))

MUNICIPALITY_POLICY = PermissionPolicy(
    Municipality,
    {
        "view_reach": everyone,
        "import_population": administers,
    },
)


def register() -> None:
    MUNICIPALITY_POLICY.register("reach")
