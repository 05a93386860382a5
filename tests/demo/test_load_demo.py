"""manage.py load_demo: the Oosterhout and Oss demo data set, and manage.py demo_totp."""

from __future__ import annotations

import re
import time
from collections import Counter
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from wijkwerk.accounts.models import RoleAssignment, User
from wijkwerk.areas.models import (
    Area,
    AreaCouncil,
    CouncilMembership,
    GroupMembership,
    Municipality,
    ResidentGroup,
)
from wijkwerk.budgeting.models import (
    AreaResult,
    Ballot,
    BudgetProcess,
    Like,
    PaperBallot,
    PaperEntry,
    Participation,
    Plan,
    RegisterEntry,
    RegisterExtract,
    VotingCode,
)
from wijkwerk.budgeting.services.codes import find_code
from wijkwerk.budgeting.services.register import bsn_hash
from wijkwerk.core import notifications
from wijkwerk.core.models import AuditEvent
from wijkwerk.demo import DEMO_TOTP_SECRET
from wijkwerk.demo import budgeting as demo_budgeting
from wijkwerk.demo.photos import FILE_NAMES, KINDS, picture
from wijkwerk.funds.models import LedgerEntry
from wijkwerk.initiatives.models import (
    Attachment,
    Initiative,
)

from ..areas.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

OOSTERHOUT_DISTRICTS = {f"WK0826{n:02d}" for n in range(14)}


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def table_sizes() -> dict[str, int]:
    models = (
        Municipality,
        Area,
        User,
        EmailAddress,
        Authenticator,
        RoleAssignment,
        AreaCouncil,
        CouncilMembership,
        ResidentGroup,
        GroupMembership,
        AuditEvent,
        Initiative,
        LedgerEntry,
        Attachment,
        BudgetProcess,
        Plan,
        Like,
        Participation,
        Ballot,
        AreaResult,
        RegisterExtract,
        RegisterEntry,
        VotingCode,
        PaperBallot,
        PaperEntry,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_loading_twice_changes_nothing(settings: Any) -> None:
    load()
    sizes = table_sizes()
    letters = Path(settings.MEDIA_ROOT) / "demo" / "stemcodebrieven-dorst.pdf"
    pdf = letters.read_bytes()
    output = load()
    assert "0 areas created, 0 updated; 0 people" in output
    assert "letters" not in output
    assert table_sizes() == sizes
    assert letters.read_bytes() == pdf


def test_if_empty_leaves_an_existing_installation_alone() -> None:
    MunicipalityFactory(cbs_code="GM0777")
    assert "not loaded" in load("--if-empty")
    assert not Area.objects.exists()
    assert not User.objects.exists()


def test_if_empty_loads_into_an_empty_database() -> None:
    load("--if-empty")
    assert Municipality.objects.count() == 2


def test_demo_totp_prints_the_current_code() -> None:
    out = StringIO()
    before = int(time.time()) // 30
    call_command("demo_totp", stdout=out, stderr=StringIO())
    after = int(time.time()) // 30
    codes = {format_hotp_value(hotp_value(DEMO_TOTP_SECRET, c)) for c in (before, after)}
    assert out.getvalue().strip() in codes


def test_refused_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="not loaded when WIJKWERK_ENV=production"):
        load()
    assert not Municipality.objects.exists()


def test_the_demo_initiatives_mail_no_one(django_capture_on_commit_callbacks: Any) -> None:
    """Their people are made up: the steps are taken quietly (a first `./dev run` would print a
    hundred mails); without that, every step queues its mail."""
    with django_capture_on_commit_callbacks() as callbacks:
        load()
    mails = [
        c.args[0]["event"] for c in callbacks if getattr(c, "func", None) is notifications._enqueue
    ]
    # 21, the 3 plans Den Hout's round funded and the 5 applications Oss's councils decide
    assert Initiative.objects.count() == 29
    assert not [event for event in mails if event.startswith("initiatives.")]


def test_the_demo_pictures_are_drawn_the_same_every_time() -> None:
    assert set(FILE_NAMES) == KINDS
    for kind in KINDS:
        first = picture(kind)
        assert first == picture(kind), kind
        assert first.startswith(b"\xff\xd8\xff") and 10_000 < len(first) < 200_000, kind


def test_without_the_pabulib_files_the_demo_goes_on(settings: Any, tmp_path: Path) -> None:
    settings.WIJKWERK_PABULIB_DIR = tmp_path / "pabulib"
    output = load()
    assert (
        f"{tmp_path / 'pabulib' / 'Netherlands_Assen_2025.pb'} is not there: the demo has no "
        "imported election (set WIJKWERK_PABULIB_DIR to the folder of the pabulib files)."
    ) in output
    assert BudgetProcess.objects.count() == 4
    assert not BudgetProcess.objects.exclude(source_file="").exists()
    assert "Buurtbudget Dorst 2027: 50 letters with voting codes in " in output
    assert demo_budgeting.pabulib_dir() == tmp_path / "pabulib"


def test_dorst_is_a_register_round(client: Client, settings: Any) -> None:
    """Dorst votes as a register round: the extract, the letters (written where whoever runs
    the demo finds them), the codes voted with, a ballot changed after a DigiD login, paper
    ballots with one disputed, a code handed out at the desk; Bart Snoeren's printed code opens
    his ballot."""
    output = load()
    dorst = BudgetProcess.objects.get(title="Buurtbudget Dorst 2027")
    assert (
        dorst.vote_with_account,
        dorst.vote_with_code,
        dorst.vote_with_digid,
        dorst.paper_share,
        dorst.entrepreneurs_vote,
    ) == (False, True, True, 50, True)
    assert "Dorpshuis De Ganzenhoek, Dorpsplein 3, Dorst" in dorst.help_routes

    # the register: 8 demo residents, 3 people of DigiD (demo) old enough (Daan, 10, is not on
    # it), the bakery, 40 made-up neighbours of whom 2 at a secret address
    extract = RegisterExtract.objects.get(process=dorst)
    assert (extract.row_count, extract.file_name) == (52, "register-dorst.csv")
    entries = RegisterEntry.objects.filter(process=dorst)
    assert Counter(entries.values_list("capacity", "secret_address")) == {
        ("resident", False): 49,
        ("resident", True): 2,
        ("entrepreneur", False): 1,
    }
    assert entries.get(capacity="entrepreneur").kvk_number == "12345678"
    municipality = dorst.municipality_id
    for bsn, postcode, number in (("999993653", "4849PB", "12"), ("999990019", "4849AA", "4")):
        found = entries.get(bsn_hash=bsn_hash(municipality, bsn))
        assert (found.postcode, found.house_number) == (postcode, number)
    assert not entries.filter(bsn_hash=bsn_hash(municipality, "999990020")).exists()
    assert entries.exclude(bsn_hash=None).count() == 51
    assert {e.process_area.area.cbs_code for e in entries} == {"WK082613"}
    assert {e.postcode[:4] for e in entries} == {"4849"}

    # a letter for everyone without a secret address; 7 used online, 3 taken in for paper; one
    # code handed out at the desk to someone at a secret address, not used yet
    codes = VotingCode.objects.filter(process=dorst)
    assert Counter(codes.values_list("issued", "used_channel")) == {
        ("letter", ""): 40,
        ("letter", "online"): 7,
        ("letter", "paper"): 3,
        ("desk", ""): 1,
    }
    desk = codes.get(issued="desk")
    assert desk.entry.secret_address and desk.handed_out_at is not None
    assert Counter(dorst.ballots.values_list("channel", flat=True)) == {"online": 7, "paper": 2}
    assert Counter(dorst.participations.values_list("channel", flat=True)) == {
        "online": 7,
        "paper": 3,
    }
    # the residents' ballots as the toml has them; Yara changed hers with her code typed again,
    # Stijn his after a DigiD login
    titles = dict(dorst.plans.values_list("pk", "title"))
    online = Counter(
        frozenset(titles[pk] for pk in ballot.plan_ids())
        for ballot in dorst.ballots.filter(channel="online")
    )
    assert (
        online[
            frozenset(
                {
                    "Veilige oversteek op de Kerkstraat bij de school",
                    "Ommetje rond Dorst met bankjes",
                    "AED in een buitenkast bij de sporthal",
                    "Moestuinbakken bij de basisschool",
                }
            )
        ]
        == 1
    )
    yara = {
        "Openluchtpodium op het kerkplein",
        "Pluktuin met fruitbomen aan de Dorpsstraat",
        "Moestuinbakken bij de basisschool",
    }
    assert online[frozenset(yara)] == 1
    assert sum(online.values()) == 7
    events = Counter(
        AuditEvent.objects.filter(object_id=str(dorst.pk)).values_list("action", flat=True)
    )
    assert (
        events["register.upload"],
        events["codes.issue"],
        events["ballot.cast"],
        events["ballot.change"],
        events["paper.intake"],
        events["paper.enter"],
        events["code.hand_out"],
    ) == (1, 1, 7, 2, 3, 6, 1)

    # paper: two agreed, number 3 disputed, for a third official; entered by the broker and
    # the administrator
    papers = dict(PaperBallot.objects.filter(process=dorst).values_list("number", "status"))
    assert papers == {1: "agreed", 2: "agreed", 3: "disputed"}
    assert set(
        PaperEntry.objects.filter(paper__process=dorst).values_list("entered_by__email", flat=True)
    ) == {"makelaar.dorpen@oosterhout.example", "beheer@oosterhout.example"}

    # the letters, and the summary's codes of two people who have not voted
    letters = Path(settings.MEDIA_ROOT) / "demo" / "stemcodebrieven-dorst.pdf"
    assert letters.read_bytes().startswith(b"%PDF")
    assert f"Buurtbudget Dorst 2027: 50 letters with voting codes in {letters} " in output
    printed = re.findall(r"\(DORST-(\d{4})\): ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})", output)
    assert [reference for reference, _code in printed] == ["0008", "0018"]
    bart = find_code(dorst, printed[0][1])
    assert (bart.entry.reference, bart.entry.postcode, bart.entry.house_number) == (
        "DORST-0008",
        "4849PC",
        "3",
    )
    assert find_code(dorst, printed[1][1]).entry.reference == "DORST-0018"
    response = client.post(
        reverse("budgeting:code_entry", args=[dorst.pk]), {"code": printed[0][1]}
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "Beweegtuin bij het dorpshuis" in response.content.decode()
