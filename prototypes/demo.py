"""Demo prototypes for the demo academy: four school teams' safe-to-try models at different
stages, with their checks and PDSA cycles, so every part of the prototype pages has data.

Idempotent: each demo prototype has a fixed uid (uuid5), so running this again adds nothing.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

from prototypes.check import RISKS, Objection
from prototypes.measures.demo import add_demo_measures

NAMESPACE = uuid.UUID("6f1c2a4e-3d0b-4f7e-9a51-2b8d7c0e4a19")
MITIGATIONS = {
    "why": "We wrote our “why” with students' words and read it at the start of each staff meeting.",
    "curriculum": "Stations use the same unit and pacing guide; only grouping changes.",
    "capacity": "The coach co-plans every Tuesday; materials go in a shared folder.",
    "starting_point": "One class, one subject, six weeks; then we look at the data together.",
    "communication": "Families get a letter home; the principal tells the staff on Monday.",
    "devices": "We book the Chromebook cart for the days we rotate; paper backup for each station.",
}

DEMOS = [
    {
        "key": "math-stations", "school": "elementary", "title": "Math stations in grade 5",
        "model": "station_rotation", "core_four": ("targeted_instruction", "data_driven"),
        "why": "In whole-group math a third of the class waits while others are lost; exit "
               "tickets show the same students missing fractions every week.",
        "students": "28 fifth graders, six of them English learners; a wide range in fractions "
                    "(from grade 3 to grade 6).",
        "teachers_more": "Small-group reteaching at the teacher table; reading exit tickets daily.",
        "teachers_less": "Lecturing to everyone at once; grading worksheets after school.",
        "success_measures": "Exit tickets at 80% or better for two weeks running; fewer than "
                            "five students waiting for help at any time.",
        "resources": "12 Chromebooks, fraction tiles, a visible rotation timer.",
        "owner": "Priya Raghunathan",
        "status": ["trying", "iterating"],
        "cycles": [
            {"change": "Three 20-minute stations: teacher table, online practice, partner tasks.",
             "question": "Do students get help sooner when we rotate?",
             "prediction": "Fewer than 5 students off task or waiting at any moment.",
             "measure": "Coach tallies waiting/off-task students every 5 minutes.",
             "who_where_when": "Room 12, Mondays and Wednesdays, weeks 1–2.",
             "happened": "Transitions took 4 minutes at first; by day 4 under 2.",
             "surprises": "Quiet students asked more questions at the teacher table.",
             "results": "3 students waiting on average (predicted under 5); exit tickets 71%.",
             "decision": "adapt",
             "next_change": "Group by Monday's exit ticket instead of by seat.",
             "then": {"resources": "12 Chromebooks, fraction tiles, a visible rotation timer, "
                                   "a data wall by the door.",
                      "core_four": ("targeted_instruction", "data_driven",
                                    "reflection_ownership")}},
            {"change": "Group by Monday's exit ticket instead of by seat.",
             "question": "Does grouping by data raise exit tickets?",
             "prediction": "Exit tickets reach 80% within two weeks.",
             "measure": "Daily exit ticket average, tracked on the data wall.",
             "who_where_when": "Room 12, all four math days, weeks 3–4.",
             "happened": "Groups changed every Monday; students checked the wall themselves."},
        ],
        "consent": {"present": "Priya Raghunathan, José Núñez, Zoë Brennan-O'Neil, Marcus Bell",
                    "objections": ()},
    },
    {
        "key": "reading-playlists", "school": "middle", "title": "Reading playlists in grade 7",
        "model": "individual_playlist", "core_four": ("flexible_content", "reflection_ownership"),
        "why": "Students finish class novels at very different speeds; the fast readers are "
               "bored and the slow ones give up.",
        "students": "Two grade 7 ELA classes (54 students), 9 with reading plans.",
        "teachers_more": "Conferring one-to-one; helping students set weekly reading goals.",
        "teachers_less": "Reading aloud to the whole class; one assignment for all.",
        "success_measures": "Every student finishes a playlist each week; goal sheets filled in.",
        "resources": "Classroom library, audiobooks, the school's reading app.",
        "owner": "Riverside ELA team",
        "status": ["trying"],
        "cycles": [
            {"change": "A weekly playlist of 4 tasks with two choices each.",
             "question": "Will students pace themselves when they choose the order?",
             "prediction": "At least 80% finish the playlist by Friday.",
             "measure": "Playlist tracker checked every Friday.",
             "who_where_when": "Periods 2 and 5, three weeks."},
        ],
        "consent": {"present": "Riverside ELA team and the assistant principal",
                    "objections": (Objection("Parents may think there is no homework any more.",
                                             "The team sends the playlist home each Monday."),)},
    },
    {
        "key": "flex-science", "school": "high", "title": "Flex Fridays in 9th-grade science",
        "model": "flex", "core_four": ("flexible_content", "reflection_ownership"),
        "why": "Lab reports come back late and copied; students do not see why the labs matter.",
        "students": "Grade 9 biology, four sections.",
        "teachers_more": "Coaching lab groups; short check-ins on goals.",
        "teachers_less": "Demonstrating every lab from the front.",
        "success_measures": "Lab reports handed in on time; students name what they learned.",
        "resources": "Lab kits, a booking sheet for the lab, laptops.",
        "owner": "Lincoln science department",
        "status": [],
        "high_risk": "devices",
        "cycles": [],
        "consent": None,
    },
    {
        "key": "flipped-algebra", "school": "stem", "title": "Flipped algebra lessons",
        "model": "flipped", "core_four": ("flexible_content", "targeted_instruction",
                                          "data_driven"),
        "why": "Homework is where students get stuck, alone; class time is spent on lectures.",
        "students": "Algebra I, grades 8–9, two teachers.",
        "teachers_more": "Working problems with students in class.",
        "teachers_less": "Recording the same explanation for every section.",
        "success_measures": "Video check-in questions answered before class by 75% of students.",
        "resources": "Short videos (under 8 minutes), devices at home or in the library.",
        "owner": "Northgate math team",
        "status": ["trying", "iterating", "adapted"],
        "cycles": [
            {"change": "Two videos a week instead of homework sets.",
             "prediction": "75% watch before class.", "measure": "Video platform check-ins.",
             "results": "52% watched; students without devices at home could not.",
             "decision": "adapt", "next_change": "Watch time in the first 10 minutes of class.",
             "then": {"teachers_more": "Working problems with students in class; checking who "
                                       "watched in the first 10 minutes."}},
            {"change": "Watch time in the first 10 minutes of class.",
             "prediction": "Everyone has seen the video before practice starts.",
             "measure": "Check-in answers by minute 12.",
             "results": "94% answered; practice started 8 minutes earlier than before.",
             "decision": "adopt", "next_change": "Share the routine with the geometry team."},
        ],
        "consent": {"present": "Northgate math team, STEM coordinator", "objections": ()},
    },
]


def _pick_school(schools: list[str], word: str, used: set[str]) -> str:
    for school in schools:
        if word in school.lower() and school not in used:
            return school
    return next((s for s in schools if s not in used), "")


def add_demo_prototypes(service, academy_id: int, schools: list[str]) -> list[int]:
    """Create the demo prototypes in the academy (once); returns their ids."""
    today = service.clock.now().date()
    used: set[str] = set()
    ids = []
    for spec in DEMOS:
        uid = str(uuid.uuid5(NAMESPACE, spec["key"]))
        existing = service.repo.by_uid(uid)
        if existing is not None:
            ids.append(existing.id)
            continue
        team = _pick_school(schools, spec["school"], used)
        used.add(team)
        p = service.create(academy_id, spec["title"], team=team, uid=uid, model=spec["model"],
                           on=today - timedelta(days=49),
                           core_four=spec["core_four"], why=spec["why"],
                           students=spec["students"], teachers_more=spec["teachers_more"],
                           teachers_less=spec["teachers_less"],
                           success_measures=spec["success_measures"],
                           resources=spec["resources"], owner=spec["owner"])
        check = p.check
        for i, key in enumerate(RISKS):
            level = "medium" if i % 3 == 1 else "low"
            check = check.with_risk(key, level=level, mitigation=MITIGATIONS[key])
        if spec.get("high_risk"):
            check = check.with_risk(spec["high_risk"], level="high", mitigation="")
        if spec["consent"]:
            check = replace(check, consent_on=today - timedelta(days=42),
                            present=spec["consent"]["present"], no_objection=True,
                            objections=spec["consent"]["objections"])
        service.set_check(p.id, check)
        n = len(spec["cycles"])
        for step, status in enumerate(spec["status"]):
            service.change_status(p.id, status, on=today - timedelta(days=35 - 14 * step))
        for number, cycle in enumerate(spec["cycles"], start=1):
            cycle = dict(cycle)
            changes_after = cycle.pop("then", None)
            it = service.start_iteration(p.id)
            started = today - timedelta(days=14 * (n - number + 1))
            finished = started + timedelta(days=13) if cycle.get("decision") else None
            service.update_iteration(it.id, started_on=started, finished_on=finished, **cycle)
            if changes_after:  # what the team changed after this cycle: the next one tests it
                service.update(p.id, **changes_after)
        ids.append(p.id)
    _add_demo_plan(service, academy_id)
    add_demo_measures(service, {spec["key"]: pid for spec, pid in zip(DEMOS, ids)})
    return ids


def _add_demo_plan(service, academy_id: int) -> None:
    """The demo team's vision and rollout plan, where the composition root gave the service
    its team plans (``PrototypeService.rollout``)."""
    if getattr(service, "rollout", None) is not None:
        from prototypes.rollout.demo import add_demo_plan
        add_demo_plan(service.rollout, academy_id)
