"""Headless commands of the stations feature (grouping, rotation, join server)."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this feature's sub-commands; each sets ``handler(args, open_context) -> int``."""
    from stations.rotation import cli as rotation_cli
    rotation_cli.register(sub)
    from stations.join import cli as join_cli
    join_cli.register(sub)
    from stations.grouping import cli as grouping_cli
    grouping_cli.register(sub)
    from stations import exports
    exports.register(sub)   # workshop export reflections|attendance|groups
