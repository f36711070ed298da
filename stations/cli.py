"""Headless commands of the stations feature (grouping, rotation, join server)."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this feature's sub-commands; each sets ``handler(args, open_context) -> int``."""
    from stations import rotation_cli
    rotation_cli.register(sub)
    from stations import join_cli
    join_cli.register(sub)
    from stations import grouping_cli
    grouping_cli.register(sub)
