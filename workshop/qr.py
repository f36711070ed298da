"""One QR payload, two renderings: the module matrix is built once here; Qt paints it on screen
and reportlab draws the same modules as vector boxes on paper.

The encoder is the app's own (ISO/IEC 18004, error correction M, one fixed mask), written to
build exactly the matrix ``qrcode`` 8.2 builds for ``QRCode(error_correction=M, mask_pattern=
MASK_PATTERN)``: the same segments (its split into numeric, alphanumeric and byte runs of at
least ``_RUN`` characters), the same version, codewords and placement, so every printed code
is the one qrcode drew before (``tests/workshop/test_qr_cache.py`` compares the two on
thousands of texts of every version). qrcode computed the Reed-Solomon remainders with
polynomial objects and placed every module through lambdas, 0.7 ms a code; the pack prints
160 personal codes and imported qrcode and Pillow (about 35 ms) in two processes.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

QUIET_ZONE = 4  # modules of white border the QR standard asks for
# Every code uses this mask. The standard lets an encoder apply any of its eight masks (the
# format bits tell the reader which); choosing the best one builds and scores the matrix
# nine times (qrcode's default: five sixths of a code's cost). Mask 2 (dark where the column
# is a multiple of three) is the one that scoring chose most often for the app's join links;
# tests/workshop/test_qr_cache.py decodes a spread of links with zbarimg.
MASK_PATTERN = 2
_LEVEL_M = 0   # error correction M, as the format bits write it

# Per version 1–40 at level M: error-correction codewords per block, then (blocks, data
# codewords per block) for each of the one or two groups (ISO/IEC 18004 table 9).
_BLOCKS = (
    (10, 1, 16), (16, 1, 28), (26, 1, 44), (18, 2, 32), (24, 2, 43), (16, 4, 27), (18, 4, 31),
    (22, 2, 38, 2, 39), (22, 3, 36, 2, 37), (26, 4, 43, 1, 44), (30, 1, 50, 4, 51),
    (22, 6, 36, 2, 37), (22, 8, 37, 1, 38), (24, 4, 40, 5, 41), (24, 5, 41, 5, 42),
    (28, 7, 45, 3, 46), (28, 10, 46, 1, 47), (26, 9, 43, 4, 44), (26, 3, 44, 11, 45),
    (26, 3, 41, 13, 42), (26, 17, 42), (28, 17, 46), (28, 4, 47, 14, 48), (28, 6, 45, 14, 46),
    (28, 8, 47, 13, 48), (28, 19, 46, 4, 47), (28, 22, 45, 3, 46), (28, 3, 45, 23, 46),
    (28, 21, 45, 7, 46), (28, 19, 47, 10, 48), (28, 2, 46, 29, 47), (28, 10, 46, 23, 47),
    (28, 14, 46, 21, 47), (28, 14, 46, 23, 47), (28, 12, 47, 26, 48), (28, 6, 47, 34, 48),
    (28, 29, 46, 14, 47), (28, 13, 46, 32, 47), (28, 40, 47, 7, 48), (28, 18, 47, 31, 48))
# Data bits each version holds (index = version; 0 for none), for choosing the version.
_CAPACITY = [0] + [8 * sum(b[i] * b[i + 1] for i in range(1, len(b), 2)) for b in _BLOCKS]

NUMERIC, ALPHANUMERIC, BYTE = 1, 2, 4   # mode indicators
_ALPHANUMERIC = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_RUN = 20   # qrcode's ``optimize``: a numeric or alphanumeric run shorter than this stays bytes

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _i in range(255):
    _EXP[_i] = _EXP[_i + 255] = _value
    _LOG[_value] = _i
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D


@dataclass(frozen=True)
class QrMatrix:
    """One QR code's module matrix, built once, painted by Qt and drawn by reportlab."""
    text: str
    modules: tuple[tuple[bool, ...], ...]  # True = dark; includes the quiet zone

    @property
    def size(self) -> int:
        return len(self.modules)

    def dark_cells(self):
        """(row, column) of every dark module, for renderers that draw boxes."""
        for r, row in enumerate(self.modules):
            for c, dark in enumerate(row):
                if dark:
                    yield r, c


# Each personal link is printed twice (group card and roster) and painted again on screen,
# so a code is built once per process. A QrMatrix is immutable: sharing it is safe.
@lru_cache(maxsize=4096)
def qr_matrix(text: str) -> QrMatrix:
    """The module matrix of ``text`` (error correction M, mask MASK_PATTERN, the standard's
    quiet zone); ValueError when it does not fit in a version 40 code."""
    segments = _segments(text.encode("utf-8"))
    version = _version(segments)
    pick, masks, places, side = _layout(version)
    codewords = _codewords(segments, version)
    # The data bits in placement order, then the remainder bits (light), each inverted where
    # the mask says; then every module of the matrix (quiet zone included) picked from them
    # by its index, light and dark at the end for the fixed ones.
    data = int.from_bytes(codewords, "big") << (places - 8 * len(codewords))
    bits = tuple(map("1".__eq__, format(data ^ masks, f"0{places}b"))) + (False, True)
    cells = pick(bits)
    return QrMatrix(text, tuple(cells[i:i + side] for i in range(0, side * side, side)))


# -- data ----------------------------------------------------------------------------------
def _segments(data: bytes) -> list[tuple[int, bytes]]:
    """(mode, bytes) runs as qrcode's ``optimal_data_chunks(data, minimum=20)`` splits them:
    runs of digits first, then alphanumeric runs inside what is left, the rest bytes."""
    digits, alnum = rb"\d", b"[" + re.escape(_ALPHANUMERIC) + b"]"
    if len(data) <= _RUN:
        digit_run, alnum_run = re.compile(b"^" + digits + b"+$"), re.compile(b"^" + alnum + b"+$")
    else:
        repeat = b"{%d,}" % _RUN
        digit_run, alnum_run = re.compile(digits + repeat), re.compile(alnum + repeat)
    out = []
    for is_digits, chunk in _split(data, digit_run):
        if is_digits:
            out.append((NUMERIC, chunk))
        else:
            out += [(ALPHANUMERIC if is_alnum else BYTE, sub)
                    for is_alnum, sub in _split(chunk, alnum_run)]
    return out


def _split(data: bytes, pattern: re.Pattern[bytes]):
    while data:
        match = pattern.search(data)
        if not match:
            break
        if match.start():
            yield False, data[:match.start()]
        yield True, data[match.start():match.end()]
        data = data[match.end():]
    if data:
        yield False, data


_COUNT_WIDTHS = {NUMERIC: (10, 12, 14), ALPHANUMERIC: (9, 11, 13), BYTE: (8, 16, 16)}


def _size_class(version: int) -> int:
    """Which of the three widths a segment's character count has in this version."""
    return 0 if version < 10 else 1 if version < 27 else 2


def _count_bits(mode: int, version: int) -> int:
    """The width of a segment's character count in this version."""
    return _COUNT_WIDTHS[mode][_size_class(version)]


def _bits(segments: list[tuple[int, bytes]], version: int) -> tuple[int, int]:
    """(value, length) of the segments' bit stream: mode, count and data of each."""
    value = length = 0

    def put(number: int, width: int) -> None:
        nonlocal value, length
        value, length = (value << width) | number, length + width
    for mode, chunk in segments:
        put(mode, 4)
        put(len(chunk), _count_bits(mode, version))
        if mode == NUMERIC:
            for i in range(0, len(chunk), 3):
                group = chunk[i:i + 3]
                put(int(group), (4, 7, 10)[len(group) - 1])
        elif mode == ALPHANUMERIC:
            for i in range(0, len(chunk), 2):
                pair = [_ALPHANUMERIC.index(ch) for ch in chunk[i:i + 2]]
                put(pair[0] * 45 + pair[1], 11) if len(pair) == 2 else put(pair[0], 6)
        else:
            put(int.from_bytes(chunk, "big"), 8 * len(chunk))
    return value, length


def _version(segments: list[tuple[int, bytes]]) -> int:
    """The smallest version that holds the segments (qrcode's ``best_fit``: the count widths
    of the version guessed, guessed again when the answer's widths differ)."""
    start = 1
    while True:
        needed = _bits(segments, start)[1]
        version = bisect_left(_CAPACITY, needed, start)
        if version > 40:
            raise ValueError(f"too much for one QR code ({needed} bits)")
        if _size_class(version) == _size_class(start):
            return version
        start = version


def _codewords(segments: list[tuple[int, bytes]], version: int) -> bytes:
    """Data codewords (terminated and padded) and their error correction, interleaved."""
    value, length = _bits(segments, version)
    capacity = _CAPACITY[version]
    terminator = min(capacity - length, 4)
    value, length = value << terminator, length + terminator
    if length % 8:
        value, length = value << (8 - length % 8), length + 8 - length % 8
    data = value.to_bytes(length // 8, "big") + bytes(
        (0xEC, 0x11)[i % 2] for i in range((capacity - length) // 8))
    ec_count, *groups = _BLOCKS[version - 1]
    blocks, offset = [], 0
    for i in range(0, len(groups), 2):
        for _ in range(groups[i]):
            blocks.append(data[offset:offset + groups[i + 1]])
            offset += groups[i + 1]
    out = bytearray()
    for i in range(max(len(b) for b in blocks)):
        out += bytes(b[i] for b in blocks if i < len(b))
    corrections = [_remainder(b, ec_count) for b in blocks]
    for i in range(ec_count):
        out += bytes(ec[i] for ec in corrections)
    return bytes(out)


@lru_cache(maxsize=16)
def _multiples(degree: int) -> tuple[int, ...]:
    """For each byte value f, the Reed-Solomon generator of this degree (the product of
    (x - α^i) for i below ``degree``, its leading one left out) times f, as one integer of
    ``degree`` bytes: dividing by the generator then takes one XOR a data byte."""
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, coefficient in enumerate(poly):
            nxt[j] ^= coefficient
            if coefficient:
                nxt[j + 1] ^= _EXP[_LOG[coefficient] + i]
        poly = nxt
    logs = [_LOG[c] for c in poly[1:]]
    return (0,) + tuple(int.from_bytes(bytes(_EXP[_LOG[f] + g] for g in logs), "big")
                        for f in range(1, 256))


def _remainder(block: bytes, degree: int) -> bytes:
    """The block's ``degree`` error-correction codewords: its remainder by the generator,
    the remainder's bytes held in one integer (the first byte highest)."""
    multiples, shift, keep = _multiples(degree), 8 * (degree - 1), (1 << 8 * degree) - 1
    rest = 0
    for byte in block:
        rest = ((rest << 8) & keep) ^ multiples[byte ^ (rest >> shift)]
    return rest.to_bytes(degree, "big")


# -- the matrix ----------------------------------------------------------------------------
# The eight masks (ISO/IEC 18004 table 10): True where a data module is inverted; i is the
# row, j the column.
_MASKS = (lambda i, j: (i + j) % 2 == 0, lambda i, j: i % 2 == 0, lambda i, j: j % 3 == 0,
          lambda i, j: (i + j) % 3 == 0, lambda i, j: (i // 2 + j // 3) % 2 == 0,
          lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
          lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
          lambda i, j: ((i * j) % 3 + (i + j) % 2) % 2 == 0)


def _alignment_centres(version: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    step = 26 if version == 32 else (version * 4 + count * 2 + 1) // (count * 2 - 2) * 2
    last = version * 4 + 10
    return [6] + [last - i * step for i in range(count - 2, -1, -1)]


def _bch(value: int, generator: int, width: int) -> int:
    """``value`` followed by its BCH check bits (``width`` of them)."""
    rest = value << width
    top = generator.bit_length()
    while rest.bit_length() >= top:
        rest ^= generator << (rest.bit_length() - top)
    return (value << width) | rest


@lru_cache(maxsize=48)
def _layout(version: int) -> tuple[Callable[[tuple[bool, ...]], tuple[bool, ...]], int, int, int]:
    """How a code of this version is laid out: ``(pick, masks, places, side)``. ``places`` data
    modules take the bits in placement order, ``masks`` holds a 1 for each one the mask
    inverts, and ``pick(bits + (False, True))`` returns every module of the matrix with its
    quiet zone, row by row (``side`` a row): a data module's bit, or the fixed light or dark
    module of the finders, separators, alignment and timing patterns, format bits (level M,
    MASK_PATTERN) and version bits."""
    size = version * 4 + 17
    grid: list[list[bool | None]] = [[None] * size for _ in range(size)]
    for row, col in ((0, 0), (size - 7, 0), (0, size - 7)):   # finders and separators
        for r in range(-1, 8):
            for c in range(-1, 8):
                if 0 <= row + r < size and 0 <= col + c < size:
                    grid[row + r][col + c] = ((0 <= r <= 6 and c in (0, 6))
                                              or (0 <= c <= 6 and r in (0, 6))
                                              or (2 <= r <= 4 and 2 <= c <= 4))
    centres = _alignment_centres(version)
    for row in centres:
        for col in centres:
            if grid[row][col] is None:
                for r in range(-2, 3):
                    for c in range(-2, 3):
                        grid[row + r][col + c] = r in (-2, 2) or c in (-2, 2) or r == c == 0
    for i in range(8, size - 8):   # timing
        if grid[i][6] is None:
            grid[i][6] = i % 2 == 0
        if grid[6][i] is None:
            grid[6][i] = i % 2 == 0
    form = _bch((_LEVEL_M << 3) | MASK_PATTERN, 0b10100110111, 10) ^ 0b101010000010010
    for i in range(15):
        bit = (form >> i) & 1 == 1
        grid[i if i < 6 else i + 1 if i < 8 else size - 15 + i][8] = bit
        grid[8][size - i - 1 if i < 8 else 7 if i == 8 else 14 - i] = bit
    grid[size - 8][8] = True
    if version >= 7:
        number = _bch(version, 0b1111100100101, 12)
        for i in range(18):
            bit = (number >> i) & 1 == 1
            grid[i // 3][i % 3 + size - 11] = bit
            grid[i % 3 + size - 11][i // 3] = bit
    mask = _MASKS[MASK_PATTERN]
    order: dict[tuple[int, int], int] = {}
    masks = 0
    row, step = size - 1, -1
    for col in range(size - 1, 0, -2):
        if col <= 6:
            col -= 1
        while True:
            for c in (col, col - 1):
                if grid[row][c] is None:
                    order[row, c] = len(order)
                    masks = (masks << 1) | mask(row, c)
            row += step
            if not 0 <= row < size:
                row -= step
                step = -step
                break
    places = len(order)
    light, dark = places, places + 1
    side = size + 2 * QUIET_ZONE
    indices = [light] * (side * QUIET_ZONE)
    for r in range(size):
        indices += [light] * QUIET_ZONE
        indices += [order[r, c] if grid[r][c] is None else dark if grid[r][c] else light
                    for c in range(size)]
        indices += [light] * QUIET_ZONE
    indices += [light] * (side * QUIET_ZONE)
    return itemgetter(*indices), masks, places, side
