"""The prototype handouts as ``workshop.handouts.service.HandoutKind`` values: names, titles,
options and descriptions, listed without importing a renderer. The Handouts page and the
Export/Print menu list them before anything is drawn; each renderer (and reportlab with it)
loads when its handout is made or its pack files are listed (issue 20)."""
from __future__ import annotations

from workshop.handouts.service import Choice, HandoutKind, PackItem, safe_filename

# Every school is a team: "This academy has no team yet" sent facilitators to the roster.
NONE_YET = "No team has a vision or plan yet: write one on the Vision & plan page."


def handout_kinds(data) -> list[HandoutKind]:
    """The prototype handouts; ``data`` is a ``prototypes.handouts.data.PrototypeHandouts``."""
    def choices(academy_id):
        return [Choice(pid, label) for pid, label in data.choices(academy_id)]

    def team_items(academy_id):
        from prototypes.handouts.plan_models import plan_print_for
        from prototypes.handouts.render import render_team_job
        from workshop.pdf.format import long_date
        academy = data.academies.get(academy_id).title
        items = []
        for team, ids in data.by_team(academy_id).items():
            def prepare(ids=ids, team=team):
                # The team's plan is read once, for every attachment and the plan's pages.
                rollout = getattr(data.prototypes, "rollout", None)
                plan = rollout.plan(academy_id, team) if rollout is not None and team else None
                return (data.team_folder(ids, team, plan), academy, team,
                        plan_print_for(rollout, academy_id, team, long_date, plan, academy))
            items.append(PackItem(f"Prototypes/{safe_filename(team)}.pdf",
                                  f"Prototypes and iteration logs of {team}", prepare,
                                  render_team_job))
        return items

    def prototype(academy_id, paper, prototype):
        from prototypes.handouts.render import render_prototype
        return render_prototype(data.prototype_print(prototype, academy_id), paper)

    def iteration_log(academy_id, paper, prototype):
        from prototypes.handouts.render import render_iteration_log
        return render_iteration_log(data.iteration_log(prototype, academy_id), paper)

    return [
        HandoutKind("prototype", "Prototype", prototype, team_items, option="prototype",
                    option_required=True, choices=choices,
                    description="Every field, the safe-to-try check, the team's map and the "
                                "iteration timeline; carries its data for import."),
        HandoutKind("iteration-log", "Iteration log", iteration_log, lambda academy_id: [],
                    option="prototype", option_required=True, choices=choices,
                    description="The recorded PDSA cycles, then blank cycles for the next tries."),
        *plan_kinds(data),
    ]


def plan_kinds(data) -> list[HandoutKind]:
    """The ``plan`` and ``vision`` handouts, and the pack file of each team that has a plan
    but no prototype yet (a team with prototypes gets its plan in its folder).
    ``data``: ``prototypes.handouts.data.PrototypeHandouts`` (its service holds ``rollout``)."""
    from prototypes.values import shown
    from workshop.errors import ValidationError
    from workshop.text import fold

    def rollout():
        return getattr(data.prototypes, "rollout", None)

    def model(academy_id, team):
        from prototypes.handouts.plan_models import plan_print_for
        from workshop.pdf.format import long_date
        # A team typed on the command line matches as the library does (case, accents).
        known = teams(academy_id)
        name = next((t for t in known if fold(t) == fold(str(team or ""))), None)
        found = plan_print_for(rollout(), academy_id, name, long_date) if name else None
        if found is None:
            # The typed name is quoted back on one line and cut short (it came from outside).
            raise ValidationError(f"“{shown(team)}” has no vision or plan yet (teams with one: "
                                  f"{', '.join(known) or 'none'}); write it on the Vision & "
                                  "plan page.")
        return found

    def teams(academy_id) -> list:
        service = rollout()
        if service is None:
            return []
        return [t for t in service.repo.schools(academy_id)
                if not service.plan(academy_id, t).is_empty]

    def items(academy_id) -> list:
        from prototypes.handouts.plan import render_plan_job
        with_prototypes = set(data.by_team(academy_id))
        return [PackItem(f"Prototypes/{safe_filename(team)}.pdf", f"Vision and plan of {team}",
                         lambda team=team: model(academy_id, team), render_plan_job)
                for team in teams(academy_id) if team not in with_prototypes]

    def choices(academy_id):
        return [Choice(t, t) for t in teams(academy_id)]

    def plan(academy_id, paper, team):
        from prototypes.handouts.plan import render_plan
        return render_plan(model(academy_id, team), paper)

    def vision(academy_id, paper, team):
        from prototypes.handouts.plan import render_poster
        return render_poster(model(academy_id, team), paper)

    return [
        HandoutKind("plan", "Vision and rollout plan", plan, items, option="team",
                    option_required=True, choices=choices, none_yet=NONE_YET,
                    description="A team's one-page rollout plan (milestones, measures, who is "
                                "told when, early wins) and its vision poster."),
        HandoutKind("vision", "Vision poster", vision, lambda academy_id: [], option="team",
                    option_required=True, choices=choices, none_yet=NONE_YET,
                    description="A team's rallying cry and vision, a whole page to pin up."),
    ]
