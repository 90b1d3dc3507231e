"""Open a local HTML file in headless Chromium with the network cut off, through the DevTools
protocol: console errors, uncaught exceptions, every request made, and a JavaScript probe.

    with shared_chromium() as browser:   # or Chromium(): a browser of its own
        page = browser.open(Path("report.html"), probe="document.title")
    page.errors, page.requests, page.value

Requests other than ``file:``/``data:``/``blob:`` fail: the proxy is a closed loopback port,
host names do not resolve, and background services (updates, sync, QUIC) are off.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import websocket

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Tests that open a page skip without Chromium on a developer's machine; on CI (which
# installs it) they run, and fail if it is missing.
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium not installed (apt-get install chromium; .ci/run installs it)")
OFFLINE_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-dev-shm-usage", "--mute-audio", "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@dataclass
class Page:
    """What happened while a page loaded and settled."""

    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    value: Any = None  # the probe's result

    @property
    def remote_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(LOCAL_SCHEMES)]


class Chromium:
    """A headless Chromium process and one DevTools connection to it."""

    def __init__(self, executable: str | None = None, timeout: float = 60) -> None:
        self.executable = executable or CHROMIUM
        self.timeout = timeout
        self._ids = iter(range(1, 1_000_000))

    def __enter__(self) -> Chromium:
        if self.executable is None:
            raise RuntimeError("chromium not found (apt-get install chromium)")
        self._profile = tempfile.TemporaryDirectory(prefix="m2if-chromium-",
                                                    ignore_cleanup_errors=True)
        self.proc = subprocess.Popen(
            [self.executable, *OFFLINE_FLAGS, f"--user-data-dir={self._profile.name}",
             "--remote-debugging-port=0", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ws = websocket.create_connection(self._devtools_url(), timeout=self.timeout,
                                              suppress_origin=True)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._send("Browser.close")
        except Exception:  # already gone: terminate below
            pass
        finally:
            self.ws.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._profile.cleanup()

    def _devtools_url(self) -> str:
        """Chromium writes its port and browser path to DevToolsActivePort once listening."""
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with code {self.proc.returncode}")
            lines = port_file.read_text().split() if port_file.is_file() else []
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            time.sleep(0.05)
        raise RuntimeError("chromium did not open its DevTools port")

    def _send(self, method: str, params: dict | None = None, session: str | None = None,
              page: Page | None = None) -> dict:
        """Send one command and return its result; events read meanwhile go to ``page``."""
        msg_id = next(self._ids)
        message: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if page is not None:
                _record(reply, page)

    def _wait_for(self, event: str, page: Page) -> None:
        while True:
            message = json.loads(self.ws.recv())
            _record(message, page)
            if message.get("method") == event:
                return

    def open(self, path: Path, probe: str = "null", settle_ms: int = 100) -> Page:
        """Load ``path``, wait for the load event and ``settle_ms``, then evaluate ``probe``
        (a JavaScript expression, possibly a Promise) and return what happened. The probes
        that check figures wait until plotly has drawn them all, and what the page does
        meanwhile (console, requests) is recorded until the page closes: the settle time
        only needs to let the load event's own work end."""
        page = Page()
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True},
                             page=page)["sessionId"]
        for domain in ("Page", "Log", "Network"):
            self._send(f"{domain}.enable", session=session, page=page)
        self._send("Page.addScriptToEvaluateOnNewDocument", {"source": ERROR_RECORDER},
                   session, page)
        self._send("Page.navigate", {"url": path.resolve().as_uri()}, session, page)
        self._wait_for("Page.loadEventFired", page)
        self._send("Runtime.evaluate", {
            "expression": f"new Promise(r => setTimeout(r, {settle_ms}))",
            "awaitPromise": True}, session, page)
        result = self._send("Runtime.evaluate", {
            "expression": probe, "awaitPromise": True, "returnByValue": True}, session, page)
        if "exceptionDetails" in result:
            raise RuntimeError(f"probe failed: {result['exceptionDetails']}")
        page.value = result["result"].get("value")
        recorded = self._send("Runtime.evaluate", {
            "expression": "window.__m2ifErrors || ['the error recorder did not run']",
            "returnByValue": True}, session, page)
        page.errors.extend(recorded["result"].get("value") or [])
        self._send("Target.closeTarget", {"targetId": target}, page=page)
        return page


_SHARED: dict[str, Chromium] = {}


@contextmanager
def shared_chromium() -> Iterator[Chromium]:
    """This test process's one Chromium, started on first use and kept for the next test
    module (a start costs about two seconds; every page is opened in a tab of its own and
    closed); started again if it died. :func:`close_shared` ends it with the run."""
    browser = _SHARED.get("browser")
    if browser is None or browser.proc.poll() is not None:
        browser = _SHARED["browser"] = Chromium().__enter__()
    yield browser


def close_shared() -> None:
    """Close the Chromium of :func:`shared_chromium`, if one was started."""
    browser = _SHARED.pop("browser", None)
    if browser is not None:
        browser.__exit__(None, None, None)


def in_turn(*probes: str) -> str:
    """One probe running ``probes`` one after the other on the same page load (a load of a
    report costs seconds): its value is the list of their values."""
    return "(async () => [" + ", ".join(f"await {probe}" for probe in probes) + "])()"


# The page's own errors, recorded by the page from before its first script: uncaught
# exceptions, failed loads of its elements, unhandled promise rejections, console.error and
# failed console.assert. (Chromium's Runtime domain would report the same, but enabling it
# makes every page run its scripts about 0.5 s slower: plotly.js 1.3-1.6 s -> 0.6-1.0 s.)
# Chromium's own messages (blocked or failed requests...) come through the Log domain.
ERROR_RECORDER = """(() => {
  const errors = [];
  Object.defineProperty(window, '__m2ifErrors', {value: errors});
  const text = v => v instanceof Error ? (v.stack || String(v)) : String(v);
  addEventListener('error', e => {
    if (e instanceof ErrorEvent) errors.push(e.error ? text(e.error) : e.message);
    else errors.push(`failed to load ${e.target.tagName} ${e.target.src || e.target.href}`);
  }, true);
  addEventListener('unhandledrejection',
                   e => errors.push('unhandled rejection: ' + text(e.reason)));
  const error = console.error, assert = console.assert;
  console.error = (...args) => { errors.push(args.map(text).join(' ')); error(...args); };
  console.assert = (ok, ...args) => {
    if (!ok) errors.push('assertion failed: ' + args.map(text).join(' '));
    assert(ok, ...args);
  };
})()"""


def _record(message: dict, page: Page) -> None:
    method, params = message.get("method"), message.get("params", {})
    if method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
        entry = params["entry"]
        page.errors.append(f"{entry.get('text')} {entry.get('url', '')}".strip())
    elif method == "Network.requestWillBeSent":
        page.requests.append(params.get("request", {}).get("url", ""))


# What the report tests read from a rendered page: figures drawn, headline values, title.
PROBE = """(async () => {
  const figures = () => [...document.querySelectorAll('div.plotly-graph-div')];
  const drawn = () => figures().filter(d => d.querySelector('svg.main-svg')).length;
  for (let waited = 0; drawn() < figures().length && waited < 15000; waited += 100)
    await new Promise(r => setTimeout(r, 100));
  return {
    figures: figures().length,
    drawn: drawn(),
    headline: [...document.querySelectorAll('span.m2if-headline[data-key][data-value]')]
      .map(s => [s.dataset.key, s.dataset.value]),
    title: document.title,
  };
})()"""
