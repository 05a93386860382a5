"""The back office's forms for a municipality's statements. They parse input and show the model
fields' rules; the service (`site/services.py`) checks the rest, and its errors come back on the
fields they name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError

from wijkwerk.core.forms import SingleLineFieldsMixin

from .models import STATEMENT_MODELS, Statement
from .services import editable_fields

T = TypeVar("T")

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
TEXTAREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 8}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
NUMBER = {**TEXT, "inputmode": "numeric", "class": TEXT["class"] + " utrecht-textbox--numeric"}


class RequiredByTheService(forms.CharField):
    """A field the service requires in some cases only (the known problems, unless the website is
    fully compliant): shown without "(optional)", and left to the service to refuse when empty."""

    def validate(self, value: Any) -> None:
        pass


# Fields that may be empty in one case only; the service says when they must be filled.
CONDITIONALLY_REQUIRED = ("known_problems",)


class StatementForm(SingleLineFieldsMixin, forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CONDITIONALLY_REQUIRED:
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = RequiredByTheService(
                    label=old.label,
                    help_text=old.help_text,
                    widget=old.widget,
                    max_length=getattr(old, "max_length", None),
                    required=True,
                )
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Textarea):
                widget.attrs.update(TEXTAREA)
            elif isinstance(widget, forms.Select):
                widget.attrs.update(SELECT)
            elif isinstance(widget, forms.NumberInput):
                widget.attrs.update(NUMBER)
            else:
                widget.attrs.update(TEXT)

    def _post_clean(self) -> None:
        # The service validates the whole statement (with the rules between fields); the form
        # only parses, so one place decides.
        pass

    def call(self, service: Callable[..., T], **kwargs: Any) -> T | None:
        try:
            return service(**kwargs)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, error)
            return None


def form_class(kind: str) -> type[StatementForm]:
    model: type[Statement] = STATEMENT_MODELS[kind]
    widgets: dict[str, Any] = {
        name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        for name in ("statement_date", "research_date")
    }
    meta = type("Meta", (), {"model": model, "fields": editable_fields(kind), "widgets": widgets})
    return type(f"{model.__name__}Form", (StatementForm,), {"Meta": meta})
