"""Faster stand-ins for reportlab's pure-Python helpers, byte for byte the same output.

reportlab formats every coordinate, width and colour it writes with ``fp_str`` and escapes
every string with ``escapePDF``. Without its C accelerator (the ``rl_accel`` package, once not
bundled) these run in Python and were about a sixth of a pack's rendering CPU (issue 20).
A handout repeats the same few thousand numbers (margins, rules, font sizes, line positions),
so ``fp_str`` remembers each number's text, computed by reportlab's own function; ``escapePDF``
is one ``str.translate`` with reportlab's own table. When the C accelerator is
installed (``rl_accel``, pinned since the fifth pass of issue 20), reportlab's functions are
left as they are. Either way the writer remembers two results that are pure functions of
their input: a font's subset file for a list of characters, and an escaped PDF name.
"""
from __future__ import annotations

import sys
from typing import Callable

from reportlab.lib import rl_accel

_CACHE_LIMIT = 50_000   # distinct numbers; a 40-team pack has about 15 000


def _fast_fp_str(original: Callable[..., str]) -> Callable[..., str]:
    cache: dict[object, str] = {}

    def fp_str(*a: object) -> str:
        """Numbers as reportlab writes them, "1.5 0 .25"; each number's text remembered."""
        if len(a) == 1 and isinstance(a[0], (tuple, list)):
            a = tuple(a[0])
        parts = []
        for number in a:
            try:
                text = cache[number]
            except (KeyError, TypeError):   # new, or unhashable: reportlab decides
                text = original(number)
                if len(cache) < _CACHE_LIMIT and type(number) in (int, float):
                    cache[number] = text
            parts.append(text)
        return " ".join(parts)
    return fp_str


def _fast_escape(original: Callable[[object], str]) -> Callable[[object], str]:
    table = {c: original(chr(c)) for c in range(256)}   # reportlab's own table covers 0–255

    def escapePDF(s: object) -> str:
        """reportlab's escaping; text of code points below 256 and bytes (what a font subset
        writes) through one translate with reportlab's own table, anything else as reportlab
        does."""
        if type(s) is str and (not s or max(s) < "\u0100"):
            return s.translate(table)
        if type(s) is bytes:
            # A TrueType subset's codes (every string a handout draws): each byte is its own
            # code point, so latin-1 maps byte c to chr(c) and the same table applies.
            return s.decode("latin-1").translate(table)
        return original(s)
    return escapePDF


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
    """Put the stand-ins in reportlab, in every module that has already imported the helpers
    by name as well as in ``rl_accel`` for those imported later. Idempotent."""
    _install_writers()
    replacements = {}
    for name, make in (("fp_str", _fast_fp_str), ("escapePDF", _fast_escape)):
        current = getattr(rl_accel, name)
        if name in rl_accel._c_funcs or getattr(current, "_workshop", False):
            continue   # the C accelerator is there, or this already ran
        fast = make(current)
        fast.__dict__["_workshop"] = True   # marks ours, so a second install() is a no-op
        replacements[current] = fast
        setattr(rl_accel, name, fast)
    if not replacements:
        return
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("reportlab.") and module is not None:
            for name in ("fp_str", "escapePDF"):
                current = getattr(module, name, None)
                if current in replacements:
                    setattr(module, name, replacements[current])


install()
