"""End to end in a real browser: ``python -m game serve tutorial`` on a free local port,
opened in headless Chromium (Debian's, driven by Playwright), where we start a game, end a
quarter, close the summary and read the screen from xterm.js.

Everything stays on 127.0.0.1: the page may fetch nothing else (checked), and Chromium's
resolver knows no other host. Skipped where Chromium is not installed, except in CI (which
installs it in .ci/run), where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
SEED = 424242  # an unusual seed, so that the test's autosave clobbers no real one
TOTAL_SECONDS = 60.0
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # No name resolves except the loopback address: no traffic can leave this computer.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]

# textual-serve keeps its xterm.js Terminal in a local variable; catch it as it is stored on
# its ``this.terminal`` so the test can read the screen from ``terminal.buffer``.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.buffer.active) { window.__circularTerminal = value; }
  },
});
"""
# The rows on screen: from xterm.js's buffer, or from the DOM renderer's rows if it draws them.
READ_SCREEN = """() => {
  const term = window.__circularTerminal;
  if (term) {
    const buffer = term.buffer.active, rows = [];
    for (let i = 0; i < term.rows; i++) {
      const line = buffer.getLine(buffer.viewportY + i);
      rows.push(line ? line.translateToString(true) : '');
    }
    return rows.join('\\n');
  }
  const dom = document.querySelector('.xterm-rows');
  return dom ? Array.from(dom.children, row => row.textContent).join('\\n') : '';
}"""


def chromium_path() -> str | None:
    candidates = [
        os.environ.get("CIRCULAR_CHROMIUM", ""),
        "/usr/lib/chromium/chromium",  # Debian's binary (/usr/bin/chromium is a shell wrapper)
        "/usr/bin/chromium",
        shutil.which("chromium") or "",
        shutil.which("chromium-browser") or "",
    ]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def check(self, what: str, screen: str = "") -> None:
        if self.left() <= 0:
            raise AssertionError(f"gave up after {TOTAL_SECONDS:.0f} s waiting for {what}; screen:\n{screen}")


@pytest.fixture
def deadline() -> Deadline:
    return Deadline(TOTAL_SECONDS)


@pytest.fixture
def browser_binary() -> str:
    if os.environ.get("CIRCULAR_SKIP_BROWSER"):
        pytest.skip("CIRCULAR_SKIP_BROWSER is set")
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install -y chromium); the browser test needs it"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run should have installed it")
        pytest.skip(message)
    return path


@pytest.fixture
def server(tmp_path: Path, deadline: Deadline) -> Iterator[str]:
    """``python -m game serve tutorial`` on a free port; its URL. Killed (its whole process
    group: the server and the games it started) at the end, and its autosaves removed."""
    saves = REPO / "saves"
    before = set(saves.glob(f"*seed{SEED}*")) if saves.is_dir() else set()
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "game", "serve", "tutorial", "--seed", str(SEED), "--port", str(port)],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        expected = f"Serving Circular at {url} (only this computer can connect"
        while expected not in log.read_text(encoding="utf-8", errors="replace"):
            if process.poll() is not None:
                raise AssertionError(f"serve exited with {process.returncode}:\n{log.read_text()}")
            deadline.check("the server to say it is serving", log.read_text())
            time.sleep(0.1)
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        yield url
    finally:
        _stop(process)
        if saves.is_dir():
            for path in set(saves.glob(f"*seed{SEED}*")) - before:
                path.unlink(missing_ok=True)


def _stop(process: subprocess.Popen[Any]) -> None:
    """SIGTERM to the server's process group (it ends its games), then SIGKILL to whatever
    is left of that group: nothing the test started outlives it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_play_a_quarter_in_headless_chromium(
    browser_binary: str, server: str, tmp_path: Path, deadline: Deadline
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra installs playwright")
    outside: list[str] = []

    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh --user-data-dir
            executable_path=browser_binary,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 900},
            timeout=30_000,
        )
        try:
            context.set_default_timeout(15_000)

            def only_loopback(route: Any) -> None:
                host = urlsplit(route.request.url).hostname
                if host == "127.0.0.1":
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            context.route("**/*", only_loopback)
            page = context.pages[0] if context.pages else context.new_page()
            page.add_init_script(CATCH_TERMINAL)
            page.goto(server, wait_until="load")

            def screen() -> str:
                return str(page.evaluate(READ_SCREEN) or "")

            def wait_for(what: str, found: Callable[[str], bool]) -> str:
                while True:
                    text = screen()
                    if found(text):
                        return text
                    deadline.check(what, text)
                    time.sleep(0.15)

            def act(key: str, done: Callable[[str], bool], seconds: float = 5.0) -> None:
                """Press ``key``, then wait a while for its effect."""
                press(key)
                end = time.monotonic() + min(seconds, max(deadline.left(), 0.0))
                while not done(screen()) and time.monotonic() < end:
                    time.sleep(0.1)

            def press(key: str) -> None:
                page.locator(".xterm-helper-textarea").focus()
                page.keyboard.press(key)

            text = wait_for("the game", lambda s: "Circular" in s and ("2025-Q1" in s or "Start" in s))
            if not re.search(r"\b2025-Q1 · ", text):
                press("s")  # the title screen: start the game
            first = wait_for("the dashboard in 2025-Q1", lambda s: bool(re.search(r"\b2025-Q1 · ", s)))
            assert "You run Atlas Cloud" in first

            # End the quarter. The tutorial asks its first question as the game starts: it gets
            # its default answer (enter); a question still open when e is pressed is confirmed.
            # Each key waits for its effect before anything else is pressed, and is pressed
            # again only if nothing came of it for a while (a key sent too early).
            dialogs = ("A decision for you", "End the quarter?", "2025-Q1 is over")
            saw_summary = False
            while True:
                text = screen()
                if saw_summary and re.search(r"\b2025-Q2 · ", text) and "is over" not in text:
                    break
                deadline.check("the quarter to end", text)
                if "2025-Q1 is over" in text:
                    saw_summary = True
                    act("Enter", lambda s: "is over" not in s)  # close the summary
                elif "End the quarter?" in text:
                    act("y", lambda s: "End the quarter?" not in s)
                elif "A decision for you" in text:
                    act("Enter", lambda s: "A decision for you" not in s)  # the default answer
                elif re.search(r"\b2025-Q1 · ", text):
                    act("e", lambda s: any(d in s for d in dialogs), seconds=10)
                else:
                    time.sleep(0.15)

            final = screen()
            assert "2025-Q2" in final and "2025-Q1 · " not in final, final
            assert "You run Atlas Cloud" in final
        finally:
            context.close()
    assert not outside, f"the page tried to reach beyond 127.0.0.1: {outside}"
