"""The window's start reads which rotations are running from the log alone
(stations.rotation.running, issue 20): the same answer as the rotation service's timer, in every
phase, for every academy, after a pause, an end, a restart, and the clock running out."""
from __future__ import annotations

from stations.rotation.running import running_academies
from workshop.academy.model import Participant


def answers(ctx, clock, ids):
    light = running_academies(ctx.db, clock, ids)
    assert light == [i for i in ids if ctx.rotation.state(i).running]
    return light


def test_the_log_alone_answers_as_the_rotation_service(ctx, clock, demo_academy):
    other = ctx.academies.create("Spring Academy")   # never started
    for n in range(6):
        ctx.academies.add_participant(other.id, Participant(name=f"P{n}", school=f"S{n % 3}"))
    ids = [demo_academy.id, other.id]
    assert answers(ctx, clock, ids) == []
    ctx.rotation.start(demo_academy.id)
    assert answers(ctx, clock, ids) == [demo_academy.id]
    ctx.rotation.start(other.id)
    clock.advance(120)
    assert answers(ctx, clock, ids) == ids
    ctx.rotation.pause(other.id)
    clock.advance(600)
    assert answers(ctx, clock, ids) == ids          # paused is still running
    ctx.rotation.end(other.id)
    assert answers(ctx, clock, ids) == [demo_academy.id]
    clock.advance(24 * 3600)                        # every phase's deadline has passed
    assert answers(ctx, clock, ids) == []
    ctx.rotation.start(other.id)                    # a second run of the same academy
    assert answers(ctx, clock, ids) == [other.id]
