"""Memos in reportlab's writer, byte for byte the same output (issue 20).

reportlab's number formatting and string escaping run in C (``rl_accel``, pinned since the fifth
pass of issue 20; a test holds that reportlab finds it). What is left here is two results that
are pure functions of their input and that a pack computes again and again: a font's subset file
for a list of characters, and an escaped PDF name.
"""
from __future__ import annotations

from typing import Callable

_SUBSETS_PER_FACE = 512   # a face's subset files remembered (a few to 30 KB each)
_NAMES_LIMIT = 10_000


def _remembered_subsets(original: Callable[..., bytes]) -> Callable[..., bytes]:
    def makeSubset(self, subset):
        """reportlab's subset file of a face for these characters in this order, made once a
        process: every document of a pack embeds its own subsets, and documents of one kind
        use the same characters in the same order (a team folder's subsets differ by the
        team's names). The file is a function of the face and the list alone."""
        memo = self.__dict__.setdefault("_workshop_subsets", {})
        key = tuple(subset)
        found = memo.get(key)
        if found is None:
            found = original(self, subset)
            if len(memo) >= _SUBSETS_PER_FACE:
                memo.clear()
            memo[key] = found
        return found
    return makeSubset


def _remembered_names(original: Callable[[str], str]) -> Callable[[str], str]:
    names: dict[str, str] = {}

    def PDFName(data):
        """reportlab's escaped PDF name, remembered: every dictionary key of every object is
        escaped a character at a time each time a document is written."""
        found = names.get(data) if type(data) is str else None
        if found is None:
            found = original(data)
            if type(data) is str and len(names) < _NAMES_LIMIT:
                names[data] = found
        return found
    return PDFName


def _install_writers() -> None:
    """The subset and name memos, in reportlab's writer (with or without the C helpers)."""
    from reportlab.pdfbase import pdfdoc, ttfonts
    for owner, name, make in ((ttfonts.TTFontFile, "makeSubset", _remembered_subsets),
                              (pdfdoc, "PDFName", _remembered_names)):
        current = getattr(owner, name)
        if not getattr(current, "_workshop", False):
            fast = make(current)
            fast.__dict__.update(_workshop=True, __wrapped_original__=current)
            setattr(owner, name, fast)


def install() -> None:
    """Put the memos in reportlab's writer. Idempotent."""
    _install_writers()


install()
