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
from typing import Any

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from ..models import BudgetProcess, VotingCode
from ..refusals import BudgetRefused

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


def find_code(process: BudgetProcess, typed: str, *, for_update: bool = False) -> VotingCode:
    """The unused code of `process` that `typed` is, or a refusal.

    A mistyped code (check character), a code that does not exist and a code of another round
    get the same message, so that typing never tells whether a code exists; only a code that
    was found says it was used already."""
    from .voting import _check_open

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
    if code.used_channel:
        raise BudgetRefused(_("This voting code has already been used."), "code_used")
    return code
