"""The phone's name search: which roster names a typed query names *exactly enough*.

Pure (no Qt, no SQL, no network). Names and queries are compared as keys: case and accents
folded (``workshop.text.fold``), the joiners ZWNJ and ZWJ dropped (a Persian surname is typed
with its ZWNJ, with a space or with neither), and a run of Chinese characters split into one
word per character — each character is a syllable of the name, so “张伟” and “张 伟” are the
same name, and one character (“张”) is a whole word, as “Maria” is.
"""
from __future__ import annotations

from workshop.academy.model import MAX_NAME
from workshop.text import clean_text, fold

MIN_SEARCH_LETTERS = 2
# Han ideographs (CJK Unified blocks and compatibility ideographs). No Unicode property
# says "one syllable per character", so these are the blocks.
_HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_JOINERS = str.maketrans("", "", "\u200c\u200d")


def _han(ch: str) -> bool:
    code = ord(ch)
    return code >= 0x3400 and any(low <= code <= high for low, high in _HAN)


def name_words(text: str) -> tuple[str, ...]:
    """The folded words of a name or a query, each Han character a word of its own."""
    words: list[str] = []
    for word in fold(text).translate(_JOINERS).split():
        run = ""
        for ch in word:
            if _han(ch):
                if run:
                    words.append(run)
                    run = ""
                words.append(ch)
            else:
                run += ch
        if run:
            words.append(run)
    return tuple(words)


def _letters(words: tuple[str, ...]) -> int:
    # A Han character is a syllable: it counts as the two letters a search needs.
    return sum(MIN_SEARCH_LETTERS if _han(ch) else ch.isalnum() for word in words for ch in word)


class NameIndex:
    """The roster's names as search keys, built once per change of the people: the whole name,
    the first word, and each run of first words with the start (up to START letters) of a
    later word map to the people who have them. Looked up rather than scanned: comparing all
    1,000 names on every search was a third of the reader's time in bench_room."""

    START = 3  # letters of a later word indexed ("Maria N", "Maria Nu", "Maria Nuñ…")

    def __init__(self, names: dict[int, str]):
        self.entries: list[tuple[int, tuple[str, ...], str]] = []
        self.by_whole: dict[str, set[int]] = {}     # words joined without spaces -> entries
        self.by_first: dict[str, set[int]] = {}     # the first word -> entries
        self.by_start: dict[tuple[tuple[str, ...], str], set[int]] = {}  # (first words, start)
        for pid, name in names.items():
            words = name_words(name)
            at = len(self.entries)
            self.entries.append((pid, words, "".join(words)))
            self.by_whole.setdefault("".join(words), set()).add(at)
            if words:
                self.by_first.setdefault(words[0], set()).add(at)
            for k in range(1, len(words)):
                for later in words[k:]:
                    for m in range(1, min(self.START, len(later)) + 1):
                        self.by_start.setdefault((words[:k], later[:m]), set()).add(at)

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def candidates(self, q: tuple[str, ...]) -> set[int]:
        """Entries the query could name (a superset of ``name_matches``'s hits): its whole, its
        first words and the start of its last, or its one word as a first name."""
        found = set(self.by_whole.get("".join(q), ()))
        if len(q) >= 2:
            found |= self.by_start.get((q[:-1], q[-1][:self.START]), set())
        elif len(q) == 1:
            found |= self.by_first.get(q[0], set())
        return found


def name_index(names: dict[int, str]) -> NameIndex:
    """The search keys of ``names`` — built once, searched on every keystroke."""
    return NameIndex(names)


def name_matches(query: str, names: dict[int, str] | list,
                 expected: frozenset[int] | set[int] = frozenset()) -> list[int] | None:
    """Ids whose name the query names *exactly enough* (case and accents ignored), best first.

    Exactly enough is: the whole name (spaces optional, so "张伟" finds "张 伟"); or its first
    word(s) in full and then the start of a later word — "Maria N", "Ana López", "Ana María L",
    "שרה כ"; or, for the people ``expected`` at this station now, their first name alone
    ("张" for 张 伟). A prefix such as "ma" or "mar" names nobody: a phone cannot list the
    roster by crawling letters (issue 12). ``names``: {id: name} or a ``name_index``.

    None when the query has fewer than two letters or digits (one Chinese character is enough).
    """
    text = clean_text(query, limit=10**6)  # the server caps a query's length before this
    q = name_words(text)
    if _letters(q) < MIN_SEARCH_LETTERS:
        return None
    if len(text) > MAX_NAME:  # longer than any name: it names nobody (not an error)
        return []
    joined = "".join(q)
    index = names if isinstance(names, NameIndex) else name_index(
        names if isinstance(names, dict) else {pid: " ".join(words) for pid, words, _ in names})
    hits = []
    for at in index.candidates(q):
        pid, words, whole = index.entries[at]
        rank = match_rank(q, joined, words, whole, pid in expected)
        if rank is not None:
            hits.append((rank, pid not in expected, whole, pid))
    return [pid for *_, pid in sorted(hits)]


def match_rank(q: tuple[str, ...], joined: str, words: tuple[str, ...], whole: str,
               expected_here: bool) -> int | None:
    """How exactly query words ``q`` (``joined``: without spaces) name a person whose name has
    ``words`` (``whole``: joined): 0 the whole name, 1 its first words and the start of a later
    one, 2 the first name alone of someone expected here; None when they do not name them."""
    if joined == whole:
        return 0
    if (len(q) >= 2 and len(words) >= len(q) and tuple(q[:-1]) == words[:len(q) - 1]
            and any(w.startswith(q[-1]) for w in words[len(q) - 1:])):
        return 1
    if expected_here and len(q) == 1 and words and words[0] == q[0]:
        return 2
    return None


def _plain_words(name: str) -> list[str]:
    """A name's folded words without punctuation ("Zoë B." → ["zoe", "b"])."""
    return [w for w in ("".join(ch for ch in word if ch.isalnum()) for word in fold(name).split())
            if w]


def merge_candidates(people: dict[int, tuple[str, bool]], walk_in_id: int,
                     typed: str | None = None) -> list[int]:
    """Roster people (``people``: id -> (name, walk-in?)) the walk-in may really be, best first:
    every word typed (the walk-in's own name unless ``typed``) starts the same word of the
    roster name, case, accents and dots ignored ("Zoe B." → "Zoë Brennan")."""
    if walk_in_id not in people:
        return []
    query = _plain_words(typed if typed is not None else people[walk_in_id][0])
    if not query:
        return []
    hits = []
    for pid, (name, walk_in) in people.items():
        words = _plain_words(name)
        if walk_in or len(words) < len(query):
            continue
        if words[0] == query[0] and all(w.startswith(q) for q, w in zip(query[1:], words[1:])):
            hits.append((0, fold(name), pid))
        elif all(any(w.startswith(q) for w in words) for q in query):
            hits.append((1, fold(name), pid))
    return [pid for *_, pid in sorted(hits)]
