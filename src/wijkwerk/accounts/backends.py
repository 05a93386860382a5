"""Log-in backend: allauth's e-mail login without Django's model permissions.

Every permission in wijkwerk is a django-rules predicate (answered by
`rules.permissions.ObjectPermissionBackend`). Django's `ModelBackend` would, for every permission
a predicate refuses, read the user's and her groups' model permissions from the database (two
queries a page) and only ever find none, since no one is given any. Superusers keep every
permission (`User.has_perm` grants them before asking any backend).
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend


class EmailLoginBackend(AuthenticationBackend):
    # Django's permission checks (has_perm, get_all_permissions, has_module_perms) all come down
    # to these two.
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()
