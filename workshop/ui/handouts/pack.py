"""The whole pack, one file per turn of the event loop: the runner behind the Handouts page's
progress dialog (its own home, so a failure of any kind ends the pack the same way)."""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from workshop.errors import ValidationError
from workshop.handouts.service import PackCancelled

log = logging.getLogger(__name__)


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
