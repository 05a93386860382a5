"""The mails about accounts: allauth's confirmation, password reset, "you already have an account"
and "no account with this address" mails, and any other mail allauth sends, through
`wijkwerk.core.notifications` (registered in `AccountsConfig.ready`; `adapter.AccountAdapter`
hands allauth's mails over). Texts: `templates/accounts/email/<event>.txt`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications

# allauth's template prefix ("account/email/<name>") -> our event and its subject
OWN = {
    "email_confirmation_signup": _("Confirm your e-mail address"),
    "email_confirmation": _("Confirm your e-mail address"),
    "password_reset_key": _("Set a new password"),
    "unknown_account": _("No account with this e-mail address"),
    "account_already_exists": _("You already have an account"),
}
# Any other mail of allauth: its own text and subject, in our frame.
OTHER = "accounts.mail"
# An administrator's invitation to take up a role (services.invitation_send).
INVITATION_EVENT = "accounts.role_invitation"


def event_for(template_prefix: str) -> str:
    name = template_prefix.rsplit("/", 1)[-1]
    return f"accounts.{name}" if template_prefix.startswith("account/") and name in OWN else OTHER


def _municipality(context: dict[str, Any]) -> Any:
    """The municipality of the person's home area signs the mail; else the site does."""
    home = getattr(context.get("user"), "home_area", None)
    return home.municipality if home is not None else None


def _public(url: str) -> str:
    """allauth makes its links (confirm, reset, sign up) on the host the request came in on,
    which behind a proxy or in a demo is "127.0.0.1:8101": the same path on the site's public
    address instead."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return notifications.absolute(path) if parts.scheme in ("http", "https") else url


def _site(context: dict[str, Any], recipient: notifications.Recipient) -> dict[str, Any]:
    # allauth's own templates name the site (`current_site`): its name and public address,
    # never the host of whatever request caused the mail
    domain = urlsplit(str(settings.WIJKWERK_BASE_URL)).netloc
    links = {
        key: _public(value)
        for key, value in context.items()
        if key.endswith("_url") and isinstance(value, str)
    }
    return {
        "current_site": SimpleNamespace(name=settings.WIJKWERK_SITE_NAME, domain=domain),
        **links,
    }


def _allauth(context: dict[str, Any], recipient: notifications.Recipient) -> dict[str, Any]:
    return {
        **_site(context, recipient),
        "message_template": f"{context['template_prefix']}_message.txt",
    }


def _allauth_subject(context: dict[str, Any]) -> str:
    subject = render_to_string(f"{context['template_prefix']}_subject.txt", context)
    return " ".join(subject.split())


def register() -> None:
    for name, subject in OWN.items():
        notifications.register(
            notifications.Event(
                f"accounts.{name}",
                template=f"accounts/email/{name}",
                subject=subject,
                municipality=_municipality,
                extra_context=_site,
                urlize=True,  # the links to confirm or reset; no text a visitor typed
            )
        )
    notifications.register(
        notifications.Event(
            OTHER,
            template="accounts/email/allauth",
            subject=_allauth_subject,
            municipality=_municipality,
            extra_context=_allauth,
            urlize=True,
        )
    )
    notifications.register(
        notifications.Event(
            INVITATION_EVENT,
            template="accounts/email/role_invitation",
            subject=_("Invitation to work for %(municipality)s"),
            subject_vars=lambda context: {"municipality": context["invitation"].municipality},
            link=lambda context: reverse("accounts:invitation", kwargs={"token": context["token"]}),
            link_label=_("Accept the invitation"),
            municipality=lambda context: context["invitation"].municipality,
        )
    )
