"""Issue 12 item 3: an acknowledged check-in survives a power cut.

In WAL mode ``synchronous=NORMAL`` syncs the log only at checkpoints: a commit returns before
its pages are on disk, so a power cut can roll back check-ins a phone was told were saved.
The join server's connections run ``synchronous=FULL`` (each commit syncs the log first); the
window's connection keeps NORMAL. The cost is measured by ``tests/bench/bench_durable.py``.
"""
from __future__ import annotations

from stations.join.desk import participant_key
from stations.repository.join import JoinRepository
from tests.stations.join.phone import Phone
from workshop.academy.model import Participant
from workshop.store import open_database

FULL, NORMAL = 2, 1   # what ``PRAGMA synchronous`` answers


def synchronous(db) -> int:
    return db.execute("PRAGMA synchronous").fetchone()[0]


def test_durable_connections_sync_every_commit(tmp_path):
    plain, durable = open_database(tmp_path / "a.sqlite"), open_database(tmp_path / "a.sqlite",
                                                                          durable=True)
    assert (synchronous(plain), synchronous(durable)) == (NORMAL, FULL)
    assert durable.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    plain.close()
    durable.close()


def test_the_join_server_acknowledges_on_a_full_sync_connection(ctx, academy):
    person = ctx.academies.add_participant(academy.id, Participant("Ana Lima"))
    bound = ctx.join.start_server(host="127.0.0.1", port=0, rate_limit=None)
    try:
        token = ctx.join.links(academy.id)[0].token
        key = participant_key(JoinRepository(ctx.db).secret(academy.id), person.id)
        assert Phone(bound.base_url).check_in(token, key).status == 200
        writer = ctx.join._server.app.writer.resource   # the connection that committed it, now idle
        assert synchronous(writer.repo.db) == FULL
    finally:
        ctx.join.stop_server()
    assert synchronous(ctx.db) == NORMAL   # the window's own connection is unchanged
