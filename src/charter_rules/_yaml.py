"""Strict, position-aware YAML loading for untrusted rule files.

Only the safe subset of YAML is read (no Python objects), dates stay strings (the schema parses them), a repeated key
is an error, and every node's line and column are kept so a schema error can point at the line it came from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, RuleSyntaxError

Location = tuple[int, int]
Positions = dict[tuple[Any, ...], Location]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and leaves timestamps as strings."""


# Dates and times stay strings: pydantic parses them with one set of rules and one error format.
# Only true/false are booleans (YAML 1.2): "on", "off", "yes", "no" stay strings, so a key named `on` is a key.
_StrictLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            first = seen[key].start_mark.line + 1
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first given on line {first})", key_node.start_mark
            )
        seen[key] = key_node
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _walk(node: yaml.Node, path: tuple[Any, ...], out: Positions) -> None:
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key, "__key__")] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _walk(value_node, path + (key,), out)
            # the value's own position is more useful for value errors; keep the key's for missing/extra keys
            out[path + (key, "__value__")] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), out)


def load_yaml_text(text: str, source: str) -> tuple[Any, Positions]:
    """Parse ``text`` safely; return the data and a map from key paths to (line, column)."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise RuleSyntaxError(
            Problem(message or str(exc), path=source, line=line, column=column, hint="fix the YAML syntax")
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error we know of is marked
        raise RuleSyntaxError(Problem(str(exc), path=source)) from None
    finally:
        loader.dispose()
    positions: Positions = {}
    _walk(node, (), positions)
    return data, positions


def load_yaml_file(path: Path) -> tuple[Any, Positions]:
    """Read and parse one YAML file; errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleSyntaxError(Problem(f"cannot read file: {exc}", path=str(path))) from None
    return load_yaml_text(text, str(path))


def locate(positions: Positions, loc: tuple[Any, ...]) -> Location | None:
    """The best known position for a pydantic error location: the deepest existing prefix."""
    for cut in range(len(loc), -1, -1):
        prefix = tuple(loc[:cut])
        if cut == len(loc) and prefix + ("__value__",) in positions:
            return positions[prefix + ("__value__",)]
        if prefix in positions:
            return positions[prefix]
    return None
