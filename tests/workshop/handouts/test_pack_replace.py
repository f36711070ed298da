"""A second pack into the folder of the first replaced it without a word. The window now asks
(how many files; replace them, or choose another folder), and ``workshop handout pack`` refuses
unless ``--force``; a refusal or a cancel changes no file."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("handouts")


@pytest.fixture
def page(window, ctx, academy, qtbot):
    ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    window.open_academy(academy.id)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("handouts")
    return window.page("handouts")


def click_pack(page, qtbot, wait=True):
    [button] = [b for b in page.findChildren(QPushButton) if b.text() == "Write the whole pack…"]
    if not wait:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        return
    with qtbot.waitSignal(page.pack_written, timeout=20000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def contents(folder) -> dict:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in folder.rglob("*") if p.is_file()}


def test_a_second_pack_into_the_same_folder_asks_first(page, qtbot, tmp_path, monkeypatch):
    first, other = tmp_path / "first", tmp_path / "other"
    fakes = FakeDialogs().queue("pick_folder", str(first)).install(monkeypatch)
    click_pack(page, qtbot)                                       # an empty folder: no question
    assert fakes.questions("choose") == []
    before = contents(first)
    count = len(before)
    assert count >= 4

    # Cancel the question: nothing is written, no pack starts.
    fakes.queue("pick_folder", str(first)).queue("choose", None)
    click_pack(page, qtbot, wait=False)
    assert page.runner is None and contents(first) == before
    question = fakes.questions("choose")[-1]
    assert f"already holds {count} files of this pack" in question and str(first) in question

    # Choose another folder: the pack goes there and the first stays as it was.
    fakes.queue("pick_folder", str(first), str(other)).queue("choose", "other")
    click_pack(page, qtbot)
    assert contents(first) == before and sorted(contents(other)) == sorted(before)
    assert len(fakes.questions("pick_folder")) == 4 and len(fakes.questions("choose")) == 2

    # Replace: said so, then written over.
    fakes.queue("pick_folder", str(first)).queue("choose", "replace")
    click_pack(page, qtbot)
    after = contents(first)
    assert sorted(after) == sorted(before)
    assert all(after[name][0] >= before[name][0] for name in before)
    assert any(after[name][0] != before[name][0] for name in before)
    assert fakes.errors == []


def test_the_replace_question_counts_and_defaults_to_another_folder(page, qtbot, tmp_path,
                                                                    monkeypatch):
    """The real box's buttons: "Replace N files" (destructive) and the default, another folder."""
    from workshop.ui.handouts.pack import choose_pack_folder
    seen = {}

    class Recording(FakeDialogs):
        def choose(self, parent, title, message, choices, default, destructive=None):
            seen.update(choices=choices, default=default, destructive=destructive)
            return super().choose(parent, title, message, choices, default, destructive)
    page.handouts.write_pack(page.academy_id, tmp_path)
    Recording().queue("choose", None).install(monkeypatch)
    assert choose_pack_folder(page, page.handouts, page.academy_id, tmp_path) is None
    n = len(page.handouts.pack_files_present(page.academy_id, tmp_path))
    assert seen == {"choices": {"replace": f"Replace {n} files", "other": "Choose another folder…"},
                    "default": "other", "destructive": "replace"}


def test_the_command_refuses_a_folder_with_a_pack_unless_forced(run_cli, academy, tmp_path):
    out = tmp_path / "pack"
    code, _, err = run_cli("handout", "pack", "--academy", academy.title, "--out", str(out))
    assert code == 0, err
    before = contents(out)
    code, stdout, err = run_cli("handout", "pack", "--academy", academy.title, "--out", str(out))
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {out} already holds {len(before)} files")
    assert "--force" in err and contents(out) == before
    code, stdout, err = run_cli("handout", "pack", "--academy", academy.title, "--out", str(out),
                                "--force")
    assert code == 0 and stdout.startswith(f"Wrote {len(before)} handouts"), err
    assert any(contents(out)[name][0] != before[name][0] for name in before)


@pytest.mark.fuzz
def test_any_folder_holding_a_pack_is_refused_in_one_line(run_cli, ctx, academy, tmp_path):
    """Whatever the folder is called (line breaks, bidi controls, accents), the refusal is one
    line and the files there are left as they were."""
    from hypothesis import given
    from hypothesis import strategies as st

    from tests.fuzzing import fuzz_settings
    names = [item.filename for item in ctx.handouts.pack_items(academy.id)]

    @fuzz_settings(30)
    @given(name=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=40)
           .filter(lambda n: n not in (".", "..")))
    def refused(name):
        out = tmp_path / "runs" / name
        for filename in names:
            (out / filename).parent.mkdir(parents=True, exist_ok=True)
            (out / filename).write_bytes(b"earlier")
        before = contents(out)
        code, stdout, err = run_cli("handout", "pack", "--academy", academy.title, "--out", str(out))
        assert code == 2 and stdout == "" and len(err.splitlines()) == 1, err
        assert f"already holds {len(names)} files" in err and contents(out) == before
        for path in sorted(out.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    refused()
