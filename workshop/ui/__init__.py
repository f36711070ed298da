"""The Qt shell: main window, theme, the one ticker, GUI-thread bridges and shared widgets."""
