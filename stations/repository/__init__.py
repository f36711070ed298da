"""All SQL of the stations feature, one module per area."""
from stations.repository.stations import StationRepository

__all__ = ["StationRepository"]
