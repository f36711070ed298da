"""Errors a person can fix, shared by every feature (the CLI and the pages show their message)."""
from __future__ import annotations


class ValidationError(ValueError):
    """Bad input a person can fix; the message is written for them."""
