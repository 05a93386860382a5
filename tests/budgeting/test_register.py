"""The register extract (services/register.py): a CSV of who may vote with a code, checked as a
whole with every problem on its line and nothing saved while there is one; no BSN stored, only
its keyed hash; replaced only while no code was used, never after the close; deleted after the
close plus the round's retention days (by the task and by manage.py), with an audit event, while
the ballots stay. And its back-office page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from wijkwerk.budgeting import register_selectors
from wijkwerk.budgeting.audit_actions import BudgetAction
from wijkwerk.budgeting.eligibility import Voter
from wijkwerk.budgeting.models import (
    Ballot,
    BudgetProcess,
    Channel,
    Participation,
    RegisterEntry,
    RegisterExtract,
    VotingCode,
)
from wijkwerk.budgeting.refusals import BudgetRefused
from wijkwerk.budgeting.services import register
from wijkwerk.budgeting.services.register import bsn_hash, register_upload
from wijkwerk.budgeting.services.rounds import AreaBudget, check_setup
from wijkwerk.budgeting.services.voting import ballot_cast, voting_close
from wijkwerk.core.actors import SCHEDULE
from wijkwerk.core.models import AuditEvent

from ..cast import Cast
from .factories import PlanFactory, counted_round, make_round, phases_around

pytestmark = pytest.mark.django_db

HEADER = "kenmerk;postcode;huisnummer;geboortedatum;gebiedscode;geheim;kvk"
GOOD = "\n".join(
    [
        HEADER,
        "R001;4941 AB;12;1980-05-17;WK082613;nee;",
        "R002;4941AB;12a;17-05-1985;BU08261307;nee;",
        "R003;4941 ab;12-2;2001-01-31;bu08261307;ja;",
        "R004;4941 CD;7;;WK082613;nee;12345678",
        "R005;4942 EF;3 bis;1950-12-01;WK082601;nee;",
        "",
    ]
)


def csv_file(text: str, name: str = "register.csv", encoding: str = "utf-8") -> Any:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


@pytest.fixture
def process(cast: Cast) -> BudgetProcess:
    """A round for Dorst and Slotjes in its likes phase, for 16 and up on 1 March 2027, with
    entrepreneurs."""
    return make_round(
        cast,
        phase="likes",
        areas=[(cast.district, 3_000_000), (cast.other_district, 2_000_000)],
        reference_date=datetime.date(2027, 3, 1),
        entrepreneurs_vote=True,
        vote_with_code=True,
        vote_with_account=False,
    )


def refused(cast: Cast, process: BudgetProcess, text: str) -> list[str]:
    with translation.override("nl"), pytest.raises(BudgetRefused) as caught:
        register_upload(actor=cast.admin, process=process, file=csv_file(text))
    assert caught.value.code == "bad_register"
    assert not RegisterExtract.objects.exists()
    assert not RegisterEntry.objects.exists()
    return list(caught.value.messages)


def rows(*lines: str, header: str = HEADER) -> str:
    return "\n".join([header, *lines]) + "\n"


# --- a good file ------------------------------------------------------------------------------


def test_a_good_file_is_saved_row_by_row(cast: Cast, process: BudgetProcess) -> None:
    extract = register_upload(actor=cast.admin, process=process, file=csv_file(GOOD))
    assert (extract.row_count, extract.file_name, extract.uploaded_by) == (
        5,
        "register.csv",
        cast.admin,
    )
    saved = {
        entry.reference: (
            entry.process_area.area.name,
            entry.capacity,
            entry.postcode,
            entry.house_number,
            entry.birth_date,
            entry.secret_address,
            entry.kvk_number,
            entry.bsn_hash,
        )
        for entry in RegisterEntry.objects.select_related("process_area__area")
    }
    assert saved == {
        "R001": ("Dorst", "resident", "4941AB", "12", datetime.date(1980, 5, 17), False, "", None),
        "R002": ("Dorst", "resident", "4941AB", "12A", datetime.date(1985, 5, 17), False, "", None),
        "R003": ("Dorst", "resident", "4941AB", "12-2", datetime.date(2001, 1, 31), True, "", None),
        "R004": ("Dorst", "entrepreneur", "4941CD", "7", None, False, "12345678", None),
        "R005": (
            "Slotjes",
            "resident",
            "4942EF",
            "3-BIS",
            datetime.date(1950, 12, 1),
            False,
            "",
            None,
        ),
    }
    summary = register_selectors.summary(extract)
    assert (summary.rows, summary.residents, summary.entrepreneurs, summary.secret_addresses) == (
        5,
        4,
        1,
        1,
    )
    assert summary.per_area == [("Dorst", 4), ("Slotjes", 1)]
    event = AuditEvent.objects.get(action=BudgetAction.REGISTER_UPLOAD)
    assert event.object_id == str(process.pk)
    assert event.after == {
        "register_rows": 5,
        "residents": 4,
        "entrepreneurs": 1,
        "secret_addresses": 1,
        "extracts_replaced": 0,
        "codes_withdrawn": 0,
    }


def test_comma_separated_with_a_bom_and_a_bsn_kept_only_as_its_keyed_hash(
    cast: Cast, process: BudgetProcess
) -> None:
    text = (
        "\ufeffKenmerk,Postcode,Huisnummer,Geboortedatum,Gebiedscode,Geheim,BSN\r\n"
        '"A 1",4941 AB,1,1990-01-01,WK082613,nee,111222333\r\n'
    )
    register_upload(actor=cast.admin, process=process, file=csv_file(text))
    entry = RegisterEntry.objects.get()
    assert entry.reference == "A 1"
    assert entry.bsn_hash == bsn_hash(cast.municipality.pk, "111222333")
    assert len(entry.bsn_hash) == 64
    assert "111222333" not in str(RegisterEntry.objects.values().get())
    # the same BSN is known by the same hash in the municipality, by another in Oss
    assert bsn_hash(cast.municipality.pk, "111222333") != bsn_hash(cast.oss.pk, "111222333")


# --- every kind of bad file -------------------------------------------------------------------


def test_wrong_columns(cast: Cast, process: BudgetProcess) -> None:
    assert refused(
        cast,
        process,
        rows("R1;4941 AB;1;WK082613", header="kenmerk;postcode;nummer;gebiedscode;kenmerk"),
    ) == [
        "Regel 1: onbekende kolom 'nummer'.",
        "Regel 1: de kolom 'kenmerk' staat er twee keer in.",
        "Regel 1: de kolommen huisnummer, geboortedatum, geheim ontbreken.",
        "De eerste regel noemt de kolommen: kenmerk, postcode, huisnummer, geboortedatum, "
        "gebiedscode, geheim, en voor ondernemers kvk; bsn mag erbij.",
    ]


def test_a_row_with_too_few_values(cast: Cast, process: BudgetProcess) -> None:
    assert refused(cast, process, rows("R1;4941 AB;1;1990-01-01;WK082613;nee;", "R2;4941 AB")) == [
        "Regel 3: 2 waarden, waar de eerste regel 7 kolommen noemt."
    ]


def test_bad_postcodes(cast: Cast, process: BudgetProcess) -> None:
    assert refused(
        cast,
        process,
        rows(
            "R1;4941 AB;1;1990-01-01;WK082613;nee;",
            "R2;1234;1;1990-01-01;WK082613;nee;",
            "R3;0941 AB;1;1990-01-01;WK082613;nee;",
            "R4;4941 A;1;1990-01-01;WK082613;nee;",
        ),
    ) == [
        "Regel 3: postcode '1234' is geen Nederlandse postcode (zoals 4901 AB).",
        "Regel 4: postcode '0941 AB' is geen Nederlandse postcode (zoals 4901 AB).",
        "Regel 5: postcode '4941 A' is geen Nederlandse postcode (zoals 4901 AB).",
    ]


def test_unknown_area_codes(cast: Cast, process: BudgetProcess) -> None:
    # Oss's village and a made-up code: neither is (in) an area of the round
    assert refused(
        cast,
        process,
        rows(
            "R1;4941 AB;1;1990-01-01;WK082899;nee;",
            "R2;4941 AB;1;1990-01-01;WK999999;nee;",
        ),
    ) == [
        "Regel 2: gebiedscode 'WK082899' is geen gebied van deze ronde en ook geen buurt in "
        "zo'n gebied (WK082601, WK082613).",
        "Regel 3: gebiedscode 'WK999999' is geen gebied van deze ronde en ook geen buurt in "
        "zo'n gebied (WK082601, WK082613).",
    ]


def test_duplicate_references_name_both_lines(cast: Cast, process: BudgetProcess) -> None:
    assert refused(
        cast,
        process,
        rows(
            "R1;4941 AB;1;1990-01-01;WK082613;nee;",
            "R2;4941 AB;2;1990-01-01;WK082613;nee;",
            "R1;4941 AB;3;1991-01-01;WK082613;nee;",
        ),
    ) == ["Regel 4: kenmerk 'R1' staat ook op regel 2; iedereen heeft een eigen kenmerk."]


def test_birth_dates_in_the_future_and_not_dates(cast: Cast, process: BudgetProcess) -> None:
    assert refused(
        cast,
        process,
        rows(
            "R1;4941 AB;1;2999-01-01;WK082613;nee;",
            "R2;4941 AB;1;31-02-1990;WK082613;nee;",
            "R3;4941 AB;1;1990/01/01;WK082613;nee;",
            "R4;4941 AB;1;;WK082613;nee;",
        ),
    ) == [
        "Regel 2: geboortedatum 1 januari 2999 ligt in de toekomst.",
        "Regel 3: geboortedatum '31-02-1990' is geen datum (zoals 31-03-2001, of jaar-maand-dag).",
        "Regel 4: geboortedatum '1990/01/01' is geen datum (zoals 31-03-2001, of jaar-maand-dag).",
        "Regel 5: de geboortedatum is leeg (dat mag alleen bij een bedrijf, met een KvK-nummer).",
    ]


def test_ages_outside_the_rounds_range_on_its_reference_date(
    cast: Cast, process: BudgetProcess
) -> None:
    process.maximum_age = 25
    process.save(update_fields=["maximum_age"])
    assert refused(
        cast,
        process,
        rows(
            # 16 on 1 March 2027 (the reference date): in
            "R1;4941 AB;1;2011-03-01;WK082613;nee;",
            # 15 on the reference date, a day short
            "R2;4941 AB;1;2011-03-02;WK082613;nee;",
            # 26
            "R3;4941 AB;1;2001-02-28;WK082613;nee;",
        ),
    ) == [
        "Regel 3: geboren op 2 maart 2011, 15 jaar oud op 1 maart 2027; deze ronde is voor "
        "mensen van 16 tot en met 25 jaar.",
        "Regel 4: geboren op 28 februari 2001, 26 jaar oud op 1 maart 2027; deze ronde is voor "
        "mensen van 16 tot en met 25 jaar.",
    ]


def test_bad_kvk_numbers_secrecy_flags_house_numbers_and_bsns(
    cast: Cast, process: BudgetProcess
) -> None:
    header = HEADER + ";bsn"
    assert refused(
        cast,
        process,
        rows(
            "R1;4941 AB;1;;WK082613;nee;1234567;",
            "R2;4941 AB;a1;1990-01-01;WK082613;misschien;;",
            "R3;4941 AB;1;1990-01-01;WK082613;nee;;12345678",
            "R4;4941 AB;1;1990-01-01;WK082613;nee;;111222334",
            "R5;4941 AB;1;1990-01-01;WK082613;nee;;111222333",
            "R6;4941 AB;2;1990-01-01;WK082613;nee;;111222333",
            header=header,
        ),
    ) == [
        "Regel 2: KvK-nummer '1234567' is geen 8 cijfers.",
        "Regel 3: huisnummer 'a1' is geen huisnummer (zoals 12, 12a of 12-2).",
        "Regel 3: geheim 'misschien' is geen ja of nee.",
        "Regel 4: het BSN is geen 9 cijfers.",
        "Regel 5: het BSN voldoet niet aan de elfproef.",
        "Regel 7: hetzelfde BSN als op regel 6.",
    ]


def test_entrepreneurs_in_a_round_without_them(cast: Cast, process: BudgetProcess) -> None:
    process.entrepreneurs_vote = False
    process.save(update_fields=["entrepreneurs_vote"])
    assert refused(cast, process, rows("R1;4941 AB;1;;WK082613;nee;12345678")) == [
        "Regel 2: een bedrijf (met een KvK-nummer), maar in deze ronde stemmen alleen bewoners."
    ]


def test_files_that_are_no_csv_of_people(cast: Cast, process: BudgetProcess) -> None:
    assert refused(cast, process, "") == ["Het bestand is leeg."]
    assert refused(cast, process, HEADER + "\n") == [
        "Het bestand noemt de kolommen, maar heeft geen regels met mensen."
    ]
    with translation.override("nl"), pytest.raises(BudgetRefused) as caught:
        register_upload(
            actor=cast.admin,
            process=process,
            file=csv_file(rows("R1;Oosterhout-Zuid;1;1990-01-01;WK082613;nee;"), encoding="cp1252"),
        )
    assert caught.value.messages == [
        "Regel 2: postcode 'Oosterhout-Zuid' is geen Nederlandse postcode (zoals 4901 AB)."
    ]


def test_not_utf8(cast: Cast, process: BudgetProcess) -> None:
    text = rows("R1;4941 AB;1;1990-01-01;WK082613;nee;").replace("R1", "Réné")
    with translation.override("nl"), pytest.raises(BudgetRefused) as caught:
        register_upload(actor=cast.admin, process=process, file=csv_file(text, encoding="cp1252"))
    assert caught.value.messages == [
        "Het bestand is geen UTF-8-tekst. Sla het in je spreadsheet op als 'CSV UTF-8 "
        "(door komma's gescheiden)' en upload het opnieuw."
    ]
    assert not RegisterExtract.objects.exists()


def test_too_many_rows_and_too_many_problems(
    cast: Cast, process: BudgetProcess, monkeypatch: Any
) -> None:
    monkeypatch.setattr(register, "MAX_ROWS", 3)
    four = rows(*(f"R{n};4941 AB;1;1990-01-01;WK082613;nee;" for n in range(4)))
    assert refused(cast, process, four) == [
        "Het bestand heeft meer dan 3 regels; een uittreksel voor één ronde heeft er hoogstens "
        "zoveel."
    ]
    monkeypatch.setattr(register, "MAX_ROWS", 1000)
    many = rows(*(f"R{n};1;1;1990-01-01;WK082613;nee;" for n in range(205)))
    messages = refused(cast, process, many)
    assert len(messages) == 201
    assert messages[-1] == "… en nog 5 problemen; de eerste 200 staan hierboven."


def test_a_file_larger_than_the_cap(cast: Cast, process: BudgetProcess, monkeypatch: Any) -> None:
    monkeypatch.setattr(register, "MAX_BYTES", 100)
    assert refused(cast, process, GOOD) == [
        "Het bestand is groter dan 0 MB; een uittreksel voor één ronde is hoogstens zo groot."
    ]


# --- replacing it -----------------------------------------------------------------------------


def _code(process: BudgetProcess, entry: RegisterEntry, **fields: Any) -> VotingCode:
    return VotingCode.objects.create(
        process=process,
        process_area=entry.process_area,
        entry=entry,
        code_hash=f"hash-{entry.reference}",
        **fields,
    )


def test_a_new_upload_replaces_the_extract_and_withdraws_its_codes(
    cast: Cast, process: BudgetProcess
) -> None:
    first = register_upload(actor=cast.admin, process=process, file=csv_file(GOOD))
    _code(process, RegisterEntry.objects.get(reference="R001"))
    second = register_upload(
        actor=cast.admin,
        process=process,
        file=csv_file(rows("N1;4941 AB;1;1990-01-01;WK082613;nee;"), name="nieuw.csv"),
    )
    assert list(RegisterExtract.objects.values_list("pk", flat=True)) == [second.pk]
    assert list(RegisterEntry.objects.values_list("reference", flat=True)) == ["N1"]
    assert not VotingCode.objects.exists()
    assert not RegisterExtract.objects.filter(pk=first.pk).exists()
    event = AuditEvent.objects.filter(action=BudgetAction.REGISTER_UPLOAD).latest("id")
    assert (event.after["extracts_replaced"], event.after["codes_withdrawn"]) == (1, 1)


def test_no_new_upload_once_a_code_was_used(cast: Cast, process: BudgetProcess) -> None:
    register_upload(actor=cast.admin, process=process, file=csv_file(GOOD))
    _code(process, RegisterEntry.objects.get(reference="R001"), used_channel=Channel.ONLINE)
    with translation.override("nl"), pytest.raises(BudgetRefused) as caught:
        register_upload(actor=cast.admin, process=process, file=csv_file(GOOD))
    assert caught.value.code == "register_in_use"
    assert caught.value.messages == [
        "1 stemcode van deze ronde is al gebruikt: het uittreksel kan niet meer worden vervangen."
    ]
    assert RegisterEntry.objects.count() == 5


def test_no_upload_after_the_close_nor_by_others(cast: Cast) -> None:
    process = make_round(cast, phase="voting", vote_with_code=True, vote_with_account=False)
    counted_round(process, [])
    with translation.override("nl"), pytest.raises(BudgetRefused) as caught:
        register_upload(actor=cast.admin, process=process, file=csv_file(GOOD))
    assert caught.value.code == "voting_closed"
    assert caught.value.messages == [
        "Het stemmen in deze ronde is gesloten: het uittreksel verandert niet meer."
    ]
    open_round = make_round(cast, phase="likes", title="Ander budget")
    for outsider in (cast.broker, cast.oss_admin):
        with pytest.raises(BudgetRefused):
            register_upload(actor=outsider, process=open_round, file=csv_file(GOOD))
    assert not RegisterExtract.objects.exists()


# --- retention --------------------------------------------------------------------------------


def test_the_extract_is_deleted_after_its_retention_and_the_ballots_stay(cast: Cast) -> None:
    process = make_round(
        cast,
        phase="voting",
        vote_with_code=True,
        vote_with_account=False,
        register_retention_days=14,
    )
    plan = PlanFactory(process=process)
    extract = register_upload(
        actor=cast.admin,
        process=process,
        file=csv_file(
            rows(
                "R1;4941 AB;1;1990-01-01;WK082613;nee;",
                "R2;4941 AB;2;1990-01-01;WK082613;nee;",
                "R3;4941 AB;3;1990-01-01;WK082613;ja;",
            )
        ),
    )
    used = _code(process, RegisterEntry.objects.get(reference="R1"))
    _code(process, RegisterEntry.objects.get(reference="R2"))
    # R1 votes with the code from the letter
    ballot_cast(
        actor=AnonymousUser(),
        process=process,
        voter=Voter(
            process_area=used.process_area,
            register_key=f"code:{used.pk}",
            age_band="30-44",
            code_id=used.pk,
        ),
        choices={plan.pk: 1},
    )
    process = counted_round(process, [])
    extract.refresh_from_db()
    today = timezone.localdate()
    assert extract.delete_after == timezone.localdate(process.closed_at) + datetime.timedelta(
        days=14
    )
    # until the day after its date, nothing goes
    assert register.purge_due_extracts(actor=SCHEDULE) == []
    RegisterExtract.objects.filter(pk=extract.pk).update(delete_after=today)
    assert register.purge_due_extracts(actor=SCHEDULE) == []
    assert RegisterEntry.objects.count() == 3

    RegisterExtract.objects.filter(pk=extract.pk).update(
        delete_after=today - datetime.timedelta(days=1)
    )
    call_command("purge_register_extracts", verbosity=0)
    extract.refresh_from_db()
    assert extract.deleted_at is not None
    assert extract.row_count == 3
    assert not RegisterEntry.objects.exists()
    # the unused code is gone; the used one stays without its row: that it was used, and how
    assert list(VotingCode.objects.values_list("pk", "entry", "used_channel")) == [
        (used.pk, None, "online")
    ]
    assert Ballot.objects.filter(process=process).count() == 1
    assert list(
        Participation.objects.filter(process=process).values_list("channel", "age_band")
    ) == [("online", "30-44")]
    event = AuditEvent.objects.get(action=BudgetAction.REGISTER_DELETE)
    assert event.actor is None
    assert (event.object_id, event.after) == (
        str(process.pk),
        {"register_rows": 3, "codes_deleted": 1},
    )
    # once is enough
    assert register.purge_due_extracts(actor=SCHEDULE) == []
    assert AuditEvent.objects.filter(action=BudgetAction.REGISTER_DELETE).count() == 1


def test_the_task_purges_only_its_rounds_due_extract(cast: Cast) -> None:
    process = make_round(cast, phase="likes", vote_with_code=True, vote_with_account=False)
    other = make_round(
        cast, phase="likes", title="Ander budget", vote_with_code=True, vote_with_account=False
    )
    line = rows("R1;4941 AB;1;1990-01-01;WK082613;nee;")
    mine = register_upload(actor=cast.admin, process=process, file=csv_file(line))
    theirs = register_upload(actor=cast.admin, process=other, file=csv_file(line))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RegisterExtract.objects.update(delete_after=yesterday)
    register.purge_register_task.call(process_id=process.pk)
    assert RegisterExtract.objects.get(pk=mine.pk).deleted_at is not None
    assert RegisterExtract.objects.get(pk=theirs.pk).deleted_at is None
    assert list(RegisterEntry.objects.values_list("extract", flat=True)) == [theirs.pk]


def test_the_close_queues_the_purge_for_the_day_after(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    process = make_round(
        cast,
        phase="voting",
        vote_with_code=True,
        vote_with_account=False,
        register_retention_days=30,
    )
    register_upload(
        actor=cast.admin,
        process=process,
        file=csv_file(rows("R1;4941 AB;1;1990-01-01;WK082613;nee;")),
    )
    with django_capture_on_commit_callbacks(execute=True):
        voting_close(actor=cast.admin, process=process)
    process.refresh_from_db()
    backend = register.purge_register_task.get_backend()
    queued = [r for r in backend.results if r.task.name == "purge_register_task"]  # type: ignore[attr-defined]
    assert len(queued) == 1
    day = timezone.localdate(process.closed_at) + datetime.timedelta(days=31)
    assert queued[0].task.run_after == timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(0, 5))
    )
    assert queued[0].kwargs == {"process_id": process.pk}


# --- the page ---------------------------------------------------------------------------------


def page_url(process: BudgetProcess) -> str:
    return reverse("budgeting:manage_register", args=[process.pk])


def admin_client(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.admin)
    return client


def test_the_page_lists_the_errors_then_shows_the_counts(
    cast: Cast, process: BudgetProcess
) -> None:
    client = admin_client(cast)
    empty = client.get(page_url(process))
    assert empty.status_code == 200
    assert "Er is nog geen uittreksel" in empty.content.decode()

    bad = client.post(
        page_url(process),
        {"file": csv_file(rows("R1;1234;1;1990-01-01;WK082613;nee;"))},
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert (
        "Regel 2: postcode &#x27;1234&#x27; is geen Nederlandse postcode (zoals 4901 AB)." in text
    )
    assert not RegisterExtract.objects.exists()

    good = client.post(page_url(process), {"file": csv_file(GOOD)})
    assert good.status_code == 302
    shown = client.get(good["Location"]).content.decode()
    assert "5 mensen en bedrijven" in shown
    assert 'data-label="Gebied">Dorst</td>' in shown
    assert "1 geheim adres (geen brief: een stemcode aan de balie)" in shown


def test_the_page_refuses_no_file_and_no_text(cast: Cast, process: BudgetProcess) -> None:
    client = admin_client(cast)
    none = client.post(page_url(process), {})
    assert none.status_code == 400
    assert "Kies het bestand met het uittreksel." in none.content.decode()
    binary = client.post(
        page_url(process),
        {"file": SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")},
    )
    assert binary.status_code == 400
    assert "Het bestand is geen UTF-8-tekst." in binary.content.decode()
    assert not RegisterExtract.objects.exists()


def test_the_page_of_a_closed_round_takes_no_file(cast: Cast) -> None:
    process = counted_round(
        make_round(cast, phase="voting", vote_with_code=True, vote_with_account=False), []
    )
    client = admin_client(cast)
    page = client.get(page_url(process)).content.decode()
    assert "Het stemmen in deze ronde is gesloten: het uittreksel verandert niet meer." in page
    assert 'type="file"' not in page
    posted = client.post(page_url(process), {"file": csv_file(GOOD)})
    assert posted.status_code == 400
    assert not RegisterExtract.objects.exists()


# --- the round's ways in (its set-up) ---------------------------------------------------------


def setup_refusal(cast: Cast, **fields: Any) -> list[str]:
    process = BudgetProcess(
        municipality=cast.municipality,
        title="Buurtbudget",
        budget_cents=5_000_000,
        fund=cast.fund,
        **fields,
    )
    with translation.override("nl"), pytest.raises(BudgetRefused) as caught:
        check_setup(process, [AreaBudget(cast.district, 5_000_000)], phases_around("ideas"))
    assert set(caught.value.codes) == {"not_publishable"}
    return list(caught.value.messages)


def test_the_setup_refuses_no_way_in_and_a_paper_weight_without_codes(cast: Cast) -> None:
    assert setup_refusal(cast, vote_with_account=False) == [
        "Kies minstens één manier om te stemmen: met een account, een stemcode of DigiD."
    ]
    assert setup_refusal(cast, paper_share=50) == [
        "Papieren stemmen horen bij stemcodes: geef ze alleen een gewicht in een ronde waarin "
        "mensen met een stemcode stemmen."
    ]
    for share in (0, 100):
        assert setup_refusal(
            cast, vote_with_code=True, vote_with_account=False, paper_share=share
        ) == ["Het gewicht van de papieren stemmen is een percentage van 1 tot en met 99."]
    assert setup_refusal(cast, register_retention_days=366) == [
        "Bewaar het uittreksel hoogstens 365 dagen na het sluiten."
    ]
    twice = [
        "Stemmen met een account kan niet samen met stemcodes of DigiD: iemand zou dan twee keer "
        "kunnen stemmen, een keer met het account en een keer met de stemcode of DigiD."
    ]
    assert setup_refusal(cast, vote_with_code=True) == twice
    assert setup_refusal(cast, vote_with_digid=True) == twice
    check_setup(
        BudgetProcess(
            municipality=cast.municipality,
            title="Buurtbudget",
            budget_cents=5_000_000,
            vote_with_account=False,
            vote_with_code=True,
            paper_share=50,
        ),
        [AreaBudget(cast.district, 5_000_000)],
        phases_around("ideas"),
    )


def test_the_setup_form_saves_the_ways_in(cast: Cast) -> None:
    from .test_round_pages import create_url, form_data

    client = admin_client(cast)
    response = client.post(
        create_url(cast),
        form_data(
            cast,
            vote_with_account="",
            vote_with_code="on",
            vote_with_digid="on",
            paper_share="50",
            register_retention_days="14",
            help_routes="Balie stadhuis, ma-vr 9-17 uur; 14 0162.",
        ),
    )
    assert response.status_code == 302
    process = BudgetProcess.objects.get()
    assert (
        process.vote_with_account,
        process.vote_with_code,
        process.vote_with_digid,
        process.paper_share,
        process.register_retention_days,
        process.help_routes,
    ) == (False, True, True, 50, 14, "Balie stadhuis, ma-vr 9-17 uur; 14 0162.")
    event = AuditEvent.objects.get(action=BudgetAction.PROCESS_CREATE)
    assert (event.after["vote_with_code"], event.after["paper_share"]) == (True, 50)

    refused = client.post(
        create_url(cast),
        form_data(cast, vote_with_account="", title="Zonder manier om te stemmen"),
    )
    assert refused.status_code == 400
    assert "Kies minstens één manier om te stemmen" in refused.content.decode()
    assert BudgetProcess.objects.count() == 1


def test_the_page_reads_a_fixed_number_of_queries(cast: Cast, process: BudgetProcess) -> None:
    client = admin_client(cast)
    client.get(page_url(process))  # the session, the permissions' caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(process)).status_code == 200
        return len(captured)

    register_upload(
        actor=cast.admin,
        process=process,
        file=csv_file(rows("R1;4941 AB;1;1990-01-01;WK082613;nee;")),
    )
    one = queries()
    register_upload(actor=cast.admin, process=process, file=csv_file(GOOD))
    assert queries() == one


def test_the_register_events_read_in_the_audit_log(cast: Cast) -> None:
    from ..core.test_auditlog import assert_readable, read

    process = make_round(
        cast,
        phase="voting",
        vote_with_code=True,
        vote_with_account=False,
        entrepreneurs_vote=True,
    )
    extract = register_upload(
        actor=cast.admin, process=process, file=csv_file(GOOD.replace("WK082601", "WK082613"))
    )
    counted_round(process, [])
    RegisterExtract.objects.filter(pk=extract.pk).update(
        delete_after=timezone.localdate() - datetime.timedelta(days=1)
    )
    register.purge_due_extracts(actor=SCHEDULE)
    views = [v for v in read() if v.event.action.startswith("register.")]
    assert_readable(views)
    upload, deleted = views
    assert upload.action == "Uittreksel uit de basisregistratie geüpload"
    assert sorted(upload.lines) == [
        "Bewoners: 4",
        "Eerdere uittreksels vervangen: 0",
        "Mensen met een geheim adres (geen brief): 1",
        "Ondernemers: 1",
        "Regels van het uittreksel: 5",
        "Stemcodes ingetrokken: 0",
    ]
    assert deleted.action == "Uittreksel uit de basisregistratie verwijderd"
    assert sorted(deleted.lines) == [
        "Ongebruikte stemcodes verwijderd: 0",
        "Regels van het uittreksel: 5",
    ]
