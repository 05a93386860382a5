"""The demo's comments (issue 14): in Oosterhout and in Oss residents comment on the news of a
village and on a public initiative, someone replies, one comment waits in the moderation queue
(reported) and one was hidden by the area's official with a public reason. Through the comment
services with the demo's mail kept quiet; loading again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from wijkwerk.comments import services
from wijkwerk.comments.models import Comment
from wijkwerk.comments.policy import moderates_area
from wijkwerk.core import notifications
from wijkwerk.initiatives.models import Initiative
from wijkwerk.initiatives.states import PUBLIC
from wijkwerk.news.models import NewsPost
from wijkwerk.news.states import PostStatus

# per municipality: the news post commented on, the people, and the moderator (whose areas
# hold the initiative commented on)
PLACES = (
    {
        "code": "GM0826",
        "news": "Spreekuur van de wijkmakelaar in De Wis",
        "resident": "bart.snoeren@oosterhout.example",
        "replier": "henk.vangils@oosterhout.example",
        "reporter": "bewoner@oosterhout.example",
        "rude": "kees.schellekens@oosterhout.example",
        "moderator": "makelaar.dorpen@oosterhout.example",
    },
    {
        "code": "GM0828",
        "news": "Kernendag Lith: praat mee over je dorp",
        "resident": "bewoner@oss.example",
        "replier": "ad.vanhoek@oss.example",
        "reporter": "wijkraad.noordwest@oss.example",
        "rude": "bewoner@oss.example",
        "moderator": "coordinator.dorpen@oss.example",
    },
)


@dataclass
class Summary:
    comments: int = 0
    reported: int = 0
    hidden: int = 0


def _public_initiative(code: str, moderator: Any) -> Initiative | None:
    """The latest public initiative in an area the moderator moderates."""
    return (
        Initiative.objects.filter(
            moderates_area.objects(moderator),
            area__municipality__cbs_code=code,
            consent_to_publish=True,
            status__in=PUBLIC,
        )
        .select_related("area__parent__parent")
        .order_by("-updated_at", "-pk")
        .first()
    )


def _place(place: dict[str, Any], people: dict[str, Any], summary: Summary) -> None:
    post = (
        NewsPost.objects.filter(
            municipality__cbs_code=place["code"],
            title=place["news"],
            status=PostStatus.PUBLISHED,
        )
        .select_related("area__parent__parent")
        .first()
    )
    resident, replier = people.get(place["resident"]), people.get(place["replier"])
    reporter, rude = people.get(place["reporter"]), people.get(place["rude"])
    moderator = people.get(place["moderator"])
    if None in (resident, replier, reporter, rude, moderator):
        return
    initiative = _public_initiative(place["code"], moderator)
    if post is not None:
        first = services.comment_post(
            actor=resident,
            obj=post,
            body="Fijn dat dit er komt! Is het spreekuur ook in de schoolvakanties?"
            if place["code"] == "GM0826"
            else "Goed initiatief. Komt er ook iets voor de jongeren?",
        )
        services.comment_post(
            actor=replier,
            obj=post,
            parent=first,
            body="Goede vraag, dat nemen we mee. Houd deze pagina in de gaten.",
        )
        summary.comments += 2
    if initiative is not None:
        services.comment_post(
            actor=reporter,
            obj=initiative,
            body="Mooi plan, ik kom graag een middag helpen.",
        )
        reported = services.comment_post(
            actor=rude,
            obj=initiative,
            body="Dit kost weer bakken met geld en niemand heeft erom gevraagd.",
        )
        services.comment_report(
            actor=reporter,
            comment=reported,
            reason="false",
            explanation="Het plan is juist met de buurt opgesteld.",
        )
        summary.comments += 2
        summary.reported += 1
        hidden = services.comment_post(
            actor=resident,
            obj=initiative,
            body="Bel me op 06-12345678 als je wilt helpen, ik woon op nummer 12.",
        )
        services.comment_hide(
            actor=moderator,
            comment=hidden,
            reason="Bevatte een telefoonnummer en adres; deel die liever in een bericht.",
        )
        summary.comments += 1
        summary.hidden += 1


def load_demo_comments() -> Summary:
    summary = Summary()
    emails = {
        email
        for place in PLACES
        for key, email in place.items()
        if key in ("resident", "replier", "reporter", "rude", "moderator")
    }
    people = {
        person.email: person
        for person in get_user_model()._default_manager.filter(email__in=emails)
    }
    with notifications.quiet(), transaction.atomic():
        for place in PLACES:
            if Comment.objects.filter(municipality__cbs_code=place["code"]).exists():
                continue
            _place(place, people, summary)
    return summary
