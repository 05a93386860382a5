"""The secret ballot with the ways in of issue 13: voting codes, DigiD, paper.

A round with a register extract (five rows, one with a BSN, one a secret address) and a voting
code per row. Four people vote, each from an address of their own (REMOTE_ADDR):
- with a code typed on the code page, then the ballot (the pages);
- with DigiD: a real login at the local OpenID Connect provider (tools/oidc-provider, as
  tests/budgeting/test_digid.py does), found in the register by their BSN's keyed hash (the pass
  names the register row's code), then the ballot (the pages);
- with the pass a DigiD login grants where the round has no register (the `bsn:` keyed hash of
  the BSN), put in the session directly (this round has a register, so no login would give it),
  then the ballot (the pages);
- on paper: the desk takes their code in (`paper_intake`).
Everything is logged at DEBUG (Django's SQL log included). Then the voting is closed, and:
- no table but the ballots' holds anything of a ballot (its ids, receipt codes, their hashes);
  the ballots' table holds nothing of a voter: no code (as typed or grouped), code hash or code
  id, no register key or `voter_key`, no register row (reference, BSN or its hash), no OIDC
  subject, no IP address;
- the provider's subject (the account's pseudonym, a common Dutch word here) is in none of the
  tables a login or a ballot writes (ballots, register, codes, sessions, audit trail, cache,
  tasks) and in no log record, nor is the BSN;
- the IP addresses are in no table but the rate limits' cache (which counts code entries per
  address and holds no code and no ballot);
- no audit event holds a ballot, a code, a register row, a voter key, a subject or an address;
  the ballots' events say only the channel;
- no log record holds a ballot's id, receipt or receipt hash, nor a voting code as typed;
- after the register's retention date, the purge deletes the register rows and every mark of
  them is gone from the database; the ballots stay.
"""

from __future__ import annotations

import datetime
import logging
import re
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijkwerk.budgeting.eligibility import grant_pass, voter_key
from wijkwerk.budgeting.models import (
    Ballot,
    BudgetProcess,
    Channel,
    Participation,
    RegisterEntry,
    RegisterExtract,
    VotingCode,
)
from wijkwerk.budgeting.services import codes, register, voting
from wijkwerk.budgeting.services.paper import paper_intake
from wijkwerk.core.actors import SCHEDULE
from wijkwerk.core.models import AuditEvent

from ..cast import Cast
from ..oidc_provider import RESIDENT_BSN, Provider, callback_path
from .factories import PlanFactory, make_round
from .test_secrecy import all_rows, ballot_marks

BSN = RESIDENT_BSN  # the provider's account "bewoner"
OTHER_BSN = "123456782"
SUBJECT = "bewoner"  # the provider's subject of that account
LOGIN_TABLES = {
    "budgeting_ballot",
    "budgeting_participation",
    "budgeting_votingcode",
    "budgeting_registerentry",
    "django_session",
    "core_auditevent",
    "wijkwerk_cache",
    "django_tasks_db_dbtaskresult",
}
IPS = {"code": "203.0.113.71", "digid": "203.0.113.72", "bsn": "203.0.113.73"}
CSV = "\n".join(
    [
        "kenmerk;postcode;huisnummer;geboortedatum;gebiedscode;geheim;kvk;bsn",
        "R101;4941 AB;12;1980-05-17;WK082613;nee;;",
        f"R102;4941 AB;14;1975-02-03;WK082613;nee;;{BSN}",
        "R103;4941 CD;7;1990-11-30;WK082613;nee;;",
        "R104;4941 CD;9;1966-08-08;WK082613;nee;;",
        "R105;4941 EF;3;2001-01-31;WK082613;ja;;",
        "",
    ]
)


def _vote(client: Client, process: BudgetProcess, plan_ids: list[int], ip: str) -> str:
    response = client.post(
        reverse("budgeting:ballot_confirm", args=[process.pk]),
        {"plan": [str(pk) for pk in plan_ids]},
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 200, response.content[:2000]
    return str(response.context["cast"].receipt_code)


def _with_pass(process: BudgetProcess, **data: Any) -> Client:
    """A browser whose session holds the pass a DigiD login grants."""
    client = Client()
    session = client.session
    grant_pass(session, process, "digid", **data)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


@pytest.mark.django_db
def test_no_table_log_or_audit_event_links_a_ballot_to_a_code_register_row_subject_or_ip(
    cast: Cast, caplog: pytest.LogCaptureFixture, oidc_provider: Provider, settings: Any
) -> None:
    oidc_provider.configure(settings)
    caplog.set_level(logging.DEBUG)
    for name in ("wijkwerk", "django.request", "django.db.backends", "django.server"):
        caplog.set_level(logging.DEBUG, logger=name)
    connection.force_debug_cursor = True
    try:
        _vote_close_and_purge(cast, caplog, oidc_provider)
    finally:
        connection.force_debug_cursor = False


def _vote_close_and_purge(cast: Cast, caplog: pytest.LogCaptureFixture, provider: Provider) -> None:
    process = make_round(
        cast,
        may_change_ballot=False,
        vote_with_account=False,
        vote_with_code=True,
        vote_with_digid=True,
    )
    plans = [PlanFactory(process=process).pk for _ in range(4)]
    extract = register.register_upload(
        actor=cast.admin,
        process=process,
        file=SimpleUploadedFile("register.csv", CSV.encode(), content_type="text/csv"),
    )
    entries = {e.reference: e for e in RegisterEntry.objects.filter(extract=extract)}
    assert sorted(entries) == ["R101", "R102", "R103", "R104", "R105"]
    process_area = process.process_areas.get()
    typed = {reference: codes.new_code() for reference in entries}
    VotingCode.objects.bulk_create(
        VotingCode(
            process=process,
            process_area=process_area,
            entry=entry,
            code_hash=codes.code_hash(typed[reference]),
            age_band="30-44",
        )
        for reference, entry in entries.items()
    )
    code_of = {c.entry.reference: c for c in VotingCode.objects.select_related("entry")}

    # 1. a code typed on the code page, then the ballot
    browser = Client()
    entered = browser.post(
        reverse("budgeting:code_entry", args=[process.pk]),
        {"code": typed["R101"]},
        REMOTE_ADDR=IPS["code"],
    )
    assert entered.status_code == 302, entered.content[:2000]
    receipts = [_vote(browser, process, plans[:2], IPS["code"])]
    # 2. DigiD: a login at the provider, found in the register by the BSN's keyed hash
    assert entries["R102"].bsn_hash == register.bsn_hash(cast.municipality.pk, BSN)
    digid = Client()
    started = digid.get(
        reverse("budgeting:digid_start", args=[process.pk]), REMOTE_ADDR=IPS["digid"]
    )
    assert started.status_code == 302
    back = provider.login(str(started["Location"]), SUBJECT)
    assert digid.get(callback_path(back), REMOTE_ADDR=IPS["digid"]).status_code == 302
    receipts.append(_vote(digid, process, plans[1:3], IPS["digid"]))
    # 3. DigiD without a register row: the keyed hash of the BSN
    bsn_key = f"bsn:{register.bsn_hash(cast.municipality.pk, OTHER_BSN)}"
    no_row = _with_pass(process, register_key=bsn_key, process_area=process_area.pk, age_band="")
    receipts.append(_vote(no_row, process, plans[2:], IPS["bsn"]))
    # 4. paper: the desk takes the code in
    paper_intake(actor=cast.admin, process=process, typed_code=typed["R103"])

    register_keys = [f"code:{code_of[r].pk}" for r in ("R101", "R102", "R103")] + [bsn_key]
    assert sorted(Participation.objects.values_list("voter_key", flat=True)) == sorted(
        voter_key(process.pk, key) for key in register_keys
    )
    assert dict(VotingCode.objects.exclude(used_channel="").values_list("pk", "used_channel")) == {
        code_of["R101"].pk: Channel.ONLINE,
        code_of["R102"].pk: Channel.ONLINE,
        code_of["R103"].pk: Channel.PAPER,
    }
    before = list(Ballot.objects.filter(process=process))
    assert len(before) == 3

    voting.voting_close(actor=cast.admin, process=process)
    after = list(Ballot.objects.filter(process=process))
    assert sorted(b.receipt_hash for b in after) == sorted(map(voting.receipt_hash, receipts))

    of_ballots = ballot_marks(before + after, receipts)
    of_codes: set[str] = set()
    for reference, code in typed.items():
        plain = codes.normalise(code)
        of_codes |= {code, plain, codes.code_hash(code), f"code:{code_of[reference].pk}"}
    of_register = set(register_keys) | {voter_key(process.pk, key) for key in register_keys}
    of_rows = {BSN, OTHER_BSN, register.bsn_hash(cast.municipality.pk, BSN)}
    of_rows |= set(entries)  # the references
    of_people = of_codes | of_register | of_rows | {SUBJECT} | set(IPS.values())
    stored_ids = {str(b.pk) for b in after} | {b.pk.hex for b in after}
    own = {voting.receipt_hash(code) for code in receipts} | stored_ids

    found: list[tuple[str, str]] = []
    for table, _row, text in all_rows():
        if table == "budgeting_ballot":
            found += [(table, mark) for mark in of_ballots - own if mark in text]
            found += [(table, mark) for mark in of_people if mark in text]
            continue
        found += [(table, mark) for mark in of_ballots if mark in text]
        if table != settings.CACHES["default"]["LOCATION"]:
            found += [(table, ip) for ip in IPS.values() if ip in text]
        elif any(ip in text for ip in IPS.values()):
            found += [(table, mark) for mark in of_codes | of_rows if mark in text]
    assert found == []

    events = list(AuditEvent.objects.all())
    event_text = " ".join(
        f"{e.action} {e.object_type} {e.object_id} {e.object_repr} {e.before} {e.after}"
        for e in events
    )
    assert [mark for mark in of_ballots | of_people if mark in event_text] == []
    whole_subject = re.compile(rf"\b{SUBJECT}\b")
    in_tables = [t for t, _row, text in all_rows() if whole_subject.search(text)]
    assert [table for table in in_tables if table in LOGIN_TABLES] == []
    ballot_events = [e for e in events if e.action.startswith("ballot.")]
    assert sorted(e.action for e in ballot_events) == ["ballot.cast"] * 3
    assert sorted(str(e.after) for e in ballot_events) == ["{'channel': 'online'}"] * 3

    messages = [record.getMessage() for record in caplog.records]
    assert any("budgeting_participation" in m for m in messages), "the SQL log is captured"
    leaking = [m for m in messages if any(mark in m for mark in of_ballots | set(typed.values()))]
    assert leaking == []
    assert [m for m in messages if whole_subject.search(m) or BSN in m] == []

    # the register's retention date passes: the purge deletes its rows, the ballots stay
    extract.refresh_from_db()
    assert extract.delete_after == timezone.localdate(
        BudgetProcess.objects.get(pk=process.pk).closed_at
    ) + datetime.timedelta(days=process.register_retention_days)
    assert register.purge_due_extracts(actor=SCHEDULE) == []
    RegisterExtract.objects.filter(pk=extract.pk).update(
        delete_after=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert [rows for _extract, rows in register.purge_due_extracts(actor=SCHEDULE)] == [5]
    assert not RegisterEntry.objects.exists()
    assert RegisterExtract.objects.get(pk=extract.pk).deleted_at is not None
    assert Ballot.objects.filter(process=process).count() == 3
    leftovers = [
        (table, mark) for table, _row, text in all_rows() for mark in of_rows if mark in text
    ]
    assert leftovers == []
