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
