"""The roster print-out (issue 19 item 1): everyone by name with their own QR code, and
zbarimg decodes every code to that person's personal link."""
from __future__ import annotations

import io
import subprocess

from pypdf import PdfReader

from stations.handouts.data import StationHandouts
from stations.handouts.roster import render_roster
from stations.setup.model import Group
from tests.conftest import require_tool
from workshop.academy.model import Participant

NAMES = ["Zoë Adams", "José Núñez", "Ольга Петрова", "张伟", "<b>Bold</b> & Co", "Ann Lee",
         "Émile Zola"]


def test_every_persons_code_decodes_to_their_personal_link(tmp_path, ctx, academy):
    zbarimg = require_tool("zbarimg", "decodes the personal QR codes on the roster")
    pdftoppm = require_tool("pdftoppm", "renders the roster")
    people = {n: ctx.academies.add_participant(academy.id, Participant(n, school="Hill School")).id
              for n in NAMES}
    ctx.rotation.saved_groups = lambda academy_id: [Group(0, "Group A", [people["Ann Lee"]])]
    data = StationHandouts(ctx.academies, ctx.stations, ctx.rotation, ctx.join)
    model = data.roster(academy.id)
    links = ctx.join.personal_links(academy.id)
    by_name = {e.participant: e for e in model.entries}
    assert {n: e.link for n, e in by_name.items()} == {n: links[people[n]] for n in NAMES}
    assert [e.participant for e in model.entries][:3] == ["<b>Bold</b> & Co", "Ann Lee", "Émile Zola"]
    assert by_name["Ann Lee"].group == "Group A" and by_name["张伟"].group == ""
    pdf = tmp_path / "roster.pdf"
    pdf.write_bytes(render_roster(model))
    subprocess.run([pdftoppm, "-r", "150", "-png", str(pdf), str(tmp_path / "r")], check=True,
                   timeout=60)
    decoded = []
    for png in sorted(tmp_path.glob("r-*.png")):
        decoded += subprocess.run([zbarimg, "--quiet", "--raw", str(png)], capture_output=True,
                                  text=True, timeout=30).stdout.split()
    assert sorted(decoded) == sorted(links.values())
    text = subprocess.run([require_tool("pdftotext", "reads the roster"), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    words = " ".join(text.split())   # a long name wraps in its narrow column
    for name in NAMES:
        assert name in words


def test_a_long_roster_runs_onto_more_pages_and_every_code_is_there(tmp_path, ctx, academy):
    for i in range(40):
        ctx.academies.add_participant(academy.id, Participant(f"Person {i:02d}"))
    data = StationHandouts(ctx.academies, ctx.stations, ctx.rotation, ctx.join)
    model = data.roster(academy.id)
    assert len(model.entries) == 40 and all(e.link for e in model.entries)
    reader = PdfReader(io.BytesIO(render_roster(model)))
    assert len(reader.pages) >= 2
    text = "".join(page.extract_text() for page in reader.pages)
    assert all(f"Person {i:02d}" in text for i in range(40))


def test_the_roster_kind_from_the_cli(run_cli, ctx, academy, tmp_path):
    ctx.academies.add_participant(academy.id, Participant("Zoë Adams"))
    code, out, err = run_cli("handout", "roster", "--academy", academy.title, "--out",
                             str(tmp_path / "roster.pdf"))
    assert code == 0 and out.startswith("Wrote ") and err == ""
    assert (tmp_path / "roster.pdf").read_bytes().startswith(b"%PDF")
    assert "Roster.pdf" in [item.filename for item in ctx.handouts.pack_items(academy.id)]


def test_the_cards_and_roster_models_carry_each_code_so_drawing_builds_none(ctx, academy,
                                                                            monkeypatch):
    # The pack reads its models in one process and draws in others: the codes travel in the
    # models instead of being built again by each worker.
    from stations.handouts import render as stations_render
    from workshop.pdf import flowables
    from workshop.qr import qr_matrix
    people = [ctx.academies.add_participant(academy.id, Participant(n)).id for n in NAMES[:3]]
    ctx.rotation.saved_groups = lambda academy_id: [Group(0, "Group A", people)]
    data = StationHandouts(ctx.academies, ctx.stations, ctx.rotation, ctx.join)
    cards, roster = data.group_cards(academy.id), data.roster(academy.id)
    for thing in cards.cards + roster.entries:
        assert thing.link and thing.code == qr_matrix(thing.link)

    def refuse(text):
        raise AssertionError("a code was built while drawing")
    monkeypatch.setattr(flowables, "qr_matrix", refuse)
    assert stations_render.render_group_cards(cards).startswith(b"%PDF")
    assert render_roster(roster).startswith(b"%PDF")


def test_the_signs_model_carries_its_codes_so_drawing_builds_none(ctx, academy, monkeypatch):
    # The signs are drawn in a worker too: with the codes in the model, it builds none (and
    # need not import qrcode for them).
    from stations.handouts import render as stations_render
    from workshop.pdf import flowables
    from workshop.qr import qr_matrix
    data = StationHandouts(ctx.academies, ctx.stations, ctx.rotation, ctx.join)
    monkeypatch.setattr(ctx.join.network, "wifi_code", lambda academy_id: "WIFI:T:WPA;S:Room;P:x;;")
    model = data.signs(academy.id)
    assert model.signs and all(sign.code == qr_matrix(sign.url) for sign in model.signs)
    assert model.wifi_matrix == qr_matrix(model.wifi_code)

    def refuse(text):
        raise AssertionError("a code was built while drawing")
    monkeypatch.setattr(flowables, "qr_matrix", refuse)
    assert stations_render.render_signs(model).startswith(b"%PDF")
