"""While a server runs, full collections walk only what is new (workshop.net.collector)."""
from __future__ import annotations

import gc
import weakref

from workshop.net import collector
from workshop.net.server import LanServer


def test_a_full_collection_freezes_what_survived_and_stopping_unfreezes():
    before = gc.get_freeze_count()
    collector.serving()
    try:
        assert collector.frozen()
        kept = [[i] for i in range(1000)]   # alive: survives the next full collection
        assert gc.is_tracked(kept[0])
        gc.collect()
        # What survived a full collection is frozen: the next one does not walk it again.
        assert gc.get_freeze_count() >= before + len(kept)
        assert not any(o is kept for o in gc.get_objects(2))
    finally:
        collector.served()
    assert not collector.frozen()
    assert gc.get_freeze_count() == 0


def test_cycles_that_died_while_frozen_are_freed_once_the_server_stops():
    class Node:
        pass
    collector.serving()
    try:
        a, b = Node(), Node()
        a.other, b.other = b, a
        gc.collect()          # both survive (still referenced): frozen
        alive = weakref.ref(a)
        del a, b              # a garbage cycle among frozen objects: it waits
        gc.collect()
        assert alive() is not None
    finally:
        collector.served()
    gc.collect()
    assert alive() is None


def test_a_full_collection_after_the_sweep_interval_frees_cycles_that_died_frozen():
    """A long day of phones reconnecting leaves their old connections' cycles frozen: every
    SWEEP_S one full collection walks everything, so they cannot pile up while serving."""
    from tests.fakes import FakeClock

    class Node:
        pass
    clock = FakeClock()
    collector.serving(clock=clock.monotonic)
    try:
        a, b = Node(), Node()
        a.other, b.other = b, a
        gc.collect()          # both survive (still referenced): frozen
        alive = weakref.ref(a)
        del a, b
        gc.collect()
        assert alive() is not None            # within the interval: not walked
        clock.advance(collector.SWEEP_S)
        gc.collect()
        assert alive() is None                # the sweep walked the frozen heap and freed them
        assert collector.frozen() and gc.get_freeze_count() > 0   # frozen again after it
    finally:
        collector.served()


def test_the_lan_server_holds_the_collector_while_it_runs():
    async_setup = lambda app: None  # noqa: E731 - no routes: the transport alone
    server = LanServer(async_setup)
    server.start("127.0.0.1", 0)
    try:
        assert collector.frozen()
    finally:
        server.stop()
    assert not collector.frozen()
    server.stop()  # stopping twice gives back nothing twice
    assert not collector.frozen()
