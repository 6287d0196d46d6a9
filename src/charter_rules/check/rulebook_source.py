"""Where a rule book comes from: a folder, or ``git:REV`` (the rules/ folder at a git revision).

``git:REV`` reads ``rules/`` of the git repository around the current folder as it was at revision REV (a commit,
tag or branch, e.g. ``git:HEAD~1`` or ``git:v1.2``); ``git:REV:PATH`` reads another folder. The files are taken
with ``git archive`` into a temporary folder that is removed when the rule book has been compiled.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .._api import load_compiled
from ..compiled import CompiledRulebook
from ..errors import CharterRulesError

GIT_PREFIX = "git:"


class RulebookSourceError(CharterRulesError):
    """A rule book named on the command line cannot be found (no such folder, not a git repository, bad revision)."""


@dataclass(frozen=True)
class NamedRulebook:
    label: str  # as the user gave it: "rules/" or "git:HEAD~1"
    book: CompiledRulebook


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise RulebookSourceError("git is not installed, so a git:REV rule book cannot be read") from None


def _git_rulebook(spec: str, cwd: Path) -> CompiledRulebook:
    revision, _, folder = spec[len(GIT_PREFIX):].partition(":")
    folder = folder.strip("/") or "rules"
    if not revision or revision.startswith("-"):
        raise RulebookSourceError(f"{spec!r}: give a revision after git:, e.g. git:HEAD~1 or git:main")
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise RulebookSourceError(f"{spec}: {cwd} is not inside a git repository; run the command from the "
                                  "repository, or give the rule book as a folder")
    root = Path(top.stdout.decode().strip())
    commit = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root)
    if commit.returncode != 0:
        raise RulebookSourceError(f"{spec}: {revision!r} is not a revision of the repository at {root} "
                                  "(try a commit id, a tag, a branch or HEAD~1)")
    sha = commit.stdout.decode().strip()
    archive = _git(["archive", "--format=tar", sha, "--", folder], root)
    if archive.returncode != 0:
        raise RulebookSourceError(f"{spec}: the revision {sha[:12]} has no folder {folder}/ "
                                  f"({archive.stderr.decode(errors='replace').strip()})")
    with tempfile.TemporaryDirectory(prefix="charter-rules-") as temp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(temp, filter="data")
        return load_compiled(Path(temp) / folder)


def load_named(spec: str, *, cwd: Path | None = None) -> NamedRulebook:
    """The rule book named by ``spec``: a folder, or git:REV[:PATH]."""
    if spec.startswith(GIT_PREFIX):
        return NamedRulebook(spec, _git_rulebook(spec, cwd or Path.cwd()))
    if not Path(spec).is_dir():
        raise RulebookSourceError(f"{spec}: no such rule book folder (give a folder such as rules/, or git:REV)")
    return NamedRulebook(spec, load_compiled(spec))
