"""Readiness answers in words: "planning to implement next year" → planning (pure).

Registration forms ask how ready a participant is in free text or on a numbered scale; this
reads either as one of the three stages, and says so when it had to guess.
"""
from __future__ import annotations

import re

from workshop.text import fold
from workshop.academy.roster.csvfile import quoted

_STAGE_WORDS = [
    ("implementing", r"implement|already|in place|under ?way|rolled out|rolling out|scal(e|ing)|"
                     r"fully|we are doing|currently (using|doing|piloting)|piloting|launched|"
                     r"established|well on our way|advanced"),
    ("planning", r"plan|prepar|getting ready|design(ing)?\b|next (year|term|semester)|"
                 r"about to|ready to (start|begin|try)|pilot|starting soon|mapping out"),
    ("exploring", r"explor|curious|just (starting|beginning|learning)|new to|learning about|"
                  r"beginn|early|thinking about|unsure|not sure|no idea|haven'?t|have not|"
                  r"interested|investigat|researching|aware|started looking"),
]
_NEGATION = re.compile(r"\b(not yet|not|no|haven'?t|have not|isn'?t|aren'?t|without)\s+(\w+\s+)?$")


def readiness_from_text(text: str, scale_max: int = 3) -> tuple[str | None, str]:
    """The stage a free-text answer means, and a note when it had to guess.

    Returns (stage, "") when clear, (None, "") for an empty answer (use the default) and
    (None, note) when nothing in it names a stage. The earliest stage word wins ("planning to
    implement" → planning); a negated word is passed over ("not yet implementing" → exploring).
    A number is read on the column's scale (1–3, or 1–5 as in a Google Forms linear scale).
    """
    answer = fold(text)
    if not answer:
        return None, ""
    if re.fullmatch(r"\d+", answer):
        n = int(answer)
        if scale_max > 3:
            return ("exploring" if n <= 2 else "planning" if n == 3 else "implementing"), ""
        return ("exploring", "planning", "implementing")[max(0, min(n, 3) - 1)], ""
    hits = []
    negated = False
    for stage, pattern in _STAGE_WORDS:
        for m in re.finditer(pattern, answer):
            if _NEGATION.search(answer[:m.start()]):
                negated = True
                continue
            hits.append((m.start(), stage))
    if hits:
        return min(hits)[1], ""
    if negated:
        return "exploring", ""
    return None, f"readiness “{quoted(text)}” not understood, set to exploring"

