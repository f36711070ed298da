"""Demo initiative maps: the district view and a few school teams' maps, the kind of picture a
team draws on the day (several initiatives well aligned, a couple of heavy ones hanging loose,
one winding down). Idempotent: a map that already has initiatives is left alone."""
from __future__ import annotations

from prototypes.maps.model import DISTRICT

# (name, owner, status, load, hub rating or None, how it connects, note)
DISTRICT_INITIATIVES = [
    ("Personalized learning pilots", "Office of Teaching & Learning", "active", 4, 3,
     "Is the vision in practice: station rotation in 12 classrooms", ""),
    ("PD plan 2026–27", "Professional Learning", "active", 3, 2,
     "Half the PD days are on blended models; the rest on compliance", ""),
    ("Teacher evaluation rubric", "Human Resources", "active", 4, 1,
     "Rubric still rewards whole-class direct instruction",
     "Revise domain 3 to credit small-group, data-driven teaching"),
    ("1:1 device rollout", "Technology", "active", 5, 1,
     "Devices arrive before any plan for how students will use them", "Chromebooks grades 3–8"),
    ("MTSS", "Student Services", "active", 4, 2,
     "Intervention blocks could become targeted-instruction stations", ""),
    ("SEL curriculum", "Student Services", "active", 2, 2,
     "Student reflection and ownership routines", ""),
    ("Literacy adoption", "Curriculum", "planned", 4, None, "", "New K–5 core program in the fall"),
    ("Data dashboards", "Assessment", "active", 2, 3,
     "Gives teachers the data to group students each week", ""),
    ("Strategic plan refresh", "Superintendent", "winding_down", 3, None, "", "Ends in June"),
]
DISTRICT_LINKS = [("MTSS", "Data dashboards", 3), ("SEL curriculum", "MTSS", 2),
                  ("PD plan 2026–27", "Personalized learning pilots", 3),
                  ("1:1 device rollout", "Personalized learning pilots", 2)]
DISTRICT_VISION = "Every student owns their learning, with the right support at the right time"

SCHOOL_INITIATIVES = [
    ("Project-based learning", "Grade-level leads", "active", 4, 2,
     "Projects give students voice and choice", ""),
    ("Station rotation in math", "Math coach", "planned", 3, 3,
     "Our safe-to-try prototype from the academy", ""),
    ("PLC data meetings", "Principal", "active", 3, 2,
     "Weekly look at exit tickets to regroup students", ""),
    ("Teacher evaluation walkthroughs", "Assistant principal", "active", 3, 1,
     "Walkthrough form does not look for student ownership", ""),
    ("1:1 device rollout", "Tech lead", "active", 5, None, "", "Carts arrive in October"),
    ("SEL advisory", "Counselor", "active", 2, 2, "Goal-setting conferences", ""),
    ("Reading intervention block", "Reading specialist", "active", 4, None, "", ""),
]
SCHOOL_LINKS = [("Station rotation in math", "PLC data meetings", 3),
                ("Project-based learning", "SEL advisory", 1),
                ("Station rotation in math", "1:1 device rollout", 1)]
SCHOOL_VISION = "Students at {school} set goals, choose paths and show what they know"


def _fill(service, map_id: int, vision: str, initiatives, links) -> None:
    service.set_vision(map_id, vision)
    hub = service.get(map_id).hub.id
    ids = {}
    for name, owner, status, load, rating, how, note in initiatives:
        node = service.add_initiative(map_id, name, owner=owner, status=status, load=load, note=note)
        ids[name] = node.id
        if rating is not None:
            service.link(map_id, hub, node.id, rating, how)
    for a, b, rating in links:
        service.link(map_id, ids[a], ids[b], rating)
    service.relayout(map_id)


def add_demo_maps(service, academy_id: int, schools: list[str], max_schools: int = 3) -> list[int]:
    """Fill the district map and the first ``max_schools`` school teams' maps (by name) with
    demo initiatives; returns the ids of the maps it filled (none on a second call)."""
    filled = []
    targets = [DISTRICT] + sorted({s for s in schools if s}, key=str.casefold)[:max_schools]
    for i, school in enumerate(targets):
        m = service.open(academy_id, school)
        if m.initiatives():
            continue
        if school == DISTRICT:
            _fill(service, m.id, DISTRICT_VISION, DISTRICT_INITIATIVES, DISTRICT_LINKS)
        else:
            # Each school's map differs a little: rotate which heavy initiative is unlinked.
            rows = SCHOOL_INITIATIVES[i - 1:] + SCHOOL_INITIATIVES[:i - 1]
            _fill(service, m.id, SCHOOL_VISION.format(school=school), rows, SCHOOL_LINKS)
        filled.append(m.id)
    return filled
