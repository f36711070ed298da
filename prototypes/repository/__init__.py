"""All SQL of the prototypes feature, one module per area."""
import importlib.util

from prototypes.repository.prototypes import PrototypeRepository

__all__ = ["PrototypeRepository"]

# The initiative-map area lands in its own module; re-export it once it exists.
if importlib.util.find_spec("prototypes.repository.maps") is not None:
    from prototypes.repository.maps import *  # noqa: F401,F403
    from prototypes.repository import maps as _maps
    __all__ += list(getattr(_maps, "__all__", []))
