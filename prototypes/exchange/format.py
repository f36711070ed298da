"""The prototype exchange format: one prototype, its safe-to-try check, every iteration and the
snapshot each iteration tested, as canonical JSON (pure: no database, no files but ``read_file``).

Format ``design-academy-prototype``, version 1 (documented in docs/prototypes.md)::

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
final newline. Export → import → export gives the same bytes.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from prototypes.pdsa import Iteration
from prototypes.prototype import Prototype
from workshop.academy.model import ValidationError

FORMAT = "design-academy-prototype"
VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024


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


def loads(raw: bytes | str) -> dict:
    """Parse the JSON of an export (from a file or a PDF attachment); FormatError if it is not."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise FormatError(f"The file is {len(raw) // (1024 * 1024)} MB; a prototype export is "
                              f"at most {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError(f"The file is not UTF-8 text (byte {exc.start} cannot be read); "
                              "it is not a prototype export.") from None
    if not raw.strip():
        raise FormatError("The file is empty.")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FormatError(f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                          f"{exc.msg}).") from None
    if not isinstance(data, dict):
        raise FormatError(f"The file holds a JSON {_kind(data)}, not a prototype export "
                          "(expected an object with \"format\": \"design-academy-prototype\").")
    return data


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


def _check_check(check: dict, where: str) -> None:
    risks = check.get("risks", {})
    if not isinstance(risks, dict):
        raise FormatError(f"{where}: “check.risks” should be an object, not {_kind(risks)}.")
    for key, rating in risks.items():
        if not isinstance(rating, dict) or not all(
                isinstance(rating.get(k, ""), str) for k in ("level", "mitigation")):
            raise FormatError(f"{where}: the rating of risk “{key}” should be an object with "
                              "text “level” and “mitigation”.")
    consent = check.get("consent", {})
    if not isinstance(consent, dict):
        raise FormatError(f"{where}: “check.consent” should be an object, not {_kind(consent)}.")
    objections = consent.get("objections", [])
    if not isinstance(objections, list) or not all(
            isinstance(o, dict) and isinstance(o.get("text"), str)
            and isinstance(o.get("resolution", ""), str) for o in objections):
        raise FormatError(f"{where}: “check.consent.objections” should be a list of objects "
                          "with text “text” and “resolution”.")


def _timestamp(value: str, what: str) -> None:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise FormatError(f"{what} must be a date and time like 2026-11-25T09:00:00+00:00 "
                          f"(got “{value}”).") from None


def parse_document(data: dict) -> tuple[Prototype, list[Iteration], str]:
    """Validate a parsed export; returns (prototype, iterations, academy title) or FormatError."""
    if not isinstance(data, dict):
        raise FormatError(f"Expected a JSON object at the top level, found a {_kind(data)}.")
    fmt = data.get("format")
    if fmt != FORMAT:
        raise FormatError("This is not a Design Academy Studio prototype file "
                          f"(its “format” is {json.dumps(fmt, ensure_ascii=False)}; "
                          f"expected “{FORMAT}”).")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatError(f"The file's format “version” should be a whole number, not "
                          f"{json.dumps(version)}.")
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
        _check_check(item["snapshot"].get("check", {}), f"{where}'s snapshot")
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
