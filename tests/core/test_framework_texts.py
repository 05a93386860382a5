"""Django's own texts that its Dutch catalogue lacks are Dutch on our pages all the same."""

from __future__ import annotations

from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import translation

from wijkwerk.core.framework_texts import FRAMEWORK_TEXTS


def test_the_empty_choice_of_a_select_is_dutch() -> None:
    with translation.override("nl"):
        assert str(BLANK_CHOICE_LABEL) == "- Kies een optie -"
    with translation.override("en"):
        assert str(BLANK_CHOICE_LABEL) == "- Select an option -"


def test_every_framework_text_has_a_dutch_translation() -> None:
    with translation.override("nl"):
        for text in FRAMEWORK_TEXTS:
            assert translation.gettext(text) != text, text
