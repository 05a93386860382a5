"""Control characters (a CR/LF above all) are refused in one-line fields across the apps, and user
text never breaks a mail: a title stored with a line break still gives a one-line subject."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import translation

from wijkwerk.accounts.forms import ProfileForm, SignupForm
from wijkwerk.areas.models import Municipality
from wijkwerk.funds.forms import CategoryForm, FundForm, SchemeForm
from wijkwerk.initiatives.forms import BudgetLineForm, CoApplicantForm, InitiativeForm
from wijkwerk.initiatives.models import Initiative
from wijkwerk.initiatives.notifications import notify_step

from ..accounts.factories import UserFactory
from ..cast import Cast

HOSTILE = [
    "Geveltuinen\r\nBcc: iedereen@example.com",
    "Geveltuinen\nBcc: iedereen@example.com",
    "Geveltuinen\rX",
    "Geveltuinen\tX",
    "Geveltuinen\x1bX",
    "Geveltuinen\x85X",
    "Geveltuinen\u2028X",
    "Geveltuinen\x7fX",
]
MESSAGE = "Typ dit op één regel, zonder regeleinden, tabs of andere stuurtekens."


def wijkwerk_forms() -> list[type[forms.BaseForm]]:
    """Every form class of the project (the URL conf imports every view and so every form)."""
    get_resolver().url_patterns  # noqa: B018 - imports the views
    found: list[type[forms.BaseForm]] = []
    todo: list[type[Any]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("wijkwerk."):
            found.append(cls)
    return found


def test_every_form_with_one_line_text_refuses_control_characters() -> None:
    from wijkwerk.core.forms import SingleLineFieldsMixin, single_line_fields

    forms_found = wijkwerk_forms()
    assert len(forms_found) > 15
    missing = [
        f"{cls.__module__}.{cls.__name__}"
        for cls in forms_found
        if single_line_fields(cls) and not issubclass(cls, SingleLineFieldsMixin)
    ]
    assert not missing, missing


@pytest.mark.parametrize("value", HOSTILE)
def test_single_line_fields_of_the_apps_refuse_control_characters(db: None, value: str) -> None:
    user = UserFactory()
    none = Municipality.objects.none()
    with translation.override("nl"):
        bound: list[tuple[forms.BaseForm, str]] = [
            (InitiativeForm({"title": value}, user=user), "title"),
            (InitiativeForm({"address": value}, user=user), "address"),
            (InitiativeForm({"legal_entity": value}, user=user), "legal_entity"),
            (BudgetLineForm({"description": value, "amount": "10"}), "description"),
            (CoApplicantForm({"name": value}), "name"),
            (ProfileForm({"full_name": value}), "full_name"),
            (ProfileForm({"phone": value}), "phone"),
            (SignupForm({"full_name": value}), "full_name"),
            (SchemeForm({"name": value}, municipalities=none), "name"),
            (CategoryForm({"name": value}, municipalities=none), "name"),
            (FundForm({"name": value}, municipalities=none), "name"),
        ]
        for form, field in bound:
            assert not form.is_valid()
            assert MESSAGE in form.errors.get(field, []), (type(form).__name__, field)


@pytest.mark.parametrize("value", HOSTILE[:3])
def test_back_office_refuses_a_line_break_in_a_name(cast: Cast, value: str) -> None:
    area = cast.other_district  # Slotjes, which has no council
    client = Client()
    client.force_login(cast.admin)
    response = client.post(
        reverse("backoffice:council_create", kwargs={"municipality": "oosterhout"}),
        {"area": area.pk, "kind": "village_council", "name": value},
    )
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    assert not area.councils.exists()
    response = client.post(
        reverse("backoffice:area_edit", kwargs={"municipality": "oosterhout", "pk": area.pk}),
        {"kind": area.kind, "name": value, "cbs_code": area.cbs_code},
    )
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    area.refresh_from_db()
    assert area.name == "Slotjes"


def test_search_with_a_control_character_is_refused(db: None) -> None:
    assert Client().get(reverse("site:home"), {"q": "Dorst\r\nX"}).status_code == 400


def test_multi_line_fields_keep_their_line_breaks(db: None) -> None:
    form = InitiativeForm({"summary": "Regel een.\r\nRegel twee."}, user=UserFactory())
    form.is_valid()
    assert "summary" not in form.errors


@pytest.mark.django_db
def test_a_title_stored_with_line_breaks_gives_a_one_line_subject(
    smtp_server: Any, django_capture_on_commit_callbacks: Any, cast: Cast
) -> None:
    initiative = cast.submitted()
    Initiative.objects.filter(pk=initiative.pk).update(
        title="Geveltuinen\r\nBcc: iedereen@example.com\u2028\tX"
    )
    initiative.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notify_step(initiative, "submitted")
    (message,) = smtp_server.to(cast.applicant.email)
    assert "“Geveltuinen Bcc: iedereen@example.com X”" in message["Subject"]
    assert message["Bcc"] is None
    assert [parseaddr(str(to))[1] for to in message.get_all("To")] == [cast.applicant.email]
