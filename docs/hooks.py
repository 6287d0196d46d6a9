"""mkdocs hook: the generated navigation file (SUMMARY.md, read by literate-nav) is not a page of its own."""

from mkdocs.structure.files import InclusionLevel


def on_nav(nav, config, files):  # noqa: ANN001, ANN201 - mkdocs hook signature
    summary = files.get_file_from_path("SUMMARY.md")
    if summary is not None:
        summary.inclusion = InclusionLevel.EXCLUDED
    return nav
