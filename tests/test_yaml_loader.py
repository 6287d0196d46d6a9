"""The rule-file YAML loader: libyaml and pure-Python parsing agree, and untrusted files are bounded."""

from __future__ import annotations

import pytest
import yaml

import charter_rules as cr
from charter_rules import _yaml
from charter_rules._yaml import LOADER, MAX_DEPTH, MAX_FILE_BYTES, PURE_PYTHON_LOADER, load_yaml_file, load_yaml_text
from charter_rules.rulebook import DEFAULT_RULES_DIR

BOTH = pytest.mark.parametrize("loader", [LOADER, PURE_PYTHON_LOADER], ids=["default", "pure-python"])


def test_the_default_loader_runs_on_libyaml():
    assert yaml.__with_libyaml__, "PyYAML without libyaml: rule books load 7 times slower"
    assert issubclass(LOADER, yaml.CSafeLoader)


@pytest.mark.parametrize("path", sorted(DEFAULT_RULES_DIR.rglob("*.yaml")), ids=lambda p: p.name)
def test_both_parsers_give_the_same_data_and_positions(path):
    text = path.read_text(encoding="utf-8")
    assert load_yaml_text(text, str(path), loader=LOADER) == load_yaml_text(text, str(path),
                                                                            loader=PURE_PYTHON_LOADER)


@BOTH
def test_duplicate_key_names_both_lines(loader):
    with pytest.raises(cr.RuleSyntaxError) as info:
        load_yaml_text("title: A\nbasis: law\ntitle: B\n", "r.yaml", loader=loader)
    assert "duplicate key 'title' (first given on line 1)" in str(info.value)
    assert (info.value.problems[0].line, info.value.problems[0].column) == (3, 1)


@BOTH
def test_duplicate_key_in_a_nested_mapping(loader):
    with pytest.raises(cr.RuleSyntaxError) as info:
        load_yaml_text("a:\n  b: 1\n  c:\n    d: 1\n    d: 2\n", "r.yaml", loader=loader)
    assert "duplicate key 'd' (first given on line 4)" in str(info.value)
    assert info.value.line == 5


@BOTH
def test_only_true_and_false_are_booleans(loader):
    data, _ = load_yaml_text("on: yes\noff: no\ny: Y\nflag: true\nother: FALSE\n", "x.yaml", loader=loader)
    assert data == {"on": "yes", "off": "no", "y": "Y", "flag": True, "other": False}


@BOTH
def test_dates_stay_strings(loader):
    data, _ = load_yaml_text("valid_from: 2026-03-26\nat: 2026-03-26T09:00:00Z\n", "x.yaml", loader=loader)
    assert data == {"valid_from": "2026-03-26", "at": "2026-03-26T09:00:00Z"}


@BOTH
def test_positions_of_keys_and_values(loader):
    _, positions = load_yaml_text("a:\n  - x: 1\n    y:\n      2\n", "x.yaml", loader=loader)
    assert positions[()] == (1, 1)
    assert positions[("a",)] == (2, 3)  # a key path points at its value (the key's own line is kept for __value__)
    assert positions[("a", 0, "x")] == (2, 8)
    assert positions[("a", 0, "y")] == (4, 7)
    assert positions[("a", 0, "y", "__value__")] == (4, 7)


@BOTH
def test_syntax_error_line(loader):
    with pytest.raises(cr.RuleSyntaxError) as info:
        load_yaml_text("a: 1\nb: [1, 2\nc: 3\n", "x.yaml", loader=loader)
    assert info.value.path == "x.yaml"
    assert info.value.line == 3  # where the parser found the list was not closed


@BOTH
def test_python_objects_are_refused(loader):
    with pytest.raises(cr.RuleSyntaxError, match="could not determine a constructor"):
        load_yaml_text("x: !!python/object/apply:os.system ['echo hacked']", "evil.yaml", loader=loader)


@BOTH
def test_an_alias_is_refused_where_it_is_written(loader):
    with pytest.raises(cr.RuleSyntaxError) as info:
        load_yaml_text("a: &part [1, 2]\nb: 3\nc: *part\n", "r.yaml", loader=loader)
    assert "anchors and aliases are not allowed" in str(info.value)
    assert "anchored on line 1" in str(info.value)
    assert info.value.line == 3


@BOTH
def test_billion_laughs_is_refused_at_once(loader):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    with pytest.raises(cr.RuleSyntaxError) as info:
        load_yaml_text("\n".join(lines) + "\n", "laughs.yaml", loader=loader)
    assert info.value.line == 2 and "anchored on line 1" in str(info.value)


@BOTH
def test_merge_keys_are_aliases_too(loader):
    with pytest.raises(cr.RuleSyntaxError, match="anchors and aliases"):
        load_yaml_text("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "r.yaml", loader=loader)


@BOTH
def test_an_anchor_without_alias_is_harmless(loader):
    data, _ = load_yaml_text("a: &name 1\nb: 2\n", "r.yaml", loader=loader)
    assert data == {"a": 1, "b": 2}


@BOTH
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_deep_nesting_is_refused_with_a_line(loader, depth):
    text = "a:\n  b: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(cr.RuleSyntaxError) as info:
        load_yaml_text(text, "deep.yaml", loader=loader)
    assert f"nested more than {MAX_DEPTH} levels deep" in str(info.value)
    assert info.value.path == "deep.yaml"
    if loader is LOADER or depth < 500:  # the pure-Python parser runs out of stack before it can say where
        assert info.value.line == 2


@BOTH
def test_deep_block_nesting_is_refused(loader):
    text = "".join("  " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "x\n"
    with pytest.raises(cr.RuleSyntaxError, match="levels deep") as info:
        load_yaml_text(text, "deep.yaml", loader=loader)
    assert info.value.line == MAX_DEPTH + 1


def test_nesting_up_to_the_bound_is_fine():
    text = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    data, _ = load_yaml_text(text, "ok.yaml")
    assert isinstance(data["a"], list)


def test_a_file_over_the_size_bound_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    line = "- " + "x" * 98 + "\n"
    path.write_text("items:\n" + line * (MAX_FILE_BYTES // len(line) + 1), encoding="utf-8")
    with pytest.raises(cr.RuleSyntaxError) as info:
        load_yaml_file(path)
    assert info.value.path == str(path)
    assert f"limited to {MAX_FILE_BYTES:,} bytes" in str(info.value)


def test_text_over_the_size_bound_is_refused():
    with pytest.raises(cr.RuleSyntaxError, match="limited to"):
        load_yaml_text("x: " + "é" * (MAX_FILE_BYTES // 2), "big.yaml")


def test_a_rule_book_with_an_alias_names_the_file_and_line(rules_copy):
    path = rules_copy / "parameters.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "extra: &x [1]\nagain: *x\n", encoding="utf-8")
    with pytest.raises(cr.RulebookError) as info:
        cr.load_rulebook(rules_copy)
    problem = info.value.problems[0]
    assert problem.path == str(path) and "aliases" in problem.message
    assert problem.line == len(path.read_text(encoding="utf-8").splitlines())


def test_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(cr.RuleSyntaxError, match="UTF-8") as info:
        load_yaml_file(path)
    assert info.value.path == str(path)


def test_module_exposes_the_bounds():
    assert _yaml.MAX_FILE_BYTES >= 1 << 20 and _yaml.MAX_DEPTH >= 20
