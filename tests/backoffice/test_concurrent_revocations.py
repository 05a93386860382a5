"""Two administrators revoke each other's role at the same moment: one revocation happens, the
other is refused with a message; never a deadlock (a server error), never no administrator."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from wijkwerk.accounts.models import Role, RoleAssignment, User
from wijkwerk.accounts.services import role_revoke

from ..accounts.factories import official
from ..areas.factories import MunicipalityFactory
from ..cast import Cast

ROUNDS = 3


def slow_to_ask(user: User, barrier: threading.Barrier) -> User:
    """The acting admin, who waits for the other one when asked for permission: both then hold
    whatever the revocation locked before it asks, which is where a deadlock would start."""
    ask = user.has_perm

    def has_perm(perm: str, obj: Any = None) -> bool:
        # When the other one waits for a lock, there is nothing more to line up.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)
        return ask(perm, obj)

    user.has_perm = has_perm  # type: ignore[method-assign]
    return user


def revoke_each_other(admins: list[User]) -> list[str]:
    municipality_id = RoleAssignment.objects.get(user=admins[0], role=Role.ADMIN).municipality_id
    assignments = {
        a.user_id: a
        for a in RoleAssignment.objects.filter(municipality_id=municipality_id, role=Role.ADMIN)
    }
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def revoke(actor: User, target: User) -> None:
        try:
            own_actor = User.objects.get(pk=actor.pk)
            with translation.override("en"):
                try:
                    role_revoke(
                        actor=slow_to_ask(own_actor, barrier),
                        assignment=RoleAssignment.objects.get(pk=assignments[target.pk].pk),
                    )
                    outcome = "revoked"
                except ValidationError as refused:
                    outcome = f"refused: {refused.code}"
                except PermissionDenied:
                    outcome = "refused: no permission"
                except Exception as error:  # the test reports what went wrong
                    outcome = f"error: {type(error).__name__}: {error}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=revoke, args=(admins[0], admins[1])),
        threading.Thread(target=revoke, args=(admins[1], admins[0])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_revoking_each_other_leave_one_admin() -> None:
    for _ in range(ROUNDS):
        municipality = MunicipalityFactory()
        admins = [official(Role.ADMIN, municipality=municipality) for _ in range(2)]
        outcomes = revoke_each_other(admins)
        # The second one is refused: as the last administrator, or (when its own role index
        # is read after the first one committed) as no longer an administrator.
        assert len(outcomes) == 2, outcomes
        assert "revoked" in outcomes, outcomes
        other = next(o for o in outcomes if o != "revoked")
        assert other in ("refused: last_admin", "refused: no permission"), outcomes
        assert (
            RoleAssignment.objects.filter(municipality=municipality, role=Role.ADMIN).count() == 1
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_a_third_admin_the_first_revocation_wins() -> None:
    """The first one revokes the second one's role; the second one, no longer an administrator
    when its turn comes, is refused."""
    for _ in range(ROUNDS):
        municipality = MunicipalityFactory()
        admins = [official(Role.ADMIN, municipality=municipality) for _ in range(3)]
        outcomes = revoke_each_other(admins[:2])
        assert sorted(outcomes) == ["refused: no permission", "revoked"], outcomes
        remaining = RoleAssignment.objects.filter(municipality=municipality, role=Role.ADMIN)
        assert remaining.count() == 2
        assert admins[2].pk in remaining.values_list("user_id", flat=True)


def test_revoking_a_role_already_revoked_is_refused_with_a_message(cast: Cast) -> None:
    admins = [cast.admin, *(official(Role.ADMIN, municipality=cast.municipality) for _ in "ab")]
    stale = RoleAssignment.objects.get(user=admins[2])
    role_revoke(actor=admins[0], assignment=RoleAssignment.objects.get(pk=stale.pk))
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        role_revoke(actor=admins[1], assignment=stale)
    assert refused.value.code == "gone"
    assert refused.value.messages == ["Deze rol is al ingetrokken."]
