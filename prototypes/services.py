"""The prototypes feature's services, as the composition root builds them (``workshop.app``):
each registered on the context and built, with its imports, when first read (issue 20)."""
from __future__ import annotations

from typing import Any


def register(context: Any, academies: Any) -> None:
    """Register how the maps, prototypes and rollout services are built."""
    db, clock = context.db, context.clock

    def maps():
        from prototypes.maps.service import MapService
        from prototypes.repository.maps import MapRepository
        return MapService(MapRepository(db, clock), schools_of=lambda academy_id: sorted(
            {p.school for p in academies.participants(academy_id) if p.school}))

    def prototypes():
        # Built with the rollout service: build_rollout gives the prototype exports the
        # team's vision and plan, and reads the prototypes itself.
        from prototypes.repository import PrototypeRepository
        from prototypes.rollout.service import build_rollout
        from prototypes.service import PrototypeService
        service = context.prototypes = PrototypeService(PrototypeRepository(db), academies, clock)
        context.rollout = build_rollout(db, context.maps, service, clock, academies)
        return service

    def rollout():
        return context.prototypes.rollout   # made with the prototypes (above)

    for name, build in (("maps", maps), ("prototypes", prototypes), ("rollout", rollout)):
        context.build_later(name, build)
    # A duplicated academy keeps its maps (the rollout service adds its own when built).
    academies.duplicators.append(lambda old, new: context.maps.duplicate_academy(old, new))
