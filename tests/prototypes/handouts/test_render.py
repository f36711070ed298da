"""Prototype handouts: print models (hard), the PDFs (valid, exact names, the map drawn) and the
round trip: a prototype PDF imported into a fresh database restores the prototype with its
iterations."""
from __future__ import annotations

import io
import json
import subprocess
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from prototypes.handouts.render import render_iteration_log, render_prototype, render_team_folder
from prototypes.handouts.data import PrototypeHandouts
from prototypes.check import SafeToTryCheck
from prototypes.exchange.files import documents_in_pdf
from prototypes.handouts.models import BLANK_CYCLES
from tests.conftest import require_tool
from workshop.pdf import attachments

TEAM = "Lincoln Elementary"


@pytest.fixture
def proto(ctx, academy):
    """A prototype with a consent check, two PDSA cycles and the team's map."""
    service = ctx.prototypes
    check = (SafeToTryCheck()
             .with_risk("why", level="low", mitigation="One-page why, shared with families")
             .with_risk("devices", level="high", mitigation="Borrow the cart from 张伟's class"))
    check = replace(check, consent_on=date(2026, 11, 20), no_objection=True,
                    present="Zoë Brennan-O'Neil, José Núñez, Ольга Петрова, 张伟")
    p = service.create(academy.id, "Math stations <grade 5>", team=TEAM,
                       why="Too easy for some,\ntoo hard for others & nobody waits well.",
                       owner="José Núñez", core_four=("targeted_instruction", "data_driven"))
    service.set_check(p.id, check)
    first = service.start_iteration(p.id)
    service.update_iteration(first.id, change="Three 15-minute stations", prediction="More focus",
                             results="Focus up, transitions slow", decision="adapt",
                             next_change="Shorter transitions")
    service.start_iteration(p.id)
    m = ctx.maps.open(academy.id, TEAM)
    ctx.maps.set_vision(m.id, "Every learner owns their path")
    pbl = ctx.maps.add_initiative(m.id, "Project-based learning")
    ctx.maps.add_initiative(m.id, "Teacher evaluation")
    ctx.maps.link(m.id, ctx.maps.get(m.id).hub.id, pbl.id, 3)
    return service.get(p.id), PrototypeHandouts(ctx.academies, service, ctx.maps)


def test_prototype_print_model_has_every_field_check_map_and_cycles(proto, academy):
    p, data = proto
    model = data.prototype_print(p.id)
    assert model.title == "Math stations <grade 5>" and model.team == TEAM
    assert model.academy == academy.title and model.status == "Draft"
    fields = {e.label: e.text for e in model.fields}
    assert fields["Problem and why it matters"] == "Too easy for some,\ntoo hard for others & nobody waits well."
    assert fields["Core Four elements"] == "Targeted instruction, Data-driven decisions"
    assert fields["Owner"] == "José Núñez" and fields["Resources and devices"] == ""
    risks = {r.risk: (r.level, r.mitigation) for r in model.risks}
    assert len(risks) == 6
    assert risks["Devices and tools that don’t fit"] == ("high", "Borrow the cart from 张伟's class")
    assert model.consent.no_objection and model.consent.on == date(2026, 11, 20)
    assert [c.number for c in model.cycles] == [1, 2]
    plan = dict(model.cycles[0].steps)["Plan"]
    assert plan[0].label == "The change we will try" and plan[0].text == "Three 15-minute stations"
    assert model.cycles[0].decision == "Adapt"
    # The second cycle was pre-filled from the first one's next change.
    assert dict(model.cycles[1].steps)["Plan"][0].text == "Shorter transitions"
    assert model.map is not None and model.map.vision == "Every learner owns their path"
    assert "Teacher evaluation" in " ".join(model.map.drawing.texts())  # wrapped in its box
    assert dict(model.map.analysis)["Not linked to the vision"].startswith("Teacher evaluation")
    # The export's content on one line (json's C encoder): the same document as the JSON file.
    assert b'"format":"design-academy-prototype"' in model.attachment
    assert model.attachment.count(b"\n") == 1 and model.attachment.endswith(b"\n")
    assert json.loads(model.attachment) == json.loads(data.prototypes.export_json(p.id))


def test_iteration_log_model_has_essentials_cycles_and_blank_cycles(proto):
    p, data = proto
    log = data.iteration_log(p.id)
    assert [e.label for e in log.essentials][:2] == ["Problem and why it matters",
                                                   "Students and their needs"]
    assert [c.number for c in log.cycles] == [1, 2]
    assert log.blank_cycles == BLANK_CYCLES and log.next_number == 3
    assert [step for step, _ in log.plan_labels] == ["Plan", "Do", "Study", "Act"]
    assert "We predict" in dict(log.plan_labels)["Plan"]
    assert "How we will measure it" in dict(log.plan_labels)["Plan"]


def test_prototype_pdf_carries_its_json_and_names_exactly(proto, tmp_path):
    p, data = proto
    pdf = render_prototype(data.prototype_print(p.id), paper="a4")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    for name in ("Zoë Brennan-O'Neil", "José Núñez", "Ольга Петрова", "张伟",
                 "Math stations <grade 5>", "Project-based"):
        assert name in text
    assert f"Page 1 of {len(reader.pages)}" in text
    files = attachments(pdf)
    assert list(files) == ["prototype.json"]
    assert documents_in_pdf(pdf)[0]["prototype"]["uid"] == p.uid
    check(tmp_path, pdf)


def test_iteration_log_pdf_has_blank_cycles(proto, tmp_path):
    p, data = proto
    pdf = render_iteration_log(data.iteration_log(p.id), paper="letter")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Cycle 3" in text and "Cycle 4" in text and "☐ Adopt" in text
    check(tmp_path, pdf)


def test_prototype_pdf_imports_into_a_fresh_database(proto, run_cli, tmp_path):
    p, data = proto
    pdf = tmp_path / "prototype.pdf"
    code, out, err = run_cli("handout", "prototype", "--academy", "Test Academy",
                             "--prototype", str(p.id), "--out", str(pdf))
    assert code == 0, err
    from workshop.app import main
    fresh = tmp_path / "fresh.sqlite"
    assert main(["--db", str(fresh), "prototype", "import", str(pdf)]) == 0
    from workshop.app import build_context
    from workshop.config import AppConfig
    other = build_context(AppConfig(db_path=fresh))
    try:
        [row] = other.prototypes.search()
        restored = other.prototypes.get(row.id)
        assert restored.uid == p.uid and restored.title == p.title and restored.why == p.why
        assert restored.check == p.check
        its = other.prototypes.iterations(row.id)
        assert [i.number for i in its] == [1, 2]
        assert its[0].change == "Three 15-minute stations" and its[0].decision == "adapt"
    finally:
        other.close()


def test_team_folder_imports_every_prototype(ctx, academy, proto, tmp_path):
    p, data = proto
    second = ctx.prototypes.create(academy.id, "Reading playlists", team=TEAM)
    pairs = [(data.prototype_print(i), data.iteration_log(i)) for i in (p.id, second.id)]
    pdf = render_team_folder(pairs, academy.title, TEAM)
    assert sorted(attachments(pdf)) == ["prototype-1.json", "prototype-2.json"]
    assert [d["prototype"]["title"] for d in documents_in_pdf(pdf)] == [p.title, second.title]


def test_team_folder_models_are_those_of_each_prototype_with_one_shared_map(ctx, academy, proto):
    p, data = proto
    second = ctx.prototypes.create(academy.id, "Reading playlists", team=TEAM)
    pairs = data.team_folder([p.id, second.id])
    assert pairs == [(data.prototype_print(i), data.iteration_log(i)) for i in (p.id, second.id)]
    assert pairs[0][0].map is pairs[1][0].map is not None


def test_team_folder_reads_each_prototypes_cycles_and_measures_once(ctx, academy, proto,
                                                                    monkeypatch):
    # Reading a cycle validates its snapshot: the print, the log and the attachment share one
    # read (they read them four times and the measures twice, half of reading a big pack).
    p, data = proto
    reads: list[tuple[str, int]] = []
    repo, measures = ctx.prototypes.repo, ctx.prototypes.measures
    for owner, name in ((repo, "iterations"), (measures.repo, "measures")):
        real = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda pid, real=real, name=name: (
            reads.append((name, pid)), real(pid))[1])
    pairs = data.team_folder([p.id])
    assert sorted(reads) == [("iterations", p.id), ("measures", p.id)]
    monkeypatch.undo()
    # The same models (attachment included) as the one-prototype handouts read on their own.
    assert pairs == [(data.prototype_print(p.id), data.iteration_log(p.id))]


def test_importing_a_pdf_without_a_prototype_is_refused_clearly(run_cli, academy, tmp_path):
    code, out, err = run_cli("handout", "group-cards", "--academy", "Test Academy",
                             "--out", str(tmp_path / "cards.pdf"))
    assert code == 0, err
    code, out, err = run_cli("prototype", "import", str(tmp_path / "cards.pdf"))
    assert code == 2
    assert "carries no prototype" in err and "Nothing was imported" in err
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    code, out, err = run_cli("prototype", "import", str(tmp_path / "broken.pdf"))
    assert code == 2 and "not a readable PDF" in err


def check(tmp_path, pdf: bytes) -> None:
    qpdf = require_tool("qpdf", "checks the PDF's structure")
    path = tmp_path / "check.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_pdf_printed_with_the_indented_attachment_still_imports(ctx, proto, tmp_path):
    """PDFs printed before the attachment went on one line carry the indented export."""
    from prototypes.exchange import format as exchange
    from prototypes.exchange.files import read_documents
    p, data = proto
    indented = data.prototypes.export_json(p.id).encode("utf-8")
    assert b'\n  "academy": ' in indented
    model = replace(data.prototype_print(p.id), attachment=indented)
    (tmp_path / "older.pdf").write_bytes(render_prototype(model, paper="a4"))
    [doc] = read_documents(tmp_path / "older.pdf")
    assert doc == json.loads(indented)
    from workshop.app import build_context
    from workshop.config import AppConfig
    other = build_context(AppConfig(db_path=tmp_path / "fresh.sqlite"))
    try:
        result = other.prototypes.import_document(doc)
        # Export → print → import → export: the canonical file, byte for byte.
        again = other.prototypes.export_json(result.prototype.id)
        for part in ("prototype", "iterations", "measures"):
            assert json.loads(again)[part] == doc[part]
        assert exchange.dumps(json.loads(again)) == again
    finally:
        other.close()
