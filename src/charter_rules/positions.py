"""The line and column of every key of a rule-book file, and finding the best one for an error's location.

Kept apart from the YAML reader, so reading a cached rule book (which keeps the positions but never parses YAML)
does not import it.
"""

from __future__ import annotations

from typing import Any, Mapping

Location = tuple[int, int]
Positions = dict[tuple[Any, ...], Location]


def locate(positions: Mapping[tuple[Any, ...], Location], loc: tuple[Any, ...]) -> Location | None:
    """The best known position for a pydantic error location: the deepest existing prefix."""
    for cut in range(len(loc), -1, -1):
        prefix = tuple(loc[:cut])
        if cut == len(loc) and prefix + ("__value__",) in positions:
            return positions[prefix + ("__value__",)]
        if prefix in positions:
            return positions[prefix]
    return None
