"""Qt pages of the prototypes feature."""
from __future__ import annotations


def add_pages(window, ctx) -> None:
    """Add this feature's pages to the main window."""
