"""``workshop.lazy``: the context's services are built once, on first read (issue 20)."""
from __future__ import annotations

from dataclasses import dataclass, fields

import pytest

from workshop.lazy import LazyFields, later


@dataclass
class Box(LazyFields):
    name: str
    first: list = later()
    second: list = later()


def test_a_field_is_built_on_first_read_and_only_once():
    built = []
    box = Box("b")
    box.build_later("first", lambda: built.append("first") or ["one"])
    assert not box.is_built("first") and built == []
    assert box.first == ["one"] and box.first is box.first
    assert built == ["first"] and box.is_built("first")
    assert [f.name for f in fields(Box)] == ["name", "first", "second"]


def test_a_builder_may_read_another_and_set_fields_itself():
    box = Box("b")

    def first():
        box.second = ["set by first"]
        return ["one", *box.second]
    box.build_later("first", first)
    box.build_later("second", lambda: ["never called"])
    assert box.first == ["one", "set by first"]
    assert box.second == ["set by first"]
    box.build_all()   # nothing left to build: what is set stays
    assert box.second == ["set by first"]


def test_build_all_builds_what_is_left():
    box = Box("b")
    box.build_later("first", lambda: [1])
    box.build_later("second", lambda: [2])
    box.build_all()
    assert box.is_built("first") and box.is_built("second") and box.second == [2]


def test_an_unregistered_field_is_an_attribute_error():
    box = Box("b")
    with pytest.raises(AttributeError, match="second"):
        assert box.second is None   # never reached
    with pytest.raises(AttributeError):
        assert box.nothing_like_it is None   # never reached


def test_when_built_runs_its_wiring_once_the_field_is_built_or_at_once():
    seen = []
    box = Box("b")
    box.build_later("first", lambda: ["one"])
    box.when_built("first", lambda value: seen.append(("later", value)))
    assert seen == [] and not box.is_built("first")   # registering builds nothing
    assert box.first == ["one"] and seen == [("later", ["one"])]
    box.first.append("two")
    assert seen == [("later", ["one", "two"])]   # the very value, called once
    box.when_built("first", lambda value: seen.append(("now", len(value))))
    assert seen[-1] == ("now", 2)
