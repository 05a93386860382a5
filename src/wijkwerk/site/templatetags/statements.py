"""`{{ text|statement_text }}`: a statement's stored text as paragraphs and lists.

An empty line starts a new paragraph; lines starting with "- " form a list (a line after an item,
without "- ", goes on with that item). Everything is escaped:
the municipality's administrator writes plain text, not HTML.
"""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _paragraph(lines: list[str]) -> str:
    return '<p class="utrecht-paragraph">' + "<br>".join(map(escape, lines)) + "</p>"


def _list(items: list[str]) -> str:
    rows = "".join(
        f'<li class="utrecht-unordered-list__item">{escape(item)}</li>' for item in items
    )
    return f'<ul class="utrecht-unordered-list">{rows}</ul>'


@register.filter
def statement_text(value: str) -> SafeString:
    parts: list[str] = []
    for block in str(value or "").replace("\r\n", "\n").split("\n\n"):
        # a block is a run of lines of one kind: ("p", lines) or ("ul", items)
        runs: list[tuple[str, list[str]]] = []
        for line in (line.strip() for line in block.split("\n")):
            if not line:
                continue
            if line.startswith(("- ", "* ")):
                if runs and runs[-1][0] == "ul":
                    runs[-1][1].append(line[2:].strip())
                else:
                    runs.append(("ul", [line[2:].strip()]))
            elif runs and runs[-1][0] == "ul":
                runs[-1][1][-1] += " " + line  # a list item that goes on on the next line
            elif runs:
                runs[-1][1].append(line)
            else:
                runs.append(("p", [line]))
        parts.extend(_list(lines) if kind == "ul" else _paragraph(lines) for kind, lines in runs)
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above
