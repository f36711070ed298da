"""The stations' handouts as ``workshop.handouts.service.HandoutKind`` values: names, titles,
options and descriptions, listed without importing a renderer. The Handouts page and the
Export/Print menu list them before anything is drawn; each renderer (and reportlab with it)
loads when its handout is made or its pack files are listed (issue 20)."""
from __future__ import annotations

from workshop.handouts.service import Choice, HandoutKind, PackItem


def handout_kinds(data) -> list[HandoutKind]:
    """The stations handouts; ``data`` is a ``stations.handouts.data.StationHandouts``."""
    def groups(academy_id):
        return [Choice(name, name) for name in data.group_names(academy_id)]

    def debrief(academy_id, paper, group=None):
        from stations.handouts.render import render_debrief
        return render_debrief(data.debrief(academy_id, group), paper)

    def debrief_items(academy_id):
        from stations.handouts.render import render_debrief, render_debriefs
        items = [PackItem("Debrief.pdf", "Debrief of the whole academy",
                          lambda: data.debrief(academy_id), render_debrief)]
        if data.grouped(academy_id):
            items.append(PackItem("Debrief by group.pdf", "Debrief of each group",
                                  lambda: data.group_debriefs(academy_id), render_debriefs))
        return items

    def signs(academy_id, paper):
        from stations.handouts.render import render_signs
        return render_signs(data.signs(academy_id), paper)

    def signs_items(academy_id):
        if not data.links(academy_id):
            return []   # no phone join here: the pack leaves the signs out rather than fail
        from stations.handouts.render import render_signs
        # Printing the signs asks the network for the laptop's .local name (waits=True).
        return [PackItem("Station signs.pdf", "Station signs", lambda: data.signs(academy_id),
                         render_signs, waits=True)]

    def group_cards(academy_id, paper, group=None):
        from stations.handouts.render import render_group_cards
        return render_group_cards(data.group_cards(academy_id, group), paper)

    def group_cards_items(academy_id):
        from stations.handouts.render import render_group_cards
        return [PackItem("Group cards.pdf", "Group cards", lambda: data.group_cards(academy_id),
                         render_group_cards)]

    return [
        HandoutKind("debrief", "Debrief", debrief, debrief_items, option="group", choices=groups,
                    description="The rotation as it ran, who checked in where, each station's "
                                "debrief prompt and the reflections, with room to write."),
        HandoutKind("signs", "Station signs", signs, signs_items,
                    description="One page per station: name, kind, prompt, a large QR code to "
                                "join (and the room's Wi-Fi code) and the address in words.",
                    warning=data.signs_warning),
        HandoutKind("group-cards", "Group cards", group_cards, group_cards_items,
                    option="group", choices=groups,
                    description="A card per participant with their group and rotation path."),
        agenda_kind(data),   # stations/handouts/agenda.py (issue 16)
        roster_kind(data),   # everyone's personal code, for the welcome table (issue 19)
    ]


def agenda_kind(data) -> HandoutKind:
    """The agenda (``workshop handout agenda``, the Handouts page and the pack)."""
    def make(academy_id, paper):
        from stations.handouts.agenda import agenda_model, render_agenda
        return render_agenda(agenda_model(data, academy_id), paper)

    def items(academy_id):
        from stations.handouts.agenda import agenda_model, render_agenda
        return [PackItem("Agenda.pdf", "Agenda and run-sheet",
                         lambda: agenda_model(data, academy_id), render_agenda)]

    return HandoutKind(
        "agenda", "Agenda", make, items,
        description="The run-sheet: clock times of every round and transition, the stations "
                    "with prompts and materials, and each group's path.")


def roster_kind(data) -> HandoutKind:
    """The roster with everyone's personal code (stations/handouts/roster.py)."""
    def make(academy_id, paper):
        from stations.handouts.roster import render_roster
        return render_roster(data.roster(academy_id), paper)

    def items(academy_id):
        # An academy with nobody on its roster yet has no roster to print in its pack.
        if not data.academies.participants(academy_id):
            return []
        from stations.handouts.roster import render_roster
        return [PackItem("Roster.pdf", "Roster with personal codes",
                         lambda: data.roster(academy_id), render_roster)]

    return HandoutKind(
        "roster", "Roster", make, items,
        description="Everyone on the roster by name, each with their own QR code: scanned "
                    "once, it lets a phone check them in at every station with one tap.")
