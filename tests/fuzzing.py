"""Settings shared by the Hypothesis fuzz tests of every boundary (marked ``fuzz``).

``make test`` runs each with a few examples (each test under ~10 s); ``make fuzz`` sets
``FUZZ_EXAMPLES`` (2000 by default) for a deeper run of the same tests.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


def fuzz_settings(default: int) -> settings:
    """``default`` examples, or ``$FUZZ_EXAMPLES``; no deadline (a slow parse is not a bug
    here, a crash is); the test's fixtures are shared by its examples on purpose."""
    return settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", default)), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
