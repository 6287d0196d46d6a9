"""Case data made safe for where it is shown: terminals, Markdown, HTML, XML and spreadsheets.

Case data comes from outside and may carry anything. Each renderer escapes its own markup; these helpers deal with
what markup escaping misses:

* control characters (C0, DEL, C1) and ANSI escape sequences, which a terminal obeys (recolouring, moving the cursor,
  rewriting the title or earlier lines), and Unicode direction overrides, which reorder what a reader sees: each is
  shown as a visible escape such as ``\\x1b`` or ``\\u202e``, so the value stays recognisable and is inert;
* characters XML 1.0 forbids (most C0 controls, unpaired surrogates, U+FFFE, U+FFFF), which make a JUnit file
  unreadable: shown as visible escapes too;
* spreadsheet formulas: a CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
  formula by spreadsheet tools, so it is written with a leading apostrophe (which they show as text), and the reader
  takes that apostrophe off again, so a value survives a round trip unchanged.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # newlines kept
# what XML 1.0 cannot carry (beyond the controls above), plus the unsafe characters themselves
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(value: object) -> str:
    """``value`` as text for a terminal or a one-line cell: every control character (newlines too) and direction
    override shown as a visible escape."""
    text = str(value)
    return _UNSAFE_ONE_LINE.sub(_visible, text) if _UNSAFE_ONE_LINE.search(text) else text


def lines(value: object) -> str:
    """Like :func:`one_line`, but newlines are kept (for multi-line explanations)."""
    text = str(value)
    return _UNSAFE_KEEP_LINES.sub(_visible, text) if _UNSAFE_KEEP_LINES.search(text) else text


def xml_chars(value: object) -> str:
    """``value`` with every character XML 1.0 forbids (and every terminal control) shown as a visible escape;
    tab, newline and carriage return are kept. Markup is still to be escaped by the caller."""
    text = str(value)
    return _NOT_XML.sub(_visible, text) if _NOT_XML.search(text) else text


def csv_cell(text: str) -> str:
    """A text cell safe to open in a spreadsheet: a leading apostrophe before a formula start (and before an
    apostrophe that already precedes one, so :func:`csv_value` can undo it exactly)."""
    if text.startswith(FORMULA_STARTS) or (text.startswith("'") and text[1:].lstrip("'").startswith(FORMULA_STARTS)):
        return "'" + text
    return text


def csv_value(cell: str) -> str:
    """The value a cell written by :func:`csv_cell` holds."""
    if cell.startswith("'") and cell[1:].lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def rich_text(value: object) -> str:
    """One line of case data for a rich console: controls made visible, then rich markup escaped."""
    from rich.markup import escape

    return escape(one_line(value))
