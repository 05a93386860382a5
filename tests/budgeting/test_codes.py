"""Voting codes: their form and check character, kept only as keyed hashes, made once per
register entry with their letters, typed by the voter, handed out at the desk.

A mistyped, unknown or other round's code gets one and the same message (typing never tells
whether a code exists); the code is never stored, logged or audited in plain form.
"""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkwerk.budgeting.eligibility import CHECKS, PASS_KEY
from wijkwerk.budgeting.models import Channel, CodeIssue, Participation, VotingCode
from wijkwerk.budgeting.refusals import BudgetRefused
from wijkwerk.budgeting.services import codes, letters
from wijkwerk.budgeting.services.voting import ballot_cast
from wijkwerk.core.models import AuditEvent

from .factories import PlanFactory, make_round, register_entry
from .test_ballot_pages import receipt_code, text

MISTYPED = "De stemcode klopt niet: kijk of je hem goed hebt overgetypt."
CODE = re.compile(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}")

bodies = st.text(alphabet=codes.ALPHABET, min_size=15, max_size=15)


# ----- the code itself ---------------------------------------------------------------------------


def test_a_new_code_has_74_bits_in_groups_of_four_without_look_alikes() -> None:
    assert codes.ALPHABET == "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    assert len(codes.ALPHABET) == 31 and not set("01ILO") & set(codes.ALPHABET)
    assert codes.RANDOM_LENGTH * math.log2(len(codes.ALPHABET)) > 74
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    for code in made:
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}", code)
        assert codes.is_well_formed(codes.normalise(code))
    # every character turns up in every random place
    for place in range(codes.RANDOM_LENGTH):
        assert {codes.normalise(code)[place] for code in made} == set(codes.ALPHABET)


@given(body=bodies, place=st.integers(0, 15), other=st.sampled_from(codes.ALPHABET))
@settings(max_examples=500)
def test_the_check_character_catches_every_single_typo(body: str, place: int, other: str) -> None:
    code = body + codes.check_character(body)
    assert codes.is_well_formed(code)
    typo = code[:place] + other + code[place + 1 :]
    assert codes.is_well_formed(typo) == (typo == code)


@given(body=bodies, place=st.integers(0, 14))
@settings(max_examples=500)
def test_the_check_character_catches_every_swap_of_neighbours(body: str, place: int) -> None:
    code = body + codes.check_character(body)
    swapped = code[:place] + code[place + 1] + code[place] + code[place + 2 :]
    assert codes.is_well_formed(swapped) == (swapped == code)


def test_every_single_typo_and_swap_of_one_code_exhaustively() -> None:
    code = codes.normalise(codes.new_code())
    for place in range(16):
        for other in codes.ALPHABET:
            if other != code[place]:
                assert not codes.is_well_formed(code[:place] + other + code[place + 1 :])
    for place in range(15):
        if code[place] != code[place + 1]:
            swapped = code[:place] + code[place + 1] + code[place] + code[place + 2 :]
            assert not codes.is_well_formed(swapped)


def test_typing_is_forgiving_about_case_spaces_and_hyphens_only() -> None:
    code = codes.new_code()
    plain = code.replace("-", "")
    for typed in (code.lower(), f"  {plain[:8]} {plain[8:]} ", code.replace("-", "\u2013")):
        assert codes.normalise(typed) == plain
        assert codes.code_hash(typed) == codes.code_hash(code)
    # look-alikes are not mapped onto anything: they cannot be in a code
    assert codes.normalise("o0il-1") == "O0IL1"
    assert not codes.is_well_formed("O" + plain[1:])


def test_the_hash_is_keyed() -> None:
    code = codes.new_code()
    digest = codes.code_hash(code)
    assert len(digest) == 64
    import hashlib

    assert digest != hashlib.sha256(codes.normalise(code).encode()).hexdigest()
    with override_settings(SECRET_KEY="another-key-" + "x" * 50):
        assert codes.code_hash(code) != digest


# ----- making codes and letters ------------------------------------------------------------------


def code_round(cast: Any, **fields: Any) -> Any:
    values = {
        "vote_with_code": True,
        "vote_with_account": False,
        "help_routes": "Balie: gemeentehuis, Slotjesveld 1\nTelefoon: 14 0162",
        **fields,
    }
    return make_round(cast, **values)


@pytest.mark.django_db
def test_issue_codes_makes_one_code_per_entry_without_a_secret_address_once(cast: Any) -> None:
    process = code_round(cast)
    for _ in range(3):
        register_entry(process)
    register_entry(process, secret_address=True)
    young = register_entry(process, birth_date=__import__("datetime").date(2000, 6, 1))
    seen: list[str] = []

    def keep(issued: list[codes.Issued]) -> None:
        seen.extend(item.plain for item in issued)

    assert codes.issue_codes(actor=cast.admin, process=process, letters=keep) == 4
    assert len(seen) == 4 and all(CODE.fullmatch(code) for code in seen)
    stored = VotingCode.objects.filter(process=process)
    assert stored.count() == 4
    assert {code.code_hash for code in stored} == {codes.code_hash(code) for code in seen}
    assert set(stored.values_list("issued", flat=True)) == {CodeIssue.LETTER}
    assert stored.get(entry=young).age_band in ("18-29", "30-44")
    assert not stored.filter(entry__secret_address=True).exists()
    # idempotent: none twice
    assert codes.issue_codes(actor=cast.admin, process=process, letters=keep) == 0
    assert VotingCode.objects.filter(process=process).count() == 4
    # no plain code anywhere in the database's text columns we write
    event = AuditEvent.objects.get(action="codes.issue")
    assert event.after == {"letters": 4, "replaced": 0, "secret_addresses": 1}
    dumped = str(list(AuditEvent.objects.values())) + str(list(VotingCode.objects.values()))
    for code in seen:
        assert code not in dumped and code.replace("-", "") not in dumped


@pytest.mark.django_db
def test_letters_again_replace_unused_codes_only(cast: Any) -> None:
    process = code_round(cast)
    first, second = register_entry(process), register_entry(process)
    old: dict[int, str] = {}
    codes.issue_codes(
        actor=cast.admin,
        process=process,
        letters=lambda issued: old.update({item.entry.pk: item.plain for item in issued}),
    )
    used = codes.find_code(process, old[first.pk])
    VotingCode.objects.filter(pk=used.pk).update(used_channel=Channel.ONLINE)
    new: dict[int, str] = {}
    count = codes.issue_codes(
        actor=cast.admin,
        process=process,
        again=True,
        letters=lambda issued: new.update({item.entry.pk: item.plain for item in issued}),
    )
    assert count == 1 and set(new) == {second.pk}
    with pytest.raises(BudgetRefused) as refused:
        codes.find_code(process, old[second.pk])
    assert refused.value.code == "code_unknown"
    assert codes.find_code(process, new[second.pk]).entry == second


@pytest.mark.django_db
def test_a_row_whose_person_logged_in_with_digid_first_gets_its_letter_in_the_same_row(
    cast: Any,
) -> None:
    process = code_round(cast)
    waiting, voted, fresh = (
        register_entry(process),
        register_entry(process),
        register_entry(process),
    )
    for entry, used in ((waiting, ""), (voted, Channel.ONLINE)):
        # as services.digid makes it at a login, before the letters
        VotingCode.objects.create(
            process=process,
            process_area=entry.process_area,
            entry=entry,
            code_hash=f"{codes.WITHOUT_TEXT}{'0' * 57}{entry.pk}",
            used_channel=used,
        )
    placeholder = VotingCode.objects.get(entry=waiting)
    seen: dict[int, str] = {}
    count = codes.issue_codes(
        actor=cast.admin,
        process=process,
        letters=lambda issued: seen.update({item.entry.pk: item.plain for item in issued}),
    )
    # the new row and the unused DigiD row get letters; the one who voted with DigiD none
    assert count == 2 and set(seen) == {waiting.pk, fresh.pk}
    assert codes.find_code(process, seen[waiting.pk]).pk == placeholder.pk
    assert VotingCode.objects.filter(process=process).count() == 3
    assert VotingCode.objects.get(entry=voted).code_hash.startswith(codes.WITHOUT_TEXT)


@pytest.mark.django_db
def test_a_failing_letter_saves_no_code(cast: Any) -> None:
    process = code_round(cast)
    register_entry(process)

    def broken(issued: list[codes.Issued]) -> None:
        raise RuntimeError("printer on fire")

    with pytest.raises(RuntimeError):
        codes.issue_codes(actor=cast.admin, process=process, letters=broken)
    assert not VotingCode.objects.exists()
    assert not AuditEvent.objects.filter(action="codes.issue").exists()


@pytest.mark.django_db
def test_no_codes_in_a_round_without_them_or_after_the_close(cast: Any) -> None:
    process = make_round(cast)
    register_entry(process)
    with pytest.raises(BudgetRefused) as refused:
        codes.issue_codes(actor=cast.admin, process=process)
    assert refused.value.code == "codes_off"


def issue(cast: Any, process: Any) -> dict[int, str]:
    plain: dict[int, str] = {}
    codes.issue_codes(
        actor=cast.admin,
        process=process,
        letters=lambda issued: plain.update({item.entry.pk: item.plain for item in issued}),
    )
    return plain


# ----- finding a typed code ----------------------------------------------------------------------


@pytest.mark.django_db
def test_mistyped_unknown_and_other_rounds_codes_read_the_same(cast: Any) -> None:
    process = code_round(cast)
    other = code_round(cast, title="Buurtbudget Dorst 2")
    entry = register_entry(process)
    theirs = register_entry(other)
    mine = issue(cast, process)[entry.pk]
    foreign = issue(cast, other)[theirs.pk]
    typo = mine[:-1] + ("2" if mine[-1] != "2" else "3")
    unknown = codes.new_code()
    refusals = {}
    for name, typed in (("typo", typo), ("unknown", unknown), ("other", foreign)):
        with pytest.raises(BudgetRefused) as refused:
            codes.find_code(process, typed)
        refusals[name] = refused.value
    assert [r.code for r in refusals.values()] == ["code_typo", "code_unknown", "code_other_round"]
    assert {r.messages[0] for r in refusals.values()} == {MISTYPED}
    assert codes.find_code(process, mine.lower().replace("-", " ")).entry == entry
    VotingCode.objects.filter(entry=entry).update(used_channel=Channel.PAPER)
    with pytest.raises(BudgetRefused) as refused:
        codes.find_code(process, mine)
    assert refused.value.code == "code_used"


# ----- the voter's code page ---------------------------------------------------------------------


def entry_url(process: Any) -> str:
    return reverse("budgeting:code_entry", args=[process.pk])


@pytest.mark.django_db
def test_a_code_opens_the_ballot_without_an_account_and_is_used_once(
    client: Client, cast: Any
) -> None:
    process = code_round(cast, may_change_ballot=False)
    plan = PlanFactory(process=process, title="Speeltuin")
    entry = register_entry(process, birth_date=__import__("datetime").date(1950, 1, 1))
    plain = issue(cast, process)[entry.pk]

    # the QR code's address fills the code in
    page = client.get(entry_url(process) + "?code=" + plain)
    assert page.status_code == 200
    assert f'value="{plain}"' in page.content.decode()
    assert "Stem met je stemcode" in text(page)

    sent = client.post(entry_url(process), {"code": plain.lower()})
    assert sent.status_code == 302 and sent["Location"] == reverse(
        "budgeting:ballot", args=[process.pk]
    )
    session = Session.objects.get().get_decoded()
    granted = session[PASS_KEY % process.pk]
    code = VotingCode.objects.get(entry=entry)
    assert granted["route"] == "code" and granted["code_id"] == code.pk
    assert plain not in str(session) and plain.replace("-", "") not in str(session)

    ballot = client.get(reverse("budgeting:ballot", args=[process.pk]))
    assert ballot.status_code == 200 and "Speeltuin" in text(ballot)
    receipt = client.post(
        reverse("budgeting:ballot_confirm", args=[process.pk]), {"plan": [plan.pk]}
    )
    assert receipt.status_code == 200
    receipt_code(receipt)
    code.refresh_from_db()
    assert code.used_channel == Channel.ONLINE
    participation = Participation.objects.get()
    assert participation.user is None and participation.age_band == "65+"

    # used: the same message to a second visitor, and the pass no longer opens the ballot
    again = Client().post(entry_url(process), {"code": plain})
    assert again.status_code == 409
    assert "Deze stemcode is al online gebruikt." in text(again)
    with pytest.raises(BudgetRefused):
        CHECKS["code"](
            process, None, {"route": "code", "code_id": code.pk, "stamp": granted["stamp"]}
        )


@pytest.mark.django_db
def test_where_the_round_allows_a_change_the_code_typed_again_changes_the_ballot(
    cast: Any,
) -> None:
    """The letter says a voter may change their vote: typing the code again, in another
    browser, leads to the ballot, and the new ballot replaces the first."""
    process = code_round(cast, may_change_ballot=True)
    first_plan, second_plan = PlanFactory(process=process), PlanFactory(process=process)
    register_entry(process)
    plain: list[str] = []
    codes.issue_codes(
        actor=cast.admin,
        process=process,
        letters=lambda issued: plain.extend(item.plain for item in issued),
    )
    for plan in (first_plan, second_plan):
        browser = Client()
        assert browser.post(entry_url(process), {"code": plain[0]}).status_code == 302
        cast_page = browser.post(
            reverse("budgeting:ballot_confirm", args=[process.pk]), {"plan": [plan.pk]}
        )
        assert cast_page.status_code == 200
    assert Participation.objects.count() == 1
    ballot = process.ballots.get()
    assert ballot.plan_ids() == [second_plan.pk]
    # a code used on paper stays used, whatever the round allows
    VotingCode.objects.update(used_channel=Channel.PAPER)
    paper = Client().post(entry_url(process), {"code": plain[0]})
    assert paper.status_code == 409
    assert "Deze stemcode is al op papier gebruikt." in text(paper)


@pytest.mark.django_db
def test_the_code_page_refuses_with_one_message_and_a_4xx(client: Client, cast: Any) -> None:
    process = code_round(cast)
    other = code_round(cast, title="Buurtbudget Dorst 2")
    entry = register_entry(process)
    theirs = register_entry(other)
    mine = issue(cast, process)[entry.pk]
    foreign = issue(cast, other)[theirs.pk]
    typo = mine[:5] + mine[6] + mine[5] + mine[7:] if mine[5] != mine[6] else mine[:-1] + "Z"
    for typed in (typo, codes.new_code(), foreign, "ABC", "0OIL-1111-2222-3333"):
        page = client.post(entry_url(process), {"code": typed})
        assert page.status_code == 400, typed
        assert MISTYPED in text(page)
        assert 'aria-invalid="true"' in page.content.decode()
    empty = client.post(entry_url(process), {"code": ""})
    assert empty.status_code == 400
    assert "Typ de stemcode uit je brief." in text(empty)
    assert not Participation.objects.exists()
    assert "budgeting.pass" not in str([session.get_decoded() for session in Session.objects.all()])


@pytest.mark.django_db
def test_the_code_page_is_rate_limited_per_address_and_per_round(cast: Any) -> None:
    process = code_round(cast)
    limits = {"code_ip": "3/m", "code_round": "5/m"}
    with override_settings(WIJKWERK_RATE_LIMITS=limits):
        first = Client(REMOTE_ADDR="192.0.2.1")
        for _ in range(3):
            assert first.post(entry_url(process), {"code": codes.new_code()}).status_code == 400
        limited = first.post(entry_url(process), {"code": codes.new_code()})
        assert limited.status_code == 429
        assert "Je hebt dit te vaak kort na elkaar gedaan." in text(limited)
        # another address: the round's own limit (5 a minute from all addresses) stops it
        second = Client(REMOTE_ADDR="192.0.2.2")
        for _ in range(2):
            assert second.post(entry_url(process), {"code": codes.new_code()}).status_code == 400
        spent = second.post(entry_url(process), {"code": codes.new_code()})
        assert spent.status_code == 429
        assert (
            "Er zijn in deze ronde net te veel verkeerde stemcodes getypt. Probeer het later "
            "opnieuw." in text(spent)
        )
        # another round is counted apart
        other = code_round(cast, title="Buurtbudget Dorst 2")
        third = Client(REMOTE_ADDR="192.0.2.3")
        assert third.post(entry_url(other), {"code": codes.new_code()}).status_code == 400


@pytest.mark.django_db
def test_the_rounds_limit_counts_only_codes_not_found(cast: Any) -> None:
    """A busy evening of voters whose codes are found does not spend the round's limit (and
    does not rewrite its cache entry); misses do."""
    process = code_round(cast)
    plain: list[str] = []
    for _ in range(4):
        register_entry(process)
    codes.issue_codes(
        actor=cast.admin,
        process=process,
        letters=lambda issued: plain.extend(item.plain for item in issued),
    )
    with override_settings(WIJKWERK_RATE_LIMITS={"code_ip": "", "code_round": "2/m"}):
        for n, code in enumerate(plain[:3]):
            voter = Client(REMOTE_ADDR=f"192.0.2.{n + 10}")
            assert voter.post(entry_url(process), {"code": code}).status_code == 302
        guesser = Client(REMOTE_ADDR="192.0.2.99")
        for _ in range(2):
            assert guesser.post(entry_url(process), {"code": codes.new_code()}).status_code == 400
        assert guesser.post(entry_url(process), {"code": codes.new_code()}).status_code == 429
        # spent: a right code waits too, until the window has passed
        assert Client().post(entry_url(process), {"code": plain[3]}).status_code == 429


@pytest.mark.django_db
def test_no_code_page_in_a_round_without_codes_and_a_closed_one_says_so(
    client: Client, cast: Any
) -> None:
    assert client.get(entry_url(make_round(cast))).status_code == 404
    closed = code_round(cast, phase="execution")
    page = client.get(entry_url(closed))
    assert page.status_code == 403


# ----- the letters in the back office -----------------------------------------------------------


@pytest.mark.django_db
def test_the_letters_pdf_one_page_per_voter(client: Client, cast: Any, tmp_path: Path) -> None:
    process = code_round(cast)
    for _ in range(3):
        register_entry(process)
    register_entry(process, secret_address=True)
    client.force_login(cast.admin)
    url = reverse("budgeting:manage_codes", args=[process.pk])
    page = client.get(url)
    assert page.status_code == 200
    words = text(page)
    assert "Mensen in het uittreksel uit het register 4" in words
    assert "Brieven nog te maken 3" in words
    assert "Maak 3 brieven (pdf)" in words

    pdf = client.post(url)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'attachment; filename="stemcodes-buurtbudget-dorst-r00001-r00003.pdf"'
    )
    assert "no-store" in pdf["Cache-Control"]
    path = tmp_path / "brieven.pdf"
    path.write_bytes(pdf.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+3\n", info) and re.search(r"Tagged:\s+yes", info)
    pages = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    assert len([page for page in pages if page.strip()]) == 3
    found = []
    for page in pages[:3]:
        words = " ".join(page.split())
        assert "Gemeente Oosterhout" in words
        assert "Je stemcode voor Buurtbudget Dorst" in words
        assert "€ 50.000,00" in words and "Dorst" in words
        assert re.search(
            r"Je kunt stemmen van \d+ [a-z]+ 2026, \d\d:\d\d tot \d+ [a-z]+ 2026", words
        )
        assert "Iedereen van 16 jaar of ouder die in Dorst woont, mag stemmen." in words
        assert "Balie: gemeentehuis, Slotjesveld 1" in words and "Telefoon: 14 0162" in words
        # the round lets voters change their vote: the letter says how
        assert "wil je je stem veranderen voordat het stemmen sluit, typ de code dan opnieuw" in (
            words
        )
        found += CODE.findall(words)
    assert len(set(found)) == 3
    for code in found:
        codes.find_code(process, code)  # each one works
    # the codes are nowhere but in the PDF: the page and the audit trail have counts only
    assert AuditEvent.objects.get(action="codes.issue").after["letters"] == 3
    again = client.get(url)
    assert "Brieven nog te maken 0" in text(again)
    assert not any(code in again.content.decode() for code in found)
    # nothing more to make
    none = client.post(url)
    assert none.status_code == 302
    # one page as a picture, to look at
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    assert (tmp_path / "p-1.png").stat().st_size > 10_000


@pytest.mark.django_db
def test_the_qr_code_opens_the_code_page_with_the_code(cast: Any) -> None:
    process = code_round(cast)
    url = letters.entry_url(process, "7KQM-4TZX-HR9C-2WNF")
    assert url.endswith(f"/buurtbudget/{process.pk}/stemcode/?code=7KQM-4TZX-HR9C-2WNF")
    assert letters.qr_svg_uri(url).startswith("data:image/svg+xml")


@pytest.mark.django_db
def test_making_letters_again_needs_a_confirmation(client: Client, cast: Any) -> None:
    process = code_round(cast)
    register_entry(process)
    issue(cast, process)
    client.force_login(cast.admin)
    url = reverse("budgeting:manage_codes", args=[process.pk])
    refused = client.post(url, {"again": "1"})
    assert refused.status_code == 400
    assert "Bevestig dat de oude brieven niet meer mogen werken." in text(refused)
    done = client.post(url, {"again": "1", "confirm": "on"})
    assert done.status_code == 200 and done["Content-Type"] == "application/pdf"
    events = AuditEvent.objects.filter(action="codes.issue").order_by("pk")
    assert [event.after["replaced"] for event in events] == [0, 1]


# ----- the desk ----------------------------------------------------------------------------------


def desk_url(process: Any) -> str:
    return reverse("budgeting:desk", args=[process.pk])


@pytest.mark.django_db
def test_the_desk_hands_out_a_code_for_a_secret_address_once(client: Client, cast: Any) -> None:
    process = code_round(cast)
    secret = register_entry(process, secret_address=True, postcode="5107AB", house_number="12a")
    client.force_login(cast.broker)
    found = client.get(desk_url(process), {"postcode": "5107 ab", "house_number": "12A"})
    assert found.status_code == 200
    words = text(found)
    assert f"Kenmerk {secret.reference}" in words
    assert "geen brief (geheim adres)" in words
    url = desk_url(process) + "?postcode=5107AB&house_number=12a"

    no_id = client.post(url, {"entry": secret.pk})
    assert no_id.status_code == 400
    assert "Geef pas een code nadat je het identiteitsbewijs hebt gezien." in text(no_id)
    assert not VotingCode.objects.exists()

    handed = client.post(url, {"entry": secret.pk, "id_seen": "on"})
    assert handed.status_code == 200
    plain = CODE.search(text(handed)).group(0)
    code = VotingCode.objects.get(entry=secret)
    assert (code.issued, code.handed_out_at is not None) == (CodeIssue.DESK, True)
    assert codes.find_code(process, plain) == code
    event = AuditEvent.objects.get(action="code.hand_out")
    assert event.actor == cast.broker and event.after == {"replaced": 0}
    assert secret.reference not in str(event.__dict__) and plain not in str(event.__dict__)

    # a second code only when the first is voided
    second = client.post(url, {"entry": secret.pk, "id_seen": "on"})
    assert second.status_code == 409
    assert "Deze persoon heeft al een stemcode." in text(second)
    replaced = client.post(url, {"entry": secret.pk, "id_seen": "on", "replace": "on"})
    assert replaced.status_code == 200
    new = CODE.search(text(replaced)).group(0)
    assert new != plain
    assert VotingCode.objects.get().pk == code.pk  # the same row: the same voter in the register
    with pytest.raises(BudgetRefused):
        codes.find_code(process, plain)
    # used: never replaced
    VotingCode.objects.update(used_channel=Channel.ONLINE)
    used = client.post(url, {"entry": secret.pk, "id_seen": "on", "replace": "on"})
    assert used.status_code == 409
    assert "De stemcode van deze persoon is gebruikt: geen nieuwe code." in text(used)


@pytest.mark.django_db
def test_the_desk_search_needs_a_reference_or_an_address(client: Client, cast: Any) -> None:
    process = code_round(cast)
    entry = register_entry(process)
    client.force_login(cast.admin)
    empty = client.get(desk_url(process), {"reference": "", "postcode": "", "house_number": ""})
    assert empty.status_code == 400
    assert "Typ het kenmerk, of de postcode en het huisnummer." in text(empty)
    bad = client.get(desk_url(process), {"postcode": "51O7AA", "house_number": "1"})
    assert bad.status_code == 400
    assert "Typ een postcode van vier cijfers en twee letters, bijvoorbeeld 5107 AA." in text(bad)
    by_reference = client.get(desk_url(process), {"reference": entry.reference.lower()})
    assert f"Kenmerk {entry.reference}" in text(by_reference)
    nobody = client.get(desk_url(process), {"reference": "X999"})
    assert "Niemand in het uittreksel" in text(nobody)


@pytest.mark.django_db
def test_a_lost_letter_gets_a_new_code_that_voids_the_old_one(cast: Any) -> None:
    process = code_round(cast)
    entry = register_entry(process)
    old = issue(cast, process)[entry.pk]
    code = VotingCode.objects.get()
    stamp_before = code.code_hash[:12]
    with pytest.raises(BudgetRefused) as refused:
        codes.hand_out_code(actor=cast.broker, process=process, entry=entry)
    assert refused.value.code == "code_handed_out"
    new = codes.hand_out_code(actor=cast.broker, process=process, entry=entry, replace=True)
    with pytest.raises(BudgetRefused):
        codes.find_code(process, old)
    assert codes.find_code(process, new).pk == code.pk
    # a pass granted with the old code no longer opens the ballot
    with pytest.raises(BudgetRefused) as refused:
        CHECKS["code"](process, None, {"route": "code", "code_id": code.pk, "stamp": stamp_before})
    assert refused.value.code == "not_eligible"


@pytest.mark.django_db
def test_a_code_voter_counts_once_whichever_code_they_use(cast: Any) -> None:
    process = code_round(cast)
    plan = PlanFactory(process=process)
    entry = register_entry(process)
    old = issue(cast, process)[entry.pk]
    code = codes.find_code(process, old)
    voter = CHECKS["code"](
        process, None, {"route": "code", "code_id": code.pk, "stamp": code.code_hash[:12]}
    )
    ballot_cast(actor=AnonymousUser(), process=process, voter=voter, choices={plan.pk: 1})
    with pytest.raises(BudgetRefused) as refused:
        codes.hand_out_code(actor=cast.broker, process=process, entry=entry, replace=True)
    assert refused.value.code == "code_used"
    assert Participation.objects.count() == 1


@pytest.mark.django_db
def test_the_codes_events_read_in_the_audit_log(cast: Any) -> None:
    from ..core.test_auditlog import assert_readable, read

    process = code_round(cast)
    register_entry(process)
    secret = register_entry(process, secret_address=True)
    issue(cast, process)
    codes.hand_out_code(actor=cast.broker, process=process, entry=secret)
    views = [v for v in read() if v.event.action in ("codes.issue", "code.hand_out")]
    assert_readable(views)
    assert [v.action for v in views] == [
        "Stemcodes gemaakt voor de brieven",
        "Stemcode uitgereikt aan de balie",
    ]
    assert [v.lines for v in views] == [
        ["Brieven: 1", "Codes vervangen: 0", "Mensen met een geheim adres (geen brief): 1"],
        ["Codes vervangen: 0"],
    ]


@pytest.mark.django_db
def test_letters_come_in_batches_and_are_made_again_in_batches(client: Client, cast: Any) -> None:
    process = code_round(cast)
    for _ in range(5):
        register_entry(process)
    client.force_login(cast.admin)
    url = reverse("budgeting:manage_codes", args=[process.pk])
    with override_settings(WIJKWERK_LETTERS_PER_PDF=2):
        page = text(client.get(url))
        assert "Maak 2 brieven (pdf)" in page
        assert "Eén pdf bevat hoogstens 2 brieven" in page
        names = [client.post(url)["Content-Disposition"] for _ in range(3)]
        assert names == [
            f'attachment; filename="stemcodes-buurtbudget-dorst-{first}-{last}.pdf"'
            for first, last in (("r00001", "r00002"), ("r00003", "r00004"), ("r00005", "r00005"))
        ]
        assert client.post(url).status_code == 302  # all made
        again = [
            client.post(url, {"again": "1", "confirm": "on", "after": after})
            for after in ("", "R00002", "R00004")
        ]
        assert [response["Content-Disposition"] for response in again] == [
            f'attachment; filename="stemcodes-buurtbudget-dorst-opnieuw-{first}-{last}.pdf"'
            for first, last in (("r00001", "r00002"), ("r00003", "r00004"), ("r00005", "r00005"))
        ]
    events = AuditEvent.objects.filter(action="codes.issue").order_by("pk")
    assert [(e.after["letters"], e.after["replaced"]) for e in events] == [
        (2, 0),
        (2, 0),
        (1, 0),
        (2, 2),
        (2, 2),
        (1, 1),
    ]


@pytest.mark.django_db
def test_a_pass_whose_code_went_to_paper_meanwhile_opens_no_ballot(
    client: Client, cast: Any
) -> None:
    process = code_round(cast)
    PlanFactory(process=process)
    entry = register_entry(process)
    plain = issue(cast, process)[entry.pk]
    assert client.post(entry_url(process), {"code": plain}).status_code == 302
    VotingCode.objects.filter(entry=entry).update(used_channel=Channel.PAPER)
    page = client.get(reverse("budgeting:ballot", args=[process.pk]))
    assert page.status_code == 403
    words = text(page)
    assert "Met deze stemcode is al op papier gestemd." in words
    assert "Typ een stemcode" in words and "Ga naar je profiel" not in words
    # someone who is not known at the box of a round without accounts is shown the ways in
    ways = Client().get(reverse("budgeting:ballot", args=[process.pk]))
    assert ways.status_code == 200
    assert "Met de stemcode uit je brief" in text(ways)


@pytest.mark.django_db
def test_the_round_page_links_the_desk_for_its_officials_only(client: Client, cast: Any) -> None:
    process = code_round(cast)
    link = f'href="{desk_url(process)}"'
    page = reverse("budgeting:round_detail", args=[process.pk])
    assert link not in client.get(page).content.decode()
    for person, sees in ((cast.applicant, False), (cast.broker, True), (cast.admin, True)):
        client.force_login(person)
        assert (link in client.get(page).content.decode()) is sees, person


@pytest.mark.django_db
def test_the_round_page_links_the_paper_ballots_for_its_officials_only(
    client: Client, cast: Any
) -> None:
    process = code_round(cast)
    link = f'href="{reverse("budgeting:paper_list", args=[process.pk])}"'
    page = reverse("budgeting:round_detail", args=[process.pk])
    assert link not in client.get(page).content.decode()
    for person, sees in ((cast.applicant, False), (cast.broker, True), (cast.admin, True)):
        client.force_login(person)
        assert (link in client.get(page).content.decode()) is sees, person
