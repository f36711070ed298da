"""Personal links: a participant's own QR code (on their group card) tells a phone who it is.

Scanning it once makes the phone remember its person, as finding one's name does, so every
station scan afterwards is one tap ("Check in as Zoë Adams") with no name search. The token is
192 random bits per person (``join_personal``), nothing a phone could count through, and it
reveals only its own person: the search budget is untouched. A phone already acting as someone
else is refused, as a check-in would be (one phone, one person).
"""
from __future__ import annotations

from stations.join.desk import JoinDesk, NotFound
from stations.join.identity.guard import Client
from stations.join.model import Refused

MIN_TOKEN, MAX_TOKEN = 16, 64


def personal(desk: JoinDesk, token: str, client: Client | None) -> dict:
    """What the personal page of ``token`` shows: the academy, the person and their key.
    Raises NotFound for an unknown token, Refused (409) for a phone bound to someone else."""
    found = (desk.repo.person_for_personal(token) if MIN_TOKEN <= len(token) <= MAX_TOKEN
             else None)
    if found is None:
        raise NotFound(token)
    academy_id, pid = found
    people = desk.view(academy_id).people
    if pid not in people:  # added since the shared view was read
        desk.forget()
        people = desk.view(academy_id).people
    if pid not in people:
        raise NotFound(token)
    bound = desk.guard.bound(academy_id, client) if desk.guard and client else None
    if bound is not None and bound != pid:
        other = people.get(bound, ("someone else", False))[0]
        raise Refused(409, f"This phone is checked in as {other}. "
                           "Ask the facilitator to check in someone else.")
    return {"academy": desk.repo.academy_title(academy_id),
            "person": {"name": people[pid][0], "key": desk.key_of(academy_id, pid)},
            "academy_id": academy_id}
