"""How mails with a topic reach followers (`wijkwerk.core.notifications`; hooks registered in
`FollowsConfig.ready`).

`services.notify_followers` queues one `notify(...)` per followed object, with that object in the
context under `FOLLOWED`. In the worker, for each recipient:

- `route` finds the recipient's follow of that object: none (unfollowed since) → SKIP; weekly →
  a `DigestItem` with the mail's subject and link in the recipient's language → DIGEST;
  immediate → NOW;
- `headers` adds `List-Unsubscribe` (an https link with a signed token for that one follow) and
  `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058); core's mail template shows the
  same link under the signature ("No longer receive these e-mails"). The weekly digest's own
  headers unsubscribe from all weekly digests.

Mails with a topic sent by some other `notify` call (no `FOLLOWED` in the context) pass untouched.
We give only the https link (no mailto): RFC 8058 one-click needs https, and a mailto would need a
mailbox that reads unsubscribe requests.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wijkwerk.core import notifications
from wijkwerk.core.notifications import Delivery, Event, Recipient
from wijkwerk.core.text import single_line

from . import tokens

FOLLOWED = "followed"  # the context key notify_followers sets: the object the recipient follows
DIGEST = "follows.digest"  # the weekly digest (sent by the digest task, not through notify)
DIGEST_TOPIC = "digest"


def _follow_of(recipient: Recipient, context: dict[str, Any]) -> Any:
    from .models import Follow

    followed = context.get(FOLLOWED)
    if followed is None or recipient.user is None:
        return None
    return (
        Follow.objects.filter(
            user=recipient.user,
            content_type=ContentType.objects.get_for_model(followed),
            object_id=followed.pk,
        )
        .only("id", "frequency", "user_id")
        .first()
    )


def subject_of(event: Event, context: dict[str, Any], recipient: Recipient) -> str:
    """The event's subject in the recipient's language, without the site's name."""
    with translation.override(recipient.language):
        data = dict(context)
        if event.extra_context is not None:
            data.update(event.extra_context(data, recipient))
        if callable(event.subject):
            return single_line(event.subject(data))
        variables = event.subject_vars(data) if event.subject_vars is not None else {}
        return single_line(str(event.subject) % variables if variables else str(event.subject))


def route(event: Event, recipient: Recipient, context: dict[str, Any]) -> Delivery:
    from .models import DigestItem, Frequency

    if FOLLOWED not in context:
        return Delivery.NOW
    follow = _follow_of(recipient, context)
    if follow is None:
        return Delivery.SKIP
    if follow.frequency == Frequency.IMMEDIATE:
        return Delivery.NOW
    link = event.link(context) if event.link is not None else None
    DigestItem.objects.create(
        user_id=follow.user_id,
        follow=follow,
        event=event.name,
        line=subject_of(event, context, recipient)[:300],
        link=notifications.absolute(link)[:500] if link else "",
        target_label=single_line(str(context[FOLLOWED]))[:200],
    )
    return Delivery.DIGEST


@functools.cache
def _path(name: str) -> str:
    """A URL's path, reversed once per process (the digest asks for it 50,000 times)."""
    if name == "follows:unsubscribe":
        return reverse(name, kwargs={"token": "TOKEN"})
    return reverse(name)


def unsubscribe_url(token: str) -> str:
    return notifications.absolute(_path("follows:unsubscribe").replace("TOKEN", token))


def list_headers(url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def headers(event: Event, recipient: Recipient, context: dict[str, Any]) -> dict[str, str]:
    if recipient.user is None:
        return {}
    if event.name == DIGEST:
        return list_headers(unsubscribe_url(tokens.for_digests(user_id=recipient.user.pk)))
    follow = _follow_of(recipient, context)
    if follow is None:
        return {}
    return list_headers(
        unsubscribe_url(tokens.for_follow(user_id=recipient.user.pk, follow_id=follow.pk))
    )


def digest_updates(groups: list[dict[str, Any]]) -> tuple[str, str]:
    """A digest's updates, group by group, as text and as (escaped) HTML: made here rather than
    by template loops, for each of 50,000 people a week (benchmarks/participation_digest.py)."""
    text: list[str] = []
    html: list[str] = []
    for group in groups:
        text.append(f"\n{group['label']}")
        heading = escape(group["label"])
        html.append(f'<h2 style="font-size: 18px; margin: 1.5rem 0 0.5rem;">{heading}</h2>\n<ul>')
        for item in group["items"]:
            text.append(f"- {item['line']}" + (f"\n  {item['link']}" if item["link"] else ""))
            if item["link"]:
                html.append(
                    f'<li><a href="{escape(item["link"])}" style="color: #00456e;">'
                    f"{escape(item['line'])}</a></li>"
                )
            else:
                html.append(f"<li>{escape(item['line'])}</li>")
        html.append("</ul>")
    return "\n".join(text), "\n".join(html)


def digest_body(count: int, updates: tuple[str, str]) -> dict[str, Any]:
    """The digest's text and HTML: a line with the number of updates, then the updates."""
    intro = ngettext(
        "This is what happened this week in what you follow: %(counter)s update.",
        "This is what happened this week in what you follow: %(counter)s updates.",
        count,
    ) % {"counter": count}
    text, html = updates
    opening = f"<p>{escape(intro)}</p>"
    return {
        "digest_text": f"{intro}\n{text}" if text else intro,
        "digest_html": mark_safe(f"{opening}\n{html}" if html else opening),  # noqa: S308 - escaped
    }


def _digest_body(context: dict[str, Any], recipient: Recipient) -> dict[str, Any]:
    return digest_body(len(context["items"]), digest_updates(context["groups"]))


def _digest_subject(context: dict[str, Any]) -> str:
    count = len(context["items"])
    return ngettext(
        "Your weekly digest: %(count)s update", "Your weekly digest: %(count)s updates", count
    ) % {"count": count}


def register() -> None:
    notifications.register(
        Event(
            DIGEST,
            template="follows/email/digest",
            subject=_digest_subject,
            link=lambda context: _path("follows:settings"),
            link_label=_("Choose what you follow and how often"),
            extra_context=_digest_body,
            topic=DIGEST_TOPIC,
        )
    )
    notifications.register_router(route)
    notifications.register_headers(headers)
