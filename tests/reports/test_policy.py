"""The reports' permission policy answers its three questions alike ("may this user", "which
reports", "which users") for every person of the cast and reports in both states, and says who
may do what: everyone reads a published report; drafts and every step are for the clerk and the
administrators of the report's municipality; a published report changes for no one. Every code
the services raise is documented in refusals.py, and nothing more."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

from django.contrib.auth.models import AnonymousUser

from wijkwerk.core.quarters import Quarter
from wijkwerk.reports import refusals, services
from wijkwerk.reports.models import QuarterlyReport
from wijkwerk.reports.policy import POLICY

from ..permissions.expectations.reports import PDF

PEOPLE = (
    "applicant",
    "neighbour",
    "outsider",
    "council_member",
    "broker",
    "other_broker",
    "alderman",
    "community_worker",
    "coordinator",
    "clerk",
    "admin",
    "oss_admin",
)


def _reports(cast) -> list[QuarterlyReport]:
    current = Quarter.current()
    draft = services.generate(cast.clerk, cast.municipality, current)
    last = services.generate(cast.clerk, cast.municipality, current.previous())
    with mock.patch("wijkwerk.reports.rendering.render_pdf", return_value=PDF):
        services.publish(cast.clerk, last)
    in_oss = services.generate(cast.oss_admin, cast.oss, current)
    return list(QuarterlyReport.objects.filter(pk__in=[draft.pk, last.pk, in_oss.pk]))


def test_the_three_questions_agree(cast) -> None:
    reports = _reports(cast)
    users = [getattr(cast, name) for name in PEOPLE]
    for action in POLICY.actions:
        for user in users:
            listed = set(
                POLICY.instances_user_has_permission_for(user, action).values_list("pk", flat=True)
            )
            for report in reports:
                may = POLICY.user_has_permission_for_instance(user, action, report)
                assert may == (report.pk in listed), (action, user, report.status)
                who = POLICY.users_with_permission_for_instance(action, report)
                assert may == who.filter(pk=user.pk).exists(), (action, user, report.status)
                assert may == user.has_perm(f"reports.{action}", report)


def test_who_may_do_what(cast) -> None:
    reports = _reports(cast)
    allowed = {
        (action, report.municipality.name, report.status): sorted(
            name
            for name in PEOPLE
            if POLICY.user_has_permission_for_instance(getattr(cast, name), action, report)
        )
        for action in POLICY.actions
        for report in reports
    }
    assert allowed[("view_report", "Oosterhout", "published")] == sorted(PEOPLE)
    assert allowed[("view_report", "Oosterhout", "draft")] == ["admin", "clerk"]
    assert allowed[("change_report", "Oosterhout", "draft")] == ["admin", "clerk"]
    assert allowed[("change_report", "Oosterhout", "published")] == []
    assert allowed[("view_report", "Oss", "draft")] == ["oss_admin"]
    published = next(r for r in reports if r.states.published)
    assert POLICY.user_has_permission_for_instance(AnonymousUser(), "view_report", published)
    draft = next(r for r in reports if r.states.draft and r.municipality == cast.municipality)
    assert not POLICY.user_has_permission_for_instance(AnonymousUser(), "view_report", draft)


def test_every_code_raised_is_documented_and_every_documented_code_raised() -> None:
    sources = Path(refusals.__file__).parent
    raised: set[str] = set()
    for module in sources.glob("*.py"):
        raised |= set(re.findall(r'code="([a-z_]+)"', module.read_text()))
    documented = set(re.findall(r"^    ([a-z_]+) {2,}", refusals.__doc__ or "", re.M))
    assert raised == documented == set(refusals.CODES)
