"""A real HTTP server on 127.0.0.1 (port 0) serving feeds and pages the test writes.

Each path is a :class:`Route` that can be changed while the server runs
(a new body, a new ETag, a failure). Every request is recorded with its
headers, so tests can check conditional GETs and the User-Agent.
"""

from __future__ import annotations

import gzip as gzip_module
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from xml.sax.saxutils import escape


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    gzip: bool = False
    redirect: str | None = None  # Location for a 301/302 …


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.active = 0
        self.max_active = 0  # most requests in flight at once
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                try:
                    server._serve(self)
                finally:
                    with server._lock:
                        server.active -= 1

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes | str = b"", **options: Any) -> Route:
        route = Route(body=body.encode() if isinstance(body, str) else body, **options)
        with self._lock:
            self.routes[path] = route
        return route

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append(Request(h.path, {k.lower(): v for k, v in h.headers.items()}))
            route = self.routes.get(h.path)
        if route is None:
            self._send(h, 404, b"not found", {"Content-Type": "text/plain"})
            return
        if route.delay:
            time.sleep(route.delay)
        headers = {"Content-Type": route.content_type, **route.headers}
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if route.redirect:
            headers["Location"] = route.redirect
            self._send(h, route.status, b"", headers)
            return
        if route.status == 200 and (
            (route.etag and h.headers.get("If-None-Match") == route.etag)
            or (
                route.last_modified
                and not h.headers.get("If-None-Match")
                and h.headers.get("If-Modified-Since") == route.last_modified
            )
        ):
            self._send(h, 304, b"", headers)
            return
        body = route.body
        if route.gzip and "gzip" in (h.headers.get("Accept-Encoding") or ""):
            body = gzip_module.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(h, route.status, body, headers)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            h.send_response(status)
            for key, value in headers.items():
                h.send_header(key, value)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if body:
                h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


# --- documents -----------------------------------------------------------------------------


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


@dataclass(frozen=True, kw_only=True)
class Item:
    title: str
    link: str
    guid: str | None = None
    summary: str = ""
    content: str | None = None
    published: datetime | None = None
    author: str | None = None


def rss(title: str, items: list[Item], *, link: str = "https://example.org/") -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{escape(title)}</title><link>{escape(link)}</link>",
    ]
    for it in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(it.title)}</title><link>{escape(it.link)}</link>")
        if it.guid:
            parts.append(f'<guid isPermaLink="false">{escape(it.guid)}</guid>')
        if it.published:
            parts.append(f"<pubDate>{http_date(it.published)}</pubDate>")
        if it.author:
            parts.append(f"<author>{escape(it.author)}</author>")
        parts.append(f"<description>{escape(it.summary)}</description>")
        if it.content:
            parts.append(f"<content:encoded>{escape(it.content)}</content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


def atom(title: str, items: list[Item], *, link: str = "https://example.org/") -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f'<title>{escape(title)}</title><link href="{escape(link)}"/>',
        "<id>urn:example:feed</id><updated>2026-01-01T00:00:00Z</updated>",
    ]
    for it in items:
        parts.append("<entry>")
        parts.append(f'<title>{escape(it.title)}</title><link href="{escape(it.link)}"/>')
        parts.append(f"<id>{escape(it.guid or it.link)}</id>")
        if it.published:
            parts.append(f"<published>{it.published.isoformat()}</published>")
            parts.append(f"<updated>{it.published.isoformat()}</updated>")
        if it.author:
            parts.append(f"<author><name>{escape(it.author)}</name></author>")
        parts.append(f'<summary type="html">{escape(it.summary)}</summary>')
        if it.content:
            parts.append(f'<content type="html">{escape(it.content)}</content>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts)


def json_feed(title: str, items: list[Item], *, link: str = "https://example.org/") -> str:
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": link,
        "items": [
            {
                "id": it.guid or it.link,
                "url": it.link,
                "title": it.title,
                "summary": it.summary,
                **({"content_html": it.content} if it.content else {}),
                **({"date_published": it.published.isoformat()} if it.published else {}),
                **({"authors": [{"name": it.author}]} if it.author else {}),
            }
            for it in items
        ],
    }
    return json.dumps(data)


def article_page(title: str, paragraphs: list[str], *, site: str = "Example News") -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | {escape(site)}</title>
<meta property="og:site_name" content="{escape(site)}">
<meta property="og:title" content="{escape(title)}">
<meta name="author" content="Ada Reporter">
<meta property="article:published_time" content="2026-11-20T09:00:00+00:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<main><article><h1>{escape(title)}</h1>
{body}
</article></main>
<footer><p>Copyright Example News. All rights reserved.</p></footer>
</body></html>"""
