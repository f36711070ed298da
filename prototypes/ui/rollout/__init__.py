"""The Vision & plan page: a team's vision and rollout plan, saved at once with undo."""
