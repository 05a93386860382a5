"""What a Dutch page must not show: English texts of the catalogues and raw values.

`problems(html)` gives the findings on a page as (kind, text) pairs; `text_problems(text)` does
the same for plain text (a mail). The kinds:

english   a msgid of the project's, Django's or allauth's catalogues whose Dutch translation
          differs from it, shown as visible text. Words that are Dutch as well (the words of all
          the Dutch translations) do not count on their own, so "Status" or "Contact" are fine.
english   also a line with two or more words that only English has ("the", "your", "with"):
          English that is not in any catalogue yet.
address   the formal "u" and "uw": residents are addressed with "je".
raw       `True`, `False`, `None`, field names (`paid_cents`, `snake_case`), the codes of roles
          and states (`broker`, `under_review`).
date      English month names or abbreviations ("2 Dec 2026"), ISO or slashed dates
          ("2026-12-02", "12/02/2026").
money     amounts not written as "€ 1.250,00": "EUR 1.250,00", "1250.00", "€1.250".

Visible text is the text of the page outside <script>, <style>, <template> and the values of
fields (inputs, <textarea>: what people typed, or a GeoJSON boundary), plus the
attributes people see or hear (placeholder, title, aria-label, alt, a button's value). Parts
marked with another language (lang="en", the language switch) are left out.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser

from django.apps import apps
from django.utils.translation import trans_real

_SKIP = {"script", "style", "template", "textarea"}  # a textarea holds a value, as an input
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
_SPOKEN = ("placeholder", "title", "aria-label", "alt", "aria-description", "label")
_BLOCK = {
    "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "br",
    "label", "option", "button", "a", "legend", "title", "section", "header", "footer", "nav",
    "caption", "summary", "span",
}  # fmt: skip


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from the check)

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = (values.get("lang") or "").lower()
        skip = self.skipping or tag in _SKIP or (bool(lang) and not lang.startswith("nl"))
        if not skip:
            for name in _SPOKEN:
                if values.get(name):
                    self.parts.append("\n" + str(values[name]) + "\n")
            kind = (values.get("type") or "").lower()
            if tag == "input" and kind in ("submit", "button", "reset") and values.get("value"):
                self.parts.append("\n" + str(values["value"]) + "\n")
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag not in _VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdifr]|%[sdifr]|\{[a-z_0-9]*\}")
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@functools.cache
def dutch_words() -> frozenset[str]:
    """Every word of the Dutch translations, lower case."""
    words: set[str] = set()
    catalog = trans_real.translation("nl")._catalog
    for key in list(catalog.keys()):
        value = catalog[key]
        words.update(word.lower() for word in _WORD.findall(_TAG.sub(" ", str(value))))
    return frozenset(words)


@functools.cache
def english_phrases() -> tuple[tuple[frozenset[str], re.Pattern[str], str], ...]:
    """The msgids to look for: (their words, a pattern, the msgid)."""
    catalog = trans_real.translation("nl")._catalog
    dutch = dutch_words()
    phrases = []
    for key in list(catalog.keys()):
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or catalog[key] == msgid or "\x04" in msgid:
            msgid = msgid.split("\x04", 1)[-1] if msgid else msgid
            if not msgid or catalog[key] == msgid:
                continue
        text = _TAG.sub(" ", msgid)
        fragments = [" ".join(part.split()) for part in _PLACEHOLDER.split(text)]
        fragment = max(fragments, key=lambda part: len(_WORD.findall(part)))
        words = _WORD.findall(fragment)
        if not words:
            continue
        foreign = [word for word in words if word.lower() not in dutch]
        if not foreign:
            continue  # every word is Dutch as well ("Status", "Contact", "Website")
        if len(words) == 1 and len(words[0]) < 4:
            continue  # too short to tell ("Go", "Yes" is caught with more words around it)
        pattern = re.compile(r"(?<![\w-])" + re.escape(fragment.strip(" .:,;")) + r"(?![\w-])")
        phrases.append((frozenset(words), pattern, msgid))
    return tuple(phrases)


@functools.cache
def codes() -> frozenset[str]:
    """The stored values of the project's choice fields (role and state codes), which are not
    Dutch words."""
    found: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("wijkwerk."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]+", value):
                    found.add(value)
    return frozenset(code for code in found if code not in dutch_words())


_MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
_CHECKS = (
    ("raw", re.compile(r"\b(?:True|False|None)\b")),
    ("raw", re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")),
    ("date", re.compile(rf"\b(?:{_MONTHS_EN})\b")),
    ("date", re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b")),
    ("date", re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d{1,2}\b")),
    ("date", re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")),
    ("date", re.compile(r"\b\d{1,2} (?:jan|feb|mrt|apr|jun|jul|aug|sep|okt|nov|dec)\.? \d{4}\b")),
    ("date", re.compile(r"\b\d{1,2}(?::\d{2})? ?(?:a\.m\.|p\.m\.|AM|PM)")),
    ("money", re.compile(r"\bEUR\b")),
    ("money", re.compile(r"€\d|\d ?€|€ ?\d+\.\d\d(?!\d)")),
    # "1250.00", "1,250.00"; not a Dutch time ("van 8.30 tot 17.00 uur")
    (
        "money",
        re.compile(
            r"(?<![\d.,])(?<!van )(?<!tot )\d+\.\d{2}(?![\d.,])(?! ?uur)"
            r"|\b\d{1,3}(?:,\d{3})+\.\d{2}\b"
        ),
    ),
)
# Checksums (a .pb file's SHA-256) are no language, though their letters spell "a" and "be".
_HEX = re.compile(r"(?<![\w-])[0-9a-f]{32,}(?![\w-])")
_LINKS = re.compile(r"\S+@\S+|https?://\S+|/[\w/.-]+/|\b[\w.-]+\.(?:png|pdf|jpg|jpeg|csv|xml)\b")


# Words English has and Dutch does not (so not "in", "of", "is", "was", "die", "over").
ENGLISH_ONLY = frozenset(
    [
        "the",
        "and",
        "to",
        "your",
        "you",
        "with",
        "from",
        "this",
        "that",
        "are",
        "has",
        "have",
        "been",
        "for",
        "by",
        "be",
        "it",
        "its",
        "not",
        "please",
        "which",
        "when",
        "what",
        "who",
        "were",
        "will",
        "would",
        "should",
        "could",
        "can't",
        "don't",
        "isn't",
        "there",
        "their",
        "here",
        "a",
        "an",
        "on",
        "or",
        "if",
        "up",
        "our",
        "my",
        "than",
        "then",
        "after",
        "before",
        "only",
        "also",
        "just",
    ]
)
_FORMAL = re.compile(r"(?<![\w.-])(?:[Uu]w?|[Uu]we)(?![\w.-])")


def text_problems(text: str) -> list[tuple[str, str]]:
    """The findings in visible text, one line of text per finding's context."""
    found: list[tuple[str, str]] = []
    text = _HEX.sub(" ", _LINKS.sub(" ", text))
    words = set(_WORD.findall(text))
    for needed, pattern, msgid in english_phrases():
        if needed <= words and pattern.search(text):
            found.append(("english", msgid))
    for line in text.split("\n"):
        if len({word.lower() for word in _WORD.findall(line)} & ENGLISH_ONLY) >= 2:
            found.append(("english", line[:120]))
    for match in _FORMAL.finditer(text):
        found.append(("address", _context(text, match)))
    for kind, pattern in _CHECKS:
        for match in pattern.finditer(text):
            found.append((kind, _context(text, match)))
    for code in codes():
        if code in words or ("_" in code and code in text):
            for match in re.finditer(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text):
                found.append(("raw", _context(text, match)))
    return found


def _context(text: str, match: re.Match[str]) -> str:
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    line = text[start : end if end != -1 else len(text)]
    return line if len(line) <= 120 else line[max(0, match.start() - start - 50) :][:120]


def problems(html: str) -> list[tuple[str, str]]:
    return text_problems(visible_text(html))
