"""Polls and surveys: everybody sees and answers a published survey; its holders (the area's
officials: broker, coordinator, alderman, community worker; the municipality's administrator;
a council's chair and secretary; a group's contacts) build, publish, close and export it, and
see its results always; others see the results when the survey's setting makes them public.
A draft is not for others to know about (404)."""

from __future__ import annotations

from typing import Any

from wijkwerk.surveys import services
from wijkwerk.surveys.models import Access, QuestionKind, ResultsShown
from wijkwerk.surveys.services import QuestionValues, SurveySettings

from ..framework import Case, World, everyone, logged_in

HOLDERS = {"broker_this": 200, "alderman": 200, "admin": 200}


def _survey(world: World, *, publish: bool, questions: bool = True, **values: Any) -> Any:
    broker = world.users["broker_this"]
    survey = services.create_survey(
        actor=broker, area=world.area, values=SurveySettings(title="Leven in Dorst", **values)
    )
    if questions:
        services.add_question(
            actor=broker,
            survey=survey,
            values=QuestionValues(
                kind=QuestionKind.SINGLE, text="Hoe vaak?", options=["Vaak", "Nooit"]
            ),
        )
    if publish:
        survey = services.publish(actor=broker, survey=survey)
    return survey


def draft(world: World) -> None:
    world.extra["survey"] = _survey(world, publish=False)


def empty_draft(world: World) -> None:
    world.extra["survey"] = _survey(world, publish=False, questions=False)


def published(world: World) -> None:
    world.extra["survey"] = _survey(world, publish=True, results_shown=ResultsShown.LIVE)


def published_for_accounts(world: World) -> None:
    world.extra["survey"] = _survey(world, publish=True, access=Access.ACCOUNT)


def results_after_close(world: World) -> None:
    world.extra["survey"] = _survey(world, publish=True, results_shown=ResultsShown.AFTER_CLOSE)


def pk(world: World) -> dict[str, int]:
    return {"pk": world.extra["survey"].pk}


def question(world: World) -> dict[str, int]:
    survey = world.extra["survey"]
    return {"pk": survey.pk, "qid": survey.questions.get().pk}


def area(world: World) -> dict[str, int]:
    return {"area": world.area.pk}


# the builder's pages: the holders; a draft is nobody else's business
BUILDER = {**logged_in(404), **HOLDERS}
# a step refused by the survey's state (a published survey's question, an empty draft)
REFUSED_STEP = {**logged_in(404), "broker_this": 409, "alderman": 409, "admin": 409}

CASES = [
    Case("surveys:create", {**logged_in(403), **HOLDERS}, data=area, also={"oss_admin": 403}),
    Case("surveys:create_poll", {**logged_in(403), **HOLDERS}, data=area),
    Case("surveys:detail", everyone(200), kwargs=pk, setup=published),
    Case("surveys:detail", {**everyone(404), **HOLDERS}, kwargs=pk, setup=draft, label="draft"),
    Case(
        "surveys:detail",
        everyone(400, anonymous=302),
        kwargs=pk,
        setup=published_for_accounts,
        method="post",
        label="nothing answered",
    ),
    Case("surveys:results", everyone(200), kwargs=pk, setup=published),
    Case(
        "surveys:results",
        {**everyone(404), **HOLDERS},
        kwargs=pk,
        setup=results_after_close,
        label="after closing",
    ),
    Case("surveys:manage", BUILDER, kwargs=pk, setup=draft),
    Case("surveys:edit", BUILDER, kwargs=pk, setup=draft),
    Case("surveys:question_add", BUILDER, kwargs=pk, setup=draft),
    Case("surveys:question_edit", BUILDER, kwargs=question, setup=draft),
    Case(
        "surveys:question_move",
        {**logged_in(404), "broker_this": 302, "alderman": 302, "admin": 302},
        kwargs=question,
        setup=draft,
        method="post",
        data=lambda world: {"direction": "up"},
    ),
    Case(
        "surveys:question_delete",
        REFUSED_STEP,
        kwargs=question,
        setup=published,
        method="post",
    ),
    Case("surveys:publish", REFUSED_STEP, kwargs=pk, setup=empty_draft, method="post"),
    Case("surveys:close", REFUSED_STEP, kwargs=pk, setup=draft, method="post"),
    Case("surveys:export_csv", BUILDER, kwargs=pk, setup=published),
    Case("surveys:export_xlsx", BUILDER, kwargs=pk, setup=published),
]
