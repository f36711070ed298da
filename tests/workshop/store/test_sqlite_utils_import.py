"""sqlite-utils is imported without numpy (hidden) and without running dateutil's parser
(13 ms of every start, issue 20): its recipes import the parser for two functions the app
never calls, and it is loaded when one of them is (workshop.store.database)."""
from __future__ import annotations

import subprocess
import sys

from tests.paths import ROOT

SCRIPT = r"""
import sys
import workshop.store.database
stand_in = sys.modules["dateutil.parser"]
print("LOADED", "dateutil.tz" in sys.modules, "numpy" in sys.modules)
print("DUNDER", getattr(stand_in, "__file__", None), "dateutil.tz" in sys.modules)
from sqlite_utils import recipes
print("PARSED", recipes.parsedate("1 March 2024"), recipes.parsedatetime("1 March 2024 10:00"),
      recipes.parsedate("no date at all", errors=recipes.IGNORE))
import dateutil.parser
print("REAL", type(dateutil.parser).__name__, dateutil.parser.parse("2020-01-02").day,
      sys.modules["dateutil.parser"] is dateutil.parser)
"""


def test_dateutils_parser_loads_when_sqlite_utils_recipes_use_it(tmp_path):
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["LOADED"] == "False False"
    assert lines["DUNDER"] == "None False"   # a look over sys.modules imports nothing
    assert lines["PARSED"] == "2024-03-01 2024-03-01T10:00:00 no date at all"
    assert lines["REAL"] == "module 2 True"
