"""The prototype exchange format: one prototype, its safe-to-try check, every iteration and the
snapshot each iteration tested, as canonical JSON (pure: no database, no files but ``read_file``).

Format ``design-academy-prototype``, version 2 (documented in docs/prototypes.md); version 2
adds the optional ``"rollout"`` section, the team's vision and plan (``prototypes.rollout
.exchange``); version-1 files read as before::

    {
      "academy": "Spring Design Academy",          # title of the academy it came from
      "format": "design-academy-prototype",
      "iterations": [ {"number": 1, "started_on": "2026-11-25", "finished_on": null,
                       "change": …, "question": …, "prediction": …, "measure": …,
                       "who_where_when": …, "happened": …, "surprises": …, "results": …,
                       "decision": "" | "adopt" | "adapt" | "abandon", "next_change": …,
                       "snapshot": {…the prototype's content when the cycle started…}} ],
      "prototype": {"uid": "<uuid4>", "title": …, "team": …, "why": …, "students": …,
                    "model": "station_rotation" | … | "other", "model_other": …,
                    "core_four": ["flexible_content", …], "teachers_more": …,
                    "teachers_less": …, "success_measures": …, "resources": …, "owner": …,
                    "status": "draft" | …, "history": [{"status": "draft", "on": "2026-11-25"}],
                    "check": {"risks": {"why": {"level": "low", "mitigation": …}, …},
                              "consent": {"date": …, "present": …, "no_objection": true,
                                          "objections": [{"text": …, "resolution": …}]}},
                    "created_at": "2026-11-25T09:00:00+00:00", "updated_at": …},
      "version": 1
    }

Canonical means: keys sorted, two-space indent, UTF-8 without escaping, dates ISO 8601, one
final newline. Export → import → export gives the same bytes. The copy a prototype PDF carries
is the same document on one line (``dumps_compact``); both import alike.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from prototypes.pdsa import Iteration
from prototypes.prototype import Prototype
from workshop.errors import ValidationError

FORMAT = "design-academy-prototype"
# 2: adds the optional "measures" section (prototypes.exchange.measures) and the optional
# "rollout" section (the team's vision and plan, prototypes.rollout.exchange); 1 still imports.
VERSION = 2
MAX_FILE_BYTES = 20 * 1024 * 1024
# The first two bytes of zlib and gzip streams (a JSON export never starts so).
_COMPRESSED = {b"\x78\x01": "zlib", b"\x78\x5e": "zlib", b"\x78\x9c": "zlib",
               b"\x78\xda": "zlib", b"\x1f\x8b": "gzip"}


class FormatError(ValidationError):
    """The file is not a prototype export this app can read; the message names the problem."""


class ConflictError(ValidationError):
    """The prototype was changed here since it was last exported or imported (or the file is
    older than the copy here): importing would overwrite that. The caller asks the person."""

    def __init__(self, message: str, *, local: Prototype, incoming: Prototype):
        super().__init__(message)
        self.local = local
        self.incoming = incoming


def to_document(prototype: Prototype, iterations: list[Iteration], academy_title: str) -> dict:
    """The exchange document of a prototype and its iterations (cycles by number)."""
    return {"format": FORMAT, "version": VERSION, "academy": academy_title,
            "prototype": prototype.to_dict(),
            "iterations": [it.to_dict() for it in sorted(iterations, key=lambda i: i.number)]}


def dumps(document: dict) -> str:
    """The canonical JSON text of a document: sorted keys, indented, non-ASCII kept as is."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def dumps_compact(document: dict) -> str:
    """The same content as ``dumps`` on one line (sorted keys, no spaces), for the copy a
    prototype PDF carries: ``json``'s C encoder writes it, where any ``indent`` falls back to
    the pure-Python one (a third of reading the models of a big pack). ``loads`` reads either."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def loads(raw: bytes | str) -> dict:
    """Parse the JSON of an export (from a file or a PDF attachment); FormatError if it is not."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise FormatError(f"The file is {len(raw) // (1024 * 1024)} MB; a prototype export is "
                              f"at most {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        if raw[:2] in _COMPRESSED:
            raise FormatError(f"The file is {_COMPRESSED[raw[:2]]}-compressed data, not a "
                              "prototype export; decompress it first.")
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise FormatError("The file is UTF-16 text, not UTF-8; a prototype export is UTF-8 "
                              "(save it as UTF-8).")
        zero = raw.find(b"\x00")
        if zero >= 0:
            raise FormatError(f"The file holds binary data (a zero byte at byte {zero}), not a "
                              "prototype export.")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError(f"The file is not UTF-8 text (byte {exc.start} cannot be read); "
                              "it is not a prototype export.") from None
    if not raw.strip():
        raise FormatError("The file is empty.")
    try:
        data = json.loads(raw, parse_int=_whole_number, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise FormatError(f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                          f"{exc.msg}).") from None
    except RecursionError:
        raise FormatError(f"The file's JSON is nested too deeply (a prototype export is at most "
                          f"{MAX_DEPTH} levels deep).") from None
    if not isinstance(data, dict):
        raise FormatError(f"The file holds a JSON {_kind(data)}, not a prototype export "
                          "(expected an object with \"format\": \"design-academy-prototype\").")
    _check_shape(data)
    return data


# Limits of the format, far past anything the app writes (an export is about 7 levels deep,
# its numbers are a version and cycle numbers), checked before anything else reads the data.
MAX_DEPTH = 32
MAX_DIGITS = 18          # below 2**63: every whole number fits SQLite's INTEGER
MAX_ITERATION = 10_000
_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole_number(text: str) -> int:
    # json would hand "9"*5000 to int() and fail with Python's digit-limit ValueError.
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise FormatError(f"The file has a number {digits} digits long; a prototype export "
                          f"holds no number past {MAX_DIGITS} digits.")
    return int(text)


def _no_constant(name: str) -> None:
    raise FormatError(f"The file is not valid JSON ({name} is not a JSON number).")


def _check_shape(data: dict) -> None:
    """Refuse nesting past MAX_DEPTH and lone UTF-16 surrogates (``"\\ud800"`` is valid JSON
    but no text: SQLite and UTF-8 cannot store it), naming where in the file; iterative, so
    depth cannot exhaust the stack."""
    stack: list[tuple[object, str, int]] = [(data, "", 1)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FormatError(f"The file's JSON is nested too deeply at “{_show(where)}” (a prototype "
                              f"export is at most {MAX_DEPTH} levels deep).")
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise FormatError(f"The text at “{_show(where) if where else 'top level'}” holds a lone UTF-16 "
                                  "surrogate (like \\ud800), which is not a character; the file "
                                  "is damaged.")
        elif isinstance(value, dict):
            for key, item in value.items():
                path = f"{where}.{key}" if where else key
                if _SURROGATE.search(key):
                    raise FormatError(f"A key in “{where or 'top level'}” holds a lone UTF-16 "
                                      "surrogate (like \\ud800); the file is damaged.")
                stack.append((item, path, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value))


def read_bytes(path: Path | str, limit: int) -> bytes:
    """At most ``limit`` bytes of the file (one more tells a too-large file), or a FormatError
    that names what is wrong with the path."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            return f.read(limit)
    except FileNotFoundError:
        raise FormatError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise FormatError(f"{path} is a folder, not a prototype export.") from None
    except OSError as exc:
        raise FormatError(f"Cannot read {path}: {exc.strerror}.") from None


def read_file(path: Path | str) -> dict:
    """Read and parse a ``.json`` export (the PDF path extracts its attachment, then ``loads``)."""
    return loads(read_bytes(path, MAX_FILE_BYTES + 1))


def _kind(value) -> str:
    return {dict: "object", list: "list", str: "text", bool: "true/false", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


# Expected JSON types of every field, checked before the model sees them, so a foreign or
# hand-edited file is refused with the path of the bad value instead of a Python error.
_TEXT = (str,)
_TYPE_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "an object",
               type(None): "null"}
_PROTOTYPE_TYPES = {
    "uid": _TEXT, "title": _TEXT, "team": _TEXT, "why": _TEXT, "students": _TEXT,
    "model": _TEXT, "model_other": _TEXT, "core_four": (list,), "teachers_more": _TEXT,
    "teachers_less": _TEXT, "success_measures": _TEXT, "resources": _TEXT, "owner": _TEXT,
    "status": _TEXT, "history": (list,), "check": (dict,), "created_at": _TEXT,
    "updated_at": _TEXT,
}
_ITERATION_TYPES = {
    "number": (int,), "started_on": _TEXT, "finished_on": (str, type(None)), "change": _TEXT,
    "question": _TEXT, "prediction": _TEXT, "measure": _TEXT, "who_where_when": _TEXT,
    "happened": _TEXT, "surprises": _TEXT, "results": _TEXT, "decision": _TEXT,
    "next_change": _TEXT, "snapshot": (dict,),
}
# A snapshot is a prototype's content (no uid, stamps or history).
_SNAPSHOT_TYPES = {k: v for k, v in _PROTOTYPE_TYPES.items()
                   if k not in ("uid", "history", "created_at", "updated_at")}
_REQUIRED_PROTOTYPE = ("uid", "title", "status", "history", "created_at", "updated_at")
_REQUIRED_ITERATION = ("number", "started_on", "snapshot")


def _check_types(obj: dict, types: dict, required: tuple, where: str) -> None:
    for key in required:
        if key not in obj:
            raise FormatError(f"{where} has no “{key}”.")
    for key, allowed in types.items():
        if key in obj and (not isinstance(obj[key], allowed) or
                           (isinstance(obj[key], bool) and bool not in allowed)):
            expected = " or ".join(_TYPE_NAMES[t] for t in allowed)
            raise FormatError(f"{where}: “{key}” should be {expected}, not {_kind(obj[key])}.")


def _check_check(check: object, where: str) -> None:
    if not isinstance(check, dict):
        raise FormatError(f"{where}: “check” should be an object, not {_kind(check)}.")
    risks = check.get("risks", {})
    if not isinstance(risks, dict):
        raise FormatError(f"{where}: “check.risks” should be an object, not {_kind(risks)}.")
    for key, rating in risks.items():
        if not isinstance(rating, dict) or set(rating) - {"level", "mitigation"} or not all(
                isinstance(rating.get(k, ""), str) for k in ("level", "mitigation")):
            raise FormatError(f"{where}: the rating of risk “{_show(key)}” should be an object "
                              "with text “level” and “mitigation”.")
    consent = check.get("consent", {})
    if not isinstance(consent, dict):
        raise FormatError(f"{where}: “check.consent” should be an object, not {_kind(consent)}.")
    for key, allowed in (("date", (str, type(None))), ("present", (str,))):
        if key in consent and not isinstance(consent[key], allowed):
            raise FormatError(f"{where}: “check.consent.{key}” should be text, not "
                              f"{_kind(consent[key])}.")
    # Strictly JSON true/false: "false" is a non-empty string, and bool("false") is True —
    # a file saying "false" must never import as consent given.
    if "no_objection" in consent and not isinstance(consent["no_objection"], bool):
        raise FormatError(f"{where}: “check.consent.no_objection” should be true or false, "
                          f"not {_shown_json(consent['no_objection'])}.")
    objections = consent.get("objections", [])
    if not isinstance(objections, list) or not all(
            isinstance(o, dict) and not set(o) - {"text", "resolution"}
            and isinstance(o.get("text"), str)
            and isinstance(o.get("resolution", ""), str) for o in objections):
        raise FormatError(f"{where}: “check.consent.objections” should be a list of objects "
                          "with text “text” and “resolution”.")


def _shown_json(value: object) -> str:
    """"text "false"", "number 0", "null": what a value is, as a person reads it."""
    if value is None:
        return "null"
    return f"{_kind(value)} {_show(json.dumps(value, ensure_ascii=False))}"


def _show(value: object, n: int = 40) -> str:
    """A value quoted in a message, cut short: a hostile file's values can be megabytes, and
    a text with line breaks or other control characters is shown escaped (the message stays
    one line)."""
    text = (value if isinstance(value, str) and value.isprintable()
            else json.dumps(value, ensure_ascii=False))
    return text if len(text) <= n else text[: n - 1] + "…"


def _timestamp(value: str, what: str) -> None:
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        stamp = None
    # Without an offset a stamp cannot be compared with the app's (all carry one): the
    # newer-copy check would fail on it, so it is refused here.
    if stamp is None or stamp.tzinfo is None:
        raise FormatError(f"{what} must be a date and time with its UTC offset, like "
                          f"2026-11-25T09:00:00+00:00 (got “{_show(value)}”).")


def parse_document(data: dict) -> tuple[Prototype, list[Iteration], str]:
    """Validate a parsed export; returns (prototype, iterations, academy title) or FormatError."""
    if not isinstance(data, dict):
        raise FormatError(f"Expected a JSON object at the top level, found a {_kind(data)}.")
    fmt = data.get("format")
    if fmt != FORMAT:
        raise FormatError("This is not a Design Academy Studio prototype file "
                          f"(its “format” is {_show(json.dumps(fmt, ensure_ascii=False))}; "
                          f"expected “{FORMAT}”).")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatError(f"The file's format “version” should be a whole number, not "
                          f"{_show(json.dumps(version, ensure_ascii=False))}.")
    if version > VERSION:
        raise FormatError(f"The file was written by a newer version of Design Academy Studio "
                          f"(format version {version}; this one reads version {VERSION}). "
                          "Update the app to import it.")
    academy = data.get("academy", "")
    if not isinstance(academy, str):
        raise FormatError(f"“academy” should be text, not {_kind(academy)}.")
    raw = data.get("prototype")
    if not isinstance(raw, dict):
        raise FormatError("The file has no “prototype” object." if raw is None else
                          f"“prototype” should be an object, not {_kind(raw)}.")
    _check_types(raw, _PROTOTYPE_TYPES, _REQUIRED_PROTOTYPE, "The prototype")
    _check_check(raw.get("check", {}), "The prototype")
    for where, content in [("The prototype", raw)] + [
            (f"The snapshot of iteration {i}", it.get("snapshot")) for i, it in enumerate(
                data.get("iterations") if isinstance(data.get("iterations"), list) else [], 1)
            if isinstance(it, dict) and isinstance(it.get("snapshot"), dict)]:
        elements = content.get("core_four")    # not a list: the type checks say so
        if isinstance(elements, list) and not all(isinstance(e, str) for e in elements):
            raise FormatError(f"{where}: “core_four” should be a list of texts.")
    for key in ("created_at", "updated_at"):
        _timestamp(raw[key], f"The prototype's “{key}”")
    if not all(isinstance(h, dict) and isinstance(h.get("status"), str)
               and isinstance(h.get("on"), str) for h in raw["history"]):
        raise FormatError("The prototype's “history” should be a list of "
                          "{\"status\": …, \"on\": \"YYYY-MM-DD\"} objects.")
    if not raw["history"]:
        raise FormatError("The prototype's status “history” is empty.")
    try:
        prototype = Prototype.from_dict(raw)
    except ValidationError as exc:
        raise FormatError(f"The prototype: {exc}") from None
    except TypeError as exc:
        raise FormatError(f"The prototype has an unexpected value ({exc}).") from None
    raw_iterations = data.get("iterations", [])
    if not isinstance(raw_iterations, list):
        raise FormatError(f"“iterations” should be a list, not {_kind(raw_iterations)}.")
    iterations, seen = [], set()
    for index, item in enumerate(raw_iterations, start=1):
        where = f"Iteration {index} in the file"
        if not isinstance(item, dict):
            raise FormatError(f"{where} should be an object, not {_kind(item)}.")
        _check_types(item, _ITERATION_TYPES, _REQUIRED_ITERATION, where)
        if not 1 <= item["number"] <= MAX_ITERATION:
            raise FormatError(f"{where} is numbered {item['number']}; cycle numbers run from 1 "
                              f"to {MAX_ITERATION}.")
        snapshot = item["snapshot"]
        _check_types(snapshot, _SNAPSHOT_TYPES, (), f"The snapshot of iteration {index}")
        _check_check(snapshot.get("check", {}), f"The snapshot of iteration {index}")
        if item["number"] in seen:
            raise FormatError(f"Two iterations are numbered {item['number']}.")
        seen.add(item["number"])
        try:
            iterations.append(Iteration.from_dict(item))
        except ValidationError as exc:
            raise FormatError(f"{where}: {exc}") from None
        except TypeError as exc:
            raise FormatError(f"{where} has an unexpected value ({exc}).") from None
    return prototype, sorted(iterations, key=lambda i: i.number), academy
