"""What a resident group's self-service keeps besides the group and its memberships (those live
in `areas.models`: everything refers to them).

- `JoinRequest`: a resident asks to join a group that takes members on request; its contacts
  accept or decline.
- `GroupInvitation`: a contact invites a person by e-mail to a group (any policy, the only way
  into an invitation-only group); a single-use link whose token only as a hash is stored.
- `ContactMessage`: a message sent with the group page's contact form, mailed to the contacts
  (kept for the audit trail and abuse; deleted with the group's data when it is dissolved).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Lengths of what people type: the form and the services refuse more.
MESSAGE_MAX = 2000
DESCRIPTION_MAX = 4000


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class JoinRequest(models.Model):
    group = models.ForeignKey(
        "areas.ResidentGroup",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="group_join_requests",
    )
    message = models.TextField(_("message"), blank=True, max_length=MESSAGE_MAX)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.group}"


class GroupInvitation(models.Model):
    group = models.ForeignKey(
        "areas.ResidentGroup",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("group invitation")
        verbose_name_plural = _("group invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} – {self.group}"


class ContactMessage(models.Model):
    group = models.ForeignKey(
        "areas.ResidentGroup",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="contact_messages",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    message = models.TextField(_("message"), max_length=MESSAGE_MAX)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message to a group")
        verbose_name_plural = _("messages to groups")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} – {self.group}"
