"""Issue 19 item 6 (fourth pass): the Attendance page reads only the check-ins that changed since
its last redraw (``CheckInLog``), and always says what a full read says — through new taps,
repeated taps, undos, removed people, renames, merges and a new run."""
from __future__ import annotations

import random

from stations.repository.checkin_log import CheckInLog
from workshop.academy.model import Participant


def test_the_log_says_what_a_full_read_says_whatever_happens(ctx, academy):
    for i in range(12):
        ctx.academies.add_participant(academy.id, Participant(f"Person {i}"))
    ctx.join.links(academy.id)  # the stations exist
    repo, log, rng = ctx.join.repo, CheckInLog(ctx.db), random.Random(19)
    done = []

    def same(run: int = 1) -> None:
        people = repo.people(academy.id)
        where = {s.id: s.position for s in repo.stations(academy.id)}
        assert log.checkins(academy.id, run, people, where) == \
            repo.checkins(academy.id, run=run, people=people)

    same()
    for step in range(150):
        alive = list(repo.people(academy.id))
        what = rng.random()
        if what < 0.6:  # a tap, often a repeat (its row becomes the latest)
            done.append(ctx.join.check_in_for(academy.id, rng.choice(alive), rng.randint(1, 3)))
        elif what < 0.75 and done:  # Edit ▸ Undo of one of them
            ctx.join.undo_check_in(done.pop(rng.randrange(len(done))))
        elif what < 0.85:
            ctx.academies.edit_participant(rng.choice(alive), name=f"Renamed {step}")
        elif what < 0.9 and len(alive) > 3:  # a person removed takes their check-ins along
            ctx.academies.remove_participants([rng.choice(alive)])
        else:  # a walk-in, merged into someone on the roster
            walk_in = ctx.join.record_walk_in(academy.id, f"Walk In {step}", rng.randint(1, 3))
            people = repo.people(academy.id)
            pid = next(p for p, (name, _) in people.items() if name == walk_in["name"])
            ctx.join.merge_walk_in(academy.id, pid, rng.choice(alive))
        same()
    same(run=2)  # "Start again": another run, nobody there yet
    same()


def test_a_redraw_reads_only_what_is_new(ctx, academy):
    ids = [ctx.academies.add_participant(academy.id, Participant(f"Person {i}")).id
           for i in range(5)]
    ctx.join.links(academy.id)
    repo, log = ctx.join.repo, CheckInLog(ctx.db)
    people = repo.people(academy.id)
    where = {s.id: s.position for s in repo.stations(academy.id)}
    for pid in ids[:4]:
        ctx.join.check_in_for(academy.id, pid, 1)
    first = log.checkins(academy.id, 1, people, where)
    ctx.join.check_in_for(academy.id, ids[4], 2)
    second = log.checkins(academy.id, 1, people, where)
    assert len(second) == 5 and all(a is b for a, b in zip(first, second))  # kept, not re-read
    assert second[-1].participant_id == ids[4]
