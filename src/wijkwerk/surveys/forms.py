"""Forms of polls and surveys: the survey's settings (`SurveyForm`), a poll in one step
(`PollForm`), a question with its options (`QuestionForm`; options grow by one with the "Add
an option" button, which sends the whole form back), and the answering form (`AnswerForm`,
built from the questions; the services check the answers, the form puts their messages on
the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.forms import SingleLineFieldsMixin

from .models import TEXT_MAX, Access, Question, QuestionKind, ResultsShown, Survey
from .services import Contact, QuestionValues, SurveySettings

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
MAX_OPTION_ROWS = 30


def _moment(label: Any, help_text: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=help_text,
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )


class SurveyForm(SingleLineFieldsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the survey is about and what happens with the answers."),
    )
    opens_at = _moment(_("Opens"), _("Empty: as soon as it is published."))
    closes_at = _moment(_("Closes"), _("Empty: when you close it."))
    access = forms.ChoiceField(
        label=_("Who may answer"),
        choices=Access.choices,
        initial=Access.ACCOUNT,
        widget=forms.RadioSelect,
        help_text=_(
            "Without an account, one response per browser cannot be enforced: the results are "
            "an indication. With voting codes, each code of the budget round answers once."
        ),
    )
    process: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Budget round with voting codes"),
        queryset=None,
        required=False,
        help_text=_("Only for answering with a voting code."),
    )
    results_shown = forms.ChoiceField(
        label=_("Results public"),
        choices=ResultsShown.choices,
        initial=ResultsShown.AFTER_CLOSE,
        widget=forms.RadioSelect,
    )
    ask_contact = forms.BooleanField(
        label=_("Ask respondents whether we may contact them (then with name and e-mail)"),
        required=False,
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from wijkwerk.budgeting.models import BudgetProcess

        field = self.fields["process"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = BudgetProcess.objects.filter(
            municipality=municipality, vote_with_code=True
        ).order_by("-pk")
        field.empty_label = str(_("No round"))

    @staticmethod
    def initial_for(survey: Survey) -> dict[str, Any]:
        return {
            name: getattr(survey, name)
            for name in (
                "title",
                "introduction",
                "opens_at",
                "closes_at",
                "access",
                "process",
                "results_shown",
                "ask_contact",
            )
        }

    def settings(self) -> SurveySettings:
        data = self.cleaned_data
        return SurveySettings(
            title=data["title"],
            introduction=data["introduction"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            access=data["access"],
            process=data["process"],
            results_shown=data["results_shown"],
            ask_contact=data["ask_contact"],
        )


class OptionsMixin:
    """Option rows `option_0` … : as many as sent (`option_rows`), one more on request."""

    data: Any
    fields: dict[str, forms.Field]

    def add_option_fields(self, rows: int, initial: list[str]) -> None:
        for i in range(rows):
            self.fields[f"option_{i}"] = forms.CharField(
                label=_("Option %(n)d") % {"n": i + 1},
                required=False,
                max_length=200,
                initial=initial[i] if i < len(initial) else "",
            )
        self.option_rows = rows  # sent back in a hidden input (the template's)

    @staticmethod
    def rows_sent(data: Any, default: int, *, more: bool) -> int:
        if data is None:
            return default
        raw = str(data.get("option_rows", ""))
        rows = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 4 else default
        return max(1, min(rows + (1 if more else 0), MAX_OPTION_ROWS))

    def option_fields(self) -> list[Any]:
        form: Any = self
        return [
            form[name] for name in self.fields if name.startswith("option_") and name[7:].isdigit()
        ]

    def options(self) -> list[str]:
        cleaned = self.cleaned_data  # type: ignore[attr-defined]
        return [
            cleaned[name]
            for name in self.fields
            if name.startswith("option_") and name[7:].isdigit()
        ]


class PollForm(OptionsMixin, SurveyForm):
    question = forms.CharField(label=_("Question"), max_length=300)

    def __init__(self, *args: Any, rows: int = 3, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_option_fields(rows, [])


class QuestionForm(OptionsMixin, SingleLineFieldsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of question"), choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Explanation"), max_length=500, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    min_value = forms.IntegerField(
        label=_("Minimum"),
        required=False,
        min_value=-1_000_000_000,
        max_value=1_000_000_000,
        help_text=_(
            "Scale: its lowest point (default 1). Number: the lowest answer. Several choices: "
            "the fewest to choose."
        ),
    )
    max_value = forms.IntegerField(
        label=_("Maximum"),
        required=False,
        min_value=-1_000_000_000,
        max_value=1_000_000_000,
        help_text=_(
            "Scale: its highest point (default 5). Number: the highest answer. Several choices: "
            "the most to choose."
        ),
    )
    low_label = forms.CharField(
        label=_("Scale: label at the low end"), max_length=60, required=False
    )
    high_label = forms.CharField(
        label=_("Scale: label at the high end"), max_length=60, required=False
    )
    max_length = forms.IntegerField(
        label=_("Open answer: longest answer in characters"),
        min_value=1,
        max_value=TEXT_MAX,
        initial=1000,
        required=False,
    )

    def __init__(
        self, *args: Any, rows: int = 3, options: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.add_option_fields(rows, options or [])

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        return {
            name: getattr(question, name)
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
            )
        }

    def values(self) -> QuestionValues:
        data = self.cleaned_data
        return QuestionValues(
            kind=data["kind"],
            text=data["text"],
            help_text=data["help_text"],
            required=data["required"],
            min_value=data["min_value"],
            max_value=data["max_value"],
            low_label=data["low_label"],
            high_label=data["high_label"],
            max_length=data["max_length"] or 1000,
            options=self.options(),
        )


class AnswerForm(forms.Form):
    """The survey's questions as fields; `ranking` questions as one select per item. The form
    only renders and carries the answers: `services.validate_answers` judges them."""

    def __init__(self, *args: Any, survey: Survey, ask_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.groups: list[dict[str, Any]] = []
        if ask_code:
            self.fields["code"] = forms.CharField(
                label=_("Your voting code"),
                max_length=40,
                help_text=_(
                    "The code from the letter about the budget round, for example "
                    "7KQM-4TZX-HR9C-2WNF."
                ),
            )
        for question in survey.questions.all():
            name = f"q{question.pk}"
            common: dict[str, Any] = {
                "label": question.text,
                "required": question.required,
                "help_text": question.help_text,
            }
            options = [(str(option.pk), option.text) for option in question.options.all()]
            if question.kind == QuestionKind.SINGLE:
                self.fields[name] = forms.ChoiceField(
                    choices=options, widget=forms.RadioSelect, **common
                )
            elif question.kind == QuestionKind.MULTIPLE:
                self.fields[name] = forms.MultipleChoiceField(
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                    **{**common, "help_text": _multiple_help(question)},
                )
            elif question.kind == QuestionKind.SCALE:
                low, high = question.min_value or 0, question.max_value or 0
                points = []
                for value in range(low, high + 1):
                    label = str(value)
                    if value == low and question.low_label:
                        label = f"{value} – {question.low_label}"
                    elif value == high and question.high_label:
                        label = f"{value} – {question.high_label}"
                    points.append((str(value), label))
                self.fields[name] = forms.ChoiceField(
                    choices=points, widget=forms.RadioSelect, **common
                )
            elif question.kind == QuestionKind.NUMBER:
                attrs = {"inputmode": "numeric"}
                self.fields[name] = forms.CharField(
                    widget=forms.TextInput(attrs=attrs),
                    max_length=14,
                    **{**common, "help_text": _number_help(question)},
                )
            elif question.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4}),
                    **{**common, "help_text": _text_help(question)},
                )
            else:
                places = [("", "–")] + [(str(i), str(i)) for i in range(1, len(options) + 1)]
                items = []
                for oid, text in options:
                    item = f"{name}_{oid}"
                    self.fields[item] = forms.ChoiceField(
                        label=text, choices=places, required=False
                    )
                    # the question says whether it is optional, not each item
                    self.fields[item].show_optional = False  # type: ignore[attr-defined]
                    items.append(item)
                self.groups.append({"question": question, "names": items})
            if question.kind != QuestionKind.RANKING:
                self.groups.append({"question": question, "names": [name]})
        self.fields_by_group = self.groups

    def rows(self) -> list[dict[str, Any]]:
        """Per question: its fields, in order (a ranking has one per item)."""
        return [
            {"question": group["question"], "fields": [self[name] for name in group["names"]]}
            for group in self.groups
        ]

    def place_errors(self, errors: dict[int, str]) -> None:
        for group in self.groups:
            message = errors.get(group["question"].pk)
            if message:
                self.add_error(group["names"][0], message)


class ContactForm(SingleLineFieldsMixin, forms.Form):
    contact_consent = forms.BooleanField(
        label=_("You may contact me about my answers (my name and e-mail address go with them)"),
        required=False,
    )
    contact_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("E-mail address"), max_length=254, required=False)

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(data["contact_consent"], data["contact_name"], data["contact_email"])


def _multiple_help(question: Question) -> str:
    parts = [question.help_text] if question.help_text else []
    low, high = question.min_value, question.max_value
    if low and high:
        parts.append(str(_("Choose %(low)d to %(high)d.") % {"low": low, "high": high}))
    elif high:
        parts.append(str(_("Choose at most %(n)d.") % {"n": high}))
    elif low:
        parts.append(str(_("Choose at least %(n)d.") % {"n": low}))
    return " ".join(parts)


def _number_help(question: Question) -> str:
    parts = [question.help_text] if question.help_text else []
    low, high = question.min_value, question.max_value
    if low is not None and high is not None:
        parts.append(
            str(_("A whole number from %(low)s to %(high)s.") % {"low": low, "high": high})
        )
    else:
        parts.append(str(_("A whole number.")))
    return " ".join(parts)


def _text_help(question: Question) -> str:
    parts = [question.help_text] if question.help_text else []
    parts.append(str(_("At most %(n)s characters.") % {"n": question.max_length}))
    return " ".join(parts)
