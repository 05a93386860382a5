"""Shared fragments (core/fragments.py): an area page's shared panels come from the shared cache
in one read, are built afresh once a change they show commits, are the same for every viewer,
and are kept per language.

The tests turn the cache on after the cast is made (the cast's writes would otherwise wait for a
commit that a test never makes) and run the changes' commit hooks with
`django_capture_on_commit_callbacks(execute=True)`, as a commit would.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.areas.models import Area
from wijkwerk.core import fragments, panels

from ..cast import Cast
from ..events.factories import make_event
from ..expertise.factories import question
from ..initiatives.factories import InitiativeFactory
from ..learning.factories import pilot
from ..news.factories import post as news_post

pytestmark = pytest.mark.django_db


def page(client: Client, cast: Cast) -> str:
    response = client.get(cast.district.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def queries(client: Client, cast: Cast) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(client, cast)
    return len(captured)


def test_the_shared_panels_come_from_one_read_and_show_a_change_once_it_commits(
    client: Client, cast: Cast, fragments_on: None, django_capture_on_commit_callbacks: Any
) -> None:
    first = page(client, cast)
    assert "Zomerfeest op het plein" not in first
    warm = queries(client, cast)
    settings_off = queries_without_cache(client, cast)
    # every shared panel's own queries (events, news, councils' two, rounds, questions,
    # challenges, pilots, initiatives, officials) become the one read of the cache per slot
    assert settings_off - warm == 8, (settings_off, warm)

    # written but not committed: the page still shows what it showed
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        make_event(cast.district, title="Zomerfeest op het plein")
    assert "Zomerfeest op het plein" not in page(client, cast)
    assert len(hooks) == 1
    # committed: the token is renewed and the panels are built afresh
    for hook in hooks:
        hook()
    assert "Zomerfeest op het plein" in page(client, cast)


def queries_without_cache(client: Client, cast: Cast) -> int:
    from django.conf import settings

    before = settings.FRAGMENT_CACHE_SECONDS
    settings.FRAGMENT_CACHE_SECONDS = 0
    try:
        return queries(client, cast)
    finally:
        settings.FRAGMENT_CACHE_SECONDS = before


def test_a_change_that_bypasses_the_models_is_not_seen_until_the_fragment_expires(
    client: Client, cast: Cast, fragments_on: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_event(cast.district, title="Buurtbarbecue")
    assert "Buurtbarbecue" in page(client, cast)
    from wijkwerk.events.models import Event

    Event.objects.filter(title="Buurtbarbecue").update(title="Buurtpicknick")  # no signal
    assert "Buurtbarbecue" in page(client, cast)  # served from the cache: it is used
    cache.delete_many(
        [
            f"wijkwerk:fragments:panels:area:area=areas.area.{cast.district.pk}:{lang}"
            for lang in ("nl", "en")
        ]
    )  # as when the fragment's time is up
    assert "Buurtpicknick" in page(client, cast)


CHANGES = {
    "events": lambda cast: make_event(cast.district, title="Zomerfeest op het plein"),
    "news": lambda cast: news_post(cast.district, title="Zomerfeest op het plein"),
    "initiatives": lambda cast: InitiativeFactory(
        area=cast.district,
        title="Zomerfeest op het plein",
        status="submitted",
        consent_to_publish=True,
    ),
    "expertise_questions": lambda cast: question(
        cast.broker, [cast.district], title="Zomerfeest op het plein"
    ),
    "learning_pilots": lambda cast: pilot(
        cast.broker, areas=[cast.district], title="Zomerfeest op het plein"
    ),
    "officials": lambda cast: RoleAssignment.objects.create(
        user=type(cast.applicant).objects.create_user(
            email="zomer@example.org", password=None, full_name="Zomerfeest op het plein"
        ),
        role=Role.COMMUNITY_WORKER,
        area=cast.district,
        municipality=cast.district.municipality,
    ),
}


@pytest.mark.parametrize("panel", sorted(CHANGES))
def test_each_shared_panel_shows_a_change_of_what_it_shows(
    client: Client,
    cast: Cast,
    fragments_on: None,
    django_capture_on_commit_callbacks: Any,
    panel: str,
) -> None:
    assert "Zomerfeest op het plein" not in page(client, cast)
    with django_capture_on_commit_callbacks(execute=True):
        CHANGES[panel](cast)
    assert "Zomerfeest op het plein" in page(client, cast), panel


def test_every_shared_panel_names_what_it_depends_on() -> None:
    for slot in panels.SLOTS:
        for panel in panels.panels(slot):
            if panel.shared:
                assert panel.depends_on, f"{slot}/{panel.name}"
                assert set(panel.depends_on) <= fragments.watched(panels.family(slot))


def test_a_shared_panel_shows_every_viewer_the_same(cast: Cast) -> None:
    """What a shared panel shows may not depend on who looks: rendered for a visitor and for the
    area's broker and the municipality's administrator (each with the page's context), the same."""
    initiative = cast.submitted()
    InitiativeFactory(area=cast.district, status="submitted", consent_to_publish=True)
    make_event(cast.district)
    news_post(cast.district)
    assert initiative
    area = Area.objects.select_related("municipality", "parent__parent").get(pk=cast.district.pk)
    factory = RequestFactory()
    seen = 0
    for slot in ("area", "area_aside"):
        for panel in panels.panels(slot):
            if not panel.shared:
                continue
            rendered = set()
            for user in (AnonymousUser(), cast.applicant, cast.broker, cast.admin):
                request = factory.get(area.get_absolute_url())
                request.user = user
                data = panel.context(request, area=area)
                if data is not None:
                    rendered.add(
                        render_to_string(
                            panel.template, {"area": area, **data, "user": user}, request=request
                        )
                    )
                else:
                    rendered.add("")
            assert len(rendered) == 1, f"{slot}/{panel.name} differs per viewer"
            seen += 1
    assert seen >= 10


def test_each_language_has_its_own_fragments(
    client: Client, cast: Cast, fragments_on: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_event(cast.district)
    dutch = page(client, cast)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = page(client, cast)
    assert "Komende bijeenkomsten" in dutch
    assert "Coming meetings and events" in english
    assert "Komende bijeenkomsten" not in english


def test_one_renewal_per_transaction(
    cast: Cast, fragments_on: None, django_capture_on_commit_callbacks: Any
) -> None:
    family = panels.family("area")
    token = cache.get(f"wijkwerk:fragments:{family}:token")
    with django_capture_on_commit_callbacks(execute=True) as hooks, transaction.atomic():
        make_event(cast.district, title="Een")
        make_event(cast.district, title="Twee")
        news_post(cast.district)
    assert len(hooks) == 1
    renewed = cache.get(f"wijkwerk:fragments:{family}:token")
    assert renewed and renewed != token


def rolled_back_event(cast: Cast) -> None:
    try:
        with transaction.atomic():
            make_event(cast.district, title="Drie")
            raise RuntimeError
    except RuntimeError:
        pass


def test_a_rolled_back_change_renews_nothing(
    cast: Cast, fragments_on: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        rolled_back_event(cast)
    assert hooks == []


def test_a_change_after_a_rolled_back_one_renews(
    cast: Cast, fragments_on: None, django_capture_on_commit_callbacks: Any
) -> None:
    # the rolled-back savepoint dropped its hook; the next change registers one anew
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        rolled_back_event(cast)
        make_event(cast.district, title="Vier")
    assert len(hooks) == 1


def test_logging_in_renews_nothing(
    client: Client, cast: Cast, fragments_on: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        client.force_login(cast.broker)
    assert hooks == []


def test_what_a_group_does_is_served_from_the_cache_and_renewed_by_a_sign_up(
    client: Client, cast: Cast, fragments_on: None, django_capture_on_commit_callbacks: Any
) -> None:
    from wijkwerk.events.models import Rsvp, RsvpStatus

    from ..areas.factories import GroupMembershipFactory, ResidentGroupFactory

    with django_capture_on_commit_callbacks(execute=True):
        group = ResidentGroupFactory(area=cast.neighbourhood, name="Moestuin Dorst")
        GroupMembershipFactory(group=group, user=cast.applicant)
    url = group.get_absolute_url()

    def group_page() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    assert "Tuindag" not in group_page()
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(cast.neighbourhood, group=group, title="Tuindag")
    assert "Tuindag" in group_page()
    assert "0 mensen aangemeld" in group_page()
    with CaptureQueriesContext(connection) as served:
        group_page()
    # the group, its member counts, its contacts and treasurers, its named members, and one read
    # of the cache for what the group does (its initiatives, events and news: three queries
    # when built afresh)
    assert len(served) == 5, [q["sql"][:60] for q in served]
    with django_capture_on_commit_callbacks(execute=True):
        Rsvp.objects.create(event=event, user=cast.coordinator, status=RsvpStatus.GOING)
    assert "1 persoon aangemeld" in group_page()


def test_a_relation_changed_from_the_other_side_renews(
    client: Client,
    cast: Cast,
    fragments_on: None,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        elsewhere = pilot(cast.admin, areas=[cast.other_district], title="Zomerfeest op het plein")
    assert "Zomerfeest op het plein" not in page(client, cast)
    # a family that watches the pilots only: the change is the pilot's, whichever side made it
    monkeypatch.setattr(fragments, "_watched", {**fragments._watched, "pilots": {"learning.Pilot"}})
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        Area.objects.get(pk=cast.district.pk).pilots.add(elsewhere)
    assert [hook.__self__.families for hook in hooks] == [{"panels:area", "pilots"}]
    assert "Zomerfeest op het plein" in page(client, cast)
