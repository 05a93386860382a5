"""The register extract's upload form (the round's administrator): one CSV file; what is in it
is checked by `services.register.register_upload`, whose problems `RegisterUploadForm.refused`
puts on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .services.register import MAX_BYTES


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register extract (CSV file)"),
        help_text=_(
            "A CSV file in UTF-8, with the columns below on its first line, separated by "
            "semicolons or commas; at most 9 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": _("Choose the file with the register extract."),
            "empty": _("The file is empty."),
            "invalid": _("Choose the file with the register extract."),
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                gettext(
                    "The file is larger than %(max)s MB; an extract for one round is at most that."
                )
                % {"max": MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def refused(self, messages: list[str]) -> list[str]:
        """Put the service's problems on the file field: one as it is, several as their
        number (the page lists them under the form). Returns the list to show."""
        if len(messages) == 1:
            self.add_error("file", messages[0])
            return []
        self.add_error(
            "file",
            gettext(
                "Nothing was saved: the file has the problems listed below. Correct them and "
                "upload the file again."
            ),
        )
        return messages
