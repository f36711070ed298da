"""The JSON contract of ``workshop group``: check a request and turn it into engine options.

Only ``participants`` is required; unknown keys are an error, so a typo never silently changes
a grouping. Every problem is a ValidationError whose message says what to fix.
"""
from __future__ import annotations

from stations.grouping.request import STRATEGIES, GroupingOptions
from workshop.errors import ValidationError
from workshop.text import plural

CONTRACT_KEYS = {"participants", "strategy", "groups", "group_size", "rounds", "balance",
                 "keep_together", "keep_apart", "pinned", "protect", "absent", "seed",
                 "time_limit_s", "max_size_spread"}


def parse_request(data: object) -> tuple[list[dict], GroupingOptions]:
    """Check a request of the ``workshop group`` contract; ValidationError says what is wrong."""
    if not isinstance(data, dict):
        raise ValidationError("The input must be one JSON object with a “participants” list.")
    unknown = sorted(set(data) - CONTRACT_KEYS)
    if unknown:
        raise ValidationError(f"Unknown key(s): {', '.join(unknown)}. Known keys: {', '.join(sorted(CONTRACT_KEYS))}.")
    people = data.get("participants")
    if not isinstance(people, list) or not people:
        raise ValidationError("“participants” must be a non-empty list of objects with an “id”.")
    for k, p in enumerate(people):
        if not isinstance(p, dict) or "id" not in p or not isinstance(p["id"], (str, int)) or isinstance(p["id"], bool):
            raise ValidationError(f"Participant {k + 1} needs an “id” (a string).")
        bad = [key for key, v in p.items() if key != "id" and not isinstance(v, (str, int, float, type(None)))]
        if bad:
            raise ValidationError(f"Participant {p['id']}: “{bad[0]}” must be a plain value.")

    def ints(key: str, value, low: int | None = None):
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or (low is not None and value < low):
            raise ValidationError(f"“{key}” must be a whole number" + (f" ≥ {low}" if low is not None else "") +
                                  f" (got {value!r}).")
        return value

    def id_lists(key: str, size: int | None = None) -> list[list[str]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(x, list) for x in value):
            raise ValidationError(f"“{key}” must be a list of lists of ids.")
        out = [[str(i) for i in x] for x in value]
        if size and any(len(x) != size for x in out):
            raise ValidationError(f"Each entry of “{key}” must name exactly {plural(size, 'person', 'people')}.")
        return out

    pinned = data.get("pinned", {})
    if not isinstance(pinned, dict):
        raise ValidationError("“pinned” must map ids to group numbers (0 is the first group).")
    protect = data.get("protect", {})
    if not isinstance(protect, dict) or not all(isinstance(v, list) for v in protect.values()):
        raise ValidationError("“protect” must map an attribute to a list of values, e.g. {\"role\": [\"district_leader\"]}.")
    balance = data.get("balance", ["school", "role"])
    if not isinstance(balance, list) or not all(isinstance(a, str) for a in balance):
        raise ValidationError("“balance” must be a list of attribute names.")
    absent = data.get("absent", [])
    if not isinstance(absent, list):
        raise ValidationError("“absent” must be a list of ids.")
    limit = data.get("time_limit_s", 10)
    if not isinstance(limit, (int, float)) or isinstance(limit, bool) or not 0 <= limit <= 600:
        raise ValidationError(f"“time_limit_s” must be a number of seconds from 0 to 600 (got {limit!r}).")
    strategy = data.get("strategy", "balanced")
    if strategy not in STRATEGIES:
        raise ValidationError(f"Unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}.")
    options = GroupingOptions(
        strategy=strategy, groups=ints("groups", data.get("groups"), 1),
        group_size=ints("group_size", data.get("group_size"), 1),
        rounds=ints("rounds", data.get("rounds", 1), 1), balance=tuple(balance),
        keep_together=id_lists("keep_together"), keep_apart=id_lists("keep_apart", 2),
        pinned={str(k): ints(f"pinned.{k}", v, 0) for k, v in pinned.items()},
        protect={str(a): [str(v) for v in vals] for a, vals in protect.items()},
        absent=[str(i) for i in absent], seed=ints("seed", data.get("seed", 0)) or 0,
        time_limit_s=float(limit),
        max_size_spread=ints("max_size_spread", data.get("max_size_spread"), 0))
    return [{**p, "id": str(p["id"])} for p in people], options
