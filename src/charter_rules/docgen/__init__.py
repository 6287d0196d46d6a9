"""The documentation site for policy officers, generated from the rule book so it cannot drift from the evaluator.

* ``logic.RuleWords``: a compiled rule in plain English (who, when the clock starts, what meets it, the deadline and
  how it is counted, pauses, variants, exceptions, repetition, the at-risk point).
* ``timeline_svg.timeline_svg``: an evaluated worked example drawn as a timeline (the shared drawing).
* ``rule_page``, ``reference_pages``, ``charter_pages``, ``format_page``, ``dev_pages``: the page writers.
* ``site.generated_pages`` / ``site.write_site_pages``: every generated page at once; ``docs/gen_pages.py`` calls
  them from mkdocs, and ``site.build_site`` / ``site.serve_site`` run mkdocs (``charter-rules docs build|serve``).
"""

from __future__ import annotations

from .charter_index import load_charter, load_findings
from .logic import RuleWords
from .refs import Refs
from .rule_page import rule_page
from .site import build_site, generated_pages, serve_site, write_site_pages
from .timeline_svg import timeline_svg

__all__ = [
    "Refs",
    "RuleWords",
    "build_site",
    "generated_pages",
    "load_charter",
    "load_findings",
    "rule_page",
    "serve_site",
    "timeline_svg",
    "write_site_pages",
]
