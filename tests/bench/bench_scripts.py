"""What shaping and bidi cost: the group cards of 160 people whose names are the scripts table
(Hebrew, Arabic, Persian, Indic, Thai, emoji, Chinese, Latin) against the same cards with Latin
names of the same lengths — the floor, measured in the same run. CPU time, medians of 5;
the first render of a process (shaping cache cold) is shown apart.

    .venv/bin/python tests/bench/bench_scripts.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from stations.handouts.models import GroupCard, GroupCardsModel  # noqa: E402
from stations.handouts.render import render_group_cards  # noqa: E402
from tests.scripts import NAMES  # noqa: E402

PEOPLE, RUNS = 160, 5
GOAL_RATIO = 2.0   # shaped names may at most double the cards' time


def model(names: list[str]) -> GroupCardsModel:
    return GroupCardsModel(academy="Spring Academy", day=None, cards=[
        GroupCard(participant=name, school="Lincoln High", group=f"Group {chr(65 + i % 8)}",
                  stops=[]) for i, name in enumerate(names)])


def cpu(names: list[str]) -> tuple[float, int]:
    started = time.process_time()
    pdf = render_group_cards(model(names), "a4")
    return time.process_time() - started, len(pdf)


def main() -> int:
    scripts = [f"{NAMES[i % len(NAMES)].text} {i}" for i in range(PEOPLE)]
    latin = [f"{'x' * len(NAMES[i % len(NAMES)].text)} {i}" for i in range(PEOPLE)]
    cpu(latin)                               # reportlab's imports and the base fonts, once
    first, _ = cpu(scripts)                  # shaping cache cold, script fonts parsed
    floor = [cpu(latin)[0] for _ in range(RUNS)]
    shaped = [cpu(scripts)[0] for _ in range(RUNS)]
    ratio = statistics.median(shaped) / statistics.median(floor)
    print(f"group cards, {PEOPLE} people: Latin floor {statistics.median(floor) * 1000:.0f} ms, "
          f"scripts table {statistics.median(shaped) * 1000:.0f} ms (median of {RUNS} CPU), "
          f"ratio {ratio:.2f} (goal ≤ {GOAL_RATIO}); first render of the process "
          f"{first * 1000:.0f} ms; sizes {cpu(latin)[1] // 1024} KB / {cpu(scripts)[1] // 1024} KB")
    print("GOAL MET" if ratio <= GOAL_RATIO else "GOAL MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
