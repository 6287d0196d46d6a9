"""Strict, position-aware YAML loading for untrusted rule files.

Only the safe subset of YAML is read (no Python objects), dates stay strings (the schema parses them), a repeated key
is an error, and every node's line and column are kept so a schema error can point at the line it came from.

Parsing runs on libyaml (PyYAML's C parser) when it is installed, else on PyYAML's pure-Python parser; both give the
same data, the same line numbers and the same refusals. A rule file is untrusted, so it is bounded before it is
built: at most ``MAX_FILE_BYTES`` long, nested at most ``MAX_DEPTH`` levels deep, and without anchors or aliases
(an alias repeats a part of the file, and a few lines of them can stand for billions of values).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

import yaml

from .errors import Problem, RuleSyntaxError
from .positions import Positions


MAX_FILE_BYTES = 1 << 20  # the largest bundled rule file is about 25 KB
MAX_DEPTH = 40  # mappings and lists inside each other; the bundled rules nest at most 10 deep


def _strict_loader(parser: type) -> type:
    """A safe loader on ``parser`` that refuses duplicate keys and leaves timestamps as strings."""
    loader: Any = type("StrictLoader", (parser,), {})
    # Dates and times stay strings: pydantic parses them with one set of rules and one error format.
    # Only true/false are booleans (YAML 1.2): "on", "off", "yes", "no" stay strings, so a key named `on` is a key.
    loader.yaml_implicit_resolvers = {
        first: [
            (tag, regexp)
            for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    return loader


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            first = seen[key].start_mark.line + 1
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first given on line {first})", key_node.start_mark
            )
        seen[key] = key_node
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


PURE_PYTHON_LOADER = _strict_loader(yaml.SafeLoader)
# libyaml's parser when PyYAML was built with it (the wheels are): the same events, marks and errors, 7 times faster
LOADER = _strict_loader(yaml.CSafeLoader) if getattr(yaml, "__with_libyaml__", False) else PURE_PYTHON_LOADER


def _syntax_error(message: str, source: str, mark: Any = None, hint: str = "fix the YAML syntax") -> RuleSyntaxError:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return RuleSyntaxError(Problem(message, path=source, line=line, column=column, hint=hint))


def _too_deep(source: str, mark: Any) -> RuleSyntaxError:
    return _syntax_error(f"nested more than {MAX_DEPTH} levels deep", source, mark,
                         hint="a rule file needs far fewer levels; look for brackets that are never closed")


def _alias(source: str, node: yaml.Node, where: Any) -> RuleSyntaxError:
    return _syntax_error(f"YAML anchors and aliases are not allowed in rule files (this repeats the part anchored on "
                         f"line {node.start_mark.line + 1})", source, where,
                         hint="write each part out in full where it is used")


def _reader_error(exc: yaml.reader.ReaderError, text: str, source: str) -> RuleSyntaxError:
    """A character YAML refuses, at its line and column (the reader gives only an offset into the text)."""
    position = exc.position if isinstance(exc.position, int) else None
    line = column = None
    if position is not None:
        before = text[:position]
        line, column = before.count("\n") + 1, position - before.rfind("\n")
    character = exc.character
    what = f"the character U+{ord(character):04X}" if isinstance(character, str) and len(character) == 1 else (
        f"the character U+{character:04X}" if isinstance(character, int) else "a character")
    return RuleSyntaxError(Problem(f"{what} is not allowed in a YAML file", path=source, line=line, column=column,
                                   hint="remove it, or save the file as plain UTF-8 text"))


def _positions(root: yaml.Node, source: str) -> Positions:
    """Every key path's (line, column); refuses aliases and nesting past MAX_DEPTH before anything is built.

    Iterative, so a deep file gives an error rather than exhausting Python's stack. A node met twice is an alias
    (the parser hands back the anchored node again), refused where the alias is written (its key, or its list).
    """
    out: Positions = {}
    seen: set[int] = set()
    # (node, its key path, its depth, where an alias in its place would be written: its key, or its list)
    stack: list[tuple[yaml.Node, tuple[Any, ...], int, Any]] = [(root, (), 0, root.start_mark)]
    while stack:
        node, path, depth, holder = stack.pop()
        if id(node) in seen:
            raise _alias(source, node, holder)
        seen.add(id(node))
        mark = node.start_mark
        out[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth >= MAX_DEPTH:
            raise _too_deep(source, mark)
        children: list[tuple[yaml.Node, tuple[Any, ...], int, Any]] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if id(key_node) in seen:
                    raise _alias(source, key_node, mark)
                seen.add(id(key_node))
                if not isinstance(key_node, yaml.ScalarNode):
                    continue  # a list or mapping as a key: refused when the mapping is built
                key = key_node.value
                key_mark, value_mark = key_node.start_mark, value_node.start_mark
                out[path + (key,)] = (key_mark.line + 1, key_mark.column + 1)
                out[path + (key, "__key__")] = (key_mark.line + 1, key_mark.column + 1)
                # the value's own position is more useful for value errors; keep the key's for missing/extra keys
                out[path + (key, "__value__")] = (value_mark.line + 1, value_mark.column + 1)
                children.append((value_node, path + (key,), depth + 1, key_mark))
        else:
            children = [(item, path + (index,), depth + 1, mark) for index, item in enumerate(node.value)]
        stack.extend(reversed(children))  # in document order, so the anchor is met before its aliases
    return out


def load_yaml_text(text: str, source: str, *, loader: type | None = None) -> tuple[Any, Positions]:
    """Parse ``text`` safely; return the data and a map from key paths to (line, column).

    ``loader``: the parser to use (default ``LOADER``, on libyaml where it is installed).
    """
    size = len(text) if len(text) * 4 <= MAX_FILE_BYTES else len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise _file_too_large(size, source)
    try:
        loader = (loader or LOADER)(text)
    except yaml.reader.ReaderError as exc:  # the pure-Python reader checks characters as it is built
        raise _reader_error(exc, text, source) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        positions = _positions(node, source)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit (1000) met before ours
            raise _too_deep(source, exc.problem_mark) from None
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise _syntax_error(message or str(exc), source, exc.problem_mark or exc.context_mark) from None
    except RecursionError:  # PyYAML's pure-Python parser recurses once per level (libyaml stops at 1000 itself)
        raise _too_deep(source, None) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (a NUL, say), found before parsing
        raise _reader_error(exc, text, source) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error we know of is marked
        raise RuleSyntaxError(Problem(str(exc), path=source)) from None
    finally:
        loader.dispose()
    return data, positions


def _file_too_large(size: int, source: str) -> RuleSyntaxError:
    return RuleSyntaxError(Problem(
        f"the file is {size:,} bytes long; rule files are limited to {MAX_FILE_BYTES:,} bytes", path=source,
        hint="split it into smaller files, or look for text pasted in by mistake"))


def load_yaml_file(path: Path) -> tuple[Any, Positions]:
    """Read and parse one YAML file; errors name the file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _file_too_large(size, str(path))
        text = path.read_bytes()
    except OSError as exc:
        raise RuleSyntaxError(Problem(f"cannot read file: {exc}", path=str(path))) from None
    return load_yaml_text(_decode(text, path), str(path))


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleSyntaxError(Problem(f"cannot read file: {exc}", path=str(path),
                                      hint="save the file as UTF-8")) from None
