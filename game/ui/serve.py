"""``circular serve``: the same game in a web browser, for classrooms without terminals.

textual-serve runs a small web server; every browser that opens the page gets its own game,
a ``python -m game play ...`` process run by the same interpreter as the server, shown in the
page with xterm.js. The server listens on 127.0.0.1 unless ``--host`` says otherwise, and
says so when it starts. Nothing here imports Textual or textual-serve until ``run`` serves,
so the command line stays quick and headless commands never load the UI.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from game.options import UsageError, add_seat_options, game_options

# Set for the games' processes: each gives its files a tag of its own (Session.tag).
SERVED = "CIRCULAR_SERVED"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TITLE = "Circular"
# textual-serve's page asks a web-font service for its font; a classroom page calls nobody
# but this server (the terminal falls back to the browser's monospace font).
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref=\"https?://[^>]*>", re.DOTALL)


def add_parser(commands: Any) -> None:
    """Add the ``serve`` command to the ``circular`` subparsers object ``commands``."""
    serve = commands.add_parser(
        "serve",
        help="serve the game to web browsers (each browser gets its own game)",
        description=(
            "Serve Circular to web browsers with textual-serve. Every browser that opens the page "
            "plays its own game. Only this computer can connect unless --host says otherwise."
        ),
    )
    serve.add_argument(
        "scenario", nargs="?", default=None, help="bundled id or path (default: the title screen)"
    )
    serve.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    serve.add_argument("--as", dest="firm", metavar="FIRM", help="the firm every player runs")
    serve.add_argument("--difficulty", help="a difficulty the scenario offers")
    serve.add_argument("--code", metavar="CODE", help="a class code: the same world in every browser")
    add_seat_options(serve)
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this computer only; 0.0.0.0: your network)",
    )
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use to reach the server, if not the one they typed (e.g. behind a proxy)",
    )


def is_loopback(host: str) -> bool:
    """True when only this computer can reach ``host``."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_for(host: str, port: int) -> str:
    host = host.strip("[]")
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def announcement(host: str, port: int, public_url: str | None = None) -> tuple[str, str | None]:
    """The line printed when the server listens, and a warning (None on loopback)."""
    if is_loopback(host):
        line = (
            f"Serving Circular at {url_for(host, port)} "
            "(only this computer can connect; use --host 0.0.0.0 to share on your network)"
        )
        return line, None
    wildcard = host.strip("[]") in ("0.0.0.0", "::", "")
    where = public_url or (f"http://<this computer's address>:{port}" if wildcard else url_for(host, port))
    line = f"Serving Circular at {where} (listening on {url_for(host, port)})"
    warning = (
        f"WARNING: listening on {host}, not on 127.0.0.1: anyone who can reach this computer "
        f"on port {port} can open the page and start games on it, with no password. "
        "Do this only on a network you trust, and stop the server (Ctrl+C) after class."
    )
    return line, warning


def game_command(args: argparse.Namespace) -> str:
    """The shell command that textual-serve runs for each browser: the same interpreter
    playing the same game with the options given to ``serve``."""
    argv = [sys.executable, "-m", "game"]
    scenario = getattr(args, "scenario", None)
    options = [
        ("--seed", getattr(args, "seed", None)),
        ("--as", getattr(args, "firm", None)),
        ("--difficulty", getattr(args, "difficulty", None)),
        ("--code", getattr(args, "code", None)),
        ("--name", getattr(args, "name", None)),
        ("--players", getattr(args, "players", None)),
    ]
    facilitator = bool(getattr(args, "facilitator", False))
    if scenario is not None or facilitator or any(value is not None for _, value in options):
        argv.append("play")
        if scenario is not None:
            path = Path(scenario)
            # A scenario file is passed by absolute path, so that it is found whatever the
            # directory of the game's process.
            is_file = path.is_file() and (path.suffix == ".toml" or len(path.parts) > 1)
            argv.append(str(path.resolve()) if is_file else scenario)
        for flag, value in options:
            if value is not None:
                argv += [flag, str(value)]
        if facilitator:
            argv.append("--facilitator")
    return shlex.join(argv)


def check_address(args: argparse.Namespace) -> None:
    if not 1 <= args.port <= 65535:
        raise UsageError("--port must be from 1 to 65535")
    if not args.host.strip():
        raise UsageError("--host must not be empty (use 0.0.0.0 for every address)")
    public_url = getattr(args, "public_url", None)
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise UsageError("--public-url must start with http:// or https://")


def games_environment() -> None:
    """What the games' processes inherit: ``SERVED``, and a ``PYTHONPATH`` that lets them
    import ``game`` from where this process found it (a source checkout run as
    ``python -m game`` from another folder, say)."""
    import site

    os.environ[SERVED] = "1"
    root = str(Path(__file__).resolve().parents[2])  # the folder that holds game/
    installed = {str(Path(p).resolve()) for p in [*site.getsitepackages(), site.getusersitepackages()]}
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in installed and root not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *paths])


def make_server(
    command: str, host: str, port: int, public_url: str | None, on_listening: Callable[[], None]
) -> Any:
    """A textual-serve server for ``command`` that announces itself once it listens."""
    import asyncio

    import aiohttp_jinja2
    import jinja2
    from aiohttp import web
    from textual_serve.server import Server

    class CircularServer(Server):
        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title=TITLE, public_url=public_url)
            self.fixed_public_url = public_url
            self.sessions: set[asyncio.Task[Any]] = set()

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            template = (Path(self.templates_path) / "app_index.html").read_text(encoding="utf-8")
            aiohttp_jinja2.setup(
                app,
                loader=jinja2.DictLoader({"app_index.html": _REMOTE_LINK.sub("", template)}),
                autoescape=True,
            )
            return app

        async def on_startup(self, app: web.Application) -> None:
            """textual-serve prints its own banner here; ours comes once the port is open."""

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """One browser's game; remembered so that stopping the server ends it."""
            task = asyncio.current_task()
            if task is not None:
                self.sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                if task is not None:
                    self.sessions.discard(task)

        async def on_shutdown(self, app: web.Application) -> None:
            """Ctrl+C: end every browser's game (each quits and closes its page) at once,
            instead of waiting for the browsers to go away."""
            for task in list(self.sessions):
                task.cancel()
            if self.sessions:
                await asyncio.wait(list(self.sessions), timeout=10)

        async def handle_index(self, request: web.Request) -> Any:
            # Without --public-url, the page points back at the address the browser used, so
            # that --host 0.0.0.0 works for every student's browser.
            if self.fixed_public_url is None:
                self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        def serve(self, debug: bool = False) -> None:
            import signal

            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.add_signal_handler(signal.SIGINT, self.request_exit)
                loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            except NotImplementedError:  # pragma: no cover - Windows
                pass
            try:
                web.run_app(
                    self._make_app(),
                    host=self.host,
                    port=self.port,
                    handle_signals=False,
                    loop=loop,
                    print=lambda *_: on_listening(),
                    access_log=None,
                    shutdown_timeout=5.0,
                )
            finally:
                asyncio.set_event_loop(None)

    return CircularServer()


def run(args: argparse.Namespace, *, out: TextIO | None = None, serve: bool = True) -> int:
    """``circular serve``: check the options, then serve until Ctrl+C. With ``serve=False``
    (for tests) everything is checked and announced but nothing listens."""
    out = out or sys.stdout
    check_address(args)
    game_options(args)  # what play would refuse in every browser, refused here once
    command = game_command(args)
    host = args.host.strip()
    line, warning = announcement(host, args.port, args.public_url)

    def on_listening() -> None:
        if warning:
            print(warning, file=out)
        print(line, file=out)
        print("Each browser that opens the page plays its own game. Press Ctrl+C to stop.", file=out)
        out.flush()

    if not serve:
        on_listening()
        return 0
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        raise UsageError("serve needs textual-serve: pip install textual-serve") from None
    games_environment()
    server = make_server(command, host, args.port, args.public_url, on_listening)
    try:
        server.serve()
    except OSError as err:
        reason = err.strerror or err
        print(f"circular: cannot listen on {url_for(host, args.port)}: {reason}", file=sys.stderr)
        return 1
    return 0
