"""Which academies have a rotation running now, read from the log alone: the window's start
asks it of every academy before its first frame, and building the rotation service for that
(its reader, schedule, settings, the stations service) was ~9 ms of it (issue 20). The answer
is ``RotationService.state(academy_id).running``'s: the same fold of the current run's events
at the same now (``reader.state_at``)."""
from __future__ import annotations


def running_academies(db, clock, academy_ids: list[int]) -> list[int]:
    """Those of ``academy_ids`` whose rotation is in a round, a transition or the debrief
    (the timer's modules load here: the demo's start, which has none, imports none)."""
    from stations.repository.rotation import RotationRepository
    from stations.rotation.countdown import RUNNING, Timeline
    from stations.rotation.reader import state_at
    repo, now = RotationRepository(db), Timeline(clock).now()
    running = []
    for academy_id in academy_ids:
        latest = repo.latest(academy_id)
        if latest is not None and state_at(repo.events(latest[0]), now).phase in RUNNING:
            running.append(academy_id)   # (None: never started)
    return running
