"""Versioned requests: API paths live under ``/api/v1/`` and JSON bodies carry ``"v": 1``.

A phone that kept an old page open after the app was updated sends an older version; it gets a
clear "reload the page" message instead of a misread request.
"""
from __future__ import annotations

import json

from aiohttp import web

API_VERSION = 1
API_PREFIX = f"/api/v{API_VERSION}"
MAX_BODY = 16 * 1024  # bytes; a 2,000-character reflection in any script fits in 8 KB


class ApiError(Exception):
    """A request the server refuses; ``message`` is written for the person holding the phone."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def json_response(payload: dict, status: int = 200) -> web.Response:
    """A JSON reply carrying the API version, non-ASCII text kept as is."""
    return web.json_response({"v": API_VERSION, **payload}, status=status,
                             dumps=lambda o: json.dumps(o, ensure_ascii=False))


def error_response(error: ApiError) -> web.Response:
    """The JSON reply for a refused request."""
    return json_response({"error": error.message}, status=error.status)


async def read_json(request: web.Request) -> dict:
    """The request's JSON object, checked for size, syntax and version."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise ApiError(413, "That is too much text to send at once.")
    if request.content_type != "application/json":
        raise ApiError(415, "The request must be JSON (Content-Type: application/json).")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "That is too much text to send at once.") from None
    if len(raw) > MAX_BODY:
        raise ApiError(413, "That is too much text to send at once.")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, "The request was garbled (not valid JSON). Reload the page and try again.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "The request must be a JSON object.")
    check_version(body.get("v"))
    return body


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
