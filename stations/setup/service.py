"""Station set-up: one call per user action."""
from __future__ import annotations

from stations.setup.model import Station, default_stations, validate_station_set
from stations.repository import StationRepository


class StationService:
    """Station set-up actions for an academy; every change is saved at once."""
    def __init__(self, repo: StationRepository):
        self.repo = repo

    def stations(self, academy_id: int) -> list[Station]:
        """The academy's stations; the three defaults are created the first time."""
        stations = self.repo.stations(academy_id)
        if not stations:
            stations = self.repo.replace_all(academy_id, default_stations())
        return stations

    def save(self, academy_id: int, stations: list[Station]) -> list[Station]:
        """Replace the academy's stations with these, once they make a valid set."""
        validate_station_set(stations)
        return self.repo.replace_all(academy_id, stations)
