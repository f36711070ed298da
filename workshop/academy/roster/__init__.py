"""Roster import from the files facilitators really have (pure: no Qt, no SQL).

``plan.read_roster(bytes_or_text)`` decodes and splits the file (``csvfile``), tells a header
from data and guesses which column is which field (``columns``), reads readiness answers written
in words (``readiness``) and parses every row into a ``Participant`` or a row error. The result
is an ``ImportPlan``; a person confirms or changes its mapping (``plan.with_mapping``) and the
service writes it in one transaction, answering with an ``ImportReport`` (``report``).

Every cell is text: ``=HYPERLINK(...)`` stays that literal string. ``csvfile.neutralise_formula``
is applied whenever a roster is written back to CSV, so a spreadsheet never runs what a
participant typed.
"""
