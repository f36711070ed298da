"""The demo's day in the room, simulated: the rotation runs on an accelerated clock while the
participants' phones check in at their stations and, during the debrief, send reflections.

Everything goes through the same services the window and the phones use (rotation, join), so
the debrief handout of the demo shows real planned-against-actual times, real check-ins and
moderated reflections. Deterministic for a seed.
"""
from __future__ import annotations

import random
from typing import Callable

REFLECTIONS = {
    "targeted": [
        "Being taught exactly where I was felt like relief — nobody was waiting for me.",
        "The mini-lesson hit the gap I didn't know I had.",
        "I felt seen. The exit ticket told the facilitator more than a show of hands would.",
        "A little exposed at first, then focused.",
    ],
    "independent": [
        "I liked choosing my own path, but I wanted a checkpoint halfway through.",
        "Owning my pace was freeing; the tracker kept me honest.",
        "I went faster than I expected & skipped what I already knew.",
        "Without a clear goal I wandered — students would too.",
    ],
    "collaborative": [
        "Learning from peers at other schools gave me three ideas to steal.",
        "Agreeing on one idea was harder than it looked — good practice for students.",
        "Our group needed roles; two voices carried the table.",
        "The challenge card made the talk concrete.",
    ],
}
MISSING_EVERY = 11       # about one person in eleven forgets to scan in a round
ANONYMOUS_EVERY = 3      # every third reflection is sent anonymously


def run_demo_rotation(rotation, join, jump: Callable[[float], None], academy_id: int, *,
                      seed: int = 7, say: Callable[[str], None] = lambda text: None) -> dict:
    """Start the academy's rotation and run it to the end.

    ``jump(seconds)`` moves the shared clock forward. Round 2 is extended by a minute and
    round 3 paused for 45 s, as facilitators do, so planned and actual times differ. Returns
    counts of what was recorded.
    """
    rng = random.Random(seed)
    rotation.start(academy_id)
    schedule = rotation.plan(academy_id)
    members = {g.index: list(g.member_ids) for g in schedule.groups}
    checkins = reflections = 0
    visited: dict[int, list[int]] = {}   # participant -> stations checked in at
    handled: set[tuple[str, int]] = set()
    while True:
        snap = rotation.snapshot(academy_id)
        if snap.phase in ("ready", "finished"):
            break
        key = (snap.phase, snap.round_number)
        if key not in handled:
            handled.add(key)
            if snap.phase == "round":
                checkins += _arrive(join, jump, academy_id, schedule, members,
                                    snap.round_number, rng, visited)
                if snap.round_number == 2:
                    rotation.adjust(academy_id, 60)
                    say("Round 2: the facilitator added a minute.")
                if snap.round_number == 3:
                    rotation.pause(academy_id)
                    jump(45)
                    rotation.resume(academy_id)
                    say("Round 3: paused for 45 seconds.")
            elif snap.phase == "debrief":
                reflections = _reflect(join, academy_id, schedule, visited, rng)
                say(f"Debrief: {reflections} reflections sent.")
        remaining = rotation.snapshot(academy_id).remaining_s
        jump(max(remaining, 0.001))
        rotation.record_due(academy_id)
    return {"checkins": checkins, "reflections": reflections}


def _arrive(join, jump, academy_id, schedule, members, round_number, rng, visited) -> int:
    """Members reach their station over the first two minutes of the round."""
    plan = schedule.rounds[round_number - 1]
    arrivals = []
    for g, people in members.items():
        for pid in people:
            if rng.randrange(MISSING_EVERY) == 0:
                continue
            arrivals.append((rng.uniform(5, 110), pid, plan.stations[g]))
    elapsed = 0.0
    for at, pid, position in sorted(arrivals):
        jump(at - elapsed)
        elapsed = at
        join.record_checkin(academy_id, pid, position)
        visited.setdefault(pid, []).append(position)
    return len(arrivals)


def _reflect(join, academy_id, schedule, visited, rng) -> int:
    """About half the people reflect on one station they checked in at (phones may only
    reflect on a visited station)."""
    kinds = {s.position: s.kind for s in schedule.stations}
    sent = 0
    for pid, positions in sorted(visited.items()):
        if rng.random() < 0.45:
            continue
        position = rng.choice(positions)
        text = rng.choice(REFLECTIONS.get(kinds[position], REFLECTIONS["collaborative"]))
        join.record_reflection(academy_id, pid, position, text,
                               anonymous=sent % ANONYMOUS_EVERY == ANONYMOUS_EVERY - 1)
        sent += 1
    # The facilitator hides one reflection (moderation): it stays in the database, off paper.
    shown = join.reflections(academy_id)
    if shown:
        join.set_hidden(shown[0].id, True)
    return sent
