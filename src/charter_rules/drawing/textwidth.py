"""How wide a line of text is drawn, estimated without a browser, so pictures can be laid out before they are shown.

Widths are advance widths in thousandths of the font size, measured in Chromium for DejaVu Sans (the widest common
sans-serif, the one Debian's Chromium uses for ``system-ui``) and Liberation Sans (Arial's metrics), taking the wider of
the two for each character, so an estimate is never narrower than the drawn text in either. A character not in the
table counts as wide as ``M``.
"""

from __future__ import annotations

_CHARS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~’‘“”–—…éèáàöü£€·×→✔✘'
_REGULAR = (318,401,460,838,636,950,780,275,390,390,500,838,318,361,318,337,636,636,636,636,636,636,636,636,636,636,337,337,838,838,838,556,1015,684,686,722,770,667,611,778,752,295,500,667,557,863,748,787,667,787,722,667,611,732,684,989,685,667,685,390,337,390,838,556,500,613,635,550,635,615,352,635,634,278,278,579,278,974,634,612,635,635,411,521,392,634,592,818,592,592,525,636,337,636,838,318,318,518,518,556,1000,1000,615,615,613,613,612,634,636,636,318,838,1000,838,838)
_BOLD = (348,456,521,838,696,1002,872,306,457,457,523,838,380,415,380,365,696,696,696,696,696,696,696,696,696,696,400,400,838,838,838,611,1000,774,762,734,830,683,683,821,837,372,556,775,637,995,837,850,733,850,770,720,682,812,774,1103,771,724,725,457,365,457,838,556,500,675,716,593,716,678,435,716,712,343,343,665,343,1042,712,687,716,716,493,595,478,712,652,924,645,652,582,712,365,712,838,380,380,657,657,556,1000,1000,678,678,675,675,687,712,696,696,380,838,1000,838,838)
_WIDE = _REGULAR[_CHARS.index("M")] / 1000
REGULAR = {c: w / 1000 for c, w in zip(_CHARS, _REGULAR)}
BOLD = {c: w / 1000 for c, w in zip(_CHARS, _BOLD)}
REGULAR["\u00a0"], BOLD["\u00a0"] = REGULAR[" "], BOLD[" "]  # a no-break space keeps words together in ``wrap``


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in pixels of ``text`` drawn at ``size`` pixels, never less than the drawn width."""
    table = BOLD if bold else REGULAR
    return sum(table.get(c, _WIDE) for c in text) * size


def wrap(text: str, size: float, max_width: float, *, bold: bool = False) -> list[str]:
    """``text`` broken into lines at spaces (not at no-break spaces), each no wider than ``max_width`` where a single
    word allows it."""
    lines: list[str] = []
    current = ""
    for word in (w for w in text.split(" ") if w):
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold=bold) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]
