"""Signed unsubscribe tokens: a link in a mail removes a follow (or every weekly digest) without
a login. Signed with SECRET_KEY (django.core.signing), so no one can make one for another
person's follow; valid for a year, long enough for an old mail in someone's inbox."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "wijkwerk.follows.unsubscribe"
MAX_AGE = 366 * 24 * 3600  # seconds


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    follow_id: int | None  # None: all weekly digests of the person


class BadToken(Exception):
    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "bad signature")
        self.expired = expired


def for_follow(*, user_id: int, follow_id: int) -> str:
    return signing.dumps({"u": user_id, "f": follow_id}, salt=SALT, compress=True)


def for_digests(*, user_id: int) -> str:
    return signing.dumps({"u": user_id, "f": None}, salt=SALT, compress=True)


def read(token: str) -> Unsubscribe:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise BadToken(expired=True) from None
    except signing.BadSignature:
        raise BadToken(expired=False) from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise BadToken(expired=False)
    follow = data.get("f")
    if follow is not None and not isinstance(follow, int):
        raise BadToken(expired=False)
    return Unsubscribe(user_id=data["u"], follow_id=follow)
