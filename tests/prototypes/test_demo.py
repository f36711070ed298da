"""The demo prototypes: varied, realistic, and added once however often the app starts."""
from __future__ import annotations

from prototypes.demo import add_demo_prototypes

SCHOOLS = ["Cedar Ridge Academy", "Lincoln High School", "Maplewood Elementary",
           "Northgate STEM Magnet", "Riverside Middle School"]


def test_demo_prototypes_cover_every_stage_and_are_added_once(ctx, academy):
    ids = add_demo_prototypes(ctx.prototypes, academy.id, SCHOOLS)
    assert add_demo_prototypes(ctx.prototypes, academy.id, SCHOOLS) == ids
    assert len(ctx.prototypes.search(academy.id)) == 4
    by_title = {ctx.prototypes.get(i).title: ctx.prototypes.get(i) for i in ids}
    math = by_title["Math stations in grade 5"]
    assert math.team == "Maplewood Elementary" and math.status == "iterating"
    assert {p.status for p in by_title.values()} == {"iterating", "trying", "draft", "adapted"}
    flex = by_title["Flex Fridays in 9th-grade science"]
    assert flex.team == "Lincoln High School"
    assert flex.can_move_to("trying")  # the demo shows the safe-to-try rule at work
    cycles = ctx.prototypes.iterations(math.id)
    assert [c.number for c in cycles] == [1, 2]
    assert cycles[1].change == cycles[0].next_change
    versions = ctx.prototypes.versions(math.id)
    changed = {c.key for c in ctx.prototypes.diff(versions[0][1], versions[1][1])}
    assert {"resources", "core_four"} <= changed
    for p in by_title.values():   # every demo exports and validates
        assert ctx.prototypes.export_json(p.id)
