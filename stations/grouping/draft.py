"""What a facilitator makes of a grouping, kept: the saved grouping.

Pure Python (no Qt, no SQL).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from stations.setup.model import Group


@dataclass
class SavedGrouping:
    """What an academy keeps: groups per round (round 1 is the one that rotates), who is locked
    in place, and the request and metrics it came from."""
    rounds: list[list[Group]]
    locked: set[int] = field(default_factory=set)
    strategy: str = ""
    options: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    saved_at: str = ""
