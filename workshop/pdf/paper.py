"""Paper sizes: A4 and US Letter. The default follows the locale, as printers' drivers do."""
from __future__ import annotations

import os

# reportlab's own definitions (reportlab.lib.units, .pagesizes), written out so that the paper
# choice (the Handouts page, the CLI's --paper) loads without reportlab; a test compares them.
_INCH = 72.0
_MM = _INCH / 2.54 * 0.1
A4 = (210 * _MM, 297 * _MM)
letter = (8.5 * _INCH, 11 * _INCH)

PAPERS = {"a4": A4, "letter": letter}
PAPER_LABELS = {"a4": "A4 (210 × 297 mm)", "letter": "US Letter (8.5 × 11 in)"}
# Regions whose printers are loaded with Letter (everywhere else uses A4).
LETTER_REGIONS = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR", "SV"})


def default_paper(environ: dict[str, str] | None = None, region: str | None = None) -> str:
    """``"letter"`` or ``"a4"``: ``WORKSHOP_PAPER`` if set, else from the locale's region
    (``LC_ALL``, then ``LC_PAPER``, then ``LANG``: ``en_US.UTF-8`` → letter), else from
    ``region`` (a country code the caller knows, e.g. from the desktop's locale), else A4."""
    env = os.environ if environ is None else environ
    chosen = env.get("WORKSHOP_PAPER", "").strip().lower()
    if chosen in PAPERS:
        return chosen
    for var in ("LC_ALL", "LC_PAPER", "LANG"):
        value = env.get(var, "")
        if not value or value in ("C", "POSIX") or value.startswith("C."):
            continue
        found = value.split(".")[0].split("@")[0].partition("_")[2].upper()
        return "letter" if found in LETTER_REGIONS else "a4"
    return "letter" if (region or "").upper() in LETTER_REGIONS else "a4"


def page_size(paper: str) -> tuple[float, float]:
    """The page size of "a4" or "letter" in points; ValueError for any other paper."""
    try:
        return PAPERS[paper]
    except KeyError:
        raise ValueError(f"Paper is one of {', '.join(PAPERS)} (got “{paper}”).") from None
