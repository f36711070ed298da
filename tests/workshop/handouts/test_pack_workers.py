"""The pack renders the same files in worker processes as in this one."""
from __future__ import annotations


def test_workers_write_the_same_bytes_as_one_process(ctx, academy, tmp_path, monkeypatch):
    ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    ctx.prototypes.create(academy.id, "Playlists", team="张伟's school")
    packs = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("WORKSHOP_PACK_WORKERS", workers)
        result = ctx.handouts.write_pack(academy.id, tmp_path / workers, "a4")
        packs[workers] = {p.relative_to(tmp_path / workers): p.read_bytes() for p in result.files}
    assert len(packs["1"]) == 6   # with the agenda (issue 16)
    assert packs["2"] == packs["1"]
