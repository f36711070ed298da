"""All SQL of the prototypes feature, one module per area."""
from prototypes.repository.maps import MapRepository
from prototypes.repository.prototypes import PrototypeRepository

__all__ = ["MapRepository", "PrototypeRepository"]
