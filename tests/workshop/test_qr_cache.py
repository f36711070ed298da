"""A QR code's matrix is built once per text in a process (the pack prints every personal
link twice, and choosing the mask is most of a code's cost)."""
from __future__ import annotations

import random
import string
import subprocess

from tests.conftest import require_tool
from workshop.qr import MASK_PATTERN, QUIET_ZONE, qr_matrix


def test_the_same_text_gives_the_same_matrix_object_and_others_differ():
    first = qr_matrix("http://192.0.2.2:8765/p/cache-test-1")
    assert qr_matrix("http://192.0.2.2:8765/p/cache-test-1") is first
    other = qr_matrix("http://192.0.2.2:8765/p/cache-test-2")
    assert other is not first and other.modules != first.modules
    assert first.text == "http://192.0.2.2:8765/p/cache-test-1"


def test_a_code_is_built_once_with_the_fixed_mask_not_by_trying_all_eight(monkeypatch):
    import qrcode

    def search(self):
        raise AssertionError("the mask search builds the matrix eight more times")
    monkeypatch.setattr(qrcode.QRCode, "best_mask_pattern", search)
    built = qr_matrix("http://192.0.2.2:8765/p/fixed-mask-test")
    # The format bits beside the top-left finder say which mask a reader must undo (ISO/IEC
    # 18004 7.9): mask 2 at level M is 101111001111100 before the quiet zone is counted.
    q = QUIET_ZONE
    row = built.modules[8 + q]
    bits = [row[c + q] for c in (0, 1, 2, 3, 4, 5, 7, 8)] + [
        built.modules[r + q][8 + q] for r in (7, 5, 4, 3, 2, 1, 0)]
    assert "".join("1" if b else "0" for b in bits) == "101111001111100"
    assert MASK_PATTERN == 2


def test_codes_with_the_fixed_mask_decode_for_a_spread_of_links(tmp_path):
    zbarimg = require_tool("zbarimg", "decodes QR codes made with the fixed mask")
    from PIL import Image

    rng = random.Random(20)
    alphabet = string.ascii_letters + string.digits + "-_"
    texts = [f"http://{host}:{port}/{kind}/{''.join(rng.choices(alphabet, k=length))}"
             for host, port, kind, length in
             [(f"192.168.{rng.randrange(256)}.{rng.randrange(1, 255)}", rng.randrange(1024, 65536),
               rng.choice("ps"), rng.choice((8, 22, 32, 32, 32, 60)))
              for _ in range(60)]]
    texts += ["WIFI:T:WPA;S:Room 12 Guest;P:correct horse battery;;",
              "http://laptop.local:8765/p/" + "Zz9_" * 8, "x", "Ольга 张伟 " * 12]
    scale = 4
    matrices = [qr_matrix(t) for t in texts]
    side = max(m.size for m in matrices) * scale
    across = 8
    sheet = Image.new("L", (side * across, side * (len(matrices) // across + 1)), 255)
    for i, matrix in enumerate(matrices):
        x0, y0 = (i % across) * side, (i // across) * side
        for r, c in matrix.dark_cells():
            sheet.paste(0, (x0 + c * scale, y0 + r * scale, x0 + (c + 1) * scale,
                            y0 + (r + 1) * scale))
    path = tmp_path / "codes.png"
    sheet.save(path)
    done = subprocess.run([zbarimg, "--quiet", "--raw", str(path)], capture_output=True,
                          text=True, timeout=60)
    assert sorted(done.stdout.splitlines()) == sorted(texts)
