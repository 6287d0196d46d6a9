"""How many columns text output is laid out in, for the command line and the text report alike."""

from __future__ import annotations

import os
import sys
from typing import TextIO

DEFAULT_WIDTH = 120  # when the output is not a terminal and COLUMNS is not set


def output_width(stream: TextIO | None = None) -> int | None:
    """Columns to lay the report out in: ``COLUMNS`` if set, the terminal's (None: let rich ask it), else 120."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 20:
        return int(columns)
    stream = stream or sys.stdout
    return None if stream.isatty() else DEFAULT_WIDTH
