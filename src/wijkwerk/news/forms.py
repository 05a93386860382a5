"""News's forms: plain text (HTML typed in is shown as text), with their limits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.forms import SingleLineFieldsMixin

from .models import BODY_MAX, LEAD_MAX, REASON_MAX, TITLE_MAX
from .refusals import NewsRefused


class PostForm(SingleLineFieldsMixin, forms.Form):
    publisher = forms.ChoiceField(
        label=_("On behalf of"),
        help_text=_("The area, or the council or resident group you write for."),
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    lead = forms.CharField(
        label=_("Lead"),
        max_length=LEAD_MAX,
        help_text=_("One or two sentences: what the news is about. Shown in lists and mails."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text: an empty line starts a new paragraph."),
    )

    def __init__(self, *args: Any, publishers: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if publishers is None:
            del self.fields["publisher"]
        else:
            self.publishers = {item.key: item for item in publishers}
            field = self.fields["publisher"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(item.key, item.label) for item in publishers]
            if len(publishers) == 1:
                self.fields["publisher"].initial = publishers[0].key

    def refused(self, refused: NewsRefused) -> None:
        for message in refused.messages:
            self.add_error(None, message)


class UnpublishForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the post is taken offline"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the post's writers and the log; readers no longer find the post."),
    )
