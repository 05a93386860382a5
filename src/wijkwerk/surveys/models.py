"""Polls and surveys (docs/participation.md, "Polls and surveys").

A survey belongs to an area, and is held by the area's officials, a council (`council`) or a
resident group (`group`). A poll is a survey of one single-choice question (`kind` poll: the
builder makes it in one step). Questions are answered in a `Response` of `Answer` rows: a
choice's option, a number (scale, number, a ranked option's place) or a text.

Who answers once (`access`):
- account: a logged-in person, once (a database constraint on survey and user);
- code: a voting code of the linked budget round, once per code; the response keeps a keyed
  hash of the code's id (`voter_key`), never the code and never a person;
- open: anyone, once per browser session (a keyed hash of the session, `session_key`) and a
  rate limit per address: not enforceable, so the results say they are an indication.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import StateFlags

# The statuses are declared in states.py (SurveyStatus imported from here too).
from .states import SURVEY_STATES, SurveyStatus


class SurveyKind(models.TextChoices):
    SURVEY = "survey", _("survey")
    POLL = "poll", _("poll")


class Access(models.TextChoices):
    ACCOUNT = "account", _("logged in, one response per person")
    CODE = "code", _("with a voting code of a budget round, one response per code")
    OPEN = "open", _("without an account, one response per browser (an indication)")


class ResultsShown(models.TextChoices):
    LIVE = "live", _("while the survey is open")
    AFTER_CLOSE = "after_close", _("after it closes")


class Survey(models.Model):
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="surveys"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="surveys"
    )
    council = models.ForeignKey(
        "areas.AreaCouncil",
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    group = models.ForeignKey(
        "areas.ResidentGroup",
        verbose_name=_("resident group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=SurveyKind.choices, default=SurveyKind.SURVEY
    )
    title = models.CharField(_("title"), max_length=150)
    introduction = models.TextField(_("introduction"), blank=True, max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    access = models.CharField(
        _("who answers"), max_length=10, choices=Access.choices, default=Access.ACCOUNT
    )
    process = models.ForeignKey(
        "budgeting.BudgetProcess",
        verbose_name=_("budget round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    results_shown = models.CharField(
        _("results shown"),
        max_length=12,
        choices=ResultsShown.choices,
        default=ResultsShown.AFTER_CLOSE,
    )
    ask_contact = models.BooleanField(
        _("ask respondents whether we may contact them"), default=False
    )
    # Raised by every response (and by publishing and closing): the results' cache key.
    version = models.PositiveIntegerField(default=0, editable=False)
    response_count = models.PositiveIntegerField(_("responses"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(access="code") | Q(process__isnull=False),
                name="survey_code_needs_round",
            ),
        ]
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.pk])

    @property
    def states(self) -> StateFlags:
        """For templates: `{% if survey.states.draft %}` (states.py declares the states)."""
        return SURVEY_STATES.flags(self)

    def is_open(self, now: object = None) -> bool:
        """Published, and now between its start and end."""
        moment = now or timezone.now()
        return (
            self.status == SurveyStatus.PUBLISHED
            and (self.opens_at is None or self.opens_at <= moment)  # type: ignore[operator]
            and (self.closes_at is None or moment < self.closes_at)  # type: ignore[operator]
        )

    def has_ended(self, now: object = None) -> bool:
        """Closed by hand, or its end has passed."""
        moment = now or timezone.now()
        return self.status == SurveyStatus.CLOSED or (
            self.status == SurveyStatus.PUBLISHED
            and self.closes_at is not None
            and self.closes_at <= moment  # type: ignore[operator]
        )

    def not_yet_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return (
            self.status == SurveyStatus.PUBLISHED
            and self.opens_at is not None
            and moment < self.opens_at  # type: ignore[operator]
        )

    @property
    def holder_name(self) -> str:
        if self.council_id:
            return str(self.council)
        if self.group_id:
            return str(self.group)
        return str(self.area)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("one choice")
    MULTIPLE = "multiple", _("several choices")
    SCALE = "scale", _("scale")
    RANKING = "ranking", _("ranking")
    NUMBER = "number", _("whole number")
    TEXT = "text", _("open answer")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING})
TEXT_MAX = 5000  # the longest open answer a question may allow


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind of question"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)
    # several choices: the fewest and most options; scale: its ends; number: the bounds
    min_value = models.IntegerField(_("minimum"), null=True, blank=True)
    max_value = models.IntegerField(_("maximum"), null=True, blank=True)
    low_label = models.CharField(_("label at the low end"), max_length=60, blank=True)
    high_label = models.CharField(_("label at the high end"), max_length=60, blank=True)
    max_length = models.PositiveIntegerField(_("longest answer (characters)"), default=1000)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="question_max_not_below_min",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in CHOICE_KINDS


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(_("option"), max_length=200)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # account surveys: who answered (once); never shown with the answers
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # code surveys: a keyed hash of the voting code's id (never the code)
    voter_key = models.CharField(max_length=64, blank=True)
    # open surveys: a keyed hash of the browser session
    session_key = models.CharField(max_length=64, blank=True)
    # the respondent agreed that the survey's holder may contact them: then name and e-mail
    contact_consent = models.BooleanField(default=False)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="survey_one_response_per_person",
            ),
            models.UniqueConstraint(
                fields=["survey", "voter_key"],
                condition=~Q(voter_key=""),
                name="survey_one_response_per_code",
            ),
            models.UniqueConstraint(
                fields=["survey", "session_key"],
                condition=~Q(session_key=""),
                name="survey_one_response_per_session",
            ),
            models.CheckConstraint(
                condition=Q(contact_consent=True) | (Q(contact_name="") & Q(contact_email="")),
                name="survey_contact_only_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return str(self.survey)


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # a chosen option (one, several) or a ranked one (its place in `number`)
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "option"])]

    def __str__(self) -> str:
        return str(self.question)


class Tally(models.Model):
    """A running count of a survey's answers, kept by every response in its transaction
    (`services.respond`), so that the results are read in one query however many responses
    there are. `key`: "answered" (the responses that answered the question; `total` the sum
    of a number question's answers), "option:<id>" (chosen, or ranked: `total` the sum of its
    places), "value:<n>" (a point of a scale). Made when the survey is published;
    `services.recount` rebuilds them from the answers."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    key = models.CharField(max_length=24)
    count = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="survey_tally_once")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} {self.key}"
