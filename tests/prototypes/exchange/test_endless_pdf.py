"""A "PDF" that never ends (the attacker's tryout of 1 December): a named pipe that starts with
%PDF- and then streams zeros was read whole before it was measured. It is now read up to the
limit and refused in one line."""
from __future__ import annotations

import os
import sys
import threading

import pytest

import prototypes.exchange.format as exchange
from prototypes.exchange.files import read_documents
from prototypes.exchange.format import FormatError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="named pipes are POSIX here")

LIMIT = 100_000          # MAX_FILE_BYTES in the test: the PDF limit is five times that
STREAM = 40 * LIMIT      # what the pipe would send in all


def test_a_pdf_that_never_ends_is_refused_at_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(exchange, "MAX_FILE_BYTES", LIMIT)
    fifo = tmp_path / "endless.pdf"
    os.mkfifo(fifo)
    sent = [0]
    stop = threading.Event()

    def writer():   # each open of the pipe by the reader gets %PDF- and then zeros
        chunk = b"\0" * 65536
        while not stop.is_set() and sent[0] < STREAM:
            try:
                with open(fifo, "wb") as out:
                    out.write(b"%PDF-")
                    while sent[0] < STREAM:
                        out.write(chunk)
                        sent[0] += len(chunk)
            except BrokenPipeError:
                continue
    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        with pytest.raises(FormatError, match="more than .* too large"):
            read_documents(fifo)
    finally:
        stop.set()
        # Let a writer blocked in open() return (a non-blocking open never waits itself).
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        thread.join(5)
    assert sent[0] < STREAM / 2, "the whole stream was read, not only up to the limit"
