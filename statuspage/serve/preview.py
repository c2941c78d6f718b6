"""A preview server: build into a scratch folder, serve it, rebuild whenever a source changes."""

from __future__ import annotations

import html
import shutil
import tempfile
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..engine.build import BuildResult, build_site
from ..errors import StatuspageError, ValidationFailed
from ..sources.inputs import input_kinds, input_location
from .drafts import DRAFTS_PATH, drafts_page, manifest_of

DEBOUNCE_SECONDS = 0.2
EVENTS_PATH = "/_events"  # server-sent events: "reload" after every build
KEEPALIVE_SECONDS = 15


class PreviewServer:
    """Serves the site at `root` on host:port and keeps it built as its files change."""

    def __init__(
        self,
        root: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        now: datetime | None = None,
        report: Callable[[str], None] = print,
    ) -> None:
        self.root = root.resolve()
        # One clock for the whole preview, so a rebuild after an edit renders only what the
        # edit touched (every page shows the time it was generated).
        self.now = now or datetime.now(UTC).replace(second=0, microsecond=0)
        self.report = report
        self.problem: str | None = None
        self.generation = 0  # how many builds ended: open pages reload when it moves
        self._changed = threading.Condition()
        self._stopping = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        handler = partial(_Handler, preview=self)
        # Bound first: when the port is taken, no scratch folder is left behind.
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self._scratch = Path(tempfile.mkdtemp(prefix="statuspage-serve-"))
        self.out = self._scratch / "site"
        self._observer = Observer()

    @property
    def url(self) -> str:
        """The address the site is served at."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def drafts_url(self) -> str:
        """The address of the page of the latest drafts for social networks."""
        return self.url + DRAFTS_PATH.lstrip("/")

    def rebuild(self) -> BuildResult | None:
        """Build once; on a problem keep the last good site and show the problem instead."""
        with self._lock:
            try:
                result = build_site(self.root, self.out, self.now, warn=self.report)
            except ValidationFailed as failure:
                lines = [str(p) for p in failure.problems]
                self._ended("\n".join([*lines, f"Found {failure.summary}."]))
                return None
            except StatuspageError as error:
                self._ended(f"error: {error}")
                return None
            self._ended(None)
            self.report(
                f"Built {result.rendered} of {result.files} files in {result.seconds:.2f} s."
            )
            return result

    def _ended(self, problem: str | None) -> None:
        """A build ended, with `problem` or none: tell the terminal and the open pages."""
        if problem is not None:
            self.report(problem)
        with self._changed:
            self.problem = problem
            self.generation += 1
            self._changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int | None:
        """The generation once it is past `seen` (None after `timeout`, or when stopping)."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation > seen or self._stopping, timeout)
            if self._stopping or self.generation <= seen:
                return None
            return self.generation

    def start(self) -> None:
        """Build, then serve and watch in background threads."""
        self.rebuild()
        # Only the inputs: the root itself (for its files, and folders made later) and each
        # input folder with all it holds. Not public/ nor the cache, whose spare copy of the
        # site alone has a folder per incident.
        self._watcher = _Watcher(self)
        self._watched: dict[str, Path] = {}  # the real folder watched for each input folder
        self._observer.schedule(self._watcher, str(self.root), recursive=False)
        self.watch_inputs()
        self._observer.start()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def watch_inputs(self) -> None:
        """Watch the input folders that exist and are not watched yet."""
        for kind in input_kinds():
            folder = self.root / kind.path
            if kind.folder and kind.path not in self._watched and folder.is_dir():
                real = folder.resolve()
                if real == self.root or not real.is_relative_to(self.root):
                    continue  # a symlink out of the site, which the build refuses: not watched
                self._observer.schedule(self._watcher, str(real), recursive=True)
                self._watched[kind.path] = real

    def relative(self, path: Path) -> tuple[str, ...] | None:
        """Where a changed path is below the root, as parts; None when it is not below it.

        Below a watched input folder that is a symlink, it is in the folder, not the target.
        """
        for name, real in self._watched.items():
            if path.is_relative_to(real):
                return (name, *path.relative_to(real).parts)
        for candidate in (path, path.resolve()):
            if candidate.is_relative_to(self.root):
                return candidate.relative_to(self.root).parts
        return None

    def schedule_rebuild(self) -> None:
        """Rebuild shortly, once, however many changes arrive meanwhile (editors save in bursts)."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(DEBOUNCE_SECONDS, self.rebuild)
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        """Stop serving and watching, and remove the scratch folder."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._timer is not None:
            self._timer.cancel()
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join()
        self.httpd.shutdown()
        self.httpd.server_close()
        shutil.rmtree(self._scratch, ignore_errors=True)


class _Watcher(FileSystemEventHandler):
    def __init__(self, preview: PreviewServer) -> None:
        self.preview = preview

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        relative = self.preview.relative(Path(str(event.src_path)))
        if relative is None or any(part.startswith(".") for part in relative):
            return
        kind = input_location(relative)
        if kind is None:
            return  # not an input: the output, say, or another file at the root
        if kind.folder and len(relative) == 1:
            self.preview.watch_inputs()  # made after the preview started
        self.preview.schedule_rebuild()


class _Handler(SimpleHTTPRequestHandler):
    """Serves the built site; while the sources have a problem, serves the problem."""

    def __init__(self, *args: Any, preview: PreviewServer, **kwargs: Any) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.out), **kwargs)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == EVENTS_PATH:
            self._send_events()
            return
        if path in (DRAFTS_PATH, DRAFTS_PATH.rstrip("/")):
            self._send_page(HTTPStatus.OK, drafts_page(manifest_of(self.preview.out)))
            return
        if not (self.preview.out / "index.html").is_file():  # no good build yet
            self._send_page(HTTPStatus.INTERNAL_SERVER_ERROR, NO_SITE_PAGE)
            return
        page = self._html_file(path)
        if page is not None:
            self._send_page(HTTPStatus.OK, page.read_bytes())
            return
        super().do_GET()

    def _html_file(self, path: str) -> Path | None:
        """The built HTML file `path` names (a folder: its index.html), or None."""
        found = Path(self.translate_path(path))
        if found.is_dir() and path.endswith("/"):
            found = found / "index.html"
        return found if found.suffix == ".html" and found.is_file() else None

    def _send_events(self) -> None:
        """Server-sent events: `reload` each time a build ends, until the page goes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = self.preview.generation
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while not self.preview._stopping:
                now = self.preview.wait_for_change(seen, KEEPALIVE_SECONDS)
                if now is None:
                    self.wfile.write(b": still here\n\n")  # finds pages gone, keeps proxies open
                else:
                    seen = now
                    self.wfile.write(b"data: reload\n\n")
                self.wfile.flush()
        except OSError:  # the page was closed or reloaded
            return

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = self.preview.out / "404.html"
        if code == HTTPStatus.NOT_FOUND and not_found.is_file():
            self._send_page(HTTPStatus.NOT_FOUND, not_found.read_bytes())
            return
        super().send_error(code, message, explain)

    def _send_page(self, status: HTTPStatus, body: bytes) -> None:
        body = live(body, self.preview.problem)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for build results and problems."""


# Served before any build has made the site (the overlay says why).
NO_SITE_PAGE = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
    b'<meta name="viewport" content="width=device-width, initial-scale=1">'
    b"<title>Build problem</title></head>\n<body>\n<main>\n"
    b"<h1>The site has a problem</h1>\n"
    b"<p>Fix it and save: this page reloads into the site by itself.</p>\n"
    b"</main>\n</body>\n</html>\n"
)


# What serve adds to every page it serves, never to what build writes: the reload, and the
# problems of the last build while there are any, over the last good site.
RELOAD = (
    "<script>/* statuspage serve: reload when a build ends */"
    'new EventSource("/_events").onmessage=function(){location.reload()};</script>'
)
OVERLAY = (
    '<div role="alert" id="statuspage-problems" style="position:fixed;inset:auto 0 0 0;'
    "max-height:60vh;overflow:auto;margin:0;padding:1rem;background:#fff4f4;color:#5c0000;"
    'border-top:4px solid #b00020;font:1rem/1.5 system-ui,sans-serif;z-index:2147483647">'
    '<p style="margin:0 0 .5rem;font-weight:bold">The last edit has a problem: this is the '
    "site before it. Fix it and save.</p>"
    '<pre style="margin:0;white-space:pre-wrap;overflow-wrap:anywhere;'
    'font:.9rem/1.4 ui-monospace,monospace">{problems}</pre></div>'
)


def live(page: bytes, problem: str | None) -> bytes:
    """`page` with the reload script, and the overlay of `problem` if there is one."""
    added = RELOAD
    if problem is not None:
        added = OVERLAY.format(problems=html.escape(problem)) + added
    at = page.rfind(b"</body>")
    if at < 0:
        return page + added.encode()
    return page[:at] + added.encode() + page[at:]
