"""Log-in backend: allauth's e-mail login without Django's model permissions.

Every permission in wijkwerk is a django-rules predicate (answered by
`rules.permissions.ObjectPermissionBackend`). Django's `ModelBackend` would, for every permission
a predicate refuses, read the user's and her groups' model permissions from the database (two
queries a page) and only ever find none, since no one is given any. Superusers keep every
permission (`User.has_perm` grants them before asking any backend).

A logged-in request's user is loaded with her roles and two-factor state in one query
(`roles.user_with_roles`), not three.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from asgiref.sync import sync_to_async

from .roles import user_with_roles


class EmailLoginBackend(AuthenticationBackend):
    # Django's permission checks (has_perm, get_all_permissions, has_module_perms) all come down
    # to these two.
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_user(self, user_id: Any) -> Any:
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id: Any) -> Any:
        return await sync_to_async(self.get_user)(user_id)
