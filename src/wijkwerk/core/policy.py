"""Permission policies: one declaration per rule answers all three permission questions.

As in Wagtail's permission policies, a domain's policy answers

- "may this user do X to this object"      `user_has_permission_for_instance(user, X, obj)`
- "which objects may this user do X to"    `instances_user_has_permission_for(user, X)`
- "which users may do X to this object"    `users_with_permission_for_instance(X, obj)`

from one source. A rule is a `Condition` built from small leaves with `&`, `|` and `~`; every leaf
knows its three forms (a check in Python on a loaded object, a `Q` on the policy's model, a `Q` on
users) and the combinators combine them alike, so a list and a permission check cannot drift apart.
Each policy has a property test that checks the three agree on random data.

    POLICY = PermissionPolicy(
        Initiative,
        {"view_initiative": is_public | is_applicant | (is_staff & ~is_draft), ...},
    )
    POLICY.register("initiatives")  # django-rules: user.has_perm("initiatives.view_initiative", i)

Leaves that need the role model (area roles, municipality admins) live in
`wijkwerk.accounts.policy`; this module knows no domain.

Conventions for leaves' `Q`s: a condition that crosses a nullable or many-valued relation is
written as `pk__in=<subquery>`, so that its negation (`~`) is exact in SQL as in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import rules
from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet

# "No row" and "every row" as conditions that stay right under negation and in combinations
# (an empty Q() would mean "every row" on its own, but vanish in `Q() | x`).
NOTHING = Q(pk__in=[])
EVERYTHING = ~Q(pk__in=[])


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


class Condition:
    """A rule about a user and an object, in three forms (subclasses implement all three)."""

    name = "condition"

    def check(self, user: Any, obj: Any) -> bool:
        """On a loaded object (which the caller loaded with the relations the rule reads)."""
        raise NotImplementedError

    def objects(self, user: Any) -> Q:
        """The objects of the policy's model for which `check(user, obj)` holds."""
        raise NotImplementedError

    def users(self, obj: Any) -> Q:
        """The users for whom `check(user, obj)` holds (anonymous visitors aside)."""
        raise NotImplementedError

    def __call__(self, user: Any, obj: Any = None) -> bool:
        return self.check(user, obj)

    def __and__(self, other: Condition) -> Condition:
        return And(self, other)

    def __or__(self, other: Condition) -> Condition:
        return Or(self, other)

    def __invert__(self) -> Condition:
        return Not(self)

    def __repr__(self) -> str:
        return self.name


class And(Condition):
    def __init__(self, left: Condition, right: Condition) -> None:
        self.left, self.right = left, right
        self.name = f"({left!r} & {right!r})"

    def check(self, user: Any, obj: Any) -> bool:
        return self.left.check(user, obj) and self.right.check(user, obj)

    def objects(self, user: Any) -> Q:
        return self.left.objects(user) & self.right.objects(user)

    def users(self, obj: Any) -> Q:
        return self.left.users(obj) & self.right.users(obj)


class Or(Condition):
    def __init__(self, left: Condition, right: Condition) -> None:
        self.left, self.right = left, right
        self.name = f"({left!r} | {right!r})"

    def check(self, user: Any, obj: Any) -> bool:
        return self.left.check(user, obj) or self.right.check(user, obj)

    def objects(self, user: Any) -> Q:
        return self.left.objects(user) | self.right.objects(user)

    def users(self, obj: Any) -> Q:
        return self.left.users(obj) | self.right.users(obj)


class Not(Condition):
    def __init__(self, inner: Condition) -> None:
        self.inner = inner
        self.name = f"~{inner!r}"

    def check(self, user: Any, obj: Any) -> bool:
        return not self.inner.check(user, obj)

    def objects(self, user: Any) -> Q:
        return ~self.inner.objects(user)

    def users(self, obj: Any) -> Q:
        return ~self.inner.users(obj)


class ObjectCondition(Condition):
    """A rule about the object alone (its state, a flag): `check` and `q` say the same."""

    def __init__(self, name: str, check: Callable[[Any], bool], q: Q) -> None:
        self.name = name
        self._check = check
        self._q = q

    def check(self, user: Any, obj: Any) -> bool:
        return obj is not None and bool(self._check(obj))

    def objects(self, user: Any) -> Q:
        return self._q

    def users(self, obj: Any) -> Q:
        return EVERYTHING if self.check(None, obj) else NOTHING


class UserCondition(Condition):
    """A rule about the user alone (logged in, superuser): `check` and `users_q` say the same."""

    def __init__(self, name: str, check: Callable[[Any], bool], users_q: Q) -> None:
        self.name = name
        self._check = check
        self._users_q = users_q

    def check(self, user: Any, obj: Any) -> bool:
        return _authenticated(user) and bool(self._check(user))

    def objects(self, user: Any) -> Q:
        return EVERYTHING if self.check(user, None) else NOTHING

    def users(self, obj: Any) -> Q:
        return self._users_q


class IsPerson(Condition):
    """The user is the person the object's `field` points at (the applicant, the author)."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.name = f"is_{field}"

    def check(self, user: Any, obj: Any) -> bool:
        return (
            obj is not None and _authenticated(user) and getattr(obj, f"{self.field}_id") == user.pk
        )

    def objects(self, user: Any) -> Q:
        if not _authenticated(user):
            return NOTHING
        return Q(**{f"{self.field}_id": user.pk})

    def users(self, obj: Any) -> Q:
        person_id = getattr(obj, f"{self.field}_id")
        return NOTHING if person_id is None else Q(pk=person_id)


is_authenticated = UserCondition("is_authenticated", lambda user: True, EVERYTHING)
is_superuser = UserCondition(
    "is_superuser", lambda user: bool(user.is_superuser), Q(is_superuser=True)
)


class PermissionPolicy:
    """The rules of one model, by action (the permission's codename, e.g. "view_initiative")."""

    def __init__(
        self, model: type[Model] | Callable[[], type[Model]], actions: Mapping[str, Condition]
    ) -> None:
        self._model = model
        self.actions = dict(actions)

    @property
    def model(self) -> type[Model]:
        model = self._model
        if isinstance(model, type) and issubclass(model, Model):
            return model
        found = model()  # the model named lazily, e.g. through another model's relation
        assert isinstance(found, type) and issubclass(found, Model)
        return found

    def condition(self, action: str) -> Condition:
        return self.actions[action]

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return instance is not None and self.condition(action).check(user, instance)

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[Any]:
        return self.model._default_manager.filter(self.condition(action).objects(user))

    def users_with_permission_for_instance(self, action: str, instance: Any) -> QuerySet[Any]:
        users = get_user_model()._default_manager.filter(is_active=True)
        return users.filter(self.condition(action).users(instance))

    def predicate(self, action: str) -> rules.Predicate:
        condition = self.condition(action)

        def check(user: Any, obj: Any) -> bool:
            return obj is not None and condition.check(user, obj)

        return rules.Predicate(check, name=action)

    def register(self, app_label: str) -> None:
        """Register every action with django-rules as `<app_label>.<action>`."""
        for action in self.actions:
            name = f"{app_label}.{action}"
            if rules.perm_exists(name):
                rules.remove_perm(name)
            rules.add_perm(name, self.predicate(action))
