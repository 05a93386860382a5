"""Reads for the surveys' pages and the area panel: a fixed number of queries whatever the rows.

The results are read from the survey's running counts (`models.Tally`, kept by every response:
one query, whatever the number of responses) and kept in the database cache under the survey's
`version`, which every response raises: a page after a response reads the counts again (once,
for all app processes), every other page reads one cache row. What the cache holds
is numbers only; the words (labels, percentages, "fewer than 5") are made per request in the
visitor's language, and the small numbers are suppressed for the public there.

Small numbers: on the public results page a count from 1 to 4 (an option, a point of a scale,
the answers behind an average) is shown as "fewer than 5", without its percentage or bar, and an
average of fewer than 5 answers is not shown; with fewer than 5 responses in all, no figures are
public. In a neighbourhood a handful of answers can point to the people who gave them. The
survey's holders see the exact figures (and the open answers) on the same page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Answer, Option, Question, QuestionKind, Survey, SurveyStatus, Tally

SMALL = 5  # counts below this (and above 0) are suppressed for the public
OPEN_ANSWERS_SHOWN = 100  # per open question on the results page; the export has all


def _with_questions(surveys: QuerySet[Survey]) -> QuerySet[Survey]:
    return surveys.select_related("area", "council", "group", "municipality").prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.order_by("position", "pk").prefetch_related(
                Prefetch("options", queryset=Option.objects.order_by("position", "pk"))
            ),
        )
    )


def survey(pk: int) -> Survey | None:
    """The survey with its holder, questions and options (three queries)."""
    return _with_questions(Survey.objects.filter(pk=pk)).first()


def open_in_area(area: Any, *, limit: int = 5) -> list[Survey]:
    """Polls and surveys open now in `area`, an area it lies in or one of its areas (one
    query)."""
    now = timezone.now()
    return list(
        Survey.objects.filter(
            Q(area_id__in=area.lineage_ids) | Q(area__parent_id=area.pk),
            status=SurveyStatus.PUBLISHED,
        )
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("area", "council", "group")
        .order_by("closes_at", "-published_at")[:limit]
    )


def managed_in_area(user: Any, area: Any) -> list[Survey]:
    """The surveys of `area` the user may build (drafts too), newest first (one query)."""
    from .policy import POLICY

    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        POLICY.instances_user_has_permission_for(user, "manage_survey")
        .filter(area=area)
        .order_by("-created_at")[:20]
    )


# --- Results --------------------------------------------------------------------------------


def _from_tallies(survey: Survey) -> dict[str, Any]:
    """The numbers behind the results, from the running counts (one query, whatever the
    number of responses)."""
    choices: dict[str, list[Any]] = {}
    scale: dict[str, int] = {}
    numbers: dict[str, list[Any]] = {}
    answered: dict[str, int] = {}
    kinds = {q.pk: q.kind for q in survey.questions.all()}
    for question_id, key, count, total in Tally.objects.filter(
        question__survey_id=survey.pk
    ).values_list("question_id", "key", "count", "total"):
        name, _sep, value = key.partition(":")
        if name == "answered":
            answered[str(question_id)] = count
            if kinds.get(question_id) == QuestionKind.NUMBER:
                numbers[str(question_id)] = [count, total / count if count else None]
        elif name == "option":
            ranked = kinds.get(question_id) == QuestionKind.RANKING
            choices[f"{question_id}:{value}"] = [count, total / count if ranked and count else None]
        else:
            scale[f"{question_id}:{value}"] = count
    return {"choices": choices, "scale": scale, "numbers": numbers, "answered": answered}


def counts(survey: Survey) -> dict[str, Any]:
    """The survey's counted numbers, from the cache while no response came in since."""
    key = f"wijkwerk:surveys:results:{survey.pk}:{survey.version}"
    found = cache.get(key)
    if found is not None:
        return found
    figures = _from_tallies(survey)
    figures["responses"] = survey.response_count
    cache.set(key, figures, 60 * 60 * 24 * 7)
    return figures


def number(value: float | int, decimals: int = 0) -> str:
    """In the visitor's language ("1.234", "3,5"); rounded, as Django's formatting cuts."""
    if decimals:
        return number_format(
            round(float(value), decimals), decimal_pos=decimals, force_grouping=True
        )
    return number_format(value, force_grouping=True)


def percentage(part: int, whole: int) -> str:
    if not whole:
        return "–"
    return f"{number(100 * part / whole, 1)}%"


@dataclass
class Row:
    label: str
    count: int
    count_text: str
    percent_text: str
    extra: str = ""  # a ranking's average place, in words
    average: float | None = None  # and as a number (None: not shown)


@dataclass
class QuestionResult:
    question: Question
    answered: int
    answered_text: str
    rows: list[Row] = field(default_factory=list)
    average_text: str = ""
    chart: dict[str, Any] | None = None
    open_answers: list[str] = field(default_factory=list)
    suppressed: bool = False

    @property
    def chart_id(self) -> str:
        return f"chart-{self.question.pk}"


def _row(label: str, n: int, whole: int, exact: bool, average: float | None = None) -> Row:
    extra = "" if average is None else number(average, 1)
    if not exact and 0 < n < SMALL:
        return Row(label, 0, _("fewer than 5"), "", "", None)
    return Row(label, n, number(n), percentage(n, whole), extra, average)


def results(survey: Survey, *, exact: bool, open_answers: bool = False) -> dict[str, Any]:
    """What the results page shows of each question: rows with numbers and percentages, a
    chart, averages; with `exact` False small numbers are suppressed (see the module's
    docstring). `open_answers`: the texts of open questions (the holders only; one query)."""
    from wijkwerk.budgeting.result_sections import bar_chart

    figures = counts(survey)
    total = int(figures["responses"])
    withheld = not exact and total < SMALL
    texts: dict[int, list[str]] = {}
    questions = list(survey.questions.all())
    if open_answers:
        text_ids = [q.pk for q in questions if q.kind == QuestionKind.TEXT]
        if text_ids:
            for qid, text in (
                Answer.objects.filter(question_id__in=text_ids)
                .exclude(text="")
                .order_by("-pk")
                .values_list("question_id", "text")[: OPEN_ANSWERS_SHOWN * len(text_ids)]
            ):
                texts.setdefault(qid, [])
                if len(texts[qid]) < OPEN_ANSWERS_SHOWN:
                    texts[qid].append(text)
    items = []
    for question in questions:
        answered = int(figures["answered"].get(str(question.pk), 0))
        item = QuestionResult(question, answered, number(answered), suppressed=withheld)
        if withheld:
            items.append(item)
            continue
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING):
            for option in question.options.all():
                n, avg = figures["choices"].get(f"{question.pk}:{option.pk}", [0, None])
                ranked = question.kind == QuestionKind.RANKING and avg is not None
                item.rows.append(
                    _row(option.text, int(n), answered, exact, float(avg) if ranked else None)
                )
        elif question.kind == QuestionKind.SCALE:
            low, high = question.min_value or 0, question.max_value or 0
            weighted = 0
            for value in range(low, high + 1):
                n = int(figures["scale"].get(f"{question.pk}:{value}", 0))
                weighted += value * n
                label = str(value)
                if value == low and question.low_label:
                    label = f"{value} ({question.low_label})"
                elif value == high and question.high_label:
                    label = f"{value} ({question.high_label})"
                item.rows.append(_row(label, n, answered, exact))
            if answered and (exact or answered >= SMALL):
                item.average_text = number(weighted / answered, 1)
        elif question.kind == QuestionKind.NUMBER:
            n, avg = figures["numbers"].get(str(question.pk), [0, None])
            if avg is not None and (exact or n >= SMALL):
                item.average_text = number(avg, 1)
        if question.kind == QuestionKind.RANKING:
            # a ranking's chart: the average place (1 is best) drawn as a bar of
            # (items + 1 − place), so that the item placed highest has the longest bar
            size = len(item.rows)
            item.chart = bar_chart(
                [
                    (
                        row.label,
                        0 if row.average is None else round((size + 1 - row.average) * 10),
                        row.extra or row.count_text,
                    )
                    for row in item.rows
                ]
            )
        elif item.rows:
            item.chart = bar_chart([(row.label, row.count, row.count_text) for row in item.rows])
        item.open_answers = texts.get(question.pk, [])
        items.append(item)
    return {
        "items": items,
        "responses": total,
        "responses_text": number(total),
        "withheld": withheld,
    }
