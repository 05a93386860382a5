"""`notifications.quiet()`: no mail is queued inside the block, and mail is queued again after it;
an unknown event still fails inside it."""

from __future__ import annotations

import pytest

from wijkwerk.core import notifications

pytestmark = pytest.mark.django_db


def test_quiet_queues_no_mail_inside_the_block_only(cast, django_capture_on_commit_callbacks):
    name = notifications.events()[0].name

    def mail() -> None:
        notifications.notify(name, recipients=[cast.applicant], context={})

    with django_capture_on_commit_callbacks() as quiet_callbacks, notifications.quiet():
        mail()
    assert quiet_callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        mail()
    assert len(callbacks) == 1
    with pytest.raises(LookupError), notifications.quiet():
        notifications.notify("no.such.event", recipients=[cast.applicant], context={})
