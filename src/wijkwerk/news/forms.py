"""News's forms: plain text (HTML typed in is shown as text), with their limits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.forms import SingleLineFieldsMixin

from .models import ALT_MAX, BODY_MAX, LEAD_MAX, REASON_MAX, TITLE_MAX
from .pictures import MAX_PICTURE_BYTES
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

    picture = forms.FileField(
        label=_("Picture"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most %(mb)d MB. We remove its location and other data.")
        % {"mb": MAX_PICTURE_BYTES // (1024 * 1024)},
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    picture_alt = forms.CharField(
        label=_("Description of the picture"),
        required=False,
        max_length=ALT_MAX,
        help_text=_("Needed with a picture: what it shows, for those who cannot see it."),
    )
    remove_picture = forms.BooleanField(label=_("Remove the picture"), required=False)

    # which field a refusal's code belongs on
    FIELD_OF = {
        "picture_alt": "picture_alt",
        "empty": "picture",
        "too_large": "picture",
        "wrong_type": "picture",
        "too_many_pixels": "picture",
        "bad_image": "picture",
    }

    def __init__(
        self,
        *args: Any,
        publishers: list[Any] | None = None,
        has_picture: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["picture_alt"].show_optional = False  # type: ignore[attr-defined]
        if not has_picture:
            del self.fields["remove_picture"]
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
        field = self.FIELD_OF.get(str(getattr(refused, "code", "")))
        for message in refused.messages:
            self.add_error(field if field in self.fields else None, message)

    def picture_change(self) -> Any:
        from .services import PictureChange

        data = self.cleaned_data
        return PictureChange(
            upload=data.get("picture"),
            alt=data.get("picture_alt") or "",
            remove=bool(data.get("remove_picture")),
        )


class UnpublishForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the post is taken offline"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the post's writers and the log; readers no longer find the post."),
    )
