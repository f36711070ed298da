"""Initiative maps, pure: validation, networkx round trip, the radial layout, the drawing."""
from __future__ import annotations

import math
from itertools import combinations

import pytest

from prototypes.maps.drawing import EDGE_DASHES, EDGE_WIDTHS, build_drawing
from prototypes.maps.model import (InitiativeMap, Link, Node, from_graph, place_new, positions,
                             radial_layout, rings_for, ring_capacity, to_graph)
from workshop.errors import ValidationError


@pytest.mark.parametrize("kwargs, message", [
    (dict(name=""), "needs a name"),
    (dict(name="x" * 81), "too long"),
    (dict(name="A", status="paused"), "Status must be"),
    (dict(name="A", load=0), "Load must be from 1"),
    (dict(name="A", load="lots"), "whole number"),
])
def test_bad_initiatives_are_refused_with_a_message(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        Node(**kwargs)


def test_status_is_read_as_people_write_it():
    assert Node("A", status="Winding down").status == "winding_down"


@pytest.mark.parametrize("rating", [-1, 4, "high", None])
def test_bad_ratings_are_refused(rating):
    with pytest.raises(ValidationError, match="rating"):
        Link(1, 2, rating)


def test_a_link_needs_two_nodes_and_is_undirected():
    with pytest.raises(ValidationError):
        Link(3, 3)
    assert Link(5, 2).ends == (2, 5)


def sample() -> InitiativeMap:
    return InitiativeMap.build(
        "Every student owns their learning",
        [Node("PBL", load=4, owner="Ms Lee"), Node("MTSS", status="planned"), "SEL", "Zoë's club"],
        [("hub", "PBL", 3, "core"), ("hub", "MTSS", 1), ("MTSS", "SEL", 2)])


def test_graph_round_trip_keeps_everything():
    m = sample()
    g = to_graph(m)
    assert g.graph["hub"] == m.hub.id
    assert g.edges[m.hub.id, m.find("PBL").id] == {"rating": 3, "note": "core", "id": 1}
    assert from_graph(g) == m


def test_radial_layout_puts_the_hub_in_the_middle_and_neighbours_together():
    m = sample()
    pos = radial_layout(m)
    assert pos[m.hub.id] == (0.0, 0.0)
    radii = {round(math.hypot(*pos[n.id]), 6) for n in m.initiatives()}
    assert len(radii) == 1                      # one ring for a small map
    mtss, sel = pos[m.find("MTSS").id], pos[m.find("SEL").id]
    angles = sorted(math.atan2(p[1], p[0]) for n, p in pos.items() if n != m.hub.id)
    step = angles[1] - angles[0]
    assert math.dist(mtss, sel) == pytest.approx(2 * 1.1 * math.sin(step / 2), abs=1e-3)
    assert radial_layout(m) == pos              # deterministic


@pytest.mark.parametrize("count", [1, 5, 13, 14, 40, 80])
def test_rings_hold_every_spoke_without_overfilling(count):
    sizes = rings_for(count)
    assert sum(sizes) == count
    assert all(size <= ring_capacity(i + 1) for i, size in enumerate(sizes))


@pytest.mark.parametrize("count", [8, 40])
def test_drawn_boxes_do_not_overlap(count):
    m = InitiativeMap.build("Vision", [f"Initiative number {i}" for i in range(count)])
    d = build_drawing(m)
    for a, b in combinations(d.nodes, 2):
        ax0, ay0, ax1, ay1 = a.bounds
        bx0, by0, bx1, by1 = b.bounds
        assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, (a.lines[0].text, b.lines[0].text)


def test_saved_positions_win_and_new_spokes_go_in_the_widest_gap():
    m = sample()
    for node_id, (x, y) in radial_layout(m).items():
        m.nodes[node_id].x, m.nodes[node_id].y = x, y
    m.nodes[m.find("PBL").id].x = 5.0
    assert positions(m)[m.find("PBL").id][0] == 5.0
    spot = place_new(m)
    assert math.hypot(*spot) == pytest.approx(1.1)
    assert min(math.dist(spot, n.position) for n in m.initiatives()) > 0.9
    assert place_new(m, near=(0.3, 0.4)) == (0.3, 0.4)


def test_rating_is_shown_by_width_dash_and_written_digit():
    m = InitiativeMap.build("V", ["A", "B", "C", "D"],
                            [("hub", "A", 0), ("hub", "B", 1), ("hub", "C", 2), ("hub", "D", 3)])
    edges = sorted(build_drawing(m).edges, key=lambda e: e.rating)
    assert [e.label.text for e in edges] == ["0", "1", "2", "3"]
    widths = [e.width for e in edges]
    assert widths == sorted(set(widths))                       # strictly thicker
    assert len({e.dash for e in edges}) == 4 and edges[3].dash == ()
    assert EDGE_WIDTHS.keys() == EDGE_DASHES.keys() == {0, 1, 2, 3}


def test_drawing_writes_every_name_status_and_the_vision():
    m = sample()
    texts = " ".join(build_drawing(m).texts())
    for node in m.initiatives():
        assert node.name in texts
    assert "Planned · load 2" in texts
    assert "Every student owns their learning" in texts


def test_edges_start_and_end_on_the_node_borders():
    m = sample()
    d = build_drawing(m)
    hub = d.node(m.hub.id)
    for e in d.edges:
        if e.to_hub:
            end = (e.x1, e.y1) if e.a == hub.key else (e.x2, e.y2)
            assert math.dist(end, (hub.cx, hub.cy)) == pytest.approx(hub.hw)


def test_fitted_drawing_stays_inside_the_page():
    d = build_drawing(sample()).fitted(500, 700, margin=20)
    x0, y0, x1, y1 = d.bounds
    assert 20 - 1e-6 <= x0 and x1 <= 480 + 1e-6 and 20 - 1e-6 <= y0 and y1 <= 680 + 1e-6
    for n in d.nodes:
        assert x0 - 1e-6 <= n.cx - n.hw and n.cx + n.hw <= x1 + 1e-6


def test_a_long_name_is_wrapped_whole_never_cut():
    name = "District-wide professional learning communities for every grade level and subject"[:80]
    m = InitiativeMap.build("V", [name])
    box = build_drawing(m).node(2)
    assert " ".join(t.text for t in box.lines if t.bold) == name
    assert all("…" not in t.text for t in box.lines if t.bold)
