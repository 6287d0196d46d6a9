"""Lines for a terminal or a CI log: wrapped to the width with a hanging indent, never cut inside a word."""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.text import Text

from ..textsafe import one_line


def say(console: Console, text: str, *, indent: int = 0, hang: int = 4, lead: str = "",
        lead_style: str | None = None, style: str | None = None) -> None:
    """Print ``lead + text`` wrapped to the console's width with a hanging indent, never breaking a word (a case id,
    a date or a file name stays whole, even if it is wider than the line). Nothing in it is read as markup."""
    first, rest = " " * indent, " " * (indent + hang)
    wrapped = textwrap.wrap(one_line(lead + text), width=console.width, initial_indent=first, subsequent_indent=rest,
                            break_long_words=False, break_on_hyphens=False) or [first]
    for number, line in enumerate(wrapped):
        piece = Text(line, style=style or "")
        if number == 0 and lead and lead_style:
            piece.stylize(lead_style, indent, indent + len(lead.rstrip()))
        console.print(piece, soft_wrap=True)
