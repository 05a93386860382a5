"""Why a step with a survey was refused: `SurveyRefused` with a stable code; `AnswersRefused`
(code `answers`) carries one message per question that was not answered right.

Building:
    not_editable        changing a survey (its settings or questions) once it was published
    bad_question        a question without text, an unknown kind, bounds that do not fit the
                        kind (a scale of more than 11 points, a minimum above the maximum, more
                        choices required than there are options), an open answer longer than
                        5,000 characters, options that are empty, too long or twice the same
    bad_survey          a survey without a title, with an end before its start, with voting
                        codes but no budget round that has them, or held by a council or group
                        of another area
    no_questions        publishing a survey without questions
    no_options          publishing a choice question (one, several, ranking) with fewer than
                        two options
    not_published       closing a survey that is not open
Answering:
    not_open            answering a survey that is closed, has ended, or has not started
    duplicate           a second response from the same person, voting code or browser
    code                a voting code that is mistyped, unknown or of another round (one
                        message: typing never tells whether a code exists)
    login               answering a survey for logged-in people without being logged in
    contact             agreeing to be contacted without a name and a valid e-mail address,
                        or a name or address that is too long
    answers             one or more answers not right (`AnswersRefused.errors` per question:
                        required but missing, not a whole number, out of range, not one of the
                        options, too many or too few choices, places not each given once,
                        a text that is too long)
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused


class SurveyRefused(Refused):
    """A step the survey's state or rules do not allow; the message is for the user."""


class AnswersRefused(SurveyRefused):
    """Answers that are not right, with a message per question id; nothing was saved."""

    def __init__(self, errors: dict[int, str]) -> None:
        self.errors = errors
        super().__init__(list(errors.values()), "answers")
