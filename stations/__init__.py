"""The rotation feature: stations, grouping, the rotation schedule and timer, phone check-ins."""
