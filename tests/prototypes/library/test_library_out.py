"""`workshop library build --out FILE` never writes into a file that is not a library (the
attacker's tryout of 1 December: `--out academy.sqlite`, the facilitator's own data file, got
the library's tables written into it, then the build died on a traceback); and a build that
takes no bundle says so on stderr, as every refusal does."""
from __future__ import annotations

import shutil

from tests.prototypes.library.test_library import bundles  # noqa: F401  (the module's bundles)


def test_the_data_file_as_out_is_refused_untouched(run_cli, bundles, tmp_path):  # noqa: F811
    data = tmp_path / "academy.sqlite"
    shutil.copyfile(bundles / "room.sqlite", data)
    before = data.read_bytes()
    code, out, err = run_cli("library", "build", "--out", str(data), str(bundles / "first.bundle"))
    assert code == 2 and len(err.splitlines()) == 1 and "is not a district library" in err, err
    assert data.read_bytes() == before


def test_an_existing_library_is_still_added_to(run_cli, bundles, tmp_path):  # noqa: F811
    lib = tmp_path / "lib.sqlite"
    assert run_cli("library", "build", "--out", str(lib), str(bundles / "first.bundle"))[0] == 0
    code, out, err = run_cli("library", "build", "--out", str(lib), str(bundles / "second.bundle"))
    assert code == 0 and "added “Second Academy”" in out, err


def test_no_bundle_taken_is_an_error_line(run_cli, bundles, tmp_path):  # noqa: F811
    code, out, err = run_cli("library", "build", "--out", str(tmp_path / "lib.sqlite"),
                             str(tmp_path / "missing.bundle"))
    assert code == 2 and "missing.bundle: skipped" in out
    assert len(err.splitlines()) == 1 and err.startswith("error: no bundle went into"), err
