"""A QR code's matrix is built once per text in a process (the pack prints every personal
link twice, and choosing the mask is most of a code's cost)."""
from __future__ import annotations

from workshop.qr import qr_matrix


def test_the_same_text_gives_the_same_matrix_object_and_others_differ():
    first = qr_matrix("http://192.0.2.2:8765/p/cache-test-1")
    assert qr_matrix("http://192.0.2.2:8765/p/cache-test-1") is first
    other = qr_matrix("http://192.0.2.2:8765/p/cache-test-2")
    assert other is not first and other.modules != first.modules
    assert first.text == "http://192.0.2.2:8765/p/cache-test-1"
