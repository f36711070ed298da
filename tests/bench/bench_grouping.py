"""Grouping benchmark: the engine beside a plain random grouping and a simple greedy one.

    python tests/bench/bench_grouping.py [--quick] [--dev K]

Runs the shared development instances (``../shared/grouping-bench``, or $GROUPING_BENCH: the
social-golfer classics and realistic rosters, regenerated here with its generator) plus the
issue's own case (210 people from 18 schools, balanced, 3 rounds, 21 groups). Every figure is
computed by the shared reference scorer (``score.py``); the baselines are its ``baseline.py``
(random: mean of 10 seeds; greedy: best of 20 randomised restarts). The engine gets the request
the ``workshop group`` contract would send, with a 10 s limit (5 s with --quick).
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from stations.grouping.engine import make_groups  # noqa: E402
from stations.grouping.contract import parse_request  # noqa: E402

BENCH = Path(os.environ.get("GROUPING_BENCH", ROOT.parent / "shared" / "grouping-bench"))
STRATEGY = {"remix": "balanced", "balanced": "balanced", "balanced_remix": "balanced",
            "keep_school_together": "teams", "homogeneous_readiness": "readiness"}


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def contract(inst: dict, time_limit: float) -> dict:
    """The request run.py sends for an instance."""
    strategy = STRATEGY[inst["strategy"]]
    req = {"participants": inst["participants"], "strategy": strategy, "groups": inst["num_groups"],
           "rounds": inst.get("rounds", 1), "seed": 1, "time_limit_s": time_limit}
    if strategy == "balanced":
        req["balance"] = inst.get("balance_attributes", [])
    if inst.get("protected"):
        req["protect"] = inst["protected"]
    return req


def figures(score, inst, rounds) -> dict:
    errors = score.validate(inst, rounds)
    if errors:
        return {"invalid": errors[0]}
    m = score.score(inst, rounds)
    return {"repeats": m["repeat_pairs"], "free": m["repeat_free_prefix"], "spread": m["size_spread"],
            "isolated": m.get("isolated_minority", 0), "gap": m.get("school_diversity_gap", "-"),
            "objective": m["objective"]}


def mean(values):
    nums = [v for v in values if isinstance(v, (int, float))]
    if not nums:
        return values[0]
    avg = statistics.mean(nums)
    return f"{avg:.1f}" if len(set(nums)) > 1 else str(nums[0])


def row(method: str, seconds: float, f: dict) -> str:
    if "invalid" in f:
        return f"  {method:8s} {seconds:7.2f}s  INVALID: {f['invalid']}"
    return (f"  {method:8s} {seconds:7.2f}s  {str(f['repeats']):>8s} {str(f['free']):>5s} "
            f"{str(f['spread']):>7s} {str(f['isolated']):>9s} {str(f['gap']):>11s}   {f['objective']}")


def issue_cases(gen) -> list[dict]:
    """The issue's headline case: 210 people from 18 schools (+6 district leaders), balanced,
    3 rounds of 21 groups — built with the shared generator so it carries the same bounds."""
    base = next(spec for spec in gen.ROSTERS if spec["id"].startswith("roster-210"))
    spec = dict(base, id="issue-210-18-schools", k=18, seed=20261125,
                request="Issue case: 210 people from 18 schools, balanced, 3 rounds, 21 groups.")
    return [gen.make_roster(spec)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="5 s limit instead of 10 s")
    ap.add_argument("--dev", type=int, default=None, help="use development rosters of seed K")
    ap.add_argument("--only", metavar="PREFIX", help="only the instances whose id starts so "
                    "(sgp: the social-golfer classics; issue: the 210-person case)")
    args = ap.parse_args(argv)
    if not (BENCH / "score.py").exists():
        print(f"The shared grouping benchmark is not at {BENCH}; set GROUPING_BENCH to its folder.")
        return 1
    score = load("score", BENCH / "score.py")
    baseline = load("baseline", BENCH / "baseline.py")
    gen = load("gen_instances", BENCH / "instances" / "gen_instances.py")
    limit = 5.0 if args.quick else 10.0
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
        gen.main(["--out", tmp] + (["--dev", str(args.dev)] if args.dev is not None else []))
        instances = [score.load_json(p) for p in sorted(Path(tmp).glob("*.json"))]
    if args.dev is not None:   # --dev writes only rosters; the golfer classics come from the default set
        with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
            gen.main(["--out", tmp])
            instances += [score.load_json(p) for p in sorted(Path(tmp).glob("sgp-*.json"))]
    instances = issue_cases(gen) + instances
    if args.only:
        instances = [i for i in instances if i["id"].startswith(args.only)]
    print(f"engine time limit {limit:.0f} s; random = mean of 10 seeds; greedy = best of 20 restarts;"
          " times are wall-clock (the engine's CPU time in brackets)\n")
    print(f"  {'method':8s} {'time':>8s}  {'repeats':>8s} {'free':>5s} {'spread':>7s} {'isolated':>9s} "
          f"{'school-gap':>11s}   objective")
    for inst in instances:
        known = inst.get("known", {})
        lb = known.get("repeat_pairs", {}).get("lower_bound", 0)
        extra = f", known max repeat-free rounds {inst['known_max_rounds']}" if inst["kind"] == "sgp" else ""
        print(f"\n{inst['id']}: n={len(inst['participants'])}, {inst['num_groups']} groups x "
              f"{inst['rounds']} rounds, objective {inst.get('objective')} "
              f"(lower bounds {known.get('objective_lower_bound')}, repeat LB {lb}{extra})")
        people, options = parse_request(contract(inst, limit))
        t, cpu = time.perf_counter(), time.process_time()
        result = make_groups(people, options)
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        print(row("engine", wall, figures(score, inst, result.rounds)) + f"   (CPU {cpu:.2f} s)", flush=True)
        t = time.perf_counter()
        runs = [figures(score, inst, baseline.random_solution(inst, random.Random(s))) for s in range(10)]
        avg = {k: mean([r[k] for r in runs]) for k in runs[0] if k != "objective"}
        avg["objective"] = runs[0]["objective"] if len(runs) == 1 else "(seed 0) " + str(runs[0]["objective"])
        print(row("random", (time.perf_counter() - t) / 10, avg))
        t = time.perf_counter()
        greedy = baseline.greedy_solution(inst, 0, 20)
        print(row("greedy", time.perf_counter() - t, figures(score, inst, greedy)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
