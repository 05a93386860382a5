"""Refusals carry stable codes: each refused step tested here by its code, not by its wording,
and every code the initiatives raise is documented in refusals.py (and nothing more)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wijkwerk.initiatives import refusals, services
from wijkwerk.initiatives.models import Initiative, Status

from .conftest import png_upload

pytestmark = pytest.mark.django_db

SOURCES = Path(services.__file__).parent


def _code(call) -> str:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.code


def test_every_code_raised_is_documented_and_every_documented_code_raised():
    raised = set()
    for module in SOURCES.glob("*.py"):
        if module.name not in ("uploads.py", "forms.py"):  # their own codes, for form fields
            raised |= set(re.findall(r'code="([a-z_]+)"', module.read_text()))
    # the workflow's own codes, and `<field>_required` for the fields the table requires
    raised |= {"unknown_step", "wrong_state", "reason_required", "amount_required"}
    raised |= {"fund_required"}
    documented = set(re.findall(r"^    ([a-z_<>]+) {2,}", refusals.__doc__ or "", re.M))
    assert raised - {"ledger_refused"} == documented


def test_workflow_refusals(cast):
    initiative = cast.submitted()
    step = services.initiative_transition
    assert _code(lambda: step(actor=cast.broker, initiative=initiative, action="fly")) == (
        "unknown_step"
    )
    assert _code(lambda: step(actor=cast.broker, initiative=initiative, action="submit")) == (
        "own_form"
    )
    assert _code(
        lambda: step(actor=cast.broker, initiative=initiative, action="approve", amount_cents=1)
    ) == ("fund_required")
    assert _code(lambda: step(actor=cast.broker, initiative=initiative, action="close")) == (
        "wrong_state"
    )
    assert Initiative.objects.get(pk=initiative.pk).status == Status.UNDER_REVIEW


def test_assigning_after_completion_is_refused(cast):
    initiative = cast.approved()
    Initiative.objects.filter(pk=initiative.pk).update(status=Status.COMPLETED)
    initiative.refresh_from_db()
    assert (
        _code(
            lambda: services.initiative_assign(
                actor=cast.broker, initiative=initiative, broker=cast.broker
            )
        )
        == "not_assignable"
    )


def test_the_account_before_approval_and_without_a_name(cast):
    initiative = cast.submitted()
    payee = services.initiative_set_payee
    assert (
        _code(
            lambda: payee(
                actor=cast.applicant, initiative=initiative, iban="NL91ABNA0417164300", name="A"
            )
        )
        == "payee_not_yet"
    )
    approved = cast.approved(title="Tweede plan")
    assert (
        _code(
            lambda: payee(
                actor=cast.applicant, initiative=approved, iban="NL91ABNA0417164300", name="  "
            )
        )
        == "payee_name_required"
    )


def test_accountability_needs_every_line_and_no_negative_costs(cast):
    initiative = cast.approved()
    lines = list(initiative.budget_lines.all())

    def account(costs):
        return lambda: services.accountability_submit(
            actor=cast.applicant,
            initiative=initiative,
            report="Gedaan.",
            took_place=True,
            participants=3,
            actual_costs=costs,
        )

    assert _code(account({lines[0].pk: 100})) == "costs_incomplete"
    assert _code(account({line.pk: -1 for line in lines})) == "negative_costs"
    assert Initiative.objects.get(pk=initiative.pk).status == Status.APPROVED


def test_attachments_help_and_messages(cast):
    initiative = cast.submitted()
    assert (
        _code(
            lambda: services.attachment_add(
                actor=cast.applicant, initiative=initiative, upload=png_upload(), purpose="x"
            )
        )
        == "unknown_purpose"
    )
    assert (
        _code(
            lambda: services.help_offer_add(actor=cast.neighbour, initiative=initiative, text=" ")
        )
        == "help_text_required"
    )
    assert (
        _code(
            lambda: services.message_post(
                actor=cast.applicant, initiative=initiative, body=" ", internal=False
            )
        )
        == "message_required"
    )
    assert isinstance(png_upload(), SimpleUploadedFile)
