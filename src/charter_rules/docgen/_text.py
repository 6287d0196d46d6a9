"""Small text helpers shared by the page writers: escaping, human labels for names, dates and links.

Everything taken from a rule book file is untrusted text. It goes into Markdown (which passes raw HTML through) and
into SVG, so it is always escaped with ``md`` (Markdown text), ``attr`` (an HTML/SVG attribute value) or ``xml`` (SVG
text content) before it is written. Nothing here trusts a rule file to be well-behaved.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import quote
from typing import Any, Iterable

from ..calendars import format_date
from ..caseview import LONDON

# characters that Markdown (and its extensions: tables, attr_list) would otherwise act on; all are in Python-Markdown's
# backslash-escapable set, so ``\*`` shows a plain ``*``
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|#!])")


def md(text: Any) -> str:
    """Untrusted text made safe and literal inside Markdown: HTML-escaped, Markdown syntax backslash-escaped."""
    escaped = html.escape(_MD_SPECIAL.sub(r"\\\1", str(text)), quote=False)
    # a line break inside a table cell or list item would end it
    return " ".join(escaped.split())


def attr(text: Any) -> str:
    """Untrusted text made safe inside a double-quoted HTML or SVG attribute."""
    return html.escape(" ".join(str(text).split()), quote=True)


def xml(text: Any) -> str:
    """Untrusted text made safe as HTML or SVG element content."""
    return html.escape(str(text), quote=False)


def humanize(name: str) -> str:
    """``victim_is_business`` -> ``victim is business``: a name from the rule book read as words."""
    return name.replace("_", " ").replace("-", " ").strip()


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def join_words(parts: Iterable[str], last: str = "and") -> str:
    """``a, b and c``."""
    items = [p for p in parts if p]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def anchor(kind: str, name: str) -> str:
    """The HTML id used for a fact, event, parameter, definition or calendar on the reference pages."""
    return f"{kind}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}"


def link(text_md: str, target: str, title: str | None = None) -> str:
    """A Markdown link; ``text_md`` must already be escaped, ``title`` is escaped here."""
    if title:
        return f'[{text_md}]({target} "{attr(title)}")'
    return f"[{text_md}]({target})"


def moment_text(moment: dt.datetime) -> str:
    """``Thu 2 Apr 2026 15:00 BST`` in London time."""
    local = moment.astimezone(LONDON)
    return f"{format_date(local.date())} {local.strftime('%H:%M')} {local.tzname()}"


def short_date(day: dt.date) -> str:
    """``Fri 3 Apr``."""
    return format_date(day).rsplit(" ", 1)[0]


def holiday_short_name(reason: str) -> str:
    """``Good Friday (England and Wales)`` -> ``Good Friday``; several holidays on one day are joined."""
    names = []
    for part in reason.split("; "):
        names.append(part.rsplit(" (", 1)[0] if part.endswith(")") else part)
    return " / ".join(names)


def table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    """A Markdown table; cells must already be escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return lines


def indent(lines: Iterable[str], by: int = 4) -> list[str]:
    pad = " " * by
    return [pad + line if line else line for line in lines]


def url(href: str | None) -> str | None:
    """An external link from a rule file, made safe for a Markdown link: only http(s), with unsafe characters encoded.

    Anything else (``javascript:``, relative paths, data URLs) gives None: the reference is then shown as plain text.
    """
    if not href or not re.match(r"https?://[^\s/]", href.strip(), re.IGNORECASE):
        return None
    return quote(href.strip(), safe="%:/?#@!$&*+,;=~-._'")


def ext_link(text: str, href: str | None) -> str:
    """Escaped ``text``, linked to ``href`` if it is a safe external address."""
    target = url(href)
    return f"[{md(text)}]({target})" if target else md(text)


_URL_IN_TEXT = re.compile(r"https?://[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:]")


def md_links(text: Any) -> str:
    """Like ``md``, with bare web addresses in the text made into links (only http and https)."""
    raw = str(text)
    out, last = [], 0
    for match in _URL_IN_TEXT.finditer(raw):
        out.append(md(raw[last:match.start()]))
        out.append(ext_link(match.group(0), match.group(0)))
        last = match.end()
    out.append(md(raw[last:]))
    return "".join(piece for piece in out)
