"""The permission matrix: every URL × every kind of visitor, with the status each must get.

Each app declares its cases in `tests/permissions/expectations/<app>.py` as `CASES: list[Case]`.
`test_matrix.py` enumerates the whole URL conf and fails on a URL name that no case covers, so a
new view cannot ship without a decision on who may see it.

Status conventions: 200 shown; 302 redirected (to the login page for anonymous visitors, or after a
successful POST); 403 logged in but not allowed to act; 404 not allowed to know the object exists;
405 wrong method.

A case may also try people of the cast beyond VISITORS where they make a difference
(`Case.also`, EXTRA_VISITORS: a resident of another area, another municipality's administrator, a
superuser); they are tried first, and the page tour leaves them out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Everyone the matrix tries. `applicant` is a resident who owns objects made in a case's setup.
VISITORS = (
    "anonymous",
    "resident",
    "applicant",
    "council_member",
    "broker_other",
    "broker_this",
    "alderman",
    "clerk",
    "admin",
)
# People of the cast a case may try besides VISITORS (`Case.also`), where they make a difference
# (a resident of another area, another municipality's administrator, a superuser). They are
# tried before the VISITORS; the page tour leaves them out.
EXTRA_VISITORS = ("outsider", "oss_admin", "superuser")


@dataclass
class World:
    """The cast (tests/cast.py) as the matrix sees it: `municipality` Oosterhout, `area` Dorst
    with its neighbourhood `neighbourhood` (Dorst-Zuid), `other_area` Slotjes; `users[visitor]`
    for every visitor but anonymous; `extra` for objects a case's setup makes."""

    cast: Any
    users: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, cast: Any) -> World:
        """Each visitor is one of the cast: `resident` the applicant's neighbour, `broker_this`
        the broker of Dorst, `broker_other` the broker of Slotjes."""
        return cls(
            cast,
            {
                "resident": cast.neighbour,
                "applicant": cast.applicant,
                "council_member": cast.council_member,
                "broker_other": cast.other_broker,
                "broker_this": cast.broker,
                "alderman": cast.alderman,
                "clerk": cast.clerk,
                "admin": cast.admin,
                "outsider": cast.outsider,
                "oss_admin": cast.oss_admin,
            },
        )

    def user(self, visitor: str) -> Any:
        """The visitor's user; the superuser (with the two-factor login) is made when first
        asked for."""
        if visitor == "superuser" and visitor not in self.users:
            from ..accounts.factories import UserFactory, with_totp

            self.users[visitor] = with_totp(
                UserFactory(is_superuser=True, is_staff=True, full_name="Sam Superuser")
            )
        return self.users[visitor]

    @property
    def municipality(self) -> Any:
        return self.cast.municipality

    @property
    def area(self) -> Any:
        return self.cast.district

    @property
    def neighbourhood(self) -> Any:
        return self.cast.neighbourhood

    @property
    def other_area(self) -> Any:
        return self.cast.other_district


@dataclass(frozen=True)
class Case:
    url_name: str
    expect: dict[str, int]
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    setup: Callable[[World], None] = lambda world: None
    label: str = ""
    # expected statuses for EXTRA_VISITORS this case also tries
    also: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = set(VISITORS) - set(self.expect)
        if missing:
            raise ValueError(f"{self.url_name}: no expected status for {sorted(missing)}")
        unknown = set(self.also) - set(EXTRA_VISITORS)
        if unknown:
            raise ValueError(f"{self.url_name}: unknown extra visitors {sorted(unknown)}")

    @property
    def visitors(self) -> tuple[str, ...]:
        """Who the case tries, in order: its extra visitors first, then VISITORS."""
        return (*(v for v in EXTRA_VISITORS if v in self.also), *VISITORS)

    def expected(self, visitor: str) -> int:
        return self.also[visitor] if visitor in self.also else self.expect[visitor]

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url_name}{' ' + self.label if self.label else ''}"


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """The same status for every visitor, except the ones named."""
    expect = dict.fromkeys(VISITORS, status)
    expect.update(overrides)
    return expect


def logged_in(status: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    """Login required: anonymous visitors are sent to the login page."""
    return everyone(status, anonymous=anonymous, **overrides)
