"""Generate every rule page and reference page at build time (run by the mkdocs-gen-files plugin).

Nothing generated is written into docs/: the pages exist only inside the build. The rule book is the bundled rules/
or, if set, the directory in the CHARTER_RULES_DIR environment variable (``charter-rules docs build --rules DIR``).
"""

import os
from pathlib import Path

import mkdocs_gen_files

from charter_rules import load_compiled
from charter_rules.cli import app
from charter_rules.docgen import load_charter, load_findings, write_site_pages
from charter_rules.docgen.site import RULES_DIR_ENV, settings_from_environment


def _read(path: str) -> str:
    with mkdocs_gen_files.open(path, "r") as handle:
        return handle.read()


book = load_compiled(os.environ.get(RULES_DIR_ENV) or None, settings=settings_from_environment())
write_site_pages(book, mkdocs_gen_files.open, _read, load_charter(book), load_findings(book), app,
                 docs_dir=Path(mkdocs_gen_files.config.docs_dir))
