"""What the audit trail records about people, roles and memberships, and how the audit log shows
it (`wijkwerk.core.auditlog`; registered in `AccountsConfig.ready`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountAction(models.TextChoices):
    PERSON_CREATE = "person.create", _("Person added")
    PROFILE_UPDATE = "profile.update", _("Profile changed")
    ROLE_ASSIGN = "role.assign", _("Role assigned")
    ROLE_REVOKE = "role.revoke", _("Role revoked")
    ROLE_INVITE = "role.invite", _("Invited to take up a role")
    ROLE_INVITATION_ACCEPT = "role.invitation_accept", _("Invitation to a role accepted")
    ROLE_INVITATION_WITHDRAW = "role.invitation_withdraw", _("Invitation to a role withdrawn")
    PERSON_DEACTIVATE = "person.deactivate", _("Account deactivated")
    PERSON_REACTIVATE = "person.reactivate", _("Account reactivated")
    COUNCIL_MEMBER_ADD = "council.member_add", _("Council member added")
    COUNCIL_MEMBER_REMOVE = "council.member_remove", _("Council member removed")
    GROUP_MEMBER_ADD = "group.member_add", _("Group member added")
    GROUP_MEMBER_REMOVE = "group.member_remove", _("Group member removed")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("accounts", _("People, roles and memberships"), AccountAction)
    # Roles and memberships keep the person's e-mail address beside the user's id: the address
    # stays readable after the account is gone.
    person = {"person": log.Text(_("person")), "user": log.Hidden()}
    council = {"council": log.Reference(_("council"), model="areas.areacouncil")}
    group = {"group": log.Reference(_("resident group"), model="areas.residentgroup")}
    log.register_fields("accounts.roleassignment", person)
    log.register_fields("accounts.roleinvitation", {"person": log.Text(_("accepted by"))})
    for app in ("areas", "accounts"):  # wherever the membership models live
        log.register_fields(f"{app}.councilmembership", {**person, **council})
        log.register_fields(f"{app}.groupmembership", {**person, **group})
    log.register_fields(
        "accounts.user", {"email_verified": log.Boolean(_("e-mail address confirmed"))}
    )
