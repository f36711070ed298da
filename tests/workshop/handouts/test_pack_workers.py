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


import multiprocessing  # noqa: E402

import pytest  # noqa: E402

from workshop.handouts.service import START_ENV, choose_start_method  # noqa: E402


# "spawn" runs everywhere (engineer 17's bundle relies on it); the others are the usual paths.
@pytest.mark.parametrize("method", [
    pytest.param(m, marks=[] if m == "spawn" else [pytest.mark.slow])
    for m in ("fork", "forkserver", "spawn") if m in multiprocessing.get_all_start_methods()])
def test_every_start_method_writes_the_same_bytes(method, ctx, academy, tmp_path, monkeypatch):
    """"spawn" is the fallback where fork is unavailable (Windows, a frozen bundle): workers
    that import everything themselves still make the pack byte for byte."""
    ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    monkeypatch.setenv("WORKSHOP_PACK_WORKERS", "1")
    alone = ctx.handouts.write_pack(academy.id, tmp_path / "alone", "a4")
    monkeypatch.setenv("WORKSHOP_PACK_WORKERS", "2")
    monkeypatch.setenv(START_ENV, method)
    assert ctx.handouts.start_method() == method
    result = ctx.handouts.write_pack(academy.id, tmp_path / method, "a4")
    assert {p.name: p.read_bytes() for p in result.files} == \
        {p.name: p.read_bytes() for p in alone.files}


@pytest.mark.parametrize("threaded, available, chosen, expected", [
    (False, ["fork", "spawn", "forkserver"], None, "fork"),         # a command: fork directly
    (True, ["fork", "spawn", "forkserver"], None, "forkserver"),    # the window: never fork it
    (False, ["spawn"], None, "spawn"),                              # Windows
    (True, ["spawn"], None, "spawn"),
    (False, ["fork", "spawn", "forkserver"], "spawn", "spawn"),     # asked for (a bundle)
    (True, ["fork", "spawn", "forkserver"], "fork", "fork"),        # asked for, even so
    (False, ["spawn"], "fork", "spawn"),                            # asked for, not there
    (False, ["fork", "spawn", "forkserver"], "threads", "fork"),    # not a start method
])
def test_the_start_method_follows_the_process_and_the_platform(threaded, available, chosen,
                                                               expected):
    assert choose_start_method(threaded, available, chosen) == expected


def test_a_process_with_qt_loaded_never_forks_itself(ctx, monkeypatch):
    monkeypatch.delenv(START_ENV, raising=False)
    import sys
    monkeypatch.setitem(sys.modules, "PySide6.QtCore", sys.modules.get("PySide6.QtCore") or object())
    assert ctx.handouts.start_method() in ("forkserver", "spawn")


def test_a_file_whose_preparing_waits_is_prepared_last_and_kept_in_its_place(ctx, tmp_path,
                                                                             monkeypatch):
    from workshop.handouts.service import HandoutKind, HandoutService, PackItem
    prepared: list[str] = []

    def item(name: str, waits: bool = False) -> PackItem:
        return PackItem(f"{name}.pdf", name, lambda: prepared.append(name) or name,
                        _render_name, waits=waits)

    service = HandoutService(ctx.academies)
    names = [f"file{i:02d}" for i in range(9)]
    service.add(HandoutKind("test", "Test", lambda *a: b"", lambda academy_id: [
        item(n, waits=n == "file01") for n in names]))
    monkeypatch.setenv("WORKSHOP_PACK_WORKERS", "2")
    monkeypatch.setenv(START_ENV, "spawn" if "fork" not in multiprocessing.get_all_start_methods()
                       else "fork")
    result = service.write_pack(1, tmp_path / "pack")
    assert prepared == [n for n in names if n != "file01"] + ["file01"]
    assert [p.name for p in result.files] == [f"{n}.pdf" for n in names]
    assert [p.read_bytes() for p in result.files] == [n.encode() for n in names]


def _render_name(model: object, paper: str | None) -> bytes:
    return str(model).encode()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_forked_workers_start_with_the_inherited_heap_frozen_and_the_parent_thaws(ctx, tmp_path,
                                                                                monkeypatch):
    import gc

    from workshop.handouts.service import HandoutKind, HandoutService, PackItem
    service = HandoutService(ctx.academies)
    service.add(HandoutKind("test", "Test", lambda *a: b"", lambda academy_id: [
        PackItem(f"f{i}.pdf", f"f{i}", lambda: None, _render_freeze_count) for i in range(8)]))
    monkeypatch.setenv("WORKSHOP_PACK_WORKERS", "2")
    monkeypatch.setenv(START_ENV, "fork")
    before = gc.get_freeze_count()
    result = service.write_pack(1, tmp_path / "pack")
    assert all(int(p.read_bytes()) > before for p in result.files)
    assert gc.get_freeze_count() == before


def _render_freeze_count(model: object, paper: str | None) -> bytes:
    import gc
    return str(gc.get_freeze_count()).encode()


def test_a_forked_pack_parses_the_faces_its_academy_s_names_need(ctx, academy, monkeypatch):
    """The command forks its workers after parsing the fonts of what every file prints (the
    title, the names and schools); "fork" is the command's way, so it is asked for here."""
    from workshop.academy.model import Participant
    from workshop.handouts import service
    from workshop.pdf import fonts
    ctx.academies.add_participant(academy.id, Participant("김민준", school="Seoul Middle"))
    texts = ctx.handouts._printed_everywhere(academy.id)
    assert academy.title in texts and "김민준" in texts and "Seoul Middle" in texts
    asked = []
    monkeypatch.setattr(fonts, "register_for", lambda given: asked.append(list(given)))
    service._render_context(ctx.handouts.pack_items(academy.id), "fork", texts)
    assert asked == [texts]
