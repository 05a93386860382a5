"""Comments' forms: plain text with its limits (what is typed is shown as text)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.forms import SingleLineFieldsMixin

from .models import BODY_MAX, REASON_MAX, ReportReason


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Plain text, at most 2,000 characters. Everyone who sees this page reads it, with "
            "your name."
        ),
        error_messages={"required": _("Write your comment first.")},
    )


class ReplyForm(CommentForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["body"].label = _("Your reply")


class ReportForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you report this comment.")},
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the moderators read this."),
    )


class HideForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the comment is hidden (public)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown instead of the comment, to everyone. Name no one."),
        error_messages={"required": _("Give the public reason for hiding it.")},
    )


class BlockForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the person is blocked"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person sees this reason when they try to comment."),
        error_messages={"required": _("Give the reason for the block.")},
    )
    until = forms.DateField(
        label=_("Blocked until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to block until a moderator lifts it."),
    )
