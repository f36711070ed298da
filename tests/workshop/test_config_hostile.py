"""The command line's settings, hostile (the attacker's tryout of 1 December): an empty --db
(a script's unset variable) must not quietly open the facilitator's real file, and a
WORKSHOP_PORT that is no port is one line, not a traceback."""
from __future__ import annotations

import pytest

from workshop.app import main


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_db_path_is_refused_not_the_default_file(value, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKSHOP_DB", str(tmp_path / "would-be-default.sqlite"))
    code = main(["--db", value, "academy", "create", "Should not exist"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1 and "--db" in err, err
    assert not (tmp_path / "would-be-default.sqlite").exists()


@pytest.mark.parametrize("value", ["abc", "99999", "-1", "80.5", "8o"])
def test_a_port_from_the_environment_that_is_no_port_is_one_line(value, capsys, monkeypatch,
                                                                   tmp_path):
    monkeypatch.setenv("WORKSHOP_PORT", value)
    code = main(["--db", str(tmp_path / "a.sqlite"), "academies"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and "WORKSHOP_PORT" in err, err
    assert len(err.splitlines()) == 1


def test_an_empty_workshop_port_is_the_default_as_an_empty_workshop_db_is():
    from workshop.config import DEFAULT_PORT, AppConfig
    config = AppConfig.from_env(db="x.sqlite", environ={"WORKSHOP_PORT": "", "WORKSHOP_DB": ""})
    assert config.port == DEFAULT_PORT
