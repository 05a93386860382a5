"""Voting codes: made, written, checked and found (glossary: VotingCode).

A code is 16 characters from a 31-character alphabet, in four groups of four:
``7KQM-4TZX-HR9C-2WNF``. The first 15 are random (`secrets`): 15 × log2(31) ≈ 74.3 bits of
entropy. The last is a check character.

The alphabet: the digits 2-9 and the capitals without I, L and O (``23456789ABCDEFGHJKMNPQRSTU
VWXYZ``). Leaving out 0/O and 1/I/L means no character in a code looks like another one; a typed
0, O, 1, I or L therefore cannot belong to a code and is not mapped onto anything (mapping would
only turn a typo into another wrong code): the code is refused as mistyped.

The check character is a weighted sum modulo 31, as the ISBN-10 check is one modulo 11: with
the values v1…v16 of the characters (their place in the alphabet), the check character v16 is
chosen so that 1·v1 + 2·v2 + … + 16·v16 ≡ 0 (mod 31). Because 31 is prime and the weights 1…16
are different and not 0 modulo 31, the check catches every change of a single character
(weight × difference ≢ 0) and every swap of two different characters, neighbours or not
((a − b) × (wi − wj) ≢ 0). It does not prove that a code exists: that takes the keyed hash.

Codes are stored only as their keyed hash (`code_hash`); the plain code exists only in the
letters PDF made in the same step (services/letters.py) or on the desk official's screen once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from wijkwerk.core import audit

from ..audit_actions import BudgetAction
from ..eligibility import age_band, age_on, reference_day
from ..models import BudgetProcess, Channel, CodeIssue, RegisterEntry, VotingCode
from ..refusals import BudgetRefused
from ..states import ProcessStatus

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MODULUS = len(ALPHABET)  # 31, a prime
RANDOM_LENGTH = 15
LENGTH = RANDOM_LENGTH + 1
GROUP = 4
_VALUE = {char: value for value, char in enumerate(ALPHABET)}
HASH_SALT = "wijkwerk.budgeting.code"


def _weighted(chars: str) -> int:
    return sum(weight * _VALUE[char] for weight, char in enumerate(chars, start=1))


def check_character(body: str) -> str:
    """The character that makes the weighted sum of `body` + it 0 modulo 31."""
    weight = len(body) + 1
    # weight · v ≡ −sum (mod 31): v = −sum · weight⁻¹
    value = (-_weighted(body) * pow(weight, -1, MODULUS)) % MODULUS
    return ALPHABET[value]


def is_well_formed(normalised: str) -> bool:
    """A normalised code of the right length, alphabet and check character."""
    return (
        len(normalised) == LENGTH
        and all(char in _VALUE for char in normalised)
        and _weighted(normalised) % MODULUS == 0
    )


def grouped(normalised: str) -> str:
    """ "7KQM4TZXHR9C2WNF" -> "7KQM-4TZX-HR9C-2WNF"."""
    return "-".join(normalised[i : i + GROUP] for i in range(0, len(normalised), GROUP))


def new_code() -> str:
    """A fresh code, written in groups ("7KQM-4TZX-HR9C-2WNF")."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return grouped(body + check_character(body))


def normalise(typed: str) -> str:
    """What someone typed, as the code's characters: upper case, without spaces and hyphens
    (and the dashes a phone or word processor makes of them). Nothing else is mapped."""
    text = (typed or "").upper()
    for drop in (" ", "\t", "\n", "\r", "-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014"):
        text = text.replace(drop, "")
    return text.replace("\u00a0", "")


def code_hash(code: str) -> str:
    """The keyed hash a code is stored and found by (never the code itself)."""
    return salted_hmac(HASH_SALT, normalise(code), algorithm="sha256").hexdigest()


def _not_found(code: str) -> BudgetRefused:
    """One message for a mistyped, unknown or other round's code; only the refusal's `code`
    (for tests, never shown) tells them apart."""
    return BudgetRefused(
        _("The voting code is not right: check whether you typed it correctly."), code
    )


def find_code(
    process: BudgetProcess, typed: str, *, for_update: bool = False, to_change: bool = False
) -> VotingCode:
    """The unused code of `process` that `typed` is, or a refusal.

    A mistyped code (check character), a code that does not exist and a code of another round
    get the same message, so that typing never tells whether a code exists; only a code that
    was found says it was used already, and how (online, on paper). `to_change`: a code used
    online is found too, to change its ballot (a round that allows it: the letter says so)."""
    from .voting import _check_open, code_used

    _check_open(process)
    normalised = normalise(typed)
    if not is_well_formed(normalised):
        raise _not_found("code_typo")
    codes: Any = VotingCode.objects.select_related("process_area__area")
    if for_update:
        codes = codes.select_for_update(of=("self",))
    code = codes.filter(code_hash=code_hash(normalised)).first()
    if code is None:
        raise _not_found("code_unknown")
    if code.process_id != process.pk:
        raise _not_found("code_other_round")
    if code.used_channel and not (to_change and code.used_channel == Channel.ONLINE):
        raise code_used(code.used_channel)
    return code


# --- Making codes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    """A code just made, with its plain form: lives only in memory, for the letter or the
    desk official's screen."""

    code: VotingCode
    plain: str
    entry: RegisterEntry


def _entry_age_band(process: BudgetProcess, entry: RegisterEntry) -> str:
    if entry.birth_date is None:
        return ""
    return age_band(age_on(entry.birth_date, reference_day(process)))


def _lock_for_codes(process: BudgetProcess) -> BudgetProcess:
    process = BudgetProcess.objects.select_for_update().get(pk=process.pk)
    if not process.vote_with_code:
        raise BudgetRefused(
            _("In %(round)s nobody votes with a voting code.") % {"round": process.title},
            "codes_off",
        )
    if process.status not in (ProcessStatus.DRAFT, ProcessStatus.PUBLISHED):
        raise BudgetRefused(
            _("Voting in %(round)s is closed.") % {"round": process.title}, "voting_closed"
        )
    return process


def letters_per_pdf() -> int:
    """At most this many letters in one PDF (one request): about a tenth of a second each, so
    a batch stays well inside the app server's timeout. `WIJKWERK_LETTERS_PER_PDF`."""
    return int(getattr(settings, "WIJKWERK_LETTERS_PER_PDF", 250))


# The start of the hash of a code made at a DigiD login for a register row that had none: no text
# hashes to it, so nobody can type it (services.digid); a letter gives it a text later.
WITHOUT_TEXT = "digid:"


def _give_text(codes: QuerySet[VotingCode], limit: int) -> list[Issued]:
    """New texts for `codes` (their rows kept, so a voter who voted with one stays in the
    register of who voted), the first `limit` by reference; the old texts stop working."""
    if limit <= 0:
        return []
    given = []
    for code in (
        codes.select_related("entry__process_area__area")
        .select_for_update(of=("self",))
        .order_by("entry__reference")[:limit]
    ):
        assert code.entry is not None  # letters go to register rows only
        plain = new_code()
        code.code_hash = code_hash(plain)
        code.issued = CodeIssue.LETTER
        given.append(Issued(code, plain, code.entry))
    VotingCode.objects.bulk_update([item.code for item in given], ["code_hash", "issued"])
    return given


def issue_codes(
    *,
    actor: Any,
    process: BudgetProcess,
    letters: Callable[[list[Issued]], None] | None = None,
    again: bool = False,
    after: str = "",
    limit: int | None = None,
) -> int:
    """Make a letter code for the register entries of the round without a secret address that
    have none yet (never two for one entry: the entry's code is one-to-one), at most `limit`
    (default `letters_per_pdf()`) by their reference, and hand the new codes in their plain
    form to `letters` in the same transaction: the letters PDF is made from them, and if it
    cannot be made nothing is saved. Nothing else ever sees a plain code.

    `again`: the letters were lost (the download broke off, the printer lost the file): the
    unused letter codes of entries whose reference comes after `after` (at most `limit`) get
    a new code (the same row, a new hash, so that a voter who voted with the old one stays in
    the register of who voted) and the old ones stop working; no new entries are served.

    Returns the number of letters (codes made or replaced); the audit event has the counts
    only."""
    limit = limit or letters_per_pdf()
    with transaction.atomic():
        process = _lock_for_codes(process)
        issued: list[Issued] = []
        if not again:
            entries = (
                RegisterEntry.objects.filter(
                    process=process, secret_address=False, code__isnull=True
                )
                .select_related("process_area__area")
                .order_by("reference")[:limit]
            )
            for entry in entries:
                plain = new_code()
                code = VotingCode(
                    process=process,
                    process_area=entry.process_area,
                    entry=entry,
                    code_hash=code_hash(plain),
                    age_band=_entry_age_band(process, entry),
                    capacity=entry.capacity,
                    issued=CodeIssue.LETTER,
                )
                issued.append(Issued(code, plain, entry))
            VotingCode.objects.bulk_create([item.code for item in issued])
            # A row whose person logged in with DigiD before the letters were made has a code
            # without a text (services.digid): unused, it gets its text now, in the same row,
            # so that the letter and the DigiD login stay one voter.
            issued += _give_text(
                VotingCode.objects.filter(
                    process=process,
                    code_hash__startswith=WITHOUT_TEXT,
                    used_channel="",
                    entry__secret_address=False,
                ),
                limit - len(issued),
            )
        else:
            old = VotingCode.objects.filter(
                process=process,
                issued=CodeIssue.LETTER,
                used_channel="",
                entry__secret_address=False,
                entry__reference__gt=after,
            )
            issued = _give_text(old, limit)
        if letters is not None and issued:
            letters(issued)
        if issued:
            audit.record(
                actor=actor,
                action=BudgetAction.CODES_ISSUE,
                instance=process,
                after={
                    "letters": len(issued),
                    "replaced": len(issued) if again else 0,
                    "secret_addresses": RegisterEntry.objects.filter(
                        process=process, secret_address=True
                    ).count(),
                },
            )
    return len(issued)


def more_to_replace(process: BudgetProcess, after: str) -> bool:
    """Whether unused letter codes of entries after reference `after` are left (the next batch
    of letters made again)."""
    return VotingCode.objects.filter(
        process=process,
        issued=CodeIssue.LETTER,
        used_channel="",
        entry__secret_address=False,
        entry__reference__gt=after,
    ).exists()


def hand_out_code(
    *, actor: Any, process: BudgetProcess, entry: RegisterEntry, replace: bool = False
) -> str:
    """A code for `entry`, handed out at the desk after the official saw the person's ID; the
    plain code is returned to be shown once and is stored nowhere.

    An entry with a code already gets no second one, unless `replace` (a lost letter, a desk
    code lost): then the unused code gets a new code in the same row (the old one stops
    working). A used code is never replaced. The audit event says that a code was handed out,
    by whom; not to whom."""
    with transaction.atomic():
        process = _lock_for_codes(process)
        entry = RegisterEntry.objects.select_related("process_area").get(
            pk=entry.pk, process=process
        )
        code = VotingCode.objects.select_for_update().filter(entry=entry, process=process).first()
        if code is not None and code.used_channel:
            raise BudgetRefused(
                _("The voting code of this person has been used: no new code."), "code_used"
            )
        if code is not None and not replace:
            raise BudgetRefused(
                _(
                    "This person already has a voting code. If the letter or code was lost, "
                    "confirm that the old code may stop working."
                ),
                "code_handed_out",
            )
        plain = new_code()
        now = timezone.now()
        if code is None:
            VotingCode.objects.create(
                process=process,
                process_area=entry.process_area,
                entry=entry,
                code_hash=code_hash(plain),
                age_band=_entry_age_band(process, entry),
                capacity=entry.capacity,
                issued=CodeIssue.DESK,
                handed_out_at=now,
            )
        else:
            code.code_hash = code_hash(plain)
            code.issued = CodeIssue.DESK
            code.handed_out_at = now
            code.save(update_fields=["code_hash", "issued", "handed_out_at"])
        audit.record(
            actor=actor,
            action=BudgetAction.CODE_HAND_OUT,
            instance=process,
            after={"replaced": 1 if code is not None else 0},
        )
    return plain
