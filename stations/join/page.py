"""The phone page: its HTML with the station filled in, and its two static files.

The files live in ``assets/join/``. No network code: ``routes`` turns these into responses.
"""
from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass

from assets import asset_path

PAGE_FILES = {"app.js": "text/javascript", "app.css": "text/css"}


def render_page(template: bytes, info: dict) -> bytes:
    """The phone page with its station filled in, so the name shows before any script runs and
    the page needs one request fewer. Escaped: titles are typed by people."""
    text = template.decode("utf-8")
    data = json.dumps({"v": 1, **info}, ensure_ascii=False)
    text = text.replace('<meta name="join-station" content="">',
                        f'<meta name="join-station" content="{html.escape(data, quote=True)}">', 1)
    text = text.replace('<p id="academy" class="academy"></p>',
                        f'<p id="academy" class="academy">{html.escape(info["academy"])}</p>', 1)
    text = text.replace('<h1 id="station">Loading your station…</h1>',
                        f'<h1 id="station">{html.escape(info["station"]["title"])}</h1>', 1)
    text = text.replace("<title>Check in at your station</title>",
                        f"<title>{html.escape(info['station']['title'])}</title>", 1)
    return text.encode("utf-8")


@dataclass(frozen=True)
class PageFile:
    """One static file of the phone page, with the tag a browser revalidates it by."""
    body: bytes
    content_type: str
    etag: str


class PhonePage:
    """The page template and its files, read once from ``assets/join/``."""

    def __init__(self):
        self.template = asset_path("join", "index.html").read_bytes()
        self.files: dict[str, PageFile] = {}
        for name, content_type in PAGE_FILES.items():
            body = asset_path("join", name).read_bytes()
            self.files[name] = PageFile(body, content_type,
                                        '"%s"' % hashlib.sha256(body).hexdigest()[:16])

    def render(self, info: dict) -> bytes:
        """The page for one station (``info``: what ``JoinDesk.info`` returns)."""
        return render_page(self.template, info)

    def render_personal(self, academy: str, person: dict | None, error: str | None) -> bytes:
        """The page a personal link opens: it tells the phone who it is (or why not)."""
        title = f"Hello, {person['name']}" if person else "This link cannot be used here"
        return render_page(self.template, {"academy": academy, "station": {"title": title},
                                           "person": person, "error": error})

    def file(self, name: str) -> PageFile | None:
        """One of the page's files by name; None for anything else (no paths, no listing)."""
        return self.files.get(name)
