"""A station's name search as a value: the people, their index, who is expected there, the
academy's key secret and the phone budgets — built by the reading desk, then answered on the
server's loop for every keystroke of every phone (no hop to the reader thread: in bench_room each
hop cost a queue entry, a thread wake-up and a loop wake-up). Pure: no Qt, no SQL, no network.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from stations.join.identity.guard import Client, Guard
from stations.join.identity.names import NameIndex
from stations.join.model import MAX_SUGGESTIONS, name_matches

NAMES_SPENT = "This phone has looked up enough names. Ask the facilitator to check you in."
SEVERAL = "Several people match. Type your full name."
TOO_SHORT = "Type at least two letters of your name."


def participant_key(secret: bytes, participant_id: int) -> str:
    """The key a phone carries for a person: unguessable, and not countable like an id."""
    digest = hmac.new(secret, f"participant:{participant_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


@dataclass(frozen=True)
class StationSearch:
    """Everything one station link's name search reads, valid until ``until`` (monotonic)."""
    academy_id: int
    index: NameIndex
    people: dict[int, tuple[str, bool]]   # participant id -> (name, walk-in?); never mutated
    expected: frozenset[int]              # the people the schedule expects at this station now
    secret: bytes
    guard: Guard | None                   # None: the facilitator's own desk, unlimited
    until: float                          # the reading desk would look at the data again then

    def answer(self, query: str, client: Client | None = None) -> dict:
        """The people the query names exactly enough (at most three, those expected here
        first), each with its key — within the phone's budget of names (``guard``)."""
        ids = name_matches(query, self.index, self.expected)
        if ids is None:
            return {"matches": [], "more": False, "hint": TOO_SHORT}
        if self.guard is not None and client is not None \
                and self.guard.exhausted(self.academy_id, client, ids):
            return {"matches": [], "more": False, "hint": NAMES_SPENT}   # the same, found or not
        if len(ids) > MAX_SUGGESTIONS:
            return {"matches": [], "more": True, "hint": SEVERAL}
        if ids and self.guard is not None and client is not None \
                and not self.guard.reveal(self.academy_id, client, ids):
            return {"matches": [], "more": False, "hint": NAMES_SPENT}
        return {"matches": [{"key": participant_key(self.secret, pid), "name": self.people[pid][0]}
                            for pid in ids], "more": False}
