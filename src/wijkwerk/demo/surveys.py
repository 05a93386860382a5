"""The demo's polls and surveys (issue 14): in Dorst (Oosterhout) and in an Oss district, an open
survey with a question of every kind and a few dozen responses (results shown live), and a
closed poll with its results. Built through the services by the demo's system actor, without
mail; the responses come without an account (one per "browser"). Loading again skips an area
that has surveys already."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from wijkwerk.areas.models import Area
from wijkwerk.core import notifications
from wijkwerk.core.actors import DEMO
from wijkwerk.surveys import services
from wijkwerk.surveys.models import Access, QuestionKind, ResultsShown, Survey
from wijkwerk.surveys.services import QuestionValues, SurveySettings

AREAS = ("WK082613", "WK082881")  # Dorst (Oosterhout), Oss Centrum
RESPONSES = 37
POLL_RESPONSES = 23


@dataclass
class Summary:
    surveys: int = 0
    responses: int = 0


def _questions(place: str) -> list[QuestionValues]:
    return [
        QuestionValues(
            kind=QuestionKind.SINGLE,
            text=f"Hoe vaak kom je in het buurthuis van {place}?",
            options=["Elke week", "Elke maand", "Een paar keer per jaar", "Nooit"],
        ),
        QuestionValues(
            kind=QuestionKind.MULTIPLE,
            text="Wat mist er in de buurt? Kies er hoogstens twee.",
            options=["Speelplek", "Bankjes", "Groen", "Ontmoetingsplek"],
            max_value=2,
        ),
        QuestionValues(
            kind=QuestionKind.SCALE,
            text="Hoe veilig voel je je 's avonds op straat?",
            low_label="heel onveilig",
            high_label="heel veilig",
        ),
        QuestionValues(
            kind=QuestionKind.RANKING,
            text="Wat moet de gemeente eerst aanpakken?",
            options=["Stoepen", "Straatverlichting", "Bomen en groen"],
        ),
        QuestionValues(
            kind=QuestionKind.NUMBER,
            text="Hoeveel jaar woon je al in de buurt?",
            min_value=0,
            max_value=100,
        ),
        QuestionValues(
            kind=QuestionKind.TEXT,
            text="Wat wil je nog kwijt?",
            required=False,
            max_length=1000,
        ),
    ]


OPEN_TEXTS = (
    "Meer bankjes bij de speeltuin graag.",
    "De lantaarnpalen in het park doen het vaak niet.",
    "Fijn dat jullie het vragen!",
    "",
)


def _answers(survey: Survey, rng: random.Random) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for question in survey.questions.prefetch_related("options"):
        options = list(question.options.all())
        key = f"q{question.pk}"
        if question.kind == QuestionKind.SINGLE:
            raw[key] = [str(rng.choices(options, weights=(3, 4, 2, 1))[0].pk)]
        elif question.kind == QuestionKind.MULTIPLE:
            raw[key] = [str(o.pk) for o in rng.sample(options, rng.randint(1, 2))]
        elif question.kind == QuestionKind.SCALE:
            raw[key] = [str(rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 4, 6, 3))[0])]
        elif question.kind == QuestionKind.RANKING:
            for place, option in enumerate(rng.sample(options, len(options)), start=1):
                raw[f"{key}_{option.pk}"] = [str(place)]
        elif question.kind == QuestionKind.NUMBER:
            raw[key] = [str(rng.randint(1, 45))]
        else:
            text = rng.choice(OPEN_TEXTS)
            if text:
                raw[key] = [text]
    return raw


def _area_surveys(area: Area, rng: random.Random, summary: Summary) -> None:
    survey = services.create_survey(
        actor=DEMO,
        area=area,
        values=SurveySettings(
            title=f"Leven in {area.name}",
            introduction=(
                "Hoe is het om in de buurt te wonen? Je antwoorden helpen de wijkmakelaar en de "
                "raad kiezen wat eerst moet. Invullen kost vijf minuten."
            ),
            access=Access.OPEN,
            results_shown=ResultsShown.LIVE,
        ),
    )
    for values in _questions(area.name):
        services.add_question(actor=DEMO, survey=survey, values=values)
    survey = services.publish(actor=DEMO, survey=survey)
    for i in range(RESPONSES):
        services.respond(
            actor=None,
            survey=survey,
            raw=_answers(survey, rng),
            session_key=f"demo-{survey.pk}-{i}",
        )
    poll = services.create_poll(
        actor=DEMO,
        area=area,
        values=SurveySettings(
            title=f"Kermis in {area.name}",
            access=Access.OPEN,
            results_shown=ResultsShown.AFTER_CLOSE,
        ),
        question="Wanneer wil je de kermis?",
        options=["In juni", "In september"],
    )
    poll = services.publish(actor=DEMO, survey=poll)
    question = poll.questions.prefetch_related("options").get()
    options = list(question.options.all())
    for i in range(POLL_RESPONSES):
        choice = options[0] if rng.random() < 0.65 else options[1]
        services.respond(
            actor=None,
            survey=poll,
            raw={f"q{question.pk}": [str(choice.pk)]},
            session_key=f"demo-{poll.pk}-{i}",
        )
    services.close(actor=DEMO, survey=poll)
    summary.surveys += 2
    summary.responses += RESPONSES + POLL_RESPONSES


def load_demo_surveys() -> Summary:
    summary = Summary()
    rng = random.Random(14)
    for code in AREAS:
        area = Area.objects.filter(cbs_code=code).select_related("parent__parent").first()
        if area is None or Survey.objects.filter(area=area).exists():
            continue
        with transaction.atomic(), notifications.quiet():
            _area_surveys(area, rng, summary)
    return summary
