"""What the audit trail records about surveys (registered in `SurveysConfig.ready`).

A response is recorded as "a response was counted" on the survey with the new count, never
what it said nor (for surveys with voting codes or without an account) who gave it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyAction(models.TextChoices):
    CREATE = "survey.create", _("Survey created")
    CHANGE = "survey.change", _("Survey changed")
    QUESTIONS = "survey.questions", _("Survey questions changed")
    PUBLISH = "survey.publish", _("Survey published")
    CLOSE = "survey.close", _("Survey closed")
    RESPONSE = "survey.response", _("Survey response counted")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("surveys", _("Polls and surveys"), SurveyAction)
    log.register_fields(
        "surveys.survey",
        {
            "questions": log.Number(_("questions")),
            "responses": log.Number(_("responses")),
            "question": log.Text(_("question")),
            "step": log.Choice(
                _("step"),
                choices=[
                    ("add", _("question added")),
                    ("change", _("question changed")),
                    ("move", _("question moved")),
                    ("delete", _("question deleted")),
                ],
            ),
        },
    )
