"""The on-disk rule-book cache: the same rule book and errors as reading the files, rebuilt on any change."""

from __future__ import annotations

import stat

import pytest

import charter_rules as cr
from charter_rules import _yaml as yaml_module
from charter_rules import rulebook_cache
from charter_rules.rulebook_cache import from_json, load_rulebook_cached, rulebook_key, to_json


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("CHARTER_RULES_CACHE", str(directory))
    return directory


@pytest.fixture()
def yaml_reads(monkeypatch):
    """Counts the rule files read as YAML."""
    reads: list[str] = []
    original = yaml_module.load_yaml_file

    def counting(path):
        reads.append(str(path))
        return original(path)

    monkeypatch.setattr(yaml_module, "load_yaml_file", counting)  # looked up there each time a file is read
    return reads


def _same(a: cr.Rulebook, b: cr.Rulebook) -> None:
    assert (a.vocabulary, a.parameters, a.definitions, a.calendars) == (b.vocabulary, b.parameters, b.definitions,
                                                                       b.calendars)
    assert a.rules == b.rules and list(a.rules) == list(b.rules)
    # the charter map, figures and escalation rules are part of the rule book too: a cached load must not lose them
    assert a.charter is not None and a.charter == b.charter
    assert a.figures is not None and a.figures == b.figures
    assert a.escalations and a.escalations == b.escalations
    assert a.sources.keys() == b.sources.keys()
    for name in a.sources:
        assert a.sources[name].path == b.sources[name].path
        assert dict(a.sources[name].positions) == dict(b.sources[name].positions)


def test_json_round_trip_gives_the_same_rule_book(rules_copy):
    book = cr.load_rulebook(rules_copy)
    _same(from_json(to_json(book), rules_copy), book)


def test_second_load_reads_no_yaml_and_compiles_the_same(rules_copy, cache, yaml_reads):
    first = load_rulebook_cached(rules_copy)
    assert len(yaml_reads) == len(first.sources)
    yaml_reads.clear()
    second = load_rulebook_cached(rules_copy)
    assert yaml_reads == []
    _same(second, first)
    a, b = cr.compile_rulebook(first), cr.compile_rulebook(second)
    assert [r.id for r in a.rules] == [r.id for r in b.rules]


def test_an_edited_rule_file_is_read_again(rules_copy, cache, yaml_reads):
    load_rulebook_cached(rules_copy)
    path = rules_copy / "commitments" / "foi-response.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Answer", "title: Reply to"), encoding="utf-8")
    yaml_reads.clear()
    book = load_rulebook_cached(rules_copy)
    assert yaml_reads, "the edited rule book was read again"
    assert book.rules["foi-response"].title.startswith("Reply to")


@pytest.mark.parametrize("change", ["add", "remove", "rename"])
def test_any_file_of_the_rule_book_changes_the_key(rules_copy, change):
    before = rulebook_key(rules_copy)
    charter = rules_copy / "charter.yaml"
    if change == "add":
        (rules_copy / "notes.txt").write_text("x")
    elif change == "remove":
        charter.unlink()
    else:
        charter.rename(rules_copy / "charter2.yaml")
    assert rulebook_key(rules_copy) != before


def test_the_package_is_part_of_the_key(rules_copy, monkeypatch):
    before = rulebook_key(rules_copy)
    monkeypatch.setattr(rulebook_cache, "FORMAT", rulebook_cache.FORMAT + 1)
    assert rulebook_key(rules_copy) != before


def test_the_same_content_elsewhere_shares_an_entry_with_its_own_paths(rules_copy, cache, tmp_path):
    import shutil

    other = tmp_path / "elsewhere"
    shutil.copytree(rules_copy, other)
    load_rulebook_cached(rules_copy)
    book = load_rulebook_cached(other)
    assert len(list(cache.glob("rulebook-*.json"))) == 1
    assert book.root == other and book.sources["vocabulary"].path == other / "vocabulary.yaml"


def test_a_damaged_entry_is_ignored_and_rebuilt(rules_copy, cache, yaml_reads):
    load_rulebook_cached(rules_copy)
    (entry,) = cache.glob("rulebook-*.json")
    entry.write_bytes(b'{"format": 1, "parts": ')
    book = load_rulebook_cached(rules_copy)
    assert book.rules and yaml_reads
    yaml_reads.clear()
    load_rulebook_cached(rules_copy)
    assert yaml_reads == []


def test_an_entry_is_validated_again_when_read(rules_copy, cache, yaml_reads):
    load_rulebook_cached(rules_copy)
    (entry,) = cache.glob("rulebook-*.json")
    entry.write_bytes(entry.read_bytes().replace(b'"day_one":"day_after_trigger"', b'"day_one":"some_day"', 1))
    yaml_reads.clear()
    book = load_rulebook_cached(rules_copy)
    assert yaml_reads, "an entry the rule-file models refuse is rebuilt from the files"
    _same(book, cr.load_rulebook(rules_copy))


def test_a_broken_rule_book_is_never_cached(rules_copy, cache):
    path = rules_copy / "commitments" / "foi-response.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Answer", "titel: Answer"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(cr.RuleValidationError, match="unknown key 'titel'"):
            load_rulebook_cached(rules_copy)
    assert not list(cache.glob("rulebook-*.json"))


@pytest.mark.parametrize("setting", ["off", "0", "false", "no"])
def test_the_cache_can_be_turned_off(rules_copy, monkeypatch, setting, yaml_reads):
    monkeypatch.setenv("CHARTER_RULES_CACHE", setting)
    assert rulebook_cache.cache_dir() is None
    load_rulebook_cached(rules_copy)
    yaml_reads.clear()
    load_rulebook_cached(rules_copy)
    assert yaml_reads, "with the cache off, every load reads the files"


def test_entries_are_private(rules_copy, cache):
    load_rulebook_cached(rules_copy)
    (entry,) = cache.glob("rulebook-*.json")
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_errors_after_a_cached_load_still_point_at_lines(rules_copy, cache):
    load_rulebook_cached(rules_copy)
    book = load_rulebook_cached(rules_copy)
    line, _ = book.sources["rule:foi-response"].locate(("versions", 0, "deadline", "unit"))
    text = (rules_copy / "commitments" / "foi-response.yaml").read_text(encoding="utf-8").splitlines()
    assert "unit:" in text[line - 1]


def test_default_location_is_the_user_cache_directory(monkeypatch):
    import platformdirs

    monkeypatch.delenv("CHARTER_RULES_CACHE", raising=False)
    assert rulebook_cache.cache_dir() == platformdirs.user_cache_path("charter-rules", appauthor=False)


def test_bank_holidays_kept_are_the_packages(monkeypatch):
    import holidays

    from charter_rules import calendars

    rows = calendars.export_bank_holidays(["ENG", "SCT"], [2026, 2027])
    monkeypatch.setattr(calendars, "_BANK_HOLIDAYS", {})
    calendars.import_bank_holidays(rows)
    for sub in ("ENG", "SCT"):
        for year in (2026, 2027):
            assert calendars._BANK_HOLIDAYS[(sub, year)] == dict(holidays.country_holidays("GB", subdiv=sub,
                                                                                          years=year))


@pytest.mark.parametrize("row", [["XYZ", 2026, []], ["ENG", "2026", []], ["ENG", 2026, [["26 March", "x"]]]])
def test_bank_holidays_of_the_wrong_shape_are_refused(row):
    from charter_rules import calendars

    with pytest.raises(ValueError):
        calendars.import_bank_holidays([row])


def test_a_command_on_a_cached_rule_book_needs_no_holidays_package(rules_copy, cache):
    import subprocess
    import sys

    load_rulebook_cached(rules_copy)
    program = (
        "import sys, datetime as dt\n"
        "from charter_rules import load_compiled, parse_snapshot, evaluate\n"
        f"book = load_compiled({str(rules_copy)!r})\n"
        "case = {'case_id': 'C1', 'kind': 'crime_report', 'received_at': '2026-03-26T09:00:00+00:00', 'facts': {}}\n"
        "evaluate(book, parse_snapshot(case, book), as_of=dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc))\n"
        "print('holidays' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_cached_rule_book_is_read_without_the_yaml_parser(rules_copy, cache):
    import subprocess
    import sys

    load_rulebook_cached(rules_copy)
    program = (
        "import sys\n"
        "from charter_rules import load_compiled\n"
        f"load_compiled({str(rules_copy)!r})\n"
        "print(sorted(name for name in ('yaml', 'charter_rules._yaml') if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
