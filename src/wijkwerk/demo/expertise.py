"""The demo's offers and questions (issue 15): residents of Dorst (Oosterhout) and of Oss offer
what they can do with each of the three visibilities; the broker of Dorst invites one of them to
a running initiative (or, without one, to the question) and she accepts; an open question to Dorst
and Molenschot with answers, and in Oss a closed question with its outcome. Built through the
services by the people themselves (the rules apply to them), without mail. Loading again skips
what exists (the questions' titles tell)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from wijkwerk.accounts.models import RoleAssignment, User
from wijkwerk.areas.models import Area
from wijkwerk.core import notifications
from wijkwerk.expertise import policy, services
from wijkwerk.expertise.models import Offer, Question
from wijkwerk.initiatives.models import Initiative

# (resident's e-mail, kind, title, description, tags, visibility)
OFFERS = (
    (
        "fien.hoeks@oosterhout.example",
        "skill",
        "Timmerwerk en kleine reparaties",
        "Ik ben timmervrouw en repareer graag bankjes, schuttingen en speeltoestellen. Ook "
        "help ik mee met het bouwen van plantenbakken.",
        ("timmeren", "hout", "reparaties"),
        "officials",
    ),
    (
        "jeroen.franken@oosterhout.example",
        "tools",
        "Aanhanger en gereedschap te leen",
        "Een aanhanger, kruiwagens, schoppen en een hogedrukspuit: te leen voor een "
        "opruimdag of een buurtklus.",
        ("gereedschap", "aanhanger"),
        "everyone",
    ),
    (
        "yara.bakker@oosterhout.example",
        "hours",
        "Bijles rekenen en taal",
        "Twee uur per week help ik kinderen uit de buurt met rekenen en taal.",
        ("bijles", "jeugd"),
        "initiators",
    ),
    (
        "marja.vanlith@oss.example",
        "place",
        "Vergaderruimte in mijn atelier",
        "Een ruimte voor twaalf mensen met koffie en een scherm, 's avonds en in het weekend.",
        ("ruimte", "vergaderen"),
        "everyone",
    ),
    (
        "youssef.benali@oss.example",
        "skill",
        "Fietsen repareren",
        "Ik maak fietsen van buren en van kinderen die naar school fietsen.",
        ("fiets", "reparaties"),
        "officials",
    ),
    (
        "leo.vandijk@oss.example",
        "hours",
        "Hulp bij formulieren",
        "Ik help buren met formulieren van de gemeente en de belastingdienst.",
        ("formulieren", "ouderen"),
        "initiators",
    ),
)
OPEN_QUESTION = "Wie weet iets over de geschiedenis van de molen van Dorst?"
CLOSED_QUESTION = "Wie denkt mee over de inrichting van het Walplein?"


@dataclass
class Summary:
    offers: int = 0
    invitations: int = 0
    questions: int = 0
    answers: int = 0


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _official(role_email: str) -> User | None:
    user = _person(role_email)
    if user is None or not RoleAssignment.objects.filter(user=user).exists():
        return None
    return user


def _residents_of(areas: list[Area], count: int) -> list[User]:
    ids = [area.pk for area in areas]
    within = (
        Area.objects.filter(pk__in=ids)
        | Area.objects.filter(parent_id__in=ids)
        | Area.objects.filter(parent__parent_id__in=ids)
    )
    return list(
        User.objects.filter(home_area__in=within, role_assignments__isnull=True)
        .exclude(email__endswith="@example.org")
        .order_by("email")[:count]
    )


def _offers(summary: Summary) -> dict[str, Offer]:
    made: dict[str, Offer] = {}
    for email, kind, title, description, tags, visibility in OFFERS:
        owner = _person(email)
        if owner is None or owner.home_area_id is None:
            continue
        existing = Offer.objects.filter(owner=owner, title=title).first()
        if existing is None:
            existing = services.offer_save(
                actor=owner,
                offer=None,
                data=services.OfferData(
                    kind=kind,
                    title=title,
                    description=description,
                    tags=list(tags),
                    areas=[Area.objects.get(pk=owner.home_area_id)],
                    availability="Zaterdagochtend en door de week 's avonds",
                    visibility=visibility,
                ),
            )
            summary.offers += 1
        made[email] = existing
    return made


def _question(
    author: User, codes: tuple[str, ...], title: str, body: str, kind: str
) -> Question | None:
    areas = list(Area.objects.filter(cbs_code__in=codes).select_related("parent__parent"))
    if not areas:
        return None
    return services.question_ask(
        actor=author,
        data=services.QuestionData(
            kind=kind,
            title=title,
            body=body,
            areas=areas,
            closes_on=timezone.localdate() + datetime.timedelta(days=21),
        ),
    )


def _answer(question: Question, residents: list[User], texts: list[str], summary: Summary) -> None:
    for n, (resident, text) in enumerate(zip(residents, texts, strict=False)):
        services.answer_add(
            actor=resident,
            question=question,
            kind="answer" if text else "help",
            text=text,
            show_publicly=n % 2 == 0,
        )
        summary.answers += 1


def load_demo_expertise() -> Summary:
    summary = Summary()
    with notifications.quiet(), transaction.atomic():
        offers = _offers(summary)
        broker = _official("makelaar.dorpen@oosterhout.example")
        question = Question.objects.filter(title=OPEN_QUESTION).first()
        if question is None and broker is not None:
            question = _question(
                broker,
                ("WK082613", "WK082612"),
                OPEN_QUESTION,
                "Voor de open dag van de molen zoeken we verhalen, foto's en voorwerpen. Weet "
                "jij er iets over, of heb je iets op zolder liggen?",
                "knowledge",
            )
            if question is not None:
                summary.questions += 1
                residents = _residents_of(list(question.areas.all()), 3)
                _answer(
                    question,
                    residents,
                    [
                        "Mijn opa was er molenaar; ik heb nog foto's uit 1950.",
                        "",
                        "Er hangt een oude tekening in het dorpshuis.",
                    ],
                    summary,
                )
        fien = offers.get("fien.hoeks@oosterhout.example")
        if broker is not None and fien is not None and not fien.invitations.exists():
            target = (
                Initiative.objects.filter(
                    area__cbs_code__startswith="BU082613",
                    status__in=sorted(policy.INITIATOR_STATUSES),
                )
                .select_related("area__parent__parent")
                .order_by("pk")
                .first()
            )
            invite_to: Initiative | Question | None = question
            if target is not None and services.may_invite_to(broker, target):
                invite_to = target
            if invite_to is not None:
                invitation = services.invitation_send(
                    actor=broker,
                    offer=fien,
                    target=invite_to,
                    message="Fien, we zoeken iemand die kan helpen met timmerwerk. Doe je mee?",
                )
                services.invitation_answer(actor=fien.owner, invitation=invitation, accept=True)
                summary.invitations += 1
        coordinator = _official("coordinator.centrum@oss.example")
        if coordinator is not None and not Question.objects.filter(title=CLOSED_QUESTION).exists():
            closed = _question(
                coordinator,
                ("WK082881", "WK082882"),
                CLOSED_QUESTION,
                "Het Walplein krijgt nieuwe bestrating. Wat wil jij er zien: groen, bankjes, "
                "een speelplek of ruimte voor de markt?",
                "think_along",
            )
            if closed is not None:
                summary.questions += 1
                residents = _residents_of(list(closed.areas.all()), 3)
                _answer(
                    closed,
                    residents,
                    ["Meer bomen en bankjes in de schaduw.", "Ruimte voor de weekmarkt.", ""],
                    summary,
                )
                services.question_close(actor=coordinator, question=closed)
                services.question_record_outcome(
                    actor=coordinator,
                    question=closed,
                    outcome="Met de reacties is het ontwerp aangepast: er komen acht bomen met "
                    "bankjes eromheen, en het midden blijft vrij voor de weekmarkt. Vijf bewoners "
                    "denken mee in de klankbordgroep.",
                )
    return summary
