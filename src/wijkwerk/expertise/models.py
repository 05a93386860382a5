"""Residents' standing offers of what they can do or give, invitations to use them, and the
municipality's questions to the residents of its areas (docs/expertise.md).

Not to be confused with `initiatives.HelpOffer`: that is an offer of help on one initiative,
made on the initiative's page. An `Offer` here stands on its own, for whoever the resident lets
see it, until it is paused or removed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import StateFlags

# The statuses are declared in states.py (OfferStatus and InvitationStatus imported from here too).
from .states import INVITATION_STATES, OFFER_STATES, InvitationStatus, OfferStatus

TITLE_MAX = 120
DESCRIPTION_MAX = 2000
AVAILABILITY_MAX = 200
MESSAGE_MAX = 1000
QUESTION_BODY_MAX = 3000
ANSWER_MAX = 2000
OUTCOME_MAX = 3000
TAG_MAX = 30
TAGS_PER_OFFER = 8
AREAS_PER_OFFER = 10


class OfferKind(models.TextChoices):
    SKILL = "skill", _("a skill or knowledge")
    HOURS = "hours", _("time to help")
    TOOLS = "tools", _("tools or materials")
    PLACE = "place", _("a place to meet")


class Visibility(models.TextChoices):
    """Who may see an offer (expertise.policy): the owner always; the rest as chosen."""

    EVERYONE = "everyone", _("everyone, also visitors who are not logged in")
    OFFICIALS = "officials", _("only the municipality's officials")
    INITIATORS = "initiators", _("initiators in my areas and the municipality's officials")


class Tag(models.Model):
    """A free tag, normalised (lower case, single spaces): "Timmeren " and "timmeren" are one."""

    name = models.CharField(_("tag"), max_length=TAG_MAX, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="expertise_offers",
    )
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("what you offer"), max_length=10, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), related_name="offers", blank=True)
    # The tags as one text, for the full-text search (kept by the services with `tags`).
    tags_text = models.CharField(max_length=400, blank=True, editable=False)
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("areas"), related_name="expertise_offers"
    )
    availability = models.CharField(_("when you are available"), max_length=AVAILABILITY_MAX)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    visibility = models.CharField(
        _("who may see this offer"), max_length=12, choices=Visibility.choices
    )
    status = models.CharField(
        _("status"), max_length=8, choices=OfferStatus.choices, default=OfferStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("offered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The search walks active offers newest first and counts them; the columns the
            # visibility rule reads come along, so neither needs the table's rows (SQLite and
            # PostgreSQL alike; the words are matched on the rows the walk reaches).
            models.Index(
                fields=["status", "-created_at", "-id", "visibility", "municipality", "owner"],
                name="offer_search_walk",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("expertise:offer", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status == OfferStatus.ACTIVE

    @property
    def states(self) -> StateFlags:
        """For templates: `{% if offer.states.paused %}` (states.py declares the states)."""
        return OFFER_STATES.flags(self)


class InvitationTarget(models.TextChoices):
    INITIATIVE = "initiative", _("an initiative")
    GROUP = "group", _("a resident group")
    QUESTION = "question", _("a question from the municipality")


class Invitation(models.Model):
    """A broker, coordinator or initiator asks the resident behind an offer to join in."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="invitations"
    )
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    target = models.CharField(_("invited to"), max_length=12, choices=InvitationTarget.choices)
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    group = models.ForeignKey(
        "areas.ResidentGroup",
        verbose_name=_("resident group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    question = models.ForeignKey(
        "Question",
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX)
    status = models.CharField(
        _("answer"),
        max_length=8,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        target="initiative",
                        initiative__isnull=False,
                        group__isnull=True,
                        question__isnull=True,
                    )
                    | models.Q(
                        target="group",
                        initiative__isnull=True,
                        group__isnull=False,
                        question__isnull=True,
                    )
                    | models.Q(
                        target="question",
                        initiative__isnull=True,
                        group__isnull=True,
                        question__isnull=False,
                    )
                ),
                name="invitation_one_target",
            ),
            models.UniqueConstraint(
                fields=["offer", "initiative"],
                condition=models.Q(initiative__isnull=False),
                name="invitation_once_per_initiative",
            ),
            models.UniqueConstraint(
                fields=["offer", "group"],
                condition=models.Q(group__isnull=False),
                name="invitation_once_per_group",
            ),
            models.UniqueConstraint(
                fields=["offer", "question"],
                condition=models.Q(question__isnull=False),
                name="invitation_once_per_question",
            ),
        ]

    def __str__(self) -> str:
        return str(self.target_object)

    def get_absolute_url(self) -> str:
        return reverse("expertise:invitation", kwargs={"pk": self.pk})

    @property
    def target_object(self) -> models.Model | None:
        return self.initiative or self.group or self.question

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING

    @property
    def states(self) -> StateFlags:
        """For templates: `{% if invitation.states.accepted %}` (states.py declares the states)."""
        return INVITATION_STATES.flags(self)


class QuestionKind(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Who knows about …")
    THINK_ALONG = "think_along", _("Who wants to think along about …")


class Question(models.Model):
    """An official's question to the residents of one or more areas, open until its closing
    date (or until closed early); afterwards the outcome says what was done with the answers."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("areas"), related_name="expertise_questions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind of question"), max_length=12, choices=QuestionKind.choices)
    title = models.CharField(_("question"), max_length=TITLE_MAX)
    body = models.TextField(_("explanation"), max_length=QUESTION_BODY_MAX)
    closes_on = models.DateField(_("answers until"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.TextField(_("what was done with the answers"), blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        verbose_name = _("question from the municipality")
        verbose_name_plural = _("questions from the municipality")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["closes_on", "closed_at"], name="question_open")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("expertise:question", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.localdate() <= self.closes_on


def open_questions_q() -> models.Q:
    return models.Q(closed_at__isnull=True, closes_on__gte=timezone.localdate())


class AnswerKind(models.TextChoices):
    ANSWER = "answer", _("an answer")
    HELP = "help", _("I want to help")


class Answer(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("your reply"), max_length=8, choices=AnswerKind.choices)
    text = models.TextField(_("answer"), max_length=ANSWER_MAX, blank=True)
    offer = models.ForeignKey(
        Offer,
        verbose_name=_("offer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    show_publicly = models.BooleanField(_("show my answer on the question's page"), default=False)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "author"], name="answer_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.question} – {self.get_kind_display()}"
