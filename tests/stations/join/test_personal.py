"""Personal links (issue 19 item 1): a participant's own QR code on their group card tells a
phone who it is; every station scan afterwards is one tap, and the name search is not needed."""
from __future__ import annotations

import html
import json
import re
import subprocess

import pytest

from stations.handouts.data import StationHandouts
from stations.handouts.render import render_group_cards
from stations.setup.model import Group
from tests.conftest import require_tool
from tests.stations.join.phone import Phone
from workshop.academy.model import Participant

NAMES = ["Zoë Adams", "José Núñez", "Ольга Петрова", "张伟"]


@pytest.fixture
def people(ctx, academy):
    return {n: ctx.academies.add_participant(academy.id, Participant(n)).id for n in NAMES}


@pytest.fixture
def server(ctx, academy, people, serving):
    bound = ctx.join.start_server(host="127.0.0.1", port=0, live_interval=0.05)
    yield bound
    ctx.join.stop_server()


def embedded(page_text: str) -> dict:
    content = re.search(r'<meta name="join-station" content="([^"]*)">', page_text).group(1)
    return json.loads(html.unescape(content))


def test_a_personal_link_names_its_person_and_its_key_checks_in(ctx, academy, people, server):
    links = ctx.join.personal_links(academy.id)
    assert set(links) == set(people.values())
    assert ctx.join.personal_links(academy.id) == links  # made once
    assert len(set(links.values())) == len(links)
    phone = Phone(server.base_url, cookies=True)
    reply = phone.get(links[people["Zoë Adams"]].removeprefix(server.base_url))
    assert reply.status == 200 and "join_device" in phone.cookies
    data = embedded(reply.text)
    assert data["person"]["name"] == "Zoë Adams" and data["academy"] == academy.title
    assert "Hello, Zoë Adams" in reply.text
    assert "José" not in reply.text  # only its own person
    token = ctx.join.links(academy.id)[1].token
    done = phone.check_in(token, data["person"]["key"]).json
    assert done["checked_in"] and done["name"] == "Zoë Adams" and done["station"] == 2


def test_a_phone_checked_in_as_someone_else_is_refused_and_unknown_links_are_404(
        ctx, academy, people, server):
    links = ctx.join.personal_links(academy.id)
    phone = Phone(server.base_url, cookies=True)
    key = embedded(phone.get(links[people["Zoë Adams"]].removeprefix(server.base_url)).text)
    phone.check_in(ctx.join.links(academy.id)[0].token, key["person"]["key"])
    other = phone.get(links[people["José Núñez"]].removeprefix(server.base_url))
    assert other.status == 409 and "checked in as Zoë Adams" in html.unescape(other.text)
    assert embedded(other.text)["person"] is None
    for path in ("/p/" + "A" * 32, "/p/short", "/p/" + "x" * 65, "/p/../s/x"):
        assert phone.get(path).status == 404, path
    # New station codes do not reprint the cards: the personal links keep working.
    ctx.join.regenerate_tokens(academy.id)
    assert ctx.join.personal_links(academy.id) == links


def test_the_group_cards_carry_each_persons_own_code(ctx, academy, people, tmp_path):
    zbarimg = require_tool("zbarimg", "decodes the personal QR codes on the group cards")
    pdftoppm = require_tool("pdftoppm", "renders the group cards")
    ids = list(people.values())
    groups = [Group(0, "Group A", ids[:2]), Group(1, "Group B", ids[2:])]
    ctx.rotation.saved_groups = lambda academy_id: groups
    data = StationHandouts(ctx.academies, ctx.stations, ctx.rotation, ctx.join)
    model = data.group_cards(academy.id)
    links = ctx.join.personal_links(academy.id)
    assert {c.participant: c.link for c in model.cards} == {n: links[people[n]] for n in NAMES}
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(render_group_cards(model))
    subprocess.run([pdftoppm, "-r", "150", "-png", str(pdf), str(tmp_path / "card")], check=True)
    decoded = []
    for png in sorted(tmp_path.glob("card-*.png")):
        decoded += subprocess.run([zbarimg, "--quiet", "--raw", str(png)], capture_output=True,
                                  text=True).stdout.split()
    assert sorted(decoded) == sorted(links.values())
