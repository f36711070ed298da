"""A command piped into `head` ends quietly, as Unix tools do, when the reader stops early."""
import subprocess
import sys

import pytest

from tests.paths import ROOT


def _run_into_closed_pipe(*argv: str) -> subprocess.CompletedProcess:
    """Run `workshop ARGV` whose stdout reader has already gone (what `| head -0` does)."""
    proc = subprocess.Popen([sys.executable, "-m", "workshop", *argv], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()   # the reader leaves before the first line: every write meets EPIPE
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    return subprocess.CompletedProcess(argv, proc.wait(timeout=60), "", stderr)


@pytest.mark.slow
@pytest.mark.parametrize("argv", [
    ("--help",),                                   # argparse writes the help itself
    ("groups", "show", "--academy", "Demo Design Academy", "--indent", "2"),   # a handler's JSON
])
def test_a_closed_pipe_ends_the_command_without_a_traceback(ctx, config, demo_academy, argv):
    from stations.grouping.service import ensure_demo_grouping
    ensure_demo_grouping(ctx, demo_academy.id, lambda text: None)   # groups for `groups show`
    result = _run_into_closed_pipe("--db", str(config.db_path), *argv)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
    assert result.returncode in (0, 1)
