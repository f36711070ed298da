"""Attributes built on first use, for the composition root's context (issue 20).

``workshop academies`` needs the academy service and nothing else; building every service
for it imported the maps, the grouping engine, the join desk and the prototypes (about half
of the command's time). A context whose services are ``later`` fields is built in a moment,
and each service is made, with its imports, the first time something reads it.
"""
from __future__ import annotations

import importlib
from dataclasses import field
from typing import Any, Callable


def exports_on_first_use(package: str, homes: dict[str, str],
                         namespace: dict[str, Any]) -> Callable[[str], object]:
    """A package's ``__getattr__`` (PEP 562): each name in ``homes`` is imported from its
    submodule when first read, then kept as a plain attribute of the package."""
    def __getattr__(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        namespace[name] = value   # once found, a plain attribute
        return value
    return __getattr__


def later() -> Any:
    """A dataclass field left unset by ``__init__``: ``LazyFields`` builds it on first read."""
    return field(init=False, repr=False, compare=False)


class LazyFields:
    """Unset attributes come from the builder registered for them, once; then they are plain
    attributes. A builder may read other lazy attributes (never itself, even indirectly)."""

    def build_later(self, name: str, build: Callable[[], object]) -> None:
        """Register how attribute ``name`` is built when it is first read."""
        self.__dict__.setdefault("_builders", {})[name] = build

    def when_built(self, name: str, then: Callable[[Any], object]) -> None:
        """Call ``then(value)`` once attribute ``name`` is built on first read (now, if it
        is already there): wiring that only matters once the service exists."""
        if name in self.__dict__:
            then(self.__dict__[name])
        else:
            self.__dict__.setdefault("_then", {}).setdefault(name, []).append(then)

    def is_built(self, name: str) -> bool:
        """True when ``name`` has been read (or set) already."""
        return name in self.__dict__

    def build_all(self) -> None:
        """Build every attribute not built yet (before work that needs all their wiring)."""
        for name in list(self.__dict__.get("_builders", {})):
            getattr(self, name)

    def __getattr__(self, name: str) -> Any:
        build = self.__dict__.get("_builders", {}).pop(name, None)
        if build is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        value = build()
        self.__dict__.setdefault(name, value)   # a builder may have set it already
        for then in self.__dict__.get("_then", {}).pop(name, []):
            then(self.__dict__[name])
        return self.__dict__[name]


class DeferredModule:
    """A module imported on its first attribute access (for annotations that name a module's
    types without paying for its import: ``typing.get_type_hints`` still resolves them)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)
