"""Headless commands of the prototypes feature."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this feature's sub-commands; each sets ``handler(args, open_context) -> int``."""
