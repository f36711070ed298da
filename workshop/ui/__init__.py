"""The Qt shell: main window, theme, the one ticker, GUI-thread bridges and shared widgets."""

from workshop.ui.none_guard import protect_none

protect_none()   # before any Qt call can use up None's references (see none_guard)
