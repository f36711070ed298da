"""AppContext's annotations resolve at run time, and naming them costs no start-up time."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
import typing

import pytest

from tests.paths import ROOT
from workshop.app import AppContext


def test_get_type_hints_resolves_every_service_type(ctx):
    hints = typing.get_type_hints(AppContext)
    for field in dataclasses.fields(AppContext):
        value = getattr(ctx, field.name)
        hint = hints[field.name]
        if field.name in ("config", "clock", "db"):
            continue
        # The resolved hint is the class of what build_context actually put there.
        assert isinstance(value, hint), (field.name, hint, type(value))
    assert hints["handouts"] == (type(ctx.handouts) | None)


@pytest.mark.slow
def test_importing_the_composition_root_stays_light():
    """The reason the services are imported late: `workshop --help` must not load the network
    server or the PDF library. Run in a fresh interpreter, where nothing else loaded them.
    Resolving AppContext's hints imports the service modules, and since issue 20 those load
    no heavy library either (the server, the maps' networkx and the renderers load on use)."""
    code = ("import sys, typing, workshop.app as app\n"
            "before = sorted(m for m in ('aiohttp', 'reportlab', 'networkx') if m in sys.modules)\n"
            "hints = typing.get_type_hints(app.AppContext)\n"
            "after = sorted(m for m in ('aiohttp', 'networkx') if m in sys.modules)\n"
            "print(before, after, hints['maps'].__module__, hints['join'].__module__)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.stdout.split("\n")[0] == ("[] [] prototypes.maps.service "
                                         "stations.join.service")
