"""A QR code's matrix is built once per text in a process (the pack prints every personal
link twice), by the app's own encoder: the same modules qrcode built, and they decode."""
from __future__ import annotations

import random
import string
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_tool
from workshop.qr import MASK_PATTERN, QUIET_ZONE, qr_matrix


def test_the_same_text_gives_the_same_matrix_object_and_others_differ():
    first = qr_matrix("http://192.0.2.2:8765/p/cache-test-1")
    assert qr_matrix("http://192.0.2.2:8765/p/cache-test-1") is first
    other = qr_matrix("http://192.0.2.2:8765/p/cache-test-2")
    assert other is not first and other.modules != first.modules
    assert first.text == "http://192.0.2.2:8765/p/cache-test-1"


def test_a_code_carries_the_fixed_mask_in_its_format_bits():
    built = qr_matrix("http://192.0.2.2:8765/p/fixed-mask-test")
    # The format bits beside the top-left finder say which mask a reader must undo (ISO/IEC
    # 18004 7.9): mask 2 at level M is 101111001111100 before the quiet zone is counted.
    q = QUIET_ZONE
    row = built.modules[8 + q]
    bits = [row[c + q] for c in (0, 1, 2, 3, 4, 5, 7, 8)] + [
        built.modules[r + q][8 + q] for r in (7, 5, 4, 3, 2, 1, 0)]
    assert "".join("1" if b else "0" for b in bits) == "101111001111100"
    assert MASK_PATTERN == 2


def _texts_of_every_kind() -> list[str]:
    """Texts for every version 1–40 and every mode qrcode's split gives: digits, the
    alphanumeric set, bytes, UTF-8, runs just under and over its 20-character threshold, a
    trailing line break (its ``$`` matches before one) and the app's links."""
    rng = random.Random(18004)
    alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    texts = ["", "x", "0", "A", "123\n", "ABC\n", "1" * 19, "1" * 20, "1" * 21, "A" * 20,
             "Ольга 张伟 😀 " * 9, "WIFI:T:WPA;S:Room 12;P:x;;",
             "http://192.168.1.20:8765/p/" + "Zz9_" * 8, "HTTP://LAPTOP.LOCAL:8765/S/ABC"]
    # Bytes per version at level M, less the mode and count: every version's edge, and past.
    for capacity in (14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412,
                     450, 504, 560, 624, 666, 711, 779, 857, 911, 997, 1059, 1125, 1190, 1264,
                     1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331):
        for length in (capacity - 1, capacity, capacity + 1):
            texts.append("".join(rng.choices(string.ascii_lowercase + "é", k=length))[:length])
    for _ in range(400):
        length = rng.choice((1, 5, 19, 20, 21, 45, 120, 400, 1500))
        alphabet = rng.choice((string.digits, alnum, string.digits + "ab", alnum + "ab-_",
                               string.printable, "aé张😀0A"))
        texts.append("".join(rng.choices(alphabet, k=length)))
    return texts


def test_the_matrix_is_qrcode_s_for_texts_of_every_version_and_mode():
    """The app's encoder builds module for module what qrcode 8.2 built for the same text with
    error correction M and the same mask (the codes printed before it stay the same)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    versions = set()
    for text in _texts_of_every_kind():
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE,
                             mask_pattern=MASK_PATTERN)
        code.add_data(text)
        try:
            code.make(fit=True)
        except (qrcode.exceptions.DataOverflowError, ValueError):   # too much for version 40
            with pytest.raises(ValueError):
                qr_matrix(text)
            continue
        versions.add(code.version)
        expected = tuple(tuple(bool(m) for m in row) for row in code.get_matrix())
        assert qr_matrix(text).modules == expected, (code.version, text[:40])
    assert versions == set(range(1, 41))


def test_building_a_code_imports_neither_qrcode_nor_pillow():
    code = ("import sys\n"
            "from workshop.qr import qr_matrix\n"
            "qr_matrix('http://192.0.2.2:8765/p/abc')\n"
            "print(sorted(m for m in ('qrcode', 'PIL') if m in sys.modules))\n")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"


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
