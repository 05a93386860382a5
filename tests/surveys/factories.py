"""Surveys for tests, built through the services as a coordinator builds them.

`every_kind(cast)` makes a draft survey of Dorst (by the cast's broker) with one question of
every kind: one choice (3 options), several choices (4 options, at most 2), a scale 1–5 with
labels, a ranking of 3 items, a number from 0 to 120 and an optional open answer of at most 200
characters. `publish(cast, survey)` publishes it.
"""

from __future__ import annotations

from typing import Any

from wijkwerk.surveys import services
from wijkwerk.surveys.models import Access, QuestionKind, ResultsShown, Survey
from wijkwerk.surveys.services import QuestionValues, SurveySettings

QUESTIONS = [
    QuestionValues(
        kind=QuestionKind.SINGLE,
        text="Hoe vaak kom je in het dorpshuis?",
        options=["Elke week", "Elke maand", "Nooit"],
    ),
    QuestionValues(
        kind=QuestionKind.MULTIPLE,
        text="Wat mist er in Dorst?",
        options=["Speelplek", "Bankjes", "Groen", "Parkeerplaatsen"],
        max_value=2,
    ),
    QuestionValues(
        kind=QuestionKind.SCALE,
        text="Hoe veilig voel je je op straat?",
        low_label="onveilig",
        high_label="veilig",
    ),
    QuestionValues(
        kind=QuestionKind.RANKING,
        text="Wat moet eerst?",
        options=["Stoepen", "Verlichting", "Bomen"],
    ),
    QuestionValues(kind=QuestionKind.NUMBER, text="Hoe oud ben je?", min_value=0, max_value=120),
    QuestionValues(
        kind=QuestionKind.TEXT, text="Wat wil je nog kwijt?", required=False, max_length=200
    ),
]


def every_kind(
    cast: Any,
    *,
    access: str = Access.OPEN,
    results_shown: str = ResultsShown.LIVE,
    actor: Any = None,
    **settings: Any,
) -> Survey:
    actor = actor or cast.broker
    survey = services.create_survey(
        actor=actor,
        area=cast.district,
        values=SurveySettings(
            title="Leven in Dorst", access=access, results_shown=results_shown, **settings
        ),
    )
    for values in QUESTIONS:
        services.add_question(actor=actor, survey=survey, values=values)
    return survey


def publish(cast: Any, survey: Survey) -> Survey:
    return services.publish(actor=cast.broker, survey=survey)


def ids(survey: Survey) -> dict[str, Any]:
    """The questions and options by kind: {"single": (question, [options…]), …}."""
    found = {}
    for question in survey.questions.prefetch_related("options"):
        found[question.kind] = (question, list(question.options.all()))
    return found


def good_answers(survey: Survey) -> dict[str, list[str]]:
    """A complete, valid answer set, as a form sends it."""
    q = ids(survey)
    single, single_options = q["single"]
    multiple, multiple_options = q["multiple"]
    ranking, ranking_options = q["ranking"]
    data = {
        f"q{single.pk}": [str(single_options[0].pk)],
        f"q{multiple.pk}": [str(multiple_options[0].pk), str(multiple_options[2].pk)],
        f"q{q['scale'][0].pk}": ["4"],
        f"q{q['number'][0].pk}": ["42"],
        f"q{q['text'][0].pk}": ["Meer bankjes bij de kerk."],
    }
    for place, option in enumerate(ranking_options, start=1):
        data[f"q{ranking.pk}_{option.pk}"] = [str(place)]
    return data
