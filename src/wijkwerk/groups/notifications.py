"""The mails of resident groups (`wijkwerk.core.notifications`; registered in
`GroupsConfig.ready`). Texts: `templates/groups/email/<kind>.txt`.

- `groups.join_requested`: to the contacts, when a resident asks to join;
- `groups.request_answered`: to the resident, when a contact accepts or declines the request;
- `groups.invited`: to an address a contact invites (a single-use link);
- `groups.contact_message`: the contact form's message, to each contact; Reply-To is the sender's
  address, so that no contact's address is shown to the sender (nor the other contacts');
- `groups.dissolved`: to the group's followers (topic "groups": now or in the weekly digest).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications

JOIN_REQUESTED = "groups.join_requested"
REQUEST_ANSWERED = "groups.request_answered"
INVITED = "groups.invited"
CONTACT_MESSAGE = "groups.contact_message"
DISSOLVED = "groups.dissolved"


def _group_vars(context: dict[str, Any]) -> dict[str, Any]:
    return {"name": context["group"].name}


def _group_link(context: dict[str, Any]) -> str:
    return reverse("groups:detail", kwargs={"pk": context["group"].pk})


def _municipality(context: dict[str, Any]) -> Any:
    return context["group"].area.municipality


def replying_to(group: Any, name: str, email: str) -> Any:
    """The sender of a contact message as the mail's `municipality`: the municipality's name
    signs it, replies go to the sender."""
    return SimpleNamespace(name=group.area.municipality.name, contact_email=email)


def register() -> None:
    for name, template, subject, link, label in (
        (
            JOIN_REQUESTED,
            "join_requested",
            _("Someone asks to join “%(name)s”"),
            lambda context: reverse("groups:manage", kwargs={"pk": context["group"].pk}),
            _("Accept or decline"),
        ),
        (
            REQUEST_ANSWERED,
            "request_answered",
            _("Your request to join “%(name)s”"),
            _group_link,
            _("Go to the group"),
        ),
        (
            INVITED,
            "invited",
            _("An invitation to join “%(name)s”"),
            lambda context: reverse("groups:invitation", kwargs={"token": context["token"]}),
            _("Accept the invitation"),
        ),
        (
            CONTACT_MESSAGE,
            "contact_message",
            _("A message for “%(name)s”"),
            _group_link,
            _("Go to the group"),
        ),
    ):
        notifications.register(
            notifications.Event(
                name,
                template=f"groups/email/{template}",
                subject=subject,
                subject_vars=_group_vars,
                link=link,
                link_label=label,
                municipality=_municipality,
            )
        )
    notifications.register(
        notifications.Event(
            DISSOLVED,
            template="groups/email/dissolved",
            subject=_("The resident group “%(name)s” has been dissolved"),
            subject_vars=_group_vars,
            link=_group_link,
            link_label=_("See the group's page"),
            municipality=_municipality,
            topic="groups",
        )
    )
