"""Where things are, for tests that start processes or read files outside the package tree."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout
SHARED = ROOT.parent / "shared"  # the steering notes and the grouping benchmark, beside the checkout
