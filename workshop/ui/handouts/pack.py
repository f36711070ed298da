"""The whole pack, one file per turn of the event loop: the runner behind the Handouts page's
progress dialog (its own home, so a failure of any kind ends the pack the same way)."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from workshop.errors import ValidationError
from workshop.handouts.service import PackCancelled
from workshop.text import plural
from workshop.ui import dialogs

log = logging.getLogger(__name__)


def choose_pack_folder(parent, handouts, academy_id: int, directory: str | Path | None = None) -> str | Path | None:
    """The folder to write the pack into: ``directory``, else one asked for. A folder holding
    an earlier pack's files is used only once the person agrees to replace them (a second pack
    overwrote the first without a word); they may choose another folder instead. None: cancelled."""
    while True:
        if directory is None:
            directory = dialogs.pick_folder(parent, "Write every handout into…", str(Path.home()))
            if not directory:
                return None
        try:
            present = handouts.pack_files_present(academy_id, directory)
        except OSError:      # unreadable: the pack itself says why, in one line
            present = []
        if not present:
            return directory
        answer = dialogs.choose(
            parent, "Replace the earlier pack?",
            f"{directory} already holds {plural(len(present), 'file')} of this pack, such as "
            f"“{present[0].relative_to(directory)}”. Writing the pack here replaces them.",
            {"replace": f"Replace {plural(len(present), 'file')}", "other": "Choose another folder…"},
            default="other", destructive="replace")
        if answer == "replace":
            return directory
        if answer != "other":
            return None
        directory = None


class PackRunner(QObject):
    """Runs ``HandoutService.pack_steps`` one file per turn of the event loop, so the window
    stays responsive and the database connection never leaves the GUI thread.

    Signals: ``progressed(done, total, title)``; ``finished(result)`` with the PackResult;
    ``failed(message)`` (also when cancelled, with a message saying so)."""
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, steps, parent: QObject | None = None):
        super().__init__(parent)
        self._steps = steps
        self._cancelled = False

    def start(self) -> None:
        QTimer.singleShot(0, self.step)

    def cancel(self) -> None:
        self._cancelled = True

    def step(self) -> bool:
        """Make the next file; False once the pack is over."""
        if self._steps is None:
            return False
        try:
            if self._cancelled:
                self._steps.close()
                raise PackCancelled("The pack was cancelled; nothing was written.")
            done, total, title = next(self._steps)
        except StopIteration as stop:
            self._steps = None
            self.finished.emit(stop.value)
            return False
        except (PackCancelled, ValidationError) as exc:
            self._steps = None
            self.failed.emit(str(exc))
            return False
        except OSError as exc:   # a full disk, a folder that is a file, no permission
            self._steps = None
            where = f" {exc.filename}" if exc.filename else ""
            self.failed.emit(f"The pack could not be written:{where}: {exc.strerror or exc}. "
                             "Nothing was changed there.")
            return False
        except Exception as exc:  # noqa: BLE001 - a bug must not leave the dialog up for ever
            # Anything else is a bug, logged with its traceback; the facilitator gets one line
            # and a window that can try again (the runner ends either way).
            log.exception("the handout pack failed")
            self._steps = None
            self.failed.emit(f"The pack could not be written: {exc}")
            return False
        self.progressed.emit(done, total, title)
        QTimer.singleShot(0, self.step)
        return True
