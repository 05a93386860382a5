"""Permissions come from django-rules only: no model-permission queries, superusers keep all."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from wijkwerk.accounts.models import Role

from ..areas.factories import AreaFactory
from .factories import PASSWORD, UserFactory, official

pytestmark = pytest.mark.django_db


def test_a_refused_permission_costs_no_model_permission_queries(django_assert_num_queries):
    resident = UserFactory()
    with django_assert_num_queries(1):  # the resident's roles, for the rules
        assert not resident.has_perm("initiatives.use_dashboard")
    with django_assert_num_queries(0):
        assert not resident.has_perm("initiatives.use_dashboard")
        assert not resident.has_perm("auth.change_user")
        assert resident.get_all_permissions() == set()
        assert not resident.has_module_perms("auth")


def test_rules_still_grant_and_superusers_keep_everything():
    broker = official(Role.BROKER, area=AreaFactory())
    assert broker.has_perm("initiatives.use_dashboard")
    boss = UserFactory(is_superuser=True)
    assert boss.has_perm("auth.change_user") and boss.has_module_perms("auth")


def test_login_by_e_mail_still_works(rf):
    resident = UserFactory(email="anna@example.org")
    request = rf.post("/accounts/login/")
    assert authenticate(request, email="anna@example.org", password=PASSWORD) == resident
    assert authenticate(request, email="anna@example.org", password="wrong") is None
