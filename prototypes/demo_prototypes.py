"""Demo prototypes: what school teams draft on the day — a safe-to-try classroom model with its
rollout check and a few PDSA cycles — so the library, the editor and the handouts have real
content to show. Idempotent: a team that already has prototypes is left alone."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Callable

from prototypes.model import SafeToTryCheck
from workshop.academy import fold

# (title, model, core four, why, students, more, less, success, resources)
IDEAS = [
    ("Math stations in grade 5", "station_rotation", ("targeted_instruction", "data_driven"),
     "Whole-class lessons are too easy for a third of the class and too hard for another third.",
     "Grade 5, 28 students; six on IEPs; a wide spread on the fall screener.",
     "Teach small groups matched to the exit-ticket data", "Lecture to everyone at once",
     "Exit tickets: more students at ‘got it’ by week 3; fewer off-task minutes",
     "Chromebook cart two days a week, timer, group cards"),
    ("Reading playlists", "individual_playlist", ("flexible_content", "reflection_ownership"),
     "Independent reading time is unstructured; students do not choose or track their path.",
     "Grade 7 ELA, two sections; several English learners.",
     "Confer one to one", "Assign the same chapter to everyone",
     "Students set and meet weekly goals; conference notes show deeper talk",
     "Playlist template, tracker sheet, classroom library"),
    ("Flipped science labs", "flipped", ("flexible_content", "targeted_instruction"),
     "Lab time is lost to explaining procedures; students arrive unprepared.",
     "Grade 10 biology, 3 sections.",
     "Coach groups during labs", "Demonstrate procedures live",
     "Labs finish on time; pre-lab quiz average above 80 %",
     "Short videos, pre-lab quiz, tablets"),
]
RISK_PLAN = {
    "why": ("low", "We wrote our ‘why’ on one page and shared it with families."),
    "curriculum": ("medium", "Map each station to this unit's standards first."),
    "capacity": ("medium", "Two teachers co-plan on Tuesdays; the coach joins every other week."),
    "starting_point": ("low", "Start in one class for four weeks before widening."),
    "communication": ("low", "Letter home and a note in the staff bulletin."),
    "devices": ("high", "Book the Chromebook cart; paper backup for every station."),
}
CYCLES = [
    dict(change="Three 15-minute stations, twice a week",
         question="Will students stay on task without the teacher at their station?",
         prediction="Most groups will; the independent station will drift.",
         measure="Off-task tallies every 5 minutes; exit tickets",
         who_where_when="Room 12, weeks 1–2", happened="Transitions took four minutes each.",
         surprises="Students coached each other at the collaborative station.",
         results="On-task time rose; transitions ate the gain.", decision="adapt",
         next_change="Practise transitions; post a visual timer"),
    dict(prediction="Transitions under two minutes by the third day.",
         measure="Stopwatch at each transition", who_where_when="Room 12, weeks 3–4",
         happened="Transitions fell to 90 seconds.", results="Better than predicted.",
         decision="adopt", next_change="Add a data check at the teacher-led station"),
    dict(question="Does the weekly data check change who is in the teacher-led group?",
         prediction="About a quarter of students will move groups each week.",
         measure="Group lists week to week"),
]


def add_demo_prototypes(service, academy_id: int, teams: list[str],
                        say: Callable[[str], None] = lambda text: None) -> list[int]:
    """One or two prototypes per team, with a consent check and PDSA cycles; returns their ids."""
    made = []
    existing = {fold(r.team) for r in service.search(academy_id)}
    for i, team in enumerate(sorted({t for t in teams if t}, key=fold)):
        if fold(team) in existing:
            continue
        for j in range(1 + i % 2):
            idea = IDEAS[(i + j) % len(IDEAS)]
            made.append(_prototype(service, academy_id, team, idea, cycles=1 + (i + j) % 3,
                                   trying=(i + j) % 4 != 3))
    say(f"Prototypes: {len(made)} demo prototypes with their iterations")
    return made


def _prototype(service, academy_id, team, idea, cycles: int, trying: bool) -> int:
    title, model, core, why, students, more, less, success, resources = idea
    p = service.create(academy_id, title, team=team, model=model, core_four=core, why=why,
                       students=students, teachers_more=more, teachers_less=less,
                       success_measures=success, resources=resources,
                       owner=f"{team.split()[0]} design team")
    check = SafeToTryCheck()
    for key, (level, mitigation) in RISK_PLAN.items():
        check = check.with_risk(key, level=level, mitigation=mitigation)
    clock = getattr(service, "clock", None)
    today = clock.now().date() if clock is not None else date.today()
    check = replace(check, consent_on=today, present=f"The {team} team and the facilitator",
                    no_objection=True)
    service.set_check(p.id, check)
    if trying:
        service.change_status(p.id, "trying")
    for n in range(cycles):
        it = service.start_iteration(p.id)
        fields = {k: v for k, v in CYCLES[n].items()}
        if n < cycles - 1:   # earlier cycles are finished; the last one is under way
            fields["finished_on"] = it.started_on + timedelta(days=14)
        else:
            fields = {k: v for k, v in fields.items()
                      if k in ("change", "question", "prediction", "measure", "who_where_when")}
        service.update_iteration(it.id, **fields)
    return p.id
