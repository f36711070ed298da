"""A plain HTTP client for the join server in tests (loopback only)."""
from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit


class Reply:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"Reply({self.status}, {self.body[:200]!r})"


class Phone:
    """One phone: talks to ``base_url`` (http://127.0.0.1:PORT) over a fresh connection each time.

    ``source``: the phone's own address (any 127.x.y.z is loopback on Linux, so each phone of a
    test can have an address of its own, as on the room's Wi-Fi); ``cookies``: keep the cookies
    the server sets (the device id), as a browser does.
    """

    def __init__(self, base_url: str, source: str | None = None, cookies: bool = False):
        parts = urlsplit(base_url)
        assert parts.hostname in ("127.0.0.1", "::1", "localhost"), "tests stay on loopback"
        assert source is None or source.startswith("127."), "tests stay on loopback"
        self.host, self.port = parts.hostname, parts.port
        self.source = source
        self.cookies: dict[str, str] | None = {} if cookies else None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> Reply:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10,
                                          source_address=(self.source, 0) if self.source else None)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            if self.cookies is not None:
                for header in response.headers.get_all("Set-Cookie") or ():
                    name, _, rest = header.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Reply(response.status, response.headers, response.read())
        finally:
            conn.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, payload) -> Reply:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return self.request("POST", path, body, {"Content-Type": "application/json"})

    # -- the API, by name ------------------------------------------------------------------
    def search(self, token: str, query: str) -> Reply:
        from urllib.parse import quote
        return self.get(f"/api/v1/s/{token}/names?q={quote(query)}")

    def check_in(self, token: str, key: str) -> Reply:
        return self.post(f"/api/v1/s/{token}/checkin", {"v": 1, "key": key})

    def walk_in(self, token: str, name: str) -> Reply:
        return self.post(f"/api/v1/s/{token}/walkin", {"v": 1, "name": name})

    def reflect(self, token: str, key: str, station: int, text: str, anonymous: bool = False,
                request_id: str | None = None) -> Reply:
        return self.post(f"/api/v1/s/{token}/reflections",
                         {"v": 1, "key": key, "station": station, "text": text,
                          "anonymous": anonymous, "request_id": request_id})

    def walk_in_status(self, token: str, ticket: str) -> Reply:
        from urllib.parse import quote
        return self.get(f"/api/v1/s/{token}/walkin?ticket={quote(ticket)}")

    def state(self, token: str, key: str) -> Reply:
        return self.get(f"/api/v1/s/{token}/state?key={key}")

    def key_for(self, token: str, name: str) -> str:
        matches = self.search(token, name).json["matches"]
        assert [m["name"] for m in matches][:1] == [name], matches
        return matches[0]["key"]
