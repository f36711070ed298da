"""PySide6 asks of every module imported after it whether its source says "PySide6" (for its
``__feature__`` switches); the app answers that question by reading the file, not through
``inspect.getsource`` (about 10 ms of the first window, issue 20): the same answer for every
module, PySide's own way for anything that is not a plain source file."""
from __future__ import annotations

import sys
import types

import pytest

import PySide6.QtCore  # noqa: F401  (installs PySide's import hook)
from workshop.ui import theme

feature = sys.modules["shibokensupport.feature"]


@pytest.fixture
def quicker(monkeypatch):
    monkeypatch.setattr(feature, "_mod_uses_pyside", feature._mod_uses_pyside)   # restored after
    theme.quicker_pyside_imports()
    return feature._mod_uses_pyside


def test_every_module_gets_pysides_own_answer(quicker):
    assert quicker.quicker and quicker is not quicker.original
    modules = [m for m in list(sys.modules.values()) if isinstance(m, types.ModuleType)]
    assert len(modules) > 300
    assert [quicker(m) for m in modules] == [quicker.original(m) for m in modules]
    assert quicker(theme) is True and quicker(types) is False


def test_a_module_whose_file_is_gone_is_asked_pysides_way(quicker, tmp_path):
    gone = types.ModuleType("gone")
    gone.__file__ = str(tmp_path / "gone.py")
    assert quicker(gone) is quicker.original(gone) is False


def test_installing_twice_wraps_once(quicker):
    theme.quicker_pyside_imports()
    assert feature._mod_uses_pyside is quicker


def test_a_pyside_without_that_question_is_left_alone(monkeypatch):
    monkeypatch.delattr(feature, "_mod_uses_pyside")
    theme.quicker_pyside_imports()
    assert not hasattr(feature, "_mod_uses_pyside")
