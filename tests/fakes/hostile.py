"""A real HTTP server on 127.0.0.1 (port 0) that misbehaves on purpose.

Each path is one way a feed server can hurt a poller:

- ``/bomb``  a gzip bomb: ~200 KB on the wire, 200 MB inflated (``/bomb-br``: brotli;
  ``/bomb-2gzip``: the bomb gzipped again, sent as ``Content-Encoding: gzip, gzip``)
- ``/endless``  a 200 whose body never ends (no Content-Length, written as fast as read)
- ``/drip``  one byte a second, for ever: no read ever waits long enough to time out
- ``/loop``  a redirect to itself; ``/loop-a`` ↔ ``/loop-b`` a two-step loop
- ``/huge``  a 50 MB page with a truthful Content-Length; ``/huge-chunked`` without one
- ``/png``  an image where a feed should be; ``/html`` a web page where a feed should be
- ``/bad-encoding``  a feed that says UTF-8 and is not; ``/bogus-charset`` names no real charset
- ``/redirect?to=URL``  a redirect anywhere (for the SSRF tests)

Every request is recorded (path, Host header). The server stops its endless
writers when closed; threads are daemons, so a stuck client never hangs the run.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import brotli

BOMB_SIZE = 200 * 1000 * 1000
HUGE_SIZE = 50 * 1000 * 1000
_MB = b"\0" * 1_000_000


def gzip_bomb(size: int = BOMB_SIZE) -> bytes:
    """``size`` zero bytes, gzip-compressed (about 1000:1), built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(_MB) for _ in range(size // len(_MB))]
    parts.append(packer.flush())
    return b"".join(parts)


def brotli_bomb(size: int = BOMB_SIZE) -> bytes:
    packer = brotli.Compressor(quality=5)
    parts = [packer.process(_MB) for _ in range(size // len(_MB))]
    parts.append(packer.finish())
    return b"".join(parts)


GOOD_ITEM = (
    "<item><title>{title}</title><link>http://127.0.0.1/{slug}</link><guid>{slug}</guid>"
    "<description>{title}, said the council.</description></item>"
)


def _feed(items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Hostile</title><link>http://127.0.0.1/</link>{items}</channel></rss>"
    ).encode()


@dataclass(frozen=True)
class Hit:
    path: str
    host: str


class HostileServer:
    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.closing = threading.Event()
        self._bomb = gzip_bomb()
        self._bomb_br = brotli_bomb()
        self._bomb_twice = zlib.compress(self._bomb, 9, wbits=zlib.MAX_WBITS | 16)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.hits.append(Hit(self.path, self.headers.get("Host", "")))
                # the client giving up mid-body is what it should do
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server._serve(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    # ------------------------------------------------------------------ responses

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        path = parts.path
        if path == "/bomb":
            self._send(h, self._bomb, "application/rss+xml", {"Content-Encoding": "gzip"})
        elif path == "/bomb-2gzip":
            headers = {"Content-Encoding": "gzip, gzip"}
            self._send(h, self._bomb_twice, "application/rss+xml", headers)
        elif path == "/bomb-br":
            self._send(h, self._bomb_br, "application/rss+xml", {"Content-Encoding": "br"})
        elif path == "/endless":
            self._head(h, "application/rss+xml", {"Connection": "close"})
            chunk = b"<rss><channel>" + b"<item><title>again</title></item>" * 2000
            while not self.closing.is_set():
                h.wfile.write(chunk)
        elif path == "/drip":
            self._head(h, "application/rss+xml", {"Connection": "close"})
            body = _feed(GOOD_ITEM.format(title="Slow", slug="slow"))
            for byte in body:
                if self.closing.wait(1.0):
                    return
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
        elif path == "/loop":
            self._redirect(h, "/loop")
        elif path == "/loop-a":
            self._redirect(h, "/loop-b")
        elif path == "/loop-b":
            self._redirect(h, "/loop-a")
        elif path == "/redirect":
            self._redirect(h, parse_qs(parts.query)["to"][0])
        elif path in ("/huge", "/huge-chunked"):
            extra = {} if path == "/huge" else {"Connection": "close"}
            self._head(h, "text/html", extra, length=HUGE_SIZE if path == "/huge" else None)
            sent = 0
            while sent < HUGE_SIZE and not self.closing.is_set():
                h.wfile.write(_MB)
                sent += len(_MB)
        elif path == "/png":
            self._send(h, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "image/png")
        elif path == "/html":
            self._send(h, b"<!DOCTYPE html><html><body><p>Hello</p></body></html>", "text/html")
        elif path == "/bad-encoding":
            items = GOOD_ITEM.format(title="Caf\xe9 \xff\xfe opens", slug="cafe")
            self._send(
                h,
                _feed(items)
                .replace(b"\xc3\xa9", b"\xe9")
                .replace(b"\xc3\xbf\xc3\xbe", b"\xff\xfe"),
                "application/rss+xml; charset=utf-8",
            )
        elif path == "/bogus-charset":
            body = _feed(GOOD_ITEM.format(title="Charset", slug="charset"))
            self._send(h, body.replace(b"utf-8", b"x-no-such-charset"), "text/xml; charset=x-bogus")
        elif path == "/ok":
            self._send(h, _feed(GOOD_ITEM.format(title="Fine", slug="fine")), "application/rss+xml")
        else:
            self._send(h, b"not here", "text/plain", status=404)

    @staticmethod
    def _head(
        h: BaseHTTPRequestHandler,
        content_type: str,
        headers: dict[str, str] | None = None,
        *,
        status: int = 200,
        length: int | None = None,
    ) -> None:
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        if length is not None:
            h.send_header("Content-Length", str(length))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        if length is None and (headers or {}).get("Connection") != "close":
            h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True

    def _send(
        self,
        h: BaseHTTPRequestHandler,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
        *,
        status: int = 200,
    ) -> None:
        self._head(h, content_type, headers, status=status, length=len(body))
        h.wfile.write(body)

    @staticmethod
    def _redirect(h: BaseHTTPRequestHandler, location: str) -> None:
        h.send_response(302)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()


def wait_until(predicate: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())
