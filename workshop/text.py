"""Text cleaning, in one place: what people type or import becomes safe plain text.

Accents and scripts are kept exactly (NFC). Characters are judged by their Unicode category
(``unicodedata.category``), not by a list of ranges, so that a character we never thought of
is still handled:

* dropped: Cc (controls), Cf (format: zero-width, bidi overrides such as U+202E and U+061C,
  word joiner U+2060, BOM U+FEFF, tag characters U+E0000–E007F used to smuggle hidden text),
  Co (private use), Cn (unassigned) and Cs (lone surrogates, which no file or database can
  store); and the blank-looking letters and marks in ``INVISIBLE`` (Hangul fillers, which make
  a name that looks empty);
* whitespace of any kind (Zs, Zl, Zp, tab) is one space in a line of text; ``clean_long``
  keeps line breaks;
* the reviewed allow-list, ``JOINERS``: ZWNJ U+200C and ZWJ U+200D stay where spelling needs
  them, between two letters or emoji (Persian "می‌خواهم", Indic conjuncts after a virama,
  emoji sequences such as 👩‍💻); anywhere else they only hide text and are dropped;
* variation selectors (U+FE00–FE0F, U+E0100–E01EF, Mongolian U+180B–180F; ❤️ needs U+FE0F) stay only right after a
  visible character: alone they are invisible.

Known cost, accepted: the England/Scotland/Wales flags are tag sequences and become 🏴.
Cleaning is idempotent (cleaning clean text changes nothing); the tests check it.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from workshop.errors import ValidationError

MAX_TEXT = 200
MAX_LONG = 4000

_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs"})
# Letters and marks (not Cf, so the category rule misses them) that draw nothing.
INVISIBLE = frozenset({
    "\u115f", "\u1160", "\u3164", "\uffa0",   # Hangul choseong/jungseong/compatibility fillers
    "\u034f",                                 # combining grapheme joiner
    "\u17b4", "\u17b5",                       # Khmer inherent vowels (invisible by design)
    "\u2800",                                 # braille pattern blank
})
JOINERS = frozenset({"\u200c", "\u200d"})     # ZWNJ, ZWJ: the reviewed allow-list
# Variation selectors, Mongolian ones included (U+180B–180D, U+180F).
_VARIATION = re.compile("[\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
# What a clean-looking text must not hold for the fast path to return it as it is: the
# invisible letters and marks, joiners and variation selectors (their fate depends on their
# neighbours, so the second pass judges them).
_SUSPECT = re.compile("[" + "".join(sorted(INVISIBLE | JOINERS)) + _VARIATION.pattern[1:])
_FILE_RESERVED = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _drawn(ch: str) -> bool:
    """A letter, mark or emoji a joiner may stand beside."""
    cat = unicodedata.category(ch)
    return cat[0] in "LM" or cat in ("So", "Sk")


def _strip_invisible(text: str, keep: str = "") -> str:
    """Drop what draws nothing or reorders text (see the module docstring); ``keep`` lists
    controls the caller handles itself (line breaks, tabs)."""
    if text.isascii():
        # Hand-written fast path (most stored text is ASCII, and every read cleans again: the
        # per-character category lookup below was most of reading a big pack's models). ASCII
        # holds no format, private, unassigned or invisible character, no joiner or selector,
        # and is already NFC: only its controls (Cc, exactly the unprintable ones) can go.
        if text.isprintable():
            return text
        return "".join(ch for ch in text if ch in keep or ch.isprintable())
    # Non-ASCII text that is clean already, as text read back from the database is (it was
    # cleaned when written, and every read cleans it again): ``str.isprintable`` is false
    # exactly for the categories dropped here (Cc, Cf, Co, Cn, Cs) and the separators (Zs, Zl,
    # Zp) but the ASCII space, so a printable text with nothing ``_SUSPECT`` that is NFC
    # comes out of both passes unchanged. A C-speed check instead of a category lookup a
    # character (``tests/workshop/test_text.py`` holds the equivalence).
    if _clean_already(text, keep):
        return text
    return _strip_slowly(text, keep)


def _clean_already(text: str, keep: str) -> bool:
    """True when ``_strip_slowly`` would return ``text`` unchanged (a sufficient check: a
    text it refuses goes the slow way, which may still keep every character)."""
    if not text.isprintable():
        if not keep or not text.translate(_without(keep)).isprintable():
            return False
    return _SUSPECT.search(text) is None and unicodedata.is_normalized("NFC", text)


@lru_cache(maxsize=8)
def _without(keep: str) -> dict[int, None]:
    """A ``str.translate`` table that deletes the characters of ``keep``."""
    return dict.fromkeys(map(ord, keep))


def _strip_slowly(text: str, keep: str = "") -> str:
    """``_strip_invisible`` character by character, by Unicode category."""
    # First pass: everything dropped by category or by name, except joiners and selectors.
    first = [ch for ch in text
             if ch in keep or ch in JOINERS or (
                 unicodedata.category(ch) not in _DROPPED_CATEGORIES and ch not in INVISIBLE)]
    # Second pass: joiners between drawn characters, selectors after a visible one. "Before"
    # is what was kept, "after" what the first pass kept, so a second cleaning keeps the same.
    out: list[str] = []
    for i, ch in enumerate(first):
        before = out[-1] if out else ""
        if ch in JOINERS:
            after = first[i + 1] if i + 1 < len(first) else ""
            if not (before and after and _drawn(before) and _drawn(after)
                    and unicodedata.category(after)[0] != "M"):
                continue
        elif _VARIATION.match(ch) and not (before and not before.isspace()
                                           and before not in JOINERS):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _clean_line(line: str) -> bool:
    """A line that cleaning leaves as it is, but for the joiners, selectors and NFC
    (``_clean_already``): printable (only the ASCII space is a printable space), no space at
    either end."""
    return line.isprintable() and line[:1] != " " and line[-1:] != " "


def _one_clean_line(text: str) -> bool:
    """``clean_text`` would return ``text`` as it is: a clean line, no two spaces together."""
    return _clean_line(text) and "  " not in text and (text.isascii()
                                                       or _clean_already(text, ""))


def _too_long(text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        raise ValidationError(f"{what} is too long ({len(text)} characters; at most {limit}).")


def clean_text(value: object, *, limit: int = MAX_TEXT, what: str = "Text") -> str:
    """Trim, NFC-normalise, make all whitespace one space and drop invisible characters."""
    if type(value) is str and len(value) <= limit and _one_clean_line(value):
        return value   # clean already (read back from the database): nothing would change
    text = "" if value is None else str(value)
    text = _strip_invisible(unicodedata.normalize("NFC", text), keep="\t\n\r\x0b\x0c")
    text = " ".join(text.split())
    _too_long(text, limit, what)
    return text


def clean_long(value: object, *, limit: int = MAX_LONG, what: str = "Text") -> str:
    """Like ``clean_text`` but keeps line breaks: these fields are paragraphs and lists."""
    if type(value) is str and len(value) <= limit and value[:1] != "\n" \
            and value[-1:] != "\n" and all(map(_clean_line, value.split("\n"))) \
            and (value.isascii() or _clean_already(value, "\n")):
        return value   # clean already (read back from the database): nothing would change
    text = "" if value is None else str(value)
    text = _LINE_BREAKS.sub("\n", text)
    text = _strip_invisible(unicodedata.normalize("NFC", text), keep="\n\t")
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n ")
    _too_long(text, limit, what)
    return text


def fold(text: str) -> str:
    """Case- and accent-insensitive key for matching names ("José" ~ "jose")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, Japanese kana, Han
# ideographs). No Unicode category says this, so it is a table of blocks: a word typed in these
# may sit anywhere inside a run of stored text, so searches match it as a substring.
_UNSPACED = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x3040, 0x30FF),
             (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
             (0xFF66, 0xFF9F), (0x20000, 0x3134F))


def unspaced(text: str) -> bool:
    """True when ``text`` has a letter of a script written without spaces between words."""
    return any(low <= ord(ch) <= high for ch in text if ord(ch) >= 0x0E00
               for low, high in _UNSPACED)


def word_runs(text: str) -> list[str]:
    """The words of ``text``: runs of letters, digits, emoji and other pictographs (So, and
    Sk for skin tones), and the marks and joiners inside them (a Thai vowel sign, a Devanagari
    virama or the ZWJ of 👩‍👩‍👧 is part of its word, not a break)."""
    out, run = [], []
    for ch in unicodedata.normalize("NFC", text):
        if (ch.isalnum() or ch in "\u200c\u200d"
                or unicodedata.category(ch) in ("Mn", "Mc", "Me", "So", "Sk")):
            run.append(ch)
        elif run:
            out.append("".join(run))
            run = []
    if run:
        out.append("".join(run))
    return out


def safe_filename(text: str, limit: int = 60) -> str:
    """A file name any OS accepts that still reads like the original (accents and scripts kept;
    path separators, reserved characters and trailing dots removed)."""
    text = unicodedata.normalize("NFC", text)
    text = _FILE_RESERVED.sub(" ", text)
    text = " ".join(text.split()).strip(" .")
    return text[:limit].rstrip(" .") or "untitled"


def plural(count: float, singular: str, many: str | None = None) -> str:
    """A count with its noun agreeing: ``1 school``, ``2 schools``, ``0 people`` (``many``
    for nouns that do not take an s: ``plural(n, "person", "people")``); a float count is
    written short (``1.5 minutes``)."""
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    return f"{shown} {singular if count == 1 else (many or singular + 's')}"


def shown(value: object, n: int = 40) -> str:
    """A value quoted back to the person on one line, cut short (a file's value can be megabytes;
    any line break, U+0085 and U+2028 included, becomes a space)."""
    text = " ".join(str(value).split())
    return text if len(text) <= n else text[: n - 1] + "…"
