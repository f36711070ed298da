"""AppConfig: where the data lives and where the join server listens. Built from arguments and
the environment once, then passed down; nothing reads a global."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from workshop import APP_NAME
from workshop.errors import ValidationError

DEFAULT_PORT = 8765


@dataclass(frozen=True)
class AppConfig:
    """Where the data file lives and where the join server listens, for one process."""
    db_path: Path
    host: str | None = None  # None: the laptop's LAN address
    port: int = DEFAULT_PORT
    session_path: Path | None = None  # what the window remembers; None: nothing (tests)
    cache_dir: Path | None = None  # where the demo's template is kept (``template_dir``)
    user_cache: bool = False  # no ``cache_dir``: the user's cache folder (else none: tests)

    @property
    def template_dir(self) -> Path | None:
        """Where `--demo` keeps the template its scratch file is copied from: ``cache_dir``,
        else the user's cache folder when ``user_cache`` (``from_env``), else none (the
        demo's file is made afresh). platformdirs only when it is asked for."""
        if self.cache_dir is None and self.user_cache:
            import platformdirs
            return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
        return self.cache_dir

    @property
    def data_dir(self) -> Path:
        return self.db_path.parent

    @property
    def demo_db_path(self) -> Path:
        """The demo's scratch file, beside the data file: `--demo` rebuilds it, and the
        facilitator's own file never holds the demo (issue 13, item 14)."""
        demo = self.db_path.with_name("demo.sqlite")
        return demo if demo != self.db_path else self.db_path.with_name("demo-scratch.sqlite")

    @classmethod
    def from_env(cls, db: str | None = None, host: str | None = None,
                 port: int | None = None, environ: dict[str, str] | None = None) -> "AppConfig":
        env = os.environ if environ is None else environ
        if db is not None and not db.strip():
            # A script's unset variable (--db "$FILE") must not quietly open the real file.
            raise ValidationError("--db needs the path of a data file (it was empty); leave "
                                  "--db out to use $WORKSHOP_DB or the default file.")
        # platformdirs (about 8 ms) only when a default folder is needed: `--db` and the
        # environment's paths name them.
        if db:
            db_path = Path(db)
        elif env.get("WORKSHOP_DB"):
            db_path = Path(env["WORKSHOP_DB"])
        else:
            import platformdirs
            db_path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "academy.sqlite"
        if port is None:
            port = _port(env.get("WORKSHOP_PORT") or str(DEFAULT_PORT))   # empty: unset
        session = Path(env["WORKSHOP_SESSION"]) if env.get("WORKSHOP_SESSION") else None
        if session is None:
            import platformdirs
            session = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "session.json"
        cache = Path(env["WORKSHOP_CACHE"]).expanduser() if env.get("WORKSHOP_CACHE") else None
        return cls(db_path=db_path.expanduser(), host=host or env.get("WORKSHOP_HOST") or None,
                   port=port, session_path=session.expanduser(), cache_dir=cache,
                   user_cache=cache is None)


def _port(text: str) -> int:
    """WORKSHOP_PORT as a port number, or a one-line ValidationError."""
    try:
        port = int(text.strip())
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise ValidationError(f"WORKSHOP_PORT is a number from 0 to 65535 (got {text!r}).")
    return port
