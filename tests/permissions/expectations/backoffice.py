"""The back office: only the municipality's administrators; others 403, anonymous to login."""

from __future__ import annotations

from wijkwerk.accounts.models import Role, RoleAssignment

from ...accounts.factories import UserFactory
from ...areas.factories import GroupMembershipFactory, ResidentGroupFactory
from ..framework import Case, World, logged_in


def admin_only(status: int = 200) -> dict[str, int]:
    return logged_in(403, admin=status)


def here(world: World, **kwargs: object) -> dict[str, object]:
    return {"municipality": world.municipality.slug, **kwargs}


def _clerk_role(world: World) -> None:
    world.extra["assignment"] = RoleAssignment.objects.create(
        user=UserFactory(), role=Role.CLERK, municipality=world.municipality
    )


def _group_with_member(world: World) -> None:
    group = ResidentGroupFactory(area=world.area)
    world.extra["group"] = group
    world.extra["group_membership"] = GroupMembershipFactory(group=group)
    world.extra["new_member"] = UserFactory()


def _invitation(world: World) -> None:
    from wijkwerk.accounts.services import invitation_send

    world.extra["invitation"], _token = invitation_send(
        actor=world.users["admin"],
        email="uitgenodigd@example.org",
        role=Role.CLERK,
        municipality=world.municipality,
    )


def _council(world: World) -> object:
    return world.area.councils.get()


def _council_member(world: World) -> None:
    world.extra["new_member"] = UserFactory()


CASES = [
    Case("backoffice:dashboard", admin_only()),
    Case("backoffice:area_list", admin_only(), kwargs=here),
    Case("backoffice:area_create", admin_only(), kwargs=here),
    Case(
        "backoffice:area_create",
        admin_only(302),
        kwargs=here,
        method="post",
        data=lambda w: {"kind": "district", "name": "Oosteind", "cbs_code": "WK082612"},
    ),
    Case("backoffice:area_edit", admin_only(), kwargs=lambda w: here(w, pk=w.area.pk)),
    Case("backoffice:role_list", admin_only(), kwargs=here),
    Case("backoffice:role_assign", admin_only(), kwargs=here),
    Case(
        "backoffice:role_assign",
        admin_only(302),
        kwargs=here,
        method="post",
        data=lambda w: {"email": w.users["resident"].email, "role": "clerk"},
    ),
    Case(
        "backoffice:role_revoke",
        admin_only(),
        kwargs=lambda w: here(w, pk=w.extra["assignment"].pk),
        setup=_clerk_role,
    ),
    Case(
        "backoffice:role_revoke",
        admin_only(302),
        kwargs=lambda w: here(w, pk=w.extra["assignment"].pk),
        setup=_clerk_role,
        method="post",
    ),
    Case("backoffice:role_invite", admin_only(), kwargs=here),
    Case(
        "backoffice:role_invite",
        admin_only(302),
        kwargs=here,
        method="post",
        data=lambda w: {"email": "nieuwe.griffier@example.org", "role": "clerk"},
    ),
    Case(
        "backoffice:invitation_withdraw",
        admin_only(302),
        kwargs=lambda w: here(w, pk=w.extra["invitation"].pk),
        setup=_invitation,
        method="post",
    ),
    Case(
        "backoffice:invitation_withdraw",
        admin_only(405),
        kwargs=lambda w: here(w, pk=w.extra["invitation"].pk),
        setup=_invitation,
        label="GET is not allowed",
    ),
    # A person who holds a role in the municipality: their page, deactivating their account.
    Case(
        "backoffice:person",
        admin_only(),
        kwargs=lambda w: here(w, pk=w.extra["assignment"].user_id),
        setup=_clerk_role,
    ),
    Case(
        "backoffice:person",
        admin_only(302),
        kwargs=lambda w: here(w, pk=w.extra["assignment"].user_id),
        setup=_clerk_role,
        method="post",
        data=lambda w: {"action": "deactivate"},
    ),
    # A resident without a role here is no account the municipality's administrators manage.
    Case(
        "backoffice:person",
        admin_only(404),
        kwargs=lambda w: here(w, pk=w.users["resident"].pk),
        label="resident",
    ),
    Case("backoffice:council_list", admin_only(), kwargs=here),
    Case("backoffice:council_create", admin_only(), kwargs=here),
    Case("backoffice:council_edit", admin_only(), kwargs=lambda w: here(w, pk=_council(w).pk)),
    Case(
        "backoffice:council_member_add",
        admin_only(302),
        kwargs=lambda w: here(w, pk=_council(w).pk),
        setup=_council_member,
        method="post",
        data=lambda w: {"email": w.extra["new_member"].email, "position": "member"},
    ),
    Case(
        "backoffice:council_member_add",
        admin_only(405),
        kwargs=lambda w: here(w, pk=_council(w).pk),
        label="GET is not allowed",
    ),
    Case(
        "backoffice:council_member_remove",
        admin_only(302),
        kwargs=lambda w: here(w, pk=_council(w).pk, membership=_council(w).memberships.get().pk),
        method="post",
    ),
    Case("backoffice:group_list", admin_only(), kwargs=here),
    Case("backoffice:group_create", admin_only(), kwargs=here),
    Case(
        "backoffice:group_edit",
        admin_only(),
        kwargs=lambda w: here(w, pk=w.extra["group"].pk),
        setup=_group_with_member,
    ),
    Case(
        "backoffice:group_member_add",
        admin_only(302),
        kwargs=lambda w: here(w, pk=w.extra["group"].pk),
        setup=_group_with_member,
        method="post",
        data=lambda w: {"email": w.extra["new_member"].email},
    ),
    Case(
        "backoffice:group_member_remove",
        admin_only(302),
        kwargs=lambda w: here(w, pk=w.extra["group"].pk, membership=w.extra["group_membership"].pk),
        setup=_group_with_member,
        method="post",
    ),
    Case("backoffice:audit_log", admin_only(), kwargs=here),
]
