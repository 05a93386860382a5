"""The demo's follows (issue 14): a few residents follow their area (weekly digest), a public
initiative there (an e-mail straight away) and a budget round, and the updates of the past days
wait for their weekly digest (`manage.py send_digests` sends them; in the demo the mails go to
the development mail catcher). Through the follows services with the demo's mail kept quiet;
loading again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from wijkwerk.areas.models import Area
from wijkwerk.budgeting.models import BudgetProcess
from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.core import notifications
from wijkwerk.core.language import site_language
from wijkwerk.follows import services
from wijkwerk.follows.models import DigestItem, Follow, Frequency
from wijkwerk.initiatives.models import Initiative
from wijkwerk.initiatives.states import PUBLIC

# (resident's e-mail, follow the home area's district or village too)
FOLLOWERS = (
    ("bewoner@oosterhout.example", False),
    ("henk.vangils@oosterhout.example", True),
    ("bart.snoeren@oosterhout.example", True),
    ("bewoner@oss.example", True),
)
PUBLIC_ROUNDS = (ProcessStatus.PUBLISHED, ProcessStatus.CLOSED, ProcessStatus.COUNTED)
WAITING = 3  # updates per weekly follower, from the public initiatives of the area


@dataclass
class Summary:
    follows: int = 0
    waiting: int = 0


def _public_initiatives(area: Area) -> list[Initiative]:
    areas = [area.pk, *(child.pk for child in area.children.all())]
    return list(
        Initiative.objects.filter(
            area_id__in=areas, consent_to_publish=True, status__in=PUBLIC
        ).order_by("-updated_at", "-id")[:WAITING]
    )


def load_demo_follows() -> Summary:
    summary = Summary()
    user_model = get_user_model()
    people = user_model._default_manager.filter(
        email__in=[email for email, _district in FOLLOWERS], home_area__isnull=False
    ).select_related("home_area__parent")
    by_email = {person.email: person for person in people}
    with notifications.quiet(), transaction.atomic():
        for email, district_too in FOLLOWERS:
            person = by_email.get(email)
            if person is None or Follow.objects.filter(user=person).exists():
                continue
            area = person.home_area
            if area is None:
                continue
            if district_too and area.parent is not None:
                area = area.parent
            weekly = services.follow(person, area, frequency=Frequency.WEEKLY)
            summary.follows += 1
            initiatives = _public_initiatives(area)
            if initiatives:
                services.follow(person, initiatives[0], frequency=Frequency.IMMEDIATE)
                summary.follows += 1
            rounds = BudgetProcess.objects.filter(
                process_areas__area=area, status__in=list(PUBLIC_ROUNDS)
            ).distinct()[:1]
            for process in rounds:
                services.follow(person, process, frequency=Frequency.WEEKLY)
                summary.follows += 1
            with site_language():
                for initiative in initiatives:
                    DigestItem.objects.create(
                        user=person,
                        follow=weekly,
                        event="initiatives.public_status",
                        line=f"Initiatief “{initiative.title}”: {initiative.get_status_display()}",
                        link=notifications.absolute(
                            reverse("initiatives:detail", kwargs={"pk": initiative.pk})
                        ),
                        target_label=area.name,
                    )
                    summary.waiting += 1
    return summary
