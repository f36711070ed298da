"""Can the roster be harvested through the phone name search? (issue 12 item 5)

A crawler holding one station link tries every 2- and 3-letter prefix, then every first name in
the room with each surname initial, then every full name, through the real server (its rate
limit off, so the crawl is as fast as it can be: the worst case). It runs keeping its cookie,
dropping it, and inventing a new one on every request; then from ten addresses at once (the
honest limit of a per-address budget). Printed: names learned (with keys) against requests and
time, and — the floor, measured in the same run — what the old prefix search (two letters, up
to five names) would have revealed for the same queries. Then every real participant, each on
a phone of their own, types their name three ways: the success rate and the search latency,
against a floor of the same phone reading the station's info.

    .venv/bin/python tests/bench/bench_enumeration.py
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.stations.join.phone import Phone  # noqa: E402
from tests.stations.join.test_enumeration import Crawler, guesses  # noqa: E402
from workshop.academy.demo import ensure_demo_academy  # noqa: E402
from workshop.app import build_context  # noqa: E402
from workshop.config import AppConfig  # noqa: E402
from workshop.text import fold  # noqa: E402

CHECKPOINTS = 6


def old_prefix_search(query: str, names: list[str]) -> list[str]:
    """What the search answered before issue 12: any name, or a later word of it, starting with
    two or more typed letters; at most five shown."""
    key = " ".join(fold(query).split())
    if sum(ch.isalnum() for ch in key) < 2:
        return []
    hits = []
    for name in names:
        words = fold(name).split()
        if " ".join(words).startswith(key) or any(
                " ".join(words[i:]).startswith(key) for i in range(1, len(words))):
            hits.append(name)
    return sorted(hits)[:5]


def crawl(base_url: str, token: str, queries: list[str], cookies: str, source: str,
          learned: set | None = None) -> list:
    crawler = Crawler(base_url, source=source, cookies=cookies)
    crawler.get(f"/s/{token}")
    timeline, started, step = [], time.perf_counter(), max(1, len(queries) // CHECKPOINTS)
    for i, query in enumerate(queries, 1):
        crawler.search(token, query)
        if i % step == 0 or i == len(queries):
            timeline.append((i, time.perf_counter() - started, len(crawler.learned)))
    if learned is not None:
        learned.update(crawler.learned)
    return timeline


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        ctx = build_context(AppConfig(db_path=Path(folder) / "bench.sqlite", host="127.0.0.1", port=0))
        academy_id = ensure_demo_academy(ctx)
        roster = [p.name for p in ctx.academies.participants(academy_id)]
        bound = ctx.join.start_server(host="127.0.0.1", port=0, rate_limit=None)
        tokens = [link.token for link in ctx.join.links(academy_id)]
        queries = guesses()
        old = set()
        for query in queries:
            old.update(old_prefix_search(query, roster))
        print(f"roster: {len(roster)} people; crawl: {len(queries)} queries "
              f"(at the default 10 requests/s: {len(queries) / 10 / 60:.0f} min)")
        print(f"floor (old prefix search, same queries): {len(old)} of {len(roster)} names")
        for n, cookies in enumerate(("keep", "none", "rotate")):
            timeline = crawl(bound.base_url, tokens[0], queries, cookies, f"127.0.3.{n + 1}")
            print(f"crawler, cookie {cookies:>6}: " + "; ".join(
                f"{asked} asked {secs:.1f} s -> {learned}" for asked, secs, learned in timeline))
            learned = timeline[-1][2]
            print(f"  learned {learned} of {len(roster)}; ratio to the floor {learned / max(1, len(old)):.2f}")
        spread: set = set()
        for i in range(10):
            crawl(bound.base_url, tokens[1], queries[-700:], "none", f"127.0.4.{i + 1}", spread)
        print(f"ten addresses together, full-name guesses from each: {len(spread)} different names "
              f"(at most the per-address budget times ten: a known limit, see docs/join.md)")

        floor, latencies, found = [], [], 0
        forms = ("full", "initial", "folded")
        for i, name in enumerate(roster * len(forms)):
            form = forms[i // len(roster)]
            words = name.split()
            query = (name if form == "full" else f"{words[0]} {words[-1][0]}"
                     if form == "initial" and len(words) > 1 else fold(name).upper() if form == "folded"
                     else name)
            phone = Phone(bound.base_url, source=f"127.0.5.{1 + i}", cookies=True)
            started = time.perf_counter()
            phone.get(f"/api/v1/s/{tokens[0]}")
            floor.append(time.perf_counter() - started)
            started = time.perf_counter()
            matches = phone.search(tokens[0], query).json["matches"]
            latencies.append(time.perf_counter() - started)
            found += any(m["name"] == name for m in matches)
        ctx.join.stop_server()
        ctx.close()
    total = len(roster) * len(forms)
    print(f"real participants (full name, first name + initial, folded capitals; one phone each): "
          f"{found} of {total} found ({100 * found / total:.0f} %)")
    search_ms, floor_ms = statistics.median(latencies) * 1000, statistics.median(floor) * 1000
    print(f"  search median {search_ms:.2f} ms, max {max(latencies) * 1000:.1f} ms; floor (station "
          f"info) median {floor_ms:.2f} ms; ratio {search_ms / floor_ms:.2f}")


if __name__ == "__main__":
    main()
