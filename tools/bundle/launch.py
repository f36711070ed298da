"""The bundled app's entry script (PyInstaller needs a file, not a console-script entry point)."""
import multiprocessing
import sys

from workshop.__main__ import main

if __name__ == "__main__":
    # In a frozen app the pack's render workers (forkserver or spawn) and the window's join
    # server (spawn: workshop.net.process) re-run this executable; freeze_support() turns such
    # a run into the worker or the server instead of a second window.
    multiprocessing.freeze_support()
    sys.exit(main())
