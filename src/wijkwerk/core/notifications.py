"""One way out for every mail the platform sends: `notify(event, recipients=..., context=...)`.

An app registers its events in its `AppConfig.ready()`::

    notifications.register(Event(
        "initiatives.approved",
        template="initiatives/email/approved",  # .txt required; .html optional (else from the text)
        subject=_("Your initiative “%(title)s” has been approved"),
        subject_vars=lambda context: {"title": context["initiative"].title},
        link=lambda context: context["initiative"].get_absolute_url(),
        link_label=_("See your initiative"),
        municipality=lambda context: context["initiative"].area.municipality,
        attachments=decision_letter,  # (context, recipient) -> attachments, made by the worker
    ))

and a service calls, inside its transaction::

    notify("initiatives.approved", recipients=[initiative.applicant],
           context={"initiative": initiative, "note": reason})

Once the transaction commits, one task per recipient goes to the queue (django-tasks-db's worker
sends it; nothing is sent if the transaction rolls back, and a slow mail server never holds up a
request). The worker reads the objects of the context again and renders the mail in the
recipient's language (`User.language`; for a bare address the language given, e.g. the visitor's):
a greeting, the event's text, a link back (absolute, `WIJKWERK_BASE_URL`), the signature of the
municipality (also the sender's name) or else of the site, as plain text and as HTML.

Ready for following and digests: an event with a `topic` is one people may choose to get (a later
subscription app decides per recipient, through `register_router`, whether it goes now, waits for
a digest or not at all, and adds `List-Unsubscribe` headers through `register_headers`). Events
without a topic are the service mails every recipient gets (confirmations, decisions, steps of
their own initiative); no router can hold them back.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import email.policy
import enum
import functools
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.tasks import task
from django.template import TemplateDoesNotExist
from django.template.defaultfilters import linebreaks_filter, urlize
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.encoding import punycode
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .text import single_line

logger = logging.getLogger(__name__)

Context = dict[str, Any]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


@dataclass(frozen=True)
class Recipient:
    """Who a mail goes to, as the worker knows them."""

    email: str
    language: str
    name: str = ""
    user: Any = None  # the account, when there is one


@dataclass(frozen=True)
class Event:
    name: str
    # "<app>/email/<event>" : <template>.txt is the text (without greeting and signature);
    # <template>.html, if it exists, the HTML of the same, else the text becomes HTML paragraphs.
    template: str
    # Translated in the recipient's language; "%(name)s" placeholders filled from subject_vars,
    # or a function of the context that gives the subject itself.
    subject: str | Promise | Callable[[Context], str]
    subject_vars: Callable[[Context], Mapping[str, Any]] | None = None
    # The page the mail is about (a path or an absolute URL), and the words of its link.
    link: Callable[[Context], str | None] | None = None
    link_label: str | Promise | Callable[[Context], str] | None = None
    # The municipality the mail comes from, when the notify() call does not name it.
    municipality: Callable[[Context], Any] | None = None
    # More context, computed by the worker (e.g. amounts as text, the decision a mail announces).
    extra_context: Callable[[Context, Recipient], Context] | None = None
    # Files to attach, made by the worker (e.g. a decision letter rendered once and kept).
    attachments: Callable[[Context, Recipient], Iterable[Attachment]] | None = None
    # None: a service mail everyone concerned gets. A topic: something one may follow (see above).
    topic: str | None = None
    # Make addresses in the text clickable in the HTML part (only for texts without user input).
    urlize: bool = False


class Delivery(enum.Enum):
    NOW = "now"
    DIGEST = "digest"  # the router has kept it for a digest
    SKIP = "skip"  # the recipient does not want it


# (event, recipient, context) -> how a mail with a topic goes; the first router that does not
# answer NOW decides.
Router = Callable[[Event, Recipient, Context], Delivery]
# (event, recipient, context) -> extra headers (e.g. List-Unsubscribe, List-Unsubscribe-Post).
HeaderHook = Callable[[Event, Recipient, Context], Mapping[str, str]]

_events: dict[str, Event] = {}
_routers: list[Router] = []
_header_hooks: list[HeaderHook] = []


def register(event: Event) -> None:
    """Register (or replace: `ready()` may run twice) an event."""
    _events[event.name] = event


def event(name: str) -> Event:
    try:
        return _events[name]
    except KeyError:
        raise LookupError(f"no notification event {name!r} is registered") from None


def events() -> list[Event]:
    return list(_events.values())


def register_router(router: Router) -> None:
    if router not in _routers:
        _routers.append(router)


def register_headers(hook: HeaderHook) -> None:
    if hook not in _header_hooks:
        _header_hooks.append(hook)


def unregister_hooks(*hooks: Router | HeaderHook) -> None:
    """Remove routers or header hooks (for tests)."""
    for hook in hooks:
        for registry in (_routers, _header_hooks):
            if hook in registry:
                registry.remove(hook)  # type: ignore[arg-type]


# ----- Context for the queue: JSON, with objects as references read again by the worker ---------


class Gone(Exception):
    """An object of the context no longer exists: the mail has nothing left to tell."""


def pack(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, models.Model):
        return {"$model": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, list | tuple):
        return [pack(item) for item in value]
    if isinstance(value, dict):
        return {str(key): pack(item) for key, item in value.items()}
    raise TypeError(f"a notification's context cannot hold {type(value).__name__}")


def unpack(value: Any) -> Any:
    if isinstance(value, list):
        return [unpack(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$model" in value:
        model = apps.get_model(value["$model"])
        found = model._default_manager.filter(pk=value["pk"]).first()
        if found is None:
            raise Gone(f"{value['$model']} {value['pk']}")
        return found
    if "$datetime" in value:
        return datetime.datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return datetime.date.fromisoformat(value["$date"])
    return {key: unpack(item) for key, item in value.items()}


def _pack_recipient(recipient: Any, language: str | None) -> dict[str, Any]:
    if isinstance(recipient, int):  # a user's primary key
        return {"user": recipient}
    if isinstance(recipient, str):
        return {"email": recipient, "language": language}
    if isinstance(recipient, Recipient):
        return {
            "email": recipient.email,
            "language": recipient.language,
            "user": recipient.user.pk if recipient.user is not None else None,
        }
    return {"user": recipient.pk}


def _language(value: str | None) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    if value:
        value = translation.get_supported_language_variant(value) if value not in known else value
    return value if value in known else str(settings.LANGUAGE_CODE)


def _recipient(packed: Mapping[str, Any]) -> Recipient | None:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    user = None
    if packed.get("user") is not None:
        user = user_model._default_manager.filter(pk=packed["user"]).first()
        if user is None:
            return None
    email = packed.get("email") or (user.email if user is not None else "")
    if not email:
        return None
    if user is None:
        # an address of an account: its person's language and name
        user = user_model._default_manager.filter(email__iexact=email).first()
    # the person's own choice; for an address without an account the one given (the visitor's)
    language = (getattr(user, "language", "") if user is not None else "") or packed.get("language")
    name = str(getattr(user, "display_name", "") or "") if user is not None else ""
    return Recipient(email=email, language=_language(language), name=name, user=user)


def _pack_municipality(municipality: Any) -> dict[str, str] | None:
    if municipality is None:
        return None
    if isinstance(municipality, str):
        return {"name": municipality, "reply_to": ""}
    return {
        "name": str(municipality.name),
        "reply_to": str(getattr(municipality, "contact_email", "") or ""),
    }


# ----- Sending -----------------------------------------------------------------------------------

_QUIET: ContextVar[bool] = ContextVar("wijkwerk_notifications_quiet", default=False)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Queue no mail inside this block: for system loads whose people are made up (the demo data
    is written through the services, whose every step would mail). Everything else the services
    do (audit, timeline, decisions) happens as always. Per context, not per process."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def notify(
    event_name: str,
    *,
    recipients: Iterable[Any],
    context: Context,
    municipality: Any = None,
    attachments: Sequence[Attachment] = (),
    language: str | None = None,
) -> None:
    """Queue `event_name`'s mail to each recipient once the current transaction commits.

    `recipients`: users, their primary keys, addresses (str) or `Recipient`s; an address gets
    the language of its account, else `language`, else the site's. `context`: what the templates
    use: models, dates, text, numbers, and lists or dicts of them (the worker reads models again).
    `municipality`: the sender (an object with `name` and perhaps `contact_email`, or a name);
    else the event's own, else the site.
    """
    event(event_name)  # an unknown event fails here, in the request, not later in the worker
    if _QUIET.get():
        return
    packed_context = pack(context)
    packed_municipality = _pack_municipality(municipality)
    packed_attachments = [
        {
            "filename": a.filename,
            "content": base64.b64encode(a.content).decode(),
            "mimetype": a.mimetype,
        }
        for a in attachments
    ]
    jobs = [
        {
            "event": event_name,
            "recipient": _pack_recipient(recipient, language),
            "context": packed_context,
            "municipality": packed_municipality,
            "attachments": packed_attachments,
        }
        for recipient in recipients
        if recipient
    ]
    for job in jobs:
        transaction.on_commit(functools.partial(_enqueue, job))


def _enqueue(job: dict[str, Any]) -> None:
    send_notification.enqueue(**job)


@task()
def send_notification(
    *,
    event: str,
    recipient: dict[str, Any],
    context: dict[str, Any],
    municipality: dict[str, str] | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> str:
    """The worker's half of `notify`: render and send one mail; says what became of it."""
    return deliver(
        event,
        recipient=recipient,
        context=context,
        municipality=municipality,
        attachments=attachments or [],
    )


def deliver(
    event_name: str,
    *,
    recipient: Mapping[str, Any],
    context: Mapping[str, Any],
    municipality: Mapping[str, str] | None = None,
    attachments: Sequence[Mapping[str, str]] = (),
) -> str:
    found = event(event_name)
    person = _recipient(recipient)
    if person is None:
        return "no recipient"
    try:
        data = unpack(dict(context))
    except Gone as gone:
        logger.info("notification %s not sent: %s is gone", event_name, gone)
        return "gone"
    if found.topic is not None:
        for router in _routers:
            delivery = router(found, person, data)
            if delivery is not Delivery.NOW:
                return delivery.value
    files = [
        Attachment(a["filename"], base64.b64decode(a["content"]), a["mimetype"])
        for a in attachments
    ]
    message = render(found, person, data, municipality=municipality, attachments=files)
    message.send()
    return "sent"


# ----- Rendering ---------------------------------------------------------------------------------


def base_url() -> str:
    return str(settings.WIJKWERK_BASE_URL).rstrip("/")


def absolute(url: str) -> str:
    return url if "://" in url else base_url() + "/" + url.lstrip("/")


def _html_from_text(text: str, *, clickable: bool) -> SafeString:
    html = urlize(text, autoescape=True) if clickable else escape(text)
    return mark_safe(linebreaks_filter(html, autoescape=False))  # noqa: S308 - escaped above


def mailbox(name: str, address: str) -> str:
    """`Name <address>` for a mail's header (the address alone without a name). A domain with
    letters beyond ASCII (an address Django's validation accepts, e.g. "jan@bakkerij-müller.nl")
    goes in its ASCII form (punycode, as DNS knows it): `formataddr` refuses anything else."""
    local, _at, domain = address.rpartition("@")
    if not domain.isascii():
        address = f"{local}@{punycode(domain)}"
    return formataddr((single_line(name), address)) if name else address


class NotificationMail(EmailMultiAlternatives):
    """A notification as sent: header lines may run to RFC 5322's 998 characters.

    With the 78 characters of the SMTP policy, the e-mail package writes a `List-Unsubscribe`
    URL longer than a line as RFC 2047 encoded words, which a structured header may not hold
    (RFC 2047 section 5): mail clients then find no URL for their one-click unsubscribe
    (RFC 8058). Other headers fold as before; non-ASCII text is still encoded.
    """

    def message(self, *, policy: Any = None) -> Any:
        policy = policy or email.policy.default
        return super().message(policy=policy.clone(max_line_length=998))


def render(
    found: Event,
    recipient: Recipient,
    context: Context,
    *,
    municipality: Mapping[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
) -> NotificationMail:
    """The mail as the recipient gets it (also for previews and tests)."""
    with translation.override(recipient.language):
        data = dict(context)
        if municipality is None and found.municipality is not None:
            municipality = _pack_municipality(found.municipality(data))
        if found.extra_context is not None:
            data.update(found.extra_context(data, recipient))
        site_name = str(settings.WIJKWERK_SITE_NAME)
        if municipality:
            sender = _("Municipality of %(name)s") % {"name": municipality["name"]}
        else:
            sender = site_name
        link = found.link(data) if found.link is not None else None
        link_label = found.link_label(data) if callable(found.link_label) else found.link_label
        data.update(
            {
                "recipient": recipient.user,
                "recipient_name": recipient.name,
                "recipient_email": recipient.email,
                "sender_name": sender,
                "site_name": site_name,
                "base_url": base_url(),
                "link": absolute(link) if link else "",
                "link_label": str(link_label) if link_label else _("Go to the page"),
                "language": recipient.language,
            }
        )
        if callable(found.subject):
            subject = found.subject(data)
        else:
            variables = found.subject_vars(data) if found.subject_vars is not None else {}
            subject = str(found.subject) % variables if variables else str(found.subject)
        # a title may hold what a header cannot (a line break stored before forms refused it)
        data["subject"] = subject = single_line(f"[{site_name}] {subject}")
        content = render_to_string(f"{found.template}.txt", data).strip()
        try:
            get_template(f"{found.template}.html")
        except TemplateDoesNotExist:
            content_html = _html_from_text(content, clickable=found.urlize)
        else:
            content_html = mark_safe(  # noqa: S308 - a rendered, autoescaped template
                render_to_string(f"{found.template}.html", data)
            )
        headers: dict[str, str] = {}
        for hook in _header_hooks if found.topic is not None else []:
            headers.update(hook(found, recipient, data))
        data["unsubscribe"] = headers.get("List-Unsubscribe", "").strip("<>")
        text = render_to_string("core/email/base.txt", {**data, "content": content})
        html = render_to_string("core/email/base.html", {**data, "content": content_html})
        address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1] or str(settings.DEFAULT_FROM_EMAIL)
        reply_to = (municipality or {}).get("reply_to")
        message = NotificationMail(
            subject=subject,
            body=text,
            from_email=mailbox(sender, address),
            to=[mailbox(recipient.name, recipient.email)],
            reply_to=[reply_to] if reply_to else None,
            headers=headers,
        )
        message.attach_alternative(html, "text/html")
        files = list(attachments)
        if found.attachments is not None:
            files += list(found.attachments(data, recipient))
        for file in files:
            message.attach(file.filename, file.content, file.mimetype)
        return message
