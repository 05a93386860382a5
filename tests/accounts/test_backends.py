"""Permissions come from django-rules only: no model-permission queries, superusers keep all."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from ..cast import Cast
from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_refused_permission_costs_no_model_permission_queries(
    cast: Cast, django_assert_num_queries
):
    resident = cast.applicant
    with django_assert_num_queries(1):  # the resident's roles, for the rules
        assert not resident.has_perm("initiatives.use_dashboard")
    with django_assert_num_queries(0):
        assert not resident.has_perm("initiatives.use_dashboard")
        assert not resident.has_perm("auth.change_user")
        assert resident.get_all_permissions() == set()
        assert not resident.has_module_perms("auth")


def test_rules_still_grant_and_superusers_keep_everything(cast: Cast):
    broker = cast.broker
    assert broker.has_perm("initiatives.use_dashboard")
    boss = UserFactory(is_superuser=True)
    assert boss.has_perm("auth.change_user") and boss.has_module_perms("auth")
    assert not cast.applicant.has_perm("auth.change_user")


def test_login_by_e_mail_still_works(rf, cast: Cast):
    resident = cast.applicant
    request = rf.post("/accounts/login/")
    assert authenticate(request, email=resident.email, password=PASSWORD) == resident
    assert authenticate(request, email=resident.email, password="wrong") is None
