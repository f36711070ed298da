"""The map analysis on hand-built maps whose answers were worked out by hand."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from prototypes.maps.analysis import analyse
from prototypes.maps.model import InitiativeMap, Node


def N(name, load=2, status="active"):
    return Node(name, load=load, status=status)


# Each case: initiatives, links, and the expected findings (names, in order).
CASES = {
    "all strongly aligned": dict(
        nodes=[N("A"), N("B"), N("C")],
        links=[("hub", "A", 3), ("hub", "B", 3), ("hub", "C", 3)],
        score=100, mean=3.0, unlinked=[], overloaded=[], is_overloaded=False, bridges=[],
        heaviest=None, unaligned_load=0),
    # 6 nodes: normalised betweenness = pairs through the node / 10. MTSS carries SEL's 3 pairs.
    # score = (4·3 + 3·0 + 5·1 + 2·2 + 2·0) / (3·16) = 21/48 → 44.
    "mixed district": dict(
        nodes=[N("PBL", 4), N("Teacher evaluation", 3), N("Devices", 5, "planned"), N("MTSS"), N("SEL")],
        links=[("hub", "PBL", 3), ("hub", "MTSS", 2), ("MTSS", "SEL", 2), ("hub", "Devices", 1)],
        score=44, mean=1.2, unlinked=["Teacher evaluation", "SEL"], overloaded=["Devices"],
        is_overloaded=True, bridges=[("MTSS", 0.3)], heaviest=("Teacher evaluation", 3),
        unaligned_load=5),
    # hub–A–B–C: A and B each lie on 2 of the 3 pairs that do not involve them.
    "chain": dict(
        nodes=[N("A"), N("B"), N("C")],
        links=[("hub", "A", 2), ("A", "B", 2), ("B", "C", 2)],
        score=22, mean=0.67, unlinked=["B", "C"], overloaded=[], is_overloaded=True,
        bridges=[("A", 0.667), ("B", 0.667)], heaviest=("B", 2), unaligned_load=4),
    "two heavy weak spokes": dict(
        nodes=[N("Light", 1), N("Heavy one", 4), N("Heavy two", 5)],
        links=[("hub", "Light", 3), ("hub", "Heavy one", 1), ("hub", "Heavy two", 0)],
        score=23, mean=1.33, unlinked=[], overloaded=["Heavy two", "Heavy one"],
        is_overloaded=True, bridges=[], heaviest=("Heavy two", 5), unaligned_load=5),
    # weak share = (3 + 3) / 8 = 75 % with two weak spokes, though none is heavy.
    "overload by share": dict(
        nodes=[N("A", 3), N("B", 3), N("C", 2)],
        links=[("hub", "A", 1), ("hub", "C", 3)],
        score=38, mean=1.33, unlinked=["B"], overloaded=[], is_overloaded=True, bridges=[],
        heaviest=("B", 3), unaligned_load=3),
    "winding down does not count": dict(
        nodes=[N("Keep", 2), N("Old plan", 5, "winding_down")],
        links=[("hub", "Keep", 3)],
        score=100, mean=3.0, unlinked=["Old plan"], overloaded=[], is_overloaded=False,
        bridges=[], heaviest=None, unaligned_load=0),
    "one weak spoke is not overload": dict(
        nodes=[N("Only", 5)], links=[("hub", "Only", 1)],
        score=33, mean=1.0, unlinked=[], overloaded=["Only"], is_overloaded=False, bridges=[],
        heaviest=None, unaligned_load=0),
}


@pytest.mark.parametrize("name", list(CASES))
def test_analysis_known_answers(name):
    case = CASES[name]
    m = InitiativeMap.build("Our vision", case["nodes"], case["links"])
    a = analyse(m)
    assert a.score == case["score"]
    assert a.mean_rating == pytest.approx(case["mean"], abs=0.01)
    assert [s.name for s in a.unlinked] == case["unlinked"]
    assert [s.name for s in a.overloaded] == case["overloaded"]
    assert a.is_overloaded is case["is_overloaded"]
    assert [(s.name, pytest.approx(s.value, abs=0.001)) for s in a.bridges] == case["bridges"]
    heaviest = (a.heaviest_unaligned.name, a.heaviest_unaligned.value) if a.heaviest_unaligned else None
    assert heaviest == case["heaviest"]
    assert a.unaligned_load == case["unaligned_load"]


def test_empty_map_has_no_score_and_says_what_to_do():
    a = analyse(InitiativeMap.build("Vision"))
    assert a.score is None and a.initiatives == 0
    assert "Add the initiatives" in a.summary_lines()[0][1]


@pytest.mark.parametrize("name", list(CASES))
def test_same_map_in_another_order_reads_the_same(name):
    case = CASES[name]
    forward = analyse(InitiativeMap.build("V", case["nodes"], case["links"]))
    backward = analyse(InitiativeMap.build("V", case["nodes"], list(reversed(case["links"]))))
    assert forward.summary_lines() == backward.summary_lines()


def test_summary_names_the_findings():
    case = CASES["mixed district"]
    lines = dict(analyse(InitiativeMap.build("V", case["nodes"], case["links"])).summary_lines())
    assert lines["Alignment"].startswith("44 / 100")
    assert "Teacher evaluation (load 3)" in lines["Not linked to the vision"]
    assert lines["Overload risk"].startswith("Yes — 1 heavy initiative is weakly aligned (Devices)")
    assert lines["Bridges"].startswith("MTSS — tie")
    assert lines["Heaviest unaligned load"].startswith("Teacher evaluation (load 3")



@st.composite
def maps(draw):
    count = draw(st.integers(0, 9))
    nodes = [N(f"I{i}", draw(st.integers(1, 5)), draw(st.sampled_from(["planned", "active", "winding_down"])))
             for i in range(count)]
    names = ["hub"] + [n.name for n in nodes]
    pairs = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names), st.integers(0, 3)),
                          max_size=15))
    seen, links = set(), []
    for a, b, r in pairs:
        if a != b and frozenset((a, b)) not in seen:
            seen.add(frozenset((a, b)))
            links.append((a, b, r))
    return nodes, links


@settings(max_examples=150, deadline=None)
@given(maps())
def test_analysis_invariants(spec):
    nodes, links = spec
    m = InitiativeMap.build("V", nodes, links)
    a = analyse(m)
    current = [n for n in m.initiatives() if n.status != "winding_down"]
    if not current:
        assert a.score is None
    else:
        assert 0 <= a.score <= 100
        hub_rated_3 = all(m.hub_link(n.id) and m.hub_link(n.id).rating == 3 for n in current)
        assert (a.score == 100) == hub_rated_3
    assert {s.node_id for s in a.unlinked} == {n.id for n in m.initiatives() if m.hub_link(n.id) is None}
    assert all(s.value > 0 for s in a.bridges)
    assert a.unaligned_load <= a.current_load
    assert analyse(InitiativeMap.build("V", nodes, links[::-1])).summary_lines() == a.summary_lines()
