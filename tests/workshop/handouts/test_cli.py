"""`workshop handout …`, the pack service and `workshop demo`: the headless main job."""
from __future__ import annotations

import subprocess

import pytest
from pypdf import PdfReader

from tests.conftest import require_tool
from workshop.handouts.service import PackCancelled, safe_filename


def qpdf_ok(path) -> None:
    qpdf = require_tool("qpdf", "checks the PDF's structure")
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, f"{path}: {result.stdout}{result.stderr}"


@pytest.mark.parametrize("kind", ["debrief", "signs", "group-cards", "agenda"])
def test_academy_handouts_are_written(run_cli, demo_academy, tmp_path, kind):
    out = tmp_path / f"{kind}.pdf"
    code, stdout, err = run_cli("handout", kind, "--academy", demo_academy.title,
                                "--paper", "letter", "--out", str(out))
    assert code == 0, err
    assert f"Wrote {out}" in stdout
    assert PdfReader(out).pages[0].mediabox.width == pytest.approx(612)
    qpdf_ok(out)


def test_out_may_be_a_folder(run_cli, demo_academy, tmp_path):
    code, stdout, err = run_cli("handout", "debrief", "--academy", demo_academy.title,
                                "--out", str(tmp_path))
    assert code == 0, err
    assert (tmp_path / "Debrief - Demo Design Academy.pdf").exists()


@pytest.mark.parametrize("args, message", [
    (["debrief", "--academy", "Nope"], "Nope"),
    (["prototype", "--academy", "Test Academy"], "choose which"),
    (["prototype", "--academy", "Test Academy", "--prototype", "99"], "99"),
    (["signs", "--academy", "Test Academy", "--group", "A"], "--group does not apply"),
    (["debrief", "--academy", "Test Academy", "--group", "Q"], "no group “Q”"),
    (["pack", "--academy", "Test Academy", "--group", "A"], "do not apply"),
])
def test_bad_requests_say_what_is_wrong(run_cli, academy, tmp_path, args, message):
    code, stdout, err = run_cli("handout", *args, "--out", str(tmp_path / "x.pdf"))
    assert code == 2
    assert message in err
    assert not (tmp_path / "x.pdf").exists()


def test_pack_writes_every_handout(run_cli, ctx, academy, tmp_path):
    ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    ctx.prototypes.create(academy.id, "Playlists", team="Zoë's School / North")
    code, stdout, err = run_cli("handout", "pack", "--academy", academy.title,
                                "--out", str(tmp_path / "pack"))
    assert code == 0, err
    files = sorted(p.relative_to(tmp_path / "pack").as_posix()
                   for p in (tmp_path / "pack").rglob("*.pdf"))
    assert files == ["Agenda.pdf", "Debrief.pdf", "Group cards.pdf", "Prototypes/Lincoln Elementary.pdf",
                     "Prototypes/Zoë's School North.pdf", "Station signs.pdf"]
    assert "[6/6]" in err
    for f in (tmp_path / "pack").rglob("*.pdf"):
        qpdf_ok(f)


def test_cancelled_pack_leaves_the_earlier_pack_whole(ctx, academy, tmp_path):
    first = ctx.handouts.write_pack(academy.id, tmp_path)
    before = {p: p.read_bytes() for p in first.files}
    ctx.academies.rename(academy.id, "Renamed Academy")
    with pytest.raises(PackCancelled, match="Cancelled after 1 of"):
        ctx.handouts.write_pack(academy.id, tmp_path, cancelled=_after(1))
    assert {p: p.read_bytes() for p in first.files} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pack-")]


def _after(n: int):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > n
    return cancelled


@pytest.mark.parametrize("text, name", [
    ("Lincoln Elementary", "Lincoln Elementary"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a b c d e f g h i j"),
    ("  张伟's team.  ", "张伟's team"),
    ("...", "untitled"),
])
def test_safe_filename(text, name):
    assert safe_filename(text) == name


@pytest.mark.slow
def test_demo_writes_the_whole_pack_from_a_simulated_day(run_cli, tmp_path):
    out = tmp_path / "demo"
    code, stdout, err = run_cli("demo", "--out", str(out))
    assert code == 0, err
    assert "Wrote the demo pack" in stdout
    assert (out / "demo-academy.sqlite").exists()
    debrief = PdfReader(out / "Debrief.pdf")
    text = " ".join(" ".join(p.extract_text() for p in debrief.pages).split())
    # The rotation ran on the accelerated clock: actual times, check-ins and reflections.
    assert "extended by 1 min" in text and "paused 1 min" in text
    for name in ("Zoë Brennan-O'Neil", "José Núñez", "Ольга Петрова", "张伟"):
        assert name in text
    assert "— anonymous" in text
    cards = "".join(p.extract_text() for p in PdfReader(out / "Group cards.pdf").pages)
    assert cards.count("Your group:") == 36
    teams = sorted(p.name for p in (out / "Prototypes").glob("*.pdf"))
    assert len(teams) == len({d["prototype"]["team"] for d in _documents(out / "Prototypes")})
    from workshop.pdf import attachments
    carried = attachments((out / "Prototypes" / teams[0]).read_bytes())
    assert carried and all(name.startswith("prototype") for name in carried)
    # Running it again starts from a fresh scratch database.
    code, stdout2, err = run_cli("demo", "--out", str(out))
    assert code == 0, err
    assert stdout2.count("\n") == stdout.count("\n")


def _documents(folder):
    from prototypes.exchange.files import read_documents
    return [d for f in sorted(folder.glob("*.pdf")) for d in read_documents(f)]
