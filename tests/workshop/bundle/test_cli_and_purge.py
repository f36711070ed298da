"""``workshop academy export|import|delete`` and the purge (issue 16 items 1 and 2)."""
from __future__ import annotations

import pytest

from tests.workshop.bundle.conftest import fresh_context, full_context


def test_export_then_import_on_another_file(run_cli, ctx, academy, tmp_path, config):
    ctx.academies.add_participant(academy.id, _person("Zoë Núñez"))
    code, out, err = run_cli("academy", "export", "--academy", "test academy",
                             "--out", str(tmp_path / "t.bundle"))
    assert code == 0 and err == "" and out.startswith("Exported “Test Academy”")
    from workshop.app import main
    code = main(["--db", str(tmp_path / "other.sqlite"), "academy", "import",
                 str(tmp_path / "t.bundle"), "--as", "Moved"])
    assert code == 0
    code, out, err = run_cli("academy", "import", str(tmp_path / "t.bundle"))
    assert code == 0 and "Merged into academy" in out and "unchanged: 2 rows" in out


def _person(name):
    from workshop.academy.model import Participant
    return Participant(name=name, school="Lincoln")


def test_import_refusals_are_one_line_with_code_2(run_cli, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    for args in (["academy", "import", str(tmp_path / "notes.txt")],
                 ["academy", "import", str(tmp_path / "missing.bundle")],
                 ["academy", "export", "--academy", "Nobody", "--out", str(tmp_path / "x")],
                 ["academy", "export", "--academy", "Nobody", "--out", str(tmp_path)]):
        code, out, err = run_cli(*args)
        assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("error: "), args


def test_delete_needs_yes(run_cli, ctx, academy):
    code, out, err = run_cli("academy", "delete", "--academy", "Test Academy")
    assert code == 2 and "--yes" in err
    assert [a.title for a in ctx.academies.list()] == ["Test Academy"]


SECRETS = (b"Quetzalcoatl", b"quetz@example.org", b"Xylophonic", b"Demo Design Academy")


def _file_bytes(path):
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.parametrize("purge", [True, False], ids=["purge", "plain delete (control)"])
def test_purge_leaves_no_byte_of_the_academy_in_the_file(tmp_path, purge):
    """The names, emails, reflections and prototype texts are gone from the file's bytes,
    the free pages, the full-text index and the WAL included. Some SQLite builds (Debian's)
    zero freed pages by default; most (python.org's, macOS's) do not: the connection starts
    with secure_delete off, as there, and the control shows a plain delete then leaves them."""
    path = tmp_path / "room.sqlite"
    ctx, academy_id = full_context(path)
    ctx.db.execute("PRAGMA secure_delete = OFF")
    try:
        marker = "Quetzalcoatl Marker"
        people = ctx.academies.participants(academy_id)
        ctx.academies.edit_participant(people[0].id, name=marker, email="quetz@example.org")
        first = ctx.prototypes.search(academy_id)[0]
        ctx.prototypes.update(first.id, why="Xylophonic reasons")
        ctx.academies.create("Kept Academy")
        (ctx.bundles.purge if purge else ctx.academies.delete)(academy_id)
        assert [a.title for a in ctx.academies.list()] == ["Kept Academy"]
    finally:
        ctx.close()
    left = [s for s in SECRETS if s in _file_bytes(path)]
    if purge:
        assert left == []
    else:   # which freed pages a plain delete reuses depends on the schema's other writes
        assert b"Quetzalcoatl" in left and b"quetz@example.org" in left, left


def test_cli_delete_purges(run_cli, ctx, academy, config):
    ctx.academies.add_participant(academy.id, _person("Ximena Quoddy"))
    code, out, err = run_cli("academy", "delete", "--academy", "test academy", "--yes")
    assert code == 0 and "nothing of it is left" in out
    ctx.close()
    data = _file_bytes(config.db_path)
    assert b"Ximena" not in data and b"Test Academy" not in data


def test_the_rooms_wifi_never_travels_in_a_bundle(tmp_path):
    """The Wi-Fi password is kept in the local file only (issue 19): its table hangs off the
    academy, yet a bundle leaves it out, and importing it elsewhere brings no Wi-Fi."""
    from stations.network.wifi import WifiNetwork
    ctx, academy_id = full_context(tmp_path / "room.sqlite")
    try:
        ctx.join.network.set_wifi(academy_id, WifiNetwork("GymNet", "WPA", "Zanzibar-Secret-77"))
        assert ctx.join.network.wifi(academy_id).password == "Zanzibar-Secret-77"
        ctx.bundles.export(academy_id, tmp_path / "room.bundle")
    finally:
        ctx.close()
    assert b"Zanzibar-Secret-77" not in _file_bytes(tmp_path / "room.bundle")
    assert b"GymNet" not in _file_bytes(tmp_path / "room.bundle")
    other = fresh_context(tmp_path / "laptop2.sqlite")
    try:
        imported = other.bundles.import_file(tmp_path / "room.bundle").academy_id
        assert other.join.network.wifi(imported) is None
    finally:
        other.close()
