"""The Qt shell: main window, the page protocol (``page``: ``notified`` reaches the status bar),
theme and error style, the one ticker, the saved-command undo type (``undo``), the dialog seam
(``dialogs``), GUI-thread bridges and shared widgets."""
