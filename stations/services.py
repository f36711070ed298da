"""The stations feature's services, as the composition root builds them (``workshop.app``):
each registered on the context and built, with its imports, when first read (issue 20)."""
from __future__ import annotations

from typing import Any


def server_groups(server_db: Any, clock: Any) -> Any:
    """The saved grouping read on the join server's own connection (its own thread, or its own
    process: a module-level function, imported there by name); imported when the server
    starts, not when the join service is built."""
    from stations.grouping.service import GroupingService
    from stations.repository.grouping import GroupingRepository
    from workshop.academy.repository import AcademyRepository
    from workshop.academy.service import AcademyService
    return GroupingService(GroupingRepository(server_db, clock),
                           AcademyService(AcademyRepository(server_db, clock)),
                           clock=clock.monotonic).saved_groups


def register(context: Any, academies: Any) -> None:
    """Register how the stations, grouping, rotation and join services are built."""
    db, clock, config = context.db, context.clock, context.config

    def stations():
        from stations.repository import StationRepository
        from stations.setup.service import StationService
        return StationService(StationRepository(db))

    def grouping():
        from stations.grouping.service import GroupingService
        from stations.repository.grouping import GroupingRepository
        return GroupingService(GroupingRepository(db, clock), academies, clock=clock.monotonic)

    def rotation():
        from stations.repository.rotation import RotationRepository
        from stations.rotation.service import RotationService
        # The grouping service is built when the rotation first needs the saved groups, not
        # with it: the window's start reads only whether a rotation is running (issue 20).
        return RotationService(RotationRepository(db), clock, context.stations,
                               groups=lambda academy_id: context.grouping.saved_groups(academy_id))

    def join():
        from stations.join.service import JoinService
        return JoinService(db, config, clock, context.stations, rotation=context.rotation,
                           groups_factory=server_groups)

    for name, build in (("stations", stations), ("grouping", grouping), ("rotation", rotation),
                        ("join", join)):
        context.build_later(name, build)
    # A duplicated academy keeps its stations.
    academies.duplicators.append(lambda old, new: context.stations.save(new, [
        type(s)(**{**s.__dict__, "id": None, "academy_id": None})
        for s in context.stations.stations(old)]))
