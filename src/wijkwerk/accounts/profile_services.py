"""Writes to a person's own profile.

`services.py` in this app holds the role-assignment services of the back office; profile changes
are the person's own business and live here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from wijkwerk.areas.models import Area
from wijkwerk.core.audit import record, snapshot

from .audit_actions import AccountAction
from .models import User

PROFILE_FIELDS = ("full_name", "home_area", "phone", "expertise", "language", "birth_date")
# `birth_date` left out: the date of birth stays as it is (callers from before it existed).
UNCHANGED: Any = object()


def profile_update(
    *,
    actor: Any,
    user: User,
    full_name: str,
    home_area: Area | None,
    phone: str,
    expertise: str,
    language: str | None = None,
    birth_date: datetime.date | None = UNCHANGED,
) -> User:
    if not actor.has_perm("accounts.change_profile", user):
        raise PermissionDenied
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=user.pk)
        before = snapshot(person, PROFILE_FIELDS)
        person.full_name = full_name
        person.home_area = home_area
        person.phone = phone
        person.expertise = expertise
        if language:
            person.language = language  # of the mails the platform sends them
        if birth_date is not UNCHANGED:
            person.birth_date = birth_date  # whether a budget round's age limit lets them vote
        person.full_clean(exclude=["password", "email"])
        person.save(
            update_fields=["full_name", "home_area", "phone", "expertise", "language", "birth_date"]
        )
        after = snapshot(person, PROFILE_FIELDS)
        if before != after:
            record(
                actor=actor,
                action=AccountAction.PROFILE_UPDATE,
                instance=person,
                before=before,
                after=after,
            )
    return person
