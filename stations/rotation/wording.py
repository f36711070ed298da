"""What the rotation says to people: countdown digits, phase names, the projector's headlines
and cards, the control page's banners. Pure text from a snapshot, so every screen words the
rotation alike and tests read it without a window.
"""
from __future__ import annotations

import math
import re
from datetime import datetime

from stations.rotation.reader import RotationSnapshot
from workshop.errors import ValidationError
from workshop.timefmt import clock_time


def clock_text(seconds: float) -> str:
    """12:34, or 1:02:03 past an hour; rounds up so "0:00" appears only at the very end."""
    total = max(0, math.ceil(seconds - 1e-6))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def parse_clock(text: str) -> float:
    """"12", "12:30" or "1:02:03" → seconds (a bare number is minutes)."""
    text = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text) * 60
    if re.fullmatch(r"\d+:\d{1,2}(:\d{1,2})?", text):
        seconds = 0
        for part in (int(p) for p in text.split(":")):
            seconds = seconds * 60 + part
        return float(seconds)
    shown = " ".join(text.split())  # quoted on one line, however it was typed or pasted
    shown = shown if len(shown) <= 24 else shown[:23] + "…"
    raise ValidationError(f"“{shown}” is not a time; type minutes (12) or minutes:seconds (12:30).")


# -- the control page ----------------------------------------------------------------------------
def where(snap: RotationSnapshot) -> str:
    """Where the rotation is, for the facilitator ("Round 2 of 3", "Debrief" …)."""
    of = f"Round {snap.round_number} of {snap.rounds_total}"
    return {"ready": "Ready to start", "round": of,
            "transition": f"Moving to round {snap.round_number + 1} of {snap.rounds_total}",
            "debrief": "Debrief", "finished": "Rotation finished"}[snap.phase]


def pace_text(planned_end: datetime | None, expected_end: datetime | None) -> str:
    """The planned end, and the end at this pace when it is a minute or more off."""
    text = f"Planned end {clock_time(planned_end)}" if planned_end else ""
    if planned_end and expected_end and abs((expected_end - planned_end).total_seconds()) >= 60:
        text += f"  ·  at this pace {clock_time(expected_end)}"
    return text


def resume_offer(snap: RotationSnapshot) -> str:
    """The banner of a rotation found running when the app (re)started."""
    state = "is paused with" if snap.paused else "carried on; it has"
    return (f"A rotation was running when the app closed ({where(snap)}). "
            f"It {state} {clock_text(snap.remaining_s)} left.")


def late_start(planned: datetime, now: datetime) -> str:
    """The nudge when the planned start has passed and nobody started."""
    minutes = int((now - planned).total_seconds() // 60)
    return (f"The rotation was planned to start at {clock_time(planned)} ({minutes} min ago) "
            "and has not started.")


def warning_span(seconds: float) -> str:
    """A warning's length: "2 min", "2.5 min", "20 s", "1:20"."""
    whole = round(seconds)
    if whole % 30 == 0 and whole:
        return f"{whole / 60:g} min"
    return f"{whole} s" if whole < 60 else clock_text(whole)


def cue_text(kind: str, warning_minutes: float, phase: str = "transition") -> str:
    """The banner that goes with a chime: "warning", the "end" of a part whose time ran out,
    or "next" (the facilitator moved on early), by the ``phase`` it led to ("" when the new
    part needs no banner: a round beginning, the finish)."""
    if kind == "warning":
        return f"Warning: {warning_span(warning_minutes * 60)} left in this round"
    if kind == "next":   # pressed Next: the time was not up, and the room should not hear it was
        return {"transition": "Moving on: the room moves to the next station",
                "debrief": "Moving on: the rounds are over, time for the debrief"}.get(phase, "")
    return {"transition": "Time is up: the room moves on",
            "debrief": "Time is up: the rounds are over, time for the debrief"}.get(phase, "")


def warning_note(asked_minutes: float, used_s: float, shortest_round_s: float) -> str:
    """Beside the set-up's warning: what the rotation will really do when it is clamped."""
    if used_s >= asked_minutes * 60 - 1e-6:
        return ""
    return (f"Warns {warning_span(used_s)} before the end: at most a third of the shortest "
            f"round ({warning_span(shortest_round_s)}).")


END_ROTATION = ("End the rotation?", "The rotation stops now and the projector shows that it is "
                "finished. It cannot be resumed.", "End rotation")
RESTART_ROUND = ("Restart this round?", "The round starts again with its full time; the time "
                 "already spent is lost.", "Restart round")


def next_ends(phase: str) -> tuple[str, str, str]:
    """What Next asks when it would finish the rotation (from the debrief, or a last round with
    none): (title, question, action)."""
    part = "the debrief" if phase == "debrief" else "the last round"
    return ("End the rotation?", f"Next ends {part} and with it the rotation: the projector shows "
            "that it is finished. It cannot be resumed.", "End rotation")


def start_again(done: int) -> tuple[str, str, str]:
    """The question "Start again" asks after run ``done``: (title, question, action)."""
    return ("Start the rotation again?",
            f"Run {done} stays in the history with its check-ins and timings. Run {done + 1} "
            "starts from round 1 with nobody checked in: everyone scans in again.",
            f"Start run {done + 1}")


def run_suffix(run: int) -> str:
    """What the control page adds after the phase once the rotation has been started again."""
    return f"  ·  Run {run}" if run > 1 else ""


# -- what a phone is expected to do ---------------------------------------------------------
def scan_hint(phase: str, round_: int, rounds_total: int, counted: bool) -> str:
    """What a person should do with their phone now: each round needs its own scan, and an
    arrival scan before the start counts for round 1. ``round_``: the round a check-in now
    counts for; ``counted``: they have checked in for it."""
    last = rounds_total and round_ >= rounds_total
    if phase == "ready":
        return ("You're checked in for round 1. " if counted else
                "Scan the code at your station to check in: it counts for round 1. ") + (
                "When the room moves, scan again at your next station.")
    if phase == "round":
        if not counted:
            return f"Scan the code at this station to check in for round {round_}."
        return (f"You're checked in for round {round_}. " + (
            "This is the last round." if last else
            "When the room moves, scan again at your next station."))
    if phase == "transition":
        return (f"You're checked in for round {round_}." if counted else
                f"Scan again at your next station when you get there: it counts for round {round_}.")
    return ""


# -- the projector ---------------------------------------------------------------------------
def headline(snap: RotationSnapshot | None) -> tuple[str, str]:
    """The projector's title and subtitle."""
    if snap is None:
        return "Station rotation", "Set up the rotation on the control page."
    of = f"Round {max(1, snap.round_number)} of {snap.rounds_total}"
    if snap.phase == "ready":
        return "Station rotation", f"Starts soon · {of} · Scan in at your station"
    if snap.phase == "round":
        sub = "Paused" if snap.paused else ("Wrap up — time is nearly up" if snap.warning
                                           else "Work at your station")
        return of, sub
    if snap.phase == "transition":
        return "Move to your next station and scan again", (
            "Paused" if snap.paused
            else f"Round {snap.round_number + 1} of {snap.rounds_total} starts in")
    if snap.phase == "debrief":
        return "Debrief", ("Paused" if snap.paused
                           else "How did it feel to be a learner at each station?")
    return "Rotation finished", "Thank you — every group has visited every station."


def spoken(snap: RotationSnapshot | None) -> str:
    """Everything the projector shows, as text a screen reader reads: the phase, the time
    left, and each station with its groups (the projector is painted, so it has no other)."""
    title, subtitle = headline(snap)
    parts = [title, subtitle]
    if snap is not None:
        if snap.phase != "finished":
            parts.append(f"{clock_text(snap.remaining_s)} left")
        parts += [f"Station {st.position}, {st.name}: {card_text(snap, st.position, True)}"
                  for st in snap.stations]
    return " ".join(part if part.endswith((".", "?", "!")) else part + "." for part in parts)


def group_lines(names) -> str:
    """A few groups one per line (bigger letters); many on shared lines."""
    return "\n".join(names) if len(names) <= 3 else " · ".join(names)


def card_text(snap: RotationSnapshot, position: int, compact: bool = False) -> str:
    """What a station's card on the projector says under its name; ``compact`` (4 to 6
    cards, two rows): only the groups, on shared lines, so they can be big (the headline
    already says "Move to your next station" or "Starts soon")."""
    def listed(lead: str, names) -> str:
        if compact:
            return " · ".join(names)
        return f"{lead}:\n{group_lines(names)}" if lead else group_lines(names)
    if snap.phase in ("debrief", "finished"):
        station = next(st for st in snap.stations if st.position == position)
        return station.debrief_prompt or "How did it feel to be a learner here?"
    if snap.phase == "transition":
        coming = snap.groups_at(position, upcoming=True)
        return listed("Move here", coming) if coming else "Resting next round"
    if snap.phase == "ready":
        first = snap.groups_at(position, upcoming=True)
        return listed("Start here", first) if first else "Resting in round 1"
    here = snap.groups_at(position)
    return listed("", here) if here else "Resting this round"
