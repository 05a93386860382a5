"""Every mail the platform sends is Dutch for a Dutch reader: subject, text and HTML have no
English texts of the catalogues, no raw values, Dutch dates and amounts as "€ 1.250,00"
(tests/dutch.py), and allauth's mails name the site, never the host ("Hallo van 127.0.0.1").
The decision letters (Awb) they carry are checked the same way.

The mails come from the real steps (sign-up, password reset, an initiative from submission to
accountability, an invitation to a role); every registered event must be among them, so a new
mail cannot ship unchecked. Events that no step here reaches are rendered with the context their
senders give.
"""

from __future__ import annotations

import datetime
import glob
import os
from collections.abc import Iterator
from typing import Any

import allauth
import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijkwerk.accounts import notifications as account_mails
from wijkwerk.accounts import services as account_services
from wijkwerk.accounts.models import Role
from wijkwerk.budgeting.services import plans as plan_services
from wijkwerk.core import notifications
from wijkwerk.initiatives import decisions, services
from wijkwerk.initiatives import notifications as initiative_mails
from wijkwerk.initiatives.models import Decision

from ..accounts.factories import PASSWORD
from ..budgeting.factories import PlanFactory, make_round
from ..cast import Cast
from ..dutch import problems, text_problems

pytestmark = pytest.mark.django_db

Rendered = list[tuple[str, str, EmailMultiAlternatives]]


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch, smtp_server: Any) -> Iterator[Rendered]:
    """Every mail rendered while the test runs: (event, recipient's language, message)."""
    found: Rendered = []
    original = notifications.render

    def capture(event: Any, recipient: Any, context: Any, **kwargs: Any) -> Any:
        message = original(event, recipient, context, **kwargs)
        found.append((event.name, recipient.language, message))
        return message

    monkeypatch.setattr(notifications, "render", capture)
    yield found


def _mail_findings(name: str, message: EmailMultiAlternatives) -> list[str]:
    found = [f"{name} subject: {kind}: {text}" for kind, text in text_problems(message.subject)]
    found += [f"{name} text: {kind}: {text}" for kind, text in text_problems(str(message.body))]
    for content, mimetype in message.alternatives:
        if mimetype == "text/html":
            html = str(content)
            html = html if "<html" in html else f'<html lang="nl">{html}</html>'
            found += [f"{name} html: {kind}: {text}" for kind, text in problems(html)]
    for wrong in ("127.0.0.1", "testserver", "Hallo van", "Hello from", "example.com"):
        if wrong in message.subject + str(message.body):
            found.append(f"{name}: names the host: {wrong}")
    return found


def _in_review(cast: Cast, initiative: Any) -> Any:
    if initiative.status == "submitted":
        return services.initiative_transition(
            actor=cast.broker, initiative=initiative, action="start_review"
        )
    return initiative


def _steps(cast: Cast, client: Client) -> None:
    """The steps that mail someone, as people take them."""
    # Accounts: sign up, sign up again with the same address, reset a password, for an address
    # without an account too, add a second address.
    client.post(
        reverse("account_signup"),
        {"email": "nieuw@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    client.post(
        reverse("account_signup"),
        {"email": cast.neighbour.email, "password1": PASSWORD, "password2": PASSWORD},
    )
    client.post(reverse("account_reset_password"), {"email": cast.applicant.email})
    client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    applicant = Client()
    applicant.force_login(cast.applicant)
    applicant.post(reverse("account_email"), {"action_add": "", "email": "anna2@example.org"})
    # An invitation to a role.
    account_services.invitation_send(
        actor=cast.admin,
        email="nieuwe.griffier@example.org",
        role=Role.CLERK,
        municipality=cast.municipality,
    )
    # An initiative from submission to closing: submitted, reviewed, returned, submitted again,
    # approved, paid, started, accounted, more asked, accounted again, accepted.
    initiative = cast.submitted(title="Bankjes bij de speeltuin")
    broker = cast.broker
    step = services.initiative_transition
    initiative = _in_review(cast, initiative)
    initiative = step(
        actor=broker, initiative=initiative, action="return", reason="Voeg een offerte toe."
    )
    initiative = services.initiative_submit(actor=cast.applicant, initiative=initiative)
    initiative = _in_review(cast, initiative)
    initiative = step(
        actor=broker, initiative=initiative, action="approve", amount_cents=125_000, fund=cast.fund
    )
    # Rejected, and withdrawn.
    rejected = cast.submitted(title="Een tweede plan")
    rejected = _in_review(cast, rejected)
    step(actor=broker, initiative=rejected, action="reject", reason="Past niet in de regeling.")
    withdrawn = cast.submitted(title="Een derde plan")
    step(actor=cast.applicant, initiative=withdrawn, action="withdraw")
    # Paid, accounted, more asked, accepted.
    paid = cast.advance_paid(title="Moestuin aan de Kerkstraat")
    paid = step(actor=cast.applicant, initiative=paid, action="start")
    paid = cast.accounted(paid, (60_000, 50_000))
    step(actor=broker, initiative=paid, action="request_more", reason="Stuur de bonnetjes mee.")
    # A neighbourhood budget round: the broker merges a duplicate plan (both authors are told).
    process = make_round(cast, phase="ideas")
    duplicate = PlanFactory(process=process, author=cast.neighbour, title="Bankje bij de vijver")
    original = PlanFactory(process=process, author=cast.applicant, title="Bankjes bij de vijver")
    plan_services.plan_merge(
        actor=broker, plan=duplicate, into=original, reason="Hetzelfde plan, samen sterker."
    )


def _render_follower_mails(cast: Cast, initiative: Any, seen: set[str], rendered: Rendered) -> None:
    from wijkwerk.follows.notifications import DIGEST

    process = make_round(cast, phase="ideas", title="Buurtbudget Dorst-Zuid")
    recipient = notifications.Recipient(
        email=cast.neighbour.email,
        language="nl",
        name=cast.neighbour.display_name,
        user=cast.neighbour,
    )
    contexts = {
        "initiatives.public_status": {"initiative": initiative, "status": "approved"},
        "budgeting.round_published": {"process": process},
        "budgeting.results_published": {"process": process},
        "budgeting.phase_opened": {"process": process, "phase": process.phases.last()},
    }
    for name, context in contexts.items():
        if name not in seen:
            message = notifications.render(notifications.event(name), recipient, context)
            rendered.append((name, "nl", message))
    items = [
        {"line": "Initiatief “Geveltuinen”: goedgekeurd", "link": "https://wijkwerk.example/i/1/"}
    ]
    context = {"items": items, "groups": [{"label": "Dorst-Zuid", "items": items}]}
    message = notifications.render(notifications.event(DIGEST), recipient, context)
    rendered.append((DIGEST, "nl", message))


def _render_council_mails(cast: Cast, seen: set[str], rendered: Rendered) -> None:
    """A council's decision and its published minutes, as the council's followers get them."""
    from wijkwerk.councils import services as council_services

    from ..councils.factories import council_world

    world = council_world(cast)
    item = world.on_agenda(title="Bankje bij de kerk")
    votes = world.votes("for", "for", "against")
    decision = council_services.council_decide(
        actor=world.chair,
        item=item,
        present=set(votes),
        choices=votes,
        reasons="Goed voor de buurt.",
        amount_cents=45_000,
    )
    recipient = notifications.Recipient(
        email=cast.neighbour.email, language="nl", name="Niels Buur", user=cast.neighbour
    )
    contexts = {
        "councils.decided": {"decision": decision},
        "councils.minutes_published": {"meeting": item.meeting},
    }
    for name, context in contexts.items():
        if name not in seen:
            message = notifications.render(notifications.event(name), recipient, context)
            rendered.append((name, "nl", message))


def _render_event_mails(cast: Cast, seen: set[str], rendered: Rendered) -> None:
    """The events' mails: to a resident with an account, and the confirmation link to an
    address without one."""
    from wijkwerk.events import services as event_services

    from ..events.factories import make_event

    event = make_event(cast.district, capacity=2)
    event_services.event_cancel(actor=cast.broker, event=event, reason="De zaal is dicht.")
    person = notifications.Recipient(
        email=cast.neighbour.email, language="nl", name="Niels Buur", user=cast.neighbour
    )
    guest = notifications.Recipient(email="piet@example.org", language="nl")
    link = "/bijeenkomsten/aanmelding/abc/"
    contexts = {
        "events.rsvp_confirm": (guest, {"event": event, "manage_url": link, "days": 3}),
        "events.rsvp_going": (guest, {"event": event, "manage_url": link}),
        "events.rsvp_waiting": (person, {"event": event, "position": 2}),
        "events.rsvp_promoted": (person, {"event": event}),
        "events.cancelled": (person, {"event": event, "reason": "De zaal is dicht."}),
        "events.reminder": (person, {"event": event}),
        "events.announced": (person, {"event": event}),
        "events.changed": (
            guest,
            {
                "event": event,
                "manage_url": link,
                "time_changed": True,
                "place_changed": True,
                "old_starts_at": event.starts_at - datetime.timedelta(days=1),
                "old_ends_at": event.ends_at - datetime.timedelta(days=1),
                "old_place_name": "De Wissel",
                "old_address": "Kerkstraat 5, Dorst",
            },
        ),
    }
    for name, (recipient, context) in contexts.items():
        if name not in seen:
            message = notifications.render(notifications.event(name), recipient, context)
            rendered.append((name, "nl", message))


def _render_news_and_comment_mails(cast: Cast, seen: set[str], rendered: Rendered) -> None:
    """A published news post (to followers) and a new comment (to the initiative's applicant)."""
    from wijkwerk.comments import services as comment_services
    from wijkwerk.news import services as news_services

    post = news_services.post_create(
        actor=cast.broker,
        area=cast.district,
        council=cast.council,
        title="Dorpsavond",
        lead="Kom op 12 juni naar De Wis.",
        body="Met koffie.",
    )
    initiative = cast.submitted(title="Bankjes bij de kerk")
    comment = comment_services.comment_post(
        actor=cast.neighbour, obj=initiative, body="Mooi idee, ik doe graag mee!"
    )
    person = notifications.Recipient(
        email=cast.applicant.email, language="nl", name="Anna Aanvrager", user=cast.applicant
    )
    contexts = {
        "news.published": {"post": post},
        "comments.new": {
            "comment": comment,
            "title": initiative.title,
            "url": initiative.get_absolute_url(),
        },
    }
    for name, context in contexts.items():
        if name not in seen:
            message = notifications.render(notifications.event(name), person, context)
            rendered.append((name, "nl", message))


def _render_challenge_mails(cast: Cast, seen: set[str], rendered: Rendered) -> None:
    """The right to challenge: every step's mail to the submitter, the decisions with their
    letter."""
    from wijkwerk.challenges import notifications as challenge_mails
    from wijkwerk.challenges.models import ChallengeDecision

    from ..challenges.factories import running

    challenge = running(cast)
    decision = ChallengeDecision.objects.get(challenge=challenge)
    person = notifications.Recipient(
        email=cast.applicant.email, language="nl", name="Anna Aanvrager", user=cast.applicant
    )
    for kind in challenge_mails.SUBJECTS:
        name = challenge_mails.event_name(kind)
        if name not in seen:
            context = {
                "challenge": challenge,
                "kind": kind,
                "note": "Een opmerking.",
                "decision": decision if kind in ("admitted", "not_admitted") else None,
            }
            message = notifications.render(notifications.event(name), person, context)
            rendered.append((name, "nl", message))


def _render_expertise_and_survey_mails(cast: Cast, seen: set[str], rendered: Rendered) -> None:
    """An invitation behind an offer and its answer, a question to an area's followers, a
    survey opened for them."""
    from wijkwerk.expertise import services as expertise_services

    from ..expertise import factories as expertise_factories
    from ..surveys import factories as survey_factories

    offer = expertise_factories.offer(cast.neighbour, visibility="officials")
    initiative = cast.submitted(title="Bankjes bij de kerk")
    invitation = expertise_services.invitation_send(
        actor=cast.broker, offer=offer, target=initiative, message="Wil je meedoen?"
    )
    answered = expertise_services.invitation_answer(
        actor=cast.neighbour, invitation=invitation, accept=True
    )
    question = expertise_factories.question(cast.broker, [cast.district])
    survey = survey_factories.publish(cast, survey_factories.every_kind(cast))
    person = notifications.Recipient(
        email=cast.applicant.email, language="nl", name="Anna Aanvrager", user=cast.applicant
    )
    contexts = {
        "expertise.invited": {"invitation": invitation},
        "expertise.answered": {"invitation": answered},
        "expertise.question_asked": {"question": question},
        "surveys.published": {"survey": survey},
    }
    for name, context in contexts.items():
        if name not in seen:
            message = notifications.render(notifications.event(name), person, context)
            rendered.append((name, "nl", message))


def _render_learning_mails(cast: Cast, seen: set[str], rendered: Rendered) -> None:
    """A resident's lesson approved and one rejected with the reason, a new pilot told to the
    followers of its areas."""
    from wijkwerk.learning import selectors as learning_selectors
    from wijkwerk.learning import services as learning_services

    from ..learning import factories as learning_factories

    pilot = learning_factories.pilot(cast.broker, areas=[cast.neighbourhood])
    approved = learning_factories.resident_lesson(cast.applicant, pilot=pilot)
    rejected = learning_factories.resident_lesson(cast.applicant, pilot=pilot, title="Tweede")
    for lesson, approve in ((approved, True), (rejected, False)):
        found = learning_selectors.lesson(lesson.pk)
        assert found is not None
        learning_services.lesson_moderate(
            actor=cast.broker, lesson=found, approve=approve, reason="Er staan namen in."
        )
    person = notifications.Recipient(
        email=cast.applicant.email, language="nl", name="Anna Aanvrager", user=cast.applicant
    )
    contexts = {
        "learning.lesson_approved": {"lesson": approved},
        "learning.lesson_rejected": {"lesson": learning_selectors.lesson(rejected.pk)},
        "learning.pilot_started": {"pilot": pilot},
    }
    for name, context in contexts.items():
        if name not in seen:
            message = notifications.render(notifications.event(name), person, context)
            rendered.append((name, "nl", message))


def _render_report_mails(cast: Cast, seen: set[str], rendered: Rendered) -> None:
    """A quarterly report to the council published, told to a follower of the areas."""
    from wijkwerk.core.quarters import Quarter
    from wijkwerk.reports import services as report_services

    report = report_services.generate(cast.clerk, cast.municipality, Quarter.current().previous())
    person = notifications.Recipient(
        email=cast.neighbour.email, language="nl", name="Niels Buur", user=cast.neighbour
    )
    if "reports.published" not in seen:
        message = notifications.render(
            notifications.event("reports.published"), person, {"report": report}
        )
        rendered.append(("reports.published", "nl", message))


def _render_group_mails(cast: Cast, seen: set[str], rendered: Rendered) -> None:
    """A resident group's mails: a join request to its contact, the answer, an invitation, a
    message through the contact form, and its dissolving told to a follower."""
    from wijkwerk.groups import services as group_services

    group = group_services.group_found(
        actor=cast.applicant,
        data=group_services.GroupData(
            area=cast.neighbourhood, name="Moestuin Dorst-Zuid", join_policy="request"
        ),
    )
    request = group_services.join(actor=cast.neighbour, group=group, message="Ik doe mee.")
    _invitation, token = group_services.invite(
        actor=cast.applicant, group=group, email="nieuw@example.org"
    )
    message = group_services.contact(
        actor=None,
        group=group,
        data=group_services.ContactData("Els Vraag", "els@example.org", "Mag ik komen kijken?"),
    )
    person = notifications.Recipient(
        email=cast.applicant.email, language="nl", name="Anna Aanvrager", user=cast.applicant
    )
    dissolved = type(group).objects.get(pk=group.pk)
    dissolved.dissolved_at = timezone.now()
    contexts = {
        "groups.join_requested": {"group": group, "join_request": request},
        "groups.request_answered": {"group": group, "accepted": True},
        "groups.invited": {"group": group, "invitation": _invitation, "token": token},
        "groups.contact_message": {"group": group, "message": message},
        "groups.dissolved": {"group": dissolved},
    }
    for name, context in contexts.items():
        if name not in seen:
            mail = notifications.render(notifications.event(name), person, context)
            rendered.append((name, "nl", mail))


def _render_the_rest(cast: Cast, seen: set[str], rendered: Rendered) -> None:
    """Events no step above reached, rendered with the context their senders give."""
    initiative = cast.accounted(cast.advance_paid(title="Geveltuinen"), (60_000, 50_000))
    for kind in initiative_mails.SUBJECTS:
        name = initiative_mails.event_name(kind)
        if name in seen:
            continue
        for person in (cast.applicant, cast.broker):
            recipient = notifications.Recipient(
                email=person.email, language="nl", name=person.display_name, user=person
            )
            context = {"initiative": initiative, "kind": kind, "note": "Een opmerking."}
            message = notifications.render(notifications.event(name), recipient, context)
            rendered.append((name, "nl", message))
    # Mails to followers (wijkwerk.follows): an initiative's public step, a round's start and
    # results, and the weekly digest that gathers them.
    _render_follower_mails(cast, initiative, seen, rendered)
    _render_council_mails(cast, seen, rendered)
    _render_event_mails(cast, seen, rendered)
    _render_challenge_mails(cast, seen, rendered)
    _render_news_and_comment_mails(cast, seen, rendered)
    _render_expertise_and_survey_mails(cast, seen, rendered)
    _render_learning_mails(cast, seen, rendered)
    _render_group_mails(cast, seen, rendered)
    _render_report_mails(cast, seen, rendered)
    # allauth's other mails (our frame, its text): every one it has.
    templates = os.path.join(os.path.dirname(allauth.__file__), "templates")
    for path in sorted(glob.glob(os.path.join(templates, "*", "email", "*_message.txt"))):
        prefix = os.path.relpath(path, templates).removesuffix("_message.txt")
        if prefix.endswith(("/base", "/base_notification")):
            continue
        context = {
            "user": cast.applicant,
            "email": cast.applicant.email,
            "template_prefix": prefix,
            "code": "ABC123",
            "password_reset_url": "https://wijkwerk.example/reset/",
            "activate_url": "https://wijkwerk.example/confirm/",
            "ip": "192.0.2.1",
            "user_agent": "Firefox",
            "timestamp": timezone.now(),
            "from_email": "oud@example.org",
            "to_email": "nieuw@example.org",
            "deleted_email": "oud@example.org",
        }
        recipient = notifications.Recipient(
            email=cast.applicant.email, language="nl", user=cast.applicant
        )
        event = notifications.event(account_mails.OTHER)
        rendered.append((f"{account_mails.OTHER} {prefix}", "nl", notifications.render(
            event, recipient, context
        )))  # fmt: skip


def test_every_mail_is_dutch(
    cast: Cast,
    rendered: Rendered,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.WIJKWERK_BASE_URL = "https://wijkwerk.oosterhout.nl"
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})  # a browser set to English
    with django_capture_on_commit_callbacks(execute=True):
        _steps(cast, client)
    seen = {name for name, _language, _message in rendered}
    _render_the_rest(cast, seen, rendered)
    names = {name.split(" ", 1)[0] for name, _language, _message in rendered}
    missing = {event.name for event in notifications.events()} - names
    assert not missing, f"mails this test never saw: {sorted(missing)}"
    assert {language for _name, language, _message in rendered} == {"nl"}
    found: list[str] = []
    for name, _language, message in rendered:
        found += _mail_findings(name, message)
    assert not found, f"{len(found)} findings:\n" + "\n".join(sorted(set(found)))


def test_every_decision_letter_is_dutch(cast: Cast) -> None:
    """The Awb letters: a grant, a rejection and a settlement."""
    cast.accounted(cast.advance_paid(title="Moestuin"), (60_000, 50_000))
    rejected = cast.submitted(title="Een tweede plan")
    step = services.initiative_transition
    rejected = _in_review(cast, rejected)
    step(actor=cast.broker, initiative=rejected, action="reject", reason="Past niet.")
    letters = list(Decision.objects.all())
    assert len({letter.kind for letter in letters}) >= 2
    found = []
    for letter in letters:
        found += [f"{letter.kind}: {k}: {t}" for k, t in problems(decisions.letter_html(letter))]
    assert not found, "\n".join(found)
