"""Writes for polls and surveys: building (survey, questions, options, order), publishing,
closing, and answering. Every write is one transaction with the policy check and an audit
event; answers are checked whole before anything is saved (`validate_answers`).

Answers come in as a form sends them (`raw`: a mapping with `getlist`, e.g. a QueryDict, or a
dict of lists): `q<question id>` for a choice, several choices, a scale, a number or a text;
`q<question id>_<option id>` for the place of each option of a ranking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkwerk.core import audit

from .audit_actions import SurveyAction
from .models import (
    CHOICE_KINDS,
    TEXT_MAX,
    Access,
    Answer,
    Option,
    Question,
    QuestionKind,
    Response,
    ResultsShown,
    Survey,
    SurveyKind,
    SurveyStatus,
    Tally,
)
from .refusals import AnswersRefused, SurveyRefused

MAX_OPTIONS = 30
SCALE_MAX_POINTS = 11
VOTER_SALT = "wijkwerk.surveys.voter"
SESSION_SALT = "wijkwerk.surveys.session"


def _require(actor: Any, perm: str, survey: Survey) -> None:
    if not actor.has_perm(perm, survey):
        raise PermissionDenied


def _editable(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise SurveyRefused(
            _("A published survey cannot be changed: its answers must stay comparable."),
            "not_editable",
        )


# --- The survey -----------------------------------------------------------------------------


@dataclass
class SurveySettings:
    title: str
    introduction: str = ""
    opens_at: Any = None
    closes_at: Any = None
    access: str = Access.ACCOUNT
    process: Any = None
    results_shown: str = ResultsShown.AFTER_CLOSE
    ask_contact: bool = False


def _check_settings(values: SurveySettings) -> None:
    if not values.title.strip():
        raise SurveyRefused(_("Give the survey a title."), "bad_survey")
    if len(values.title) > 150:
        raise SurveyRefused(_("The title is at most 150 characters."), "bad_survey")
    if len(values.introduction) > 5000:
        raise SurveyRefused(_("The introduction is at most 5,000 characters."), "bad_survey")
    if values.opens_at and values.closes_at and values.closes_at <= values.opens_at:
        raise SurveyRefused(_("The survey must close after it opens."), "bad_survey")
    if values.access not in Access.values:
        raise SurveyRefused(_("Choose who may answer."), "bad_survey")
    if values.access == Access.CODE and (
        values.process is None or not values.process.vote_with_code
    ):
        raise SurveyRefused(
            _("Answering with a voting code needs a budget round that has voting codes."),
            "bad_survey",
        )
    if values.results_shown not in ResultsShown.values:
        raise SurveyRefused(_("Choose when the results are shown."), "bad_survey")


def _holder(area: Any, council: Any, group: Any) -> Any:
    if council is not None and group is not None:
        raise SurveyRefused(_("A survey is held by a council or a group, not both."), "bad_survey")
    holder_area = (council or group).area if (council or group) is not None else area
    if holder_area is None:
        raise SurveyRefused(_("A survey belongs to an area."), "bad_survey")
    if area is not None and area.pk != holder_area.pk:
        raise SurveyRefused(_("The council or group is of another area."), "bad_survey")
    return holder_area


def create_survey(
    *,
    actor: Any,
    values: SurveySettings,
    area: Any = None,
    council: Any = None,
    group: Any = None,
    kind: str = SurveyKind.SURVEY,
) -> Survey:
    holder_area = _holder(area, council, group)
    survey = Survey(
        municipality_id=holder_area.municipality_id,
        area=holder_area,
        council=council,
        group=group,
        kind=kind,
        created_by=(
            actor
            if getattr(actor, "is_authenticated", False) and not getattr(actor, "is_system", False)
            else None
        ),
    )
    _require(actor, "surveys.manage_survey", survey)
    _check_settings(values)
    if values.process is not None and values.process.municipality_id != survey.municipality_id:
        raise SurveyRefused(_("The budget round is of another municipality."), "bad_survey")
    for name, value in vars(values).items():
        setattr(survey, name, value)
    with transaction.atomic():
        survey.save()
        audit.record(
            actor=actor,
            action=SurveyAction.CREATE,
            instance=survey,
            after=audit.snapshot(survey, ["title", "kind", "access", "results_shown"]),
        )
    return survey


def change_survey(*, actor: Any, survey: Survey, values: SurveySettings) -> Survey:
    with transaction.atomic():
        survey = Survey.objects.select_for_update().select_related("area").get(pk=survey.pk)
        _require(actor, "surveys.manage_survey", survey)
        _editable(survey)
        _check_settings(values)
        before = audit.snapshot(survey, ["title", "access", "results_shown"])
        for name, value in vars(values).items():
            setattr(survey, name, value)
        survey.save()
        audit.record(
            actor=actor,
            action=SurveyAction.CHANGE,
            instance=survey,
            before=before,
            after=audit.snapshot(survey, ["title", "access", "results_shown"]),
        )
    return survey


# --- Questions ------------------------------------------------------------------------------


@dataclass
class QuestionValues:
    kind: str
    text: str
    help_text: str = ""
    required: bool = True
    min_value: int | None = None
    max_value: int | None = None
    low_label: str = ""
    high_label: str = ""
    max_length: int = 1000
    options: Sequence[str] = ()


def _clean_question(values: QuestionValues) -> QuestionValues:
    """The values as stored (bounds filled in for a scale), or a refusal saying what is wrong."""

    def refuse(message: str) -> SurveyRefused:
        return SurveyRefused(message, "bad_question")

    if values.kind not in QuestionKind.values:
        raise refuse(_("Choose a kind of question."))
    text = values.text.strip()
    if not text:
        raise refuse(_("Write the question."))
    if len(text) > 300 or len(values.help_text) > 500:
        raise refuse(_("A question is at most 300 characters, its explanation 500."))
    options = [option.strip() for option in values.options if option.strip()]
    low, high = values.min_value, values.max_value
    if values.kind in CHOICE_KINDS:
        if len(options) > MAX_OPTIONS:
            raise refuse(_("A question has at most %(n)d options.") % {"n": MAX_OPTIONS})
        if any(len(option) > 200 for option in options):
            raise refuse(_("An option is at most 200 characters."))
        if len({option.casefold() for option in options}) != len(options):
            raise refuse(_("Each option may appear only once."))
    else:
        options = []
    if values.kind == QuestionKind.SCALE:
        low = 1 if low is None else low
        high = 5 if high is None else high
        if low < 0 or high <= low or high - low + 1 > SCALE_MAX_POINTS:
            raise refuse(
                _("A scale runs from 0 or more to a higher number, at most 11 points (1 to 5).")
            )
        if len(values.low_label) > 60 or len(values.high_label) > 60:
            raise refuse(_("The labels at the ends are at most 60 characters."))
    elif values.kind == QuestionKind.MULTIPLE:
        if (low is not None and low < 0) or (high is not None and high < 1):
            raise refuse(_("The fewest choices is 0 or more, the most 1 or more."))
        if low is not None and high is not None and high < low:
            raise refuse(_("The most choices may not be below the fewest."))
        if options and ((low or 0) > len(options) or (high is not None and high > len(options))):
            raise refuse(_("The fewest and most choices cannot be more than the options."))
    elif values.kind == QuestionKind.NUMBER:
        if low is not None and high is not None and high < low:
            raise refuse(_("The maximum may not be below the minimum."))
    else:
        low = high = None
    max_length = values.max_length
    if values.kind == QuestionKind.TEXT and not 1 <= max_length <= TEXT_MAX:
        raise refuse(_("An open answer is at most 5,000 characters long."))
    return QuestionValues(
        kind=values.kind,
        text=text,
        help_text=values.help_text.strip(),
        required=values.required,
        min_value=low,
        max_value=high,
        low_label=values.low_label.strip() if values.kind == QuestionKind.SCALE else "",
        high_label=values.high_label.strip() if values.kind == QuestionKind.SCALE else "",
        max_length=max_length if values.kind == QuestionKind.TEXT else 1000,
        options=options,
    )


def _store_question(question: Question, values: QuestionValues) -> None:
    for name in (
        "kind",
        "text",
        "help_text",
        "required",
        "min_value",
        "max_value",
        "low_label",
        "high_label",
        "max_length",
    ):
        setattr(question, name, getattr(values, name))
    question.save()
    question.options.all().delete()
    Option.objects.bulk_create(
        Option(question=question, position=i, text=text) for i, text in enumerate(values.options)
    )


def _lock_survey(actor: Any, survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().select_related("area").get(pk=survey.pk)
    _require(actor, "surveys.manage_survey", survey)
    _editable(survey)
    return survey


def _questions_changed(actor: Any, survey: Survey, step: str, question: Question) -> None:
    audit.record(
        actor=actor,
        action=SurveyAction.QUESTIONS,
        instance=survey,
        after={
            "step": step,
            "question": question.text,
            "questions": survey.questions.count(),
        },
    )


def add_question(*, actor: Any, survey: Survey, values: QuestionValues) -> Question:
    with transaction.atomic():
        survey = _lock_survey(actor, survey)
        clean = _clean_question(values)
        last = survey.questions.aggregate(last=Max("position"))["last"]
        question = Question(survey=survey, position=0 if last is None else last + 1)
        _store_question(question, clean)
        _questions_changed(actor, survey, "add", question)
    return question


def change_question(*, actor: Any, question: Question, values: QuestionValues) -> Question:
    with transaction.atomic():
        _lock_survey(actor, question.survey)
        clean = _clean_question(values)
        question = Question.objects.get(pk=question.pk)
        _store_question(question, clean)
        _questions_changed(actor, question.survey, "change", question)
    return question


def move_question(*, actor: Any, question: Question, up: bool) -> None:
    """One place up or down (nothing at either end)."""
    with transaction.atomic():
        survey = _lock_survey(actor, question.survey)
        order = list(survey.questions.order_by("position", "pk"))
        index = next(i for i, item in enumerate(order) if item.pk == question.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
        for position, item in enumerate(order):
            item.position = position
        Question.objects.bulk_update(order, ["position"])
        _questions_changed(actor, survey, "move", question)


def delete_question(*, actor: Any, question: Question) -> None:
    with transaction.atomic():
        survey = _lock_survey(actor, question.survey)
        question.delete()
        _questions_changed(actor, survey, "delete", question)


def create_poll(
    *,
    actor: Any,
    values: SurveySettings,
    question: str,
    options: Sequence[str],
    area: Any = None,
    council: Any = None,
    group: Any = None,
) -> Survey:
    """A poll: a survey of one required single-choice question, made in one step."""
    with transaction.atomic():
        survey = create_survey(
            actor=actor,
            values=values,
            area=area,
            council=council,
            group=group,
            kind=SurveyKind.POLL,
        )
        add_question(
            actor=actor,
            survey=survey,
            values=QuestionValues(kind=QuestionKind.SINGLE, text=question, options=options),
        )
    return survey


# --- Publishing and closing -----------------------------------------------------------------


def publish(*, actor: Any, survey: Survey) -> Survey:
    with transaction.atomic():
        survey = _lock_survey(actor, survey)
        questions = list(survey.questions.prefetch_related("options"))
        if not questions:
            raise SurveyRefused(
                _("Add at least one question before publishing the survey."), "no_questions"
            )
        for question in questions:
            if question.has_options and len(question.options.all()) < 2:
                raise SurveyRefused(
                    _("The question “%(question)s” needs at least two options.")
                    % {"question": question.text},
                    "no_options",
                )
        now = timezone.now()
        if survey.closes_at is not None and survey.closes_at <= now:
            raise SurveyRefused(_("The survey's end has passed: move it first."), "bad_survey")
        Tally.objects.bulk_create(
            Tally(question=question, key=key)
            for question in questions
            for key in tally_keys(question)
        )
        survey.status = SurveyStatus.PUBLISHED
        survey.published_at = now
        survey.version = F("version") + 1
        survey.save(update_fields=["status", "published_at", "version"])
        survey.refresh_from_db(fields=["version"])
        audit.record(
            actor=actor,
            action=SurveyAction.PUBLISH,
            instance=survey,
            after={"status": survey.status, "questions": len(questions)},
        )
        _tell_followers(survey, actor)
    return survey


def _tell_followers(survey: Survey, actor: Any) -> None:
    """Followers of the survey's holder (its council, group or area) hear that it opened (the
    follows app's routers: at once or in the weekly digest)."""
    from wijkwerk.follows import services as follows

    from .notifications import PUBLISHED

    target = survey.council or survey.group or survey.area
    exclude = [actor] if getattr(actor, "pk", None) is not None else []
    follows.notify_followers(PUBLISHED, target, context={"survey": survey}, exclude=exclude)


def close(*, actor: Any, survey: Survey) -> Survey:
    with transaction.atomic():
        survey = Survey.objects.select_for_update().select_related("area").get(pk=survey.pk)
        _require(actor, "surveys.manage_survey", survey)
        if survey.status != SurveyStatus.PUBLISHED:
            raise SurveyRefused(_("Only a published survey can be closed."), "not_published")
        survey.status = SurveyStatus.CLOSED
        survey.closed_at = timezone.now()
        survey.version = F("version") + 1
        survey.save(update_fields=["status", "closed_at", "version"])
        survey.refresh_from_db(fields=["version"])
        audit.record(
            actor=actor,
            action=SurveyAction.CLOSE,
            instance=survey,
            after={"status": survey.status, "responses": survey.response_count},
        )
    return survey


# --- Answering ------------------------------------------------------------------------------


def _values(raw: Any, key: str) -> list[str]:
    if hasattr(raw, "getlist"):
        values = raw.getlist(key)
    else:
        value = raw.get(key, [])
        values = value if isinstance(value, (list, tuple)) else [value]
    return [str(value).strip() for value in values if str(value).strip()]


def _integer(text: str) -> int | None:
    sign = -1 if text.startswith("-") else 1
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isdigit() or not digits.isascii() or len(digits) > 12:
        return None
    return sign * int(digits)


def _check_answer(question: Question, raw: Any) -> tuple[Any, str]:
    """The answer to one question as stored (None: not answered), or the message why not."""
    key = f"q{question.pk}"
    kind = question.kind
    missing = _("Answer this question.") if question.required else ""
    options = {option.pk: option for option in question.options.all()}
    if kind == QuestionKind.RANKING:
        places = {oid: _values(raw, f"{key}_{oid}") for oid in options}
        given = {oid: values[0] for oid, values in places.items() if values}
        if not given:
            return None, missing
        if len(given) < len(options):
            return None, _("Give every item a place.")
        ranks = {oid: _integer(text) for oid, text in given.items()}
        if any(rank is None or not 1 <= rank <= len(options) for rank in ranks.values()):
            return None, _("Give each item a place from 1 to %(n)d.") % {"n": len(options)}
        if len(set(ranks.values())) != len(ranks):
            return None, _("Give each place once: two items have the same place.")
        return ranks, ""
    values = _values(raw, key)
    if not values:
        return None, missing
    if kind == QuestionKind.TEXT:
        text = values[0]
        if len(text) > question.max_length:
            return None, _(
                "Your answer is %(length)d characters long; at most %(max)d are allowed."
            ) % {"length": len(text), "max": question.max_length}
        return text, ""
    if kind == QuestionKind.MULTIPLE:
        chosen = [_integer(value) for value in values]
        if any(oid not in options for oid in chosen):
            return None, _("Choose from the options given.")
        if len(set(chosen)) != len(chosen):
            return None, _("Choose each option once.")
        fewest, most = question.min_value, question.max_value
        if most is not None and len(chosen) > most:
            return None, ngettext(
                "Choose at most %(n)d option.", "Choose at most %(n)d options.", most
            ) % {"n": most}
        if fewest is not None and len(chosen) < fewest:
            return None, ngettext(
                "Choose at least %(n)d option.", "Choose at least %(n)d options.", fewest
            ) % {"n": fewest}
        return chosen, ""
    if len(values) > 1:
        return None, _("Give one answer.")
    number = _integer(values[0])
    if kind == QuestionKind.SINGLE:
        if number not in options:
            return None, _("Choose one of the options given.")
        return number, ""
    if number is None:
        return None, _("Give a whole number, such as 12.")
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            return None, _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        if low is not None:
            return None, _("Give a number of %(low)s or more.") % {"low": low}
        return None, _("Give a number of %(high)s or less.") % {"high": high}
    return number, ""


def validate_answers(questions: Sequence[Question], raw: Mapping[str, Any]) -> dict[int, Any]:
    """The answers by question id (unanswered optional questions left out), or AnswersRefused
    with a message for every question that is not right."""
    answers: dict[int, Any] = {}
    errors: dict[int, str] = {}
    for question in questions:
        value, message = _check_answer(question, raw)
        if message:
            errors[question.pk] = message
        elif value is not None:
            answers[question.pk] = value
    if errors:
        raise AnswersRefused(errors)
    return answers


def _rows(response: Response, questions: Sequence[Question], answers: dict[int, Any]):
    for question in questions:
        value = answers.get(question.pk)
        if value is None:
            continue
        kind = question.kind
        if kind == QuestionKind.SINGLE:
            yield Answer(response=response, question=question, option_id=value)
        elif kind == QuestionKind.MULTIPLE:
            for oid in value:
                yield Answer(response=response, question=question, option_id=oid)
        elif kind == QuestionKind.RANKING:
            for oid, rank in value.items():
                yield Answer(response=response, question=question, option_id=oid, number=rank)
        elif kind == QuestionKind.TEXT:
            yield Answer(response=response, question=question, text=value)
        else:
            yield Answer(response=response, question=question, number=value)


def tally_keys(question: Question) -> list[str]:
    """The running counts a question keeps (models.Tally)."""
    keys = ["answered"]
    if question.kind in CHOICE_KINDS:
        keys += [f"option:{option.pk}" for option in question.options.all()]
    elif question.kind == QuestionKind.SCALE:
        low, high = question.min_value or 0, question.max_value or 0
        keys += [f"value:{value}" for value in range(low, high + 1)]
    return keys


def _increments(rows: Sequence[Answer]) -> dict[tuple[int, str], list[int]]:
    """(question id, tally key) → [count, total] for the answers of one or more responses."""
    found: dict[tuple[int, str], list[int]] = {}
    answered: set[tuple[int, int]] = set()

    def add(question_id: int, key: str, total: int = 0) -> None:
        entry = found.setdefault((question_id, key), [0, 0])
        entry[0] += 1
        entry[1] += total

    for row in rows:
        kind = row.question.kind
        if (row.response_id, row.question_id) not in answered:
            answered.add((row.response_id, row.question_id))
            add(
                row.question_id, "answered", (row.number or 0) if kind == QuestionKind.NUMBER else 0
            )
        if row.option_id is not None:
            add(row.question_id, f"option:{row.option_id}", row.number or 0)
        elif kind == QuestionKind.SCALE and row.number is not None:
            add(row.question_id, f"value:{row.number}")
    return found


def _count_in(rows: Sequence[Answer]) -> None:
    """Add one response's answers to the survey's running counts (in a fixed order, so that
    two responses at the same moment wait for each other rather than deadlock)."""
    for (question_id, key), (count, total) in sorted(_increments(rows).items()):
        Tally.objects.filter(question_id=question_id, key=key).update(
            count=F("count") + count, total=F("total") + total
        )


def recount(survey: Survey) -> None:
    """Rebuild the survey's running counts from its answers (after a bulk load, or to check
    them): one pass over the answers, in chunks."""
    questions = {q.pk: q for q in survey.questions.prefetch_related("options")}
    with transaction.atomic():
        Tally.objects.filter(question__survey=survey).delete()
        totals: dict[tuple[int, str], list[int]] = {
            (question.pk, key): [0, 0]
            for question in questions.values()
            for key in tally_keys(question)
        }
        answers = Answer.objects.filter(question_id__in=list(questions)).only(
            "response_id", "question_id", "option_id", "number"
        )
        batch: list[Answer] = []

        def flush() -> None:
            for key, (count, total) in _increments(batch).items():
                entry = totals.setdefault(key, [0, 0])
                entry[0] += count
                entry[1] += total
            batch.clear()

        for answer in answers.order_by("response_id").iterator(chunk_size=10_000):
            # a response's answers are counted together ("answered" once per response)
            if len(batch) >= 10_000 and batch[-1].response_id != answer.response_id:
                flush()
            answer.question = questions[answer.question_id]
            batch.append(answer)
        flush()
        Tally.objects.bulk_create(
            Tally(question_id=question_id, key=key, count=count, total=total)
            for (question_id, key), (count, total) in totals.items()
        )
        Survey.objects.filter(pk=survey.pk).update(version=F("version") + 1)


def voter_key(survey: Survey, code_id: int) -> str:
    """What a code survey's response keeps of the voting code: a keyed hash of the code's id
    and the survey (so two surveys' responses of one code cannot be linked either)."""
    return salted_hmac(VOTER_SALT, f"{survey.pk}:{code_id}", algorithm="sha256").hexdigest()


def session_hash(survey: Survey, session_key: str) -> str:
    return salted_hmac(SESSION_SALT, f"{survey.pk}:{session_key}", algorithm="sha256").hexdigest()


def _find_code(survey: Survey, typed: str) -> int:
    """The id of the survey's round's voting code `typed` (used to vote or not: a code answers
    a survey once, whatever it did in the round)."""
    from wijkwerk.budgeting.models import VotingCode
    from wijkwerk.budgeting.services import codes

    wrong = SurveyRefused(
        _("The voting code is not right: check whether you typed it correctly."), "code"
    )
    normalised = codes.normalise(typed)
    if not codes.is_well_formed(normalised):
        raise wrong
    found = (
        VotingCode.objects.filter(code_hash=codes.code_hash(normalised))
        .values_list("pk", "process_id")
        .first()
    )
    if found is None or found[1] != survey.process_id:
        raise wrong
    return int(found[0])


@dataclass
class Contact:
    consent: bool = False
    name: str = ""
    email: str = ""


def _check_contact(survey: Survey, contact: Contact) -> Contact:
    if not survey.ask_contact or not contact.consent:
        return Contact()
    name, email = contact.name.strip(), contact.email.strip()
    try:
        validate_email(email)
    except ValidationError:
        email = ""
    if not name or not email or len(name) > 150 or len(email) > 254:
        raise SurveyRefused(
            _("To be contacted, give your name and a valid e-mail address."), "contact"
        )
    return Contact(True, name, email)


def duplicate() -> SurveyRefused:
    return SurveyRefused(_("You have already answered this survey."), "duplicate")


def respond(
    *,
    actor: Any,
    survey: Survey,
    raw: Mapping[str, Any],
    code: str = "",
    session_key: str = "",
    contact: Contact | None = None,
) -> Response:
    """Save one response after checking all of it: the survey is open, the respondent has not
    answered before (per person, code or browser session), every answer is right. Counts it
    (the survey's version and count go up: the results' cache key) and records that, not what
    it said. Nothing is saved on a refusal."""
    now = timezone.now()
    if not survey.is_open(now):
        raise SurveyRefused(_("This survey is not open for answers."), "not_open")
    questions = list(survey.questions.prefetch_related("options"))
    response = Response(survey=survey)
    if survey.access == Access.ACCOUNT:
        if not getattr(actor, "is_authenticated", False):
            raise SurveyRefused(_("Log in to answer this survey."), "login")
        response.user = actor
        taken = Response.objects.filter(survey=survey, user=actor)
    elif survey.access == Access.CODE:
        response.voter_key = voter_key(survey, _find_code(survey, code))
        taken = Response.objects.filter(survey=survey, voter_key=response.voter_key)
    else:
        if not session_key:
            raise SurveyRefused(_("Your browser must accept cookies to answer."), "duplicate")
        response.session_key = session_hash(survey, session_key)
        taken = Response.objects.filter(survey=survey, session_key=response.session_key)
    if taken.exists():
        raise duplicate()
    answers = validate_answers(questions, raw)
    checked = _check_contact(survey, contact or Contact())
    response.contact_consent = checked.consent
    response.contact_name = checked.name
    response.contact_email = checked.email
    try:
        with transaction.atomic():
            response.save()
            rows = list(_rows(response, questions, answers))
            Answer.objects.bulk_create(rows)
            _count_in(rows)
            Survey.objects.filter(pk=survey.pk).update(
                version=F("version") + 1, response_count=F("response_count") + 1
            )
            count = Survey.objects.values_list("response_count", flat=True).get(pk=survey.pk)
            audit.record(
                actor=None,  # never who answered
                action=SurveyAction.RESPONSE,
                instance=survey,
                after={"responses": count},
            )
    except IntegrityError:
        # the same person, code or browser at the same moment in another request
        raise duplicate() from None
    return response
