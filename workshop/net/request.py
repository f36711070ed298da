"""Versioned requests: API paths live under ``/api/v1/`` and JSON bodies carry ``"v": 1``.

A phone that kept an old page open after the app was updated sends an older version; it gets a
clear "reload the page" message instead of a misread request.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re

from aiohttp import web

log = logging.getLogger(__name__)

API_VERSION = 1
API_PREFIX = f"/api/v{API_VERSION}"
MAX_BODY = 16 * 1024  # bytes; a 2,000-character reflection in any script fits in 8 KB
MAX_DEPTH = 16        # nesting of a JSON body; the phone page sends flat objects
MAX_NUMBER_DIGITS = 24  # characters of one JSON number; the page sends small station numbers
BODY_TIMEOUT_S = 10.0   # a body still arriving after this is a stalled (or slowloris) sender
_SURROGATE = re.compile("[\ud800-\udfff]")


class ApiError(Exception):
    """A request the server refuses; ``message`` is written for the person holding the phone."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def json_response(payload: dict, status: int = 200) -> web.Response:
    """A JSON reply carrying the API version, non-ASCII text kept as is."""
    return web.json_response({"v": API_VERSION, **payload}, status=status, dumps=dumps)


def dumps(payload: dict) -> str:
    """Compact JSON with non-ASCII text kept as is (no spaces: fewer bytes and less work for
    every answer to 1,000 phones)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def error_response(error: ApiError) -> web.Response:
    """The JSON reply for a refused request."""
    response = json_response({"error": error.message}, status=error.status)
    if error.status == 408:  # the rest of a stalled body may never come: do not wait for it
        response.force_close()
    return response


async def read_json(request: web.Request) -> dict:
    """The request's JSON object, checked for size, syntax and version."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise ApiError(413, "That is too much text to send at once.")
    if request.content_type != "application/json":
        raise ApiError(415, "The request must be JSON (Content-Type: application/json).")
    try:
        async with asyncio.timeout(BODY_TIMEOUT_S):
            raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "That is too much text to send at once.") from None
    except TimeoutError:
        raise ApiError(408, "The request took too long to arrive. Try again.") from None
    except ConnectionResetError:   # the sender hung up mid-body: not a bug, nobody to answer
        log.debug("a request's sender hung up before its body arrived")
        raise ApiError(400, "The request was cut short. Try again.") from None
    if len(raw) > MAX_BODY:
        raise ApiError(413, "That is too much text to send at once.")
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise ApiError(400, "The request must be a JSON object.")
    check_version(body.get("v"))
    return body


def parse_json(raw: bytes) -> object:
    """A JSON body, or ApiError(400) for anything the page never sends: bad UTF-8 or syntax,
    nesting deeper than MAX_DEPTH, NaN/Infinity, numbers past MAX_NUMBER_DIGITS or not finite,
    lone surrogates (they cannot be stored or echoed as UTF-8)."""
    try:
        body = json.loads(raw.decode("utf-8"), parse_int=_parse_int, parse_float=_parse_float,
                          parse_constant=_refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, "The request was garbled (not valid JSON). Reload the page and try again.") from None
    except RecursionError:  # the C parser recurses once per level; 16 KB of "[" is too deep
        raise _too_deep() from None
    _check_tree(body)
    return body


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:  # before int(): 5,000 digits cost time, then fail
        raise ApiError(400, "A number in the request is too large.")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text) if len(text) <= MAX_NUMBER_DIGITS + 8 else float("inf")
    if value in (float("inf"), float("-inf")):
        raise ApiError(400, "A number in the request is too large.")
    return value


def _refuse_constant(text: str) -> float:
    raise ApiError(400, f"The request has a number JSON does not allow ({text}).")


def _too_deep() -> ApiError:
    return ApiError(400, f"The request is nested too deeply (at most {MAX_DEPTH} levels).")


def _check_tree(body: object) -> None:
    # Iterative, so a body that json accepted cannot make this walk recurse.
    pending: list[tuple[object, int]] = [(body, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise ApiError(400, "The request has text that is not valid Unicode "
                               "(a lone surrogate).")
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise _too_deep()
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)


def check_version(version: object) -> None:
    """Refuse a request from a page older or newer than this app."""
    if version != API_VERSION:
        raise ApiError(400, "This page is out of date for the app (request version "
                       f"{version!r}, the app speaks {API_VERSION}). Reload the page.")


def field(body: dict, name: str, kind: type, *, required: bool = True, default=None):
    """One field of a request body, of the given JSON type."""
    if name not in body or body[name] is None:
        if required:
            raise ApiError(400, f"The request is missing “{name}”.")
        return default
    value = body[name]
    # bool is an int in Python; a JSON true must not pass as a number.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ApiError(400, f"“{name}” has the wrong type (expected {kind.__name__}).")
    return value
