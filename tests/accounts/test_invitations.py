"""An administrator invites an official by e-mail; the role is assigned when they accept, logged
in with that address. Administrators deactivate and reactivate the accounts of the people who work
for their municipality."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijkwerk.accounts.models import Role, RoleAssignment, RoleInvitation
from wijkwerk.accounts.services import (
    InvitationRefused,
    invitation_accept,
    invitation_send,
    invitation_withdraw,
    person_deactivate,
    person_reactivate,
)
from wijkwerk.core.models import AuditEvent
from wijkwerk.core.ratelimit import RateLimited

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = "nieuwe.makelaar@oosterhout.example"


def invite(cast, email: str = NEW, **kwargs):
    kwargs.setdefault("role", Role.BROKER)
    kwargs.setdefault("area", cast.district)
    return invitation_send(actor=cast.admin, email=email, municipality=cast.municipality, **kwargs)


def test_invitation_mails_a_link_whose_token_is_stored_hashed(
    cast, smtp_server, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(cast, public_contact="  06 1234  5678 ")
    assert invitation.token_hash != token and token not in invitation.token_hash
    assert len(invitation.token_hash) == 64
    assert invitation.public_contact == "06 1234 5678"
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=13)
    assert not RoleAssignment.objects.filter(role=Role.BROKER, user__email=NEW).exists()
    event = AuditEvent.objects.get(action="role.invite")
    assert event.actor == cast.admin and event.municipality_id == cast.municipality.pk
    assert token not in str(event.after) and invitation.token_hash not in str(event.after)
    [mail] = smtp_server.to(NEW)
    body = mail.get_body(("plain",)).get_content()
    assert f"/account/uitnodiging/{token}/" in body
    assert "Dorst" in body


def test_an_invitation_needs_an_administrator_and_a_valid_scope(cast) -> None:
    with pytest.raises(PermissionDenied):
        invitation_send(
            actor=cast.broker, email=NEW, role=Role.CLERK, municipality=cast.municipality
        )
    with pytest.raises(PermissionDenied):  # another municipality's administrator
        invitation_send(
            actor=cast.oss_admin, email=NEW, role=Role.CLERK, municipality=cast.municipality
        )
    with pytest.raises(ValidationError) as refused:
        invite(cast, area=None)  # a broker works for an area
    assert "area" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        invite(cast, email="geen-adres")
    assert "email" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        invite(cast, email=cast.broker.email)  # already the broker of Dorst
    assert "email" in refused.value.error_dict
    assert not RoleInvitation.objects.exists()


def test_sending_invitations_is_rate_limited_per_administrator(cast, settings) -> None:
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "role_invite": "2/m"}
    invite(cast, "een@example.org")
    invite(cast, "twee@example.org")
    with pytest.raises(RateLimited):
        invite(cast, "drie@example.org")
    assert RoleInvitation.objects.count() == 2


def test_accepting_assigns_the_role_through_the_role_service(cast) -> None:
    _invitation, token = invite(cast, public_contact="makelaar@oosterhout.example")
    person = UserFactory(email=NEW.upper())  # addresses compare without case
    assignment = invitation_accept(actor=person, token=token)
    assert (assignment.user, assignment.role, assignment.area) == (
        person,
        Role.BROKER,
        cast.district,
    )
    assert assignment.public_contact == "makelaar@oosterhout.example"
    invitation = RoleInvitation.objects.get()
    assert invitation.accepted_by == person and invitation.accepted_at is not None
    # The role service records the assignment by the administrator who invited; the invitation
    # records who accepted it.
    assert AuditEvent.objects.get(action="role.assign").actor == cast.admin
    assert AuditEvent.objects.get(action="role.invitation_accept").actor == person


def test_an_invitation_is_used_once(cast) -> None:
    _invitation, token = invite(cast)
    person = UserFactory(email=NEW)
    invitation_accept(actor=person, token=token)
    with pytest.raises(InvitationRefused) as refused:
        invitation_accept(actor=person, token=token)
    assert refused.value.code == "used"
    assert RoleAssignment.objects.filter(user=person).count() == 1


def test_an_expired_invitation_is_refused(cast) -> None:
    invitation, token = invite(cast)
    RoleInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(InvitationRefused) as refused:
        invitation_accept(actor=UserFactory(email=NEW), token=token)
    assert refused.value.code == "expired"
    assert not RoleAssignment.objects.filter(user__email=NEW).exists()


def test_an_invitation_is_for_the_address_it_was_sent_to(cast) -> None:
    _invitation, token = invite(cast)
    with pytest.raises(InvitationRefused) as refused:
        invitation_accept(actor=cast.neighbour, token=token)
    assert refused.value.code == "wrong_email"
    assert NEW in refused.value.messages[0]
    assert not RoleAssignment.objects.filter(user=cast.neighbour).exists()
    assert RoleInvitation.objects.get().accepted_at is None


def test_an_unknown_token_is_refused(cast) -> None:
    with pytest.raises(InvitationRefused) as refused:
        invitation_accept(actor=cast.neighbour, token="x" * 43)
    assert refused.value.code == "unknown"


def test_an_invitation_lapses_when_its_administrator_is_no_longer_one(cast) -> None:
    _invitation, token = invite(cast)
    RoleAssignment.objects.filter(user=cast.admin, role=Role.ADMIN).delete()
    with pytest.raises(InvitationRefused) as refused:
        invitation_accept(actor=UserFactory(email=NEW), token=token)
    assert refused.value.code == "inviter_gone"


def test_invitation_page_for_visitors_then_accepting_after_login(cast) -> None:
    _invitation, token = invite(cast)
    url = reverse("accounts:invitation", kwargs={"token": token})
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert "Dorst" in page.content.decode() and NEW in page.content.decode()
    # After logging in the visitor comes back to the invitation.
    person = UserFactory(email=NEW)
    login = client.post(reverse("account_login"), {"login": NEW, "password": PASSWORD})
    assert login.status_code == 302 and login["Location"] == url
    accepted = client.post(url)
    assert accepted.status_code == 302
    # The broker's work queue (the two-factor set-up comes first, on the way there).
    assert accepted["Location"] == reverse("initiatives:dashboard")
    assert RoleAssignment.objects.filter(user=person, role=Role.BROKER).exists()
    used = Client().get(url)
    assert used.status_code == 410
    assert "al geaccepteerd" in used.content.decode() or "already been accepted" in (
        used.content.decode()
    )


@pytest.mark.parametrize(("token", "status"), [("onzin", 404), ("x" * 500, 404), ("a%20b", 404)])
def test_a_broken_link_gives_a_clear_page(client, token: str, status: int) -> None:
    response = client.get(f"/account/uitnodiging/{token}/")
    assert response.status_code == status
    assert re.search("niet geldig|not valid", response.content.decode())


def test_wrong_email_page_says_which_address_to_use(cast, client) -> None:
    _invitation, token = invite(cast)
    client.force_login(cast.neighbour)
    response = client.get(reverse("accounts:invitation", kwargs={"token": token}))
    assert response.status_code == 403
    assert NEW in response.content.decode() and cast.neighbour.email in response.content.decode()


# ----- Deactivating --------------------------------------------------------------------------


def test_deactivating_ends_the_sessions_and_the_login(cast) -> None:
    broker = Client()
    broker.force_login(cast.broker)
    other = Client()
    other.force_login(cast.neighbour)
    person_deactivate(actor=cast.admin, person=cast.broker, municipality=cast.municipality)
    cast.broker.refresh_from_db()
    assert not cast.broker.is_active
    sessions = [s.get_decoded().get(SESSION_KEY) for s in Session.objects.all()]
    assert str(cast.broker.pk) not in sessions
    assert str(cast.neighbour.pk) in sessions
    event = AuditEvent.objects.get(action="person.deactivate")
    assert event.actor == cast.admin and event.municipality_id == cast.municipality.pk
    # Logged out, and no longer able to log in.
    assert broker.get(reverse("accounts:profile")).status_code == 302
    again = Client()
    again.post(reverse("account_login"), {"login": cast.broker.email, "password": PASSWORD})
    assert SESSION_KEY not in again.session
    assert again.get(reverse("accounts:profile")).status_code == 302
    # The area page no longer lists the broker.
    page = Client().get(cast.district.get_absolute_url()).content.decode()
    assert cast.broker.full_name not in page

    person_reactivate(actor=cast.admin, person=cast.broker, municipality=cast.municipality)
    cast.broker.refresh_from_db()
    assert cast.broker.is_active
    assert AuditEvent.objects.filter(action="person.reactivate").count() == 1


def test_an_administrator_cannot_deactivate_themselves(cast) -> None:
    with pytest.raises(ValidationError) as refused:
        person_deactivate(actor=cast.admin, person=cast.admin, municipality=cast.municipality)
    assert refused.value.code == "self"
    cast.admin.refresh_from_db()
    assert cast.admin.is_active


def test_only_the_accounts_of_people_who_work_for_the_municipality(cast) -> None:
    with pytest.raises(PermissionDenied):  # a resident holds no role here
        person_deactivate(actor=cast.admin, person=cast.neighbour, municipality=cast.municipality)
    with pytest.raises(PermissionDenied):  # Oss's administrator for Oosterhout's broker
        person_deactivate(actor=cast.oss_admin, person=cast.broker, municipality=cast.municipality)
    with pytest.raises(PermissionDenied):  # Oss's administrator through Oss
        person_deactivate(actor=cast.oss_admin, person=cast.broker, municipality=cast.oss)
    with pytest.raises(PermissionDenied):  # a broker is no administrator
        person_deactivate(actor=cast.broker, person=cast.clerk, municipality=cast.municipality)
    assert not AuditEvent.objects.filter(action="person.deactivate").exists()


def test_the_back_office_deactivates_and_reactivates(cast, client) -> None:
    client.force_login(cast.admin)
    url = reverse(
        "backoffice:person", kwargs={"municipality": cast.municipality.slug, "pk": cast.broker.pk}
    )
    page = client.get(url)
    assert page.status_code == 200 and cast.broker.email in page.content.decode()
    assert client.post(url, {"action": "deactivate"}).status_code == 302
    cast.broker.refresh_from_db()
    assert not cast.broker.is_active
    assert client.post(url, {"action": "deactivate"}).status_code == 409  # already
    assert client.post(url, {"action": "reactivate"}).status_code == 302
    cast.broker.refresh_from_db()
    assert cast.broker.is_active
    own = reverse(
        "backoffice:person", kwargs={"municipality": cast.municipality.slug, "pk": cast.admin.pk}
    )
    refused = client.post(own, {"action": "deactivate"})
    assert refused.status_code == 409
    assert client.post(url, {"action": "nonsense"}).status_code == 409


def test_the_back_office_sends_an_invitation(cast, client) -> None:
    client.force_login(cast.admin)
    url = reverse("backoffice:role_invite", kwargs={"municipality": cast.municipality.slug})
    bad = client.post(url, {"email": "geen-adres", "role": "broker", "area": ""})
    assert bad.status_code == 422
    good = client.post(url, {"email": NEW, "role": "broker", "area": str(cast.district.pk)})
    assert good.status_code == 302
    roles = client.get(
        reverse("backoffice:role_list", kwargs={"municipality": cast.municipality.slug})
    )
    assert NEW in roles.content.decode()


def test_logging_in_with_another_address_is_told_once(cast) -> None:
    _invitation, token = invite(cast)
    url = reverse("accounts:invitation", kwargs={"token": token})
    client = Client()
    client.get(url)
    login = client.post(
        reverse("account_login"), {"login": cast.neighbour.email, "password": PASSWORD}
    )
    assert login["Location"] == url
    assert client.get(url).status_code == 403
    # From now on the usual start page: the login page sends the logged-in person there.
    assert client.get(reverse("account_login"))["Location"] == reverse("accounts:profile")


def test_an_administrator_withdraws_an_invitation_sent_to_a_wrong_address(cast, client) -> None:
    invitation, token = invite(cast, email="typfout@oosterhout.exmaple")
    client.force_login(cast.admin)
    withdraw = reverse(
        "backoffice:invitation_withdraw",
        kwargs={"municipality": cast.municipality.slug, "pk": invitation.pk},
    )
    assert client.post(withdraw).status_code == 302
    assert not RoleInvitation.objects.exists()
    assert AuditEvent.objects.get(action="role.invitation_withdraw").actor == cast.admin
    with pytest.raises(InvitationRefused) as refused:
        invitation_accept(actor=UserFactory(email="typfout@oosterhout.exmaple"), token=token)
    assert refused.value.code == "unknown"
    assert client.post(withdraw).status_code == 404  # gone


def test_an_accepted_invitation_cannot_be_withdrawn(cast) -> None:
    invitation, token = invite(cast)
    invitation_accept(actor=UserFactory(email=NEW), token=token)
    with pytest.raises(ValidationError) as refused:
        invitation_withdraw(actor=cast.admin, invitation=invitation)
    assert refused.value.code == "used"
    with pytest.raises(PermissionDenied):
        invitation_withdraw(actor=cast.oss_admin, invitation=invitation)
    assert RoleInvitation.objects.exists()


def test_the_audit_log_reads_invitations_and_deactivations(cast, client) -> None:
    invitation, token = invite(cast)
    person_deactivate(actor=cast.admin, person=cast.clerk, municipality=cast.municipality)
    client.force_login(cast.admin)
    html = client.get(
        reverse("backoffice:audit_log", kwargs={"municipality": cast.municipality.slug})
    ).content.decode()
    assert "Uitgenodigd voor een rol" in html and NEW in html
    assert "Account gedeactiveerd" in html and str(cast.clerk) in html
    assert token not in html and invitation.token_hash not in html
    assert "is_active" not in html and "True" not in html and "False" not in html
