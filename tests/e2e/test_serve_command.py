"""``circular serve`` without a browser: its options and defaults, what it prints on
localhost and elsewhere, the command it runs for each browser, its checks, and the page it
serves (through aiohttp's test client on 127.0.0.1; no game is started)."""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from game.options import UsageError
from game.ui import serve

REPO = Path(__file__).resolve().parents[2]
LOCAL = (
    "Serving Circular at http://127.0.0.1:{port} "
    "(only this computer can connect; use --host 0.0.0.0 to share on your network)"
)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="circular")
    serve.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["serve", *argv])


def announced(*argv: str) -> str:
    out = io.StringIO()
    assert serve.run(parse(*argv), out=out, serve=False) == 0
    return out.getvalue()


def test_defaults_are_localhost_port_8000() -> None:
    args = parse()
    assert (args.host, args.port, args.public_url) == ("127.0.0.1", 8000, None)
    assert (args.scenario, args.seed, args.firm, args.code) == (None, None, None, None)


def test_the_circular_command_has_serve_with_the_same_defaults() -> None:
    from game.cli import build_parser

    try:
        args = build_parser().parse_args(["serve", "tutorial", "--as", "atlas"])
    except SystemExit:  # pragma: no cover - the message says what is missing
        pytest.fail("game/cli.py does not offer `serve` yet: call serve.add_parser(commands)")
    assert (args.command, args.host, args.port, args.scenario, args.firm) == (
        "serve",
        "127.0.0.1",
        8000,
        "tutorial",
        "atlas",
    )


def test_localhost_says_who_can_connect() -> None:
    text = announced("tutorial", "--port", "8123")
    assert LOCAL.format(port=8123) in text.splitlines()
    assert "WARNING" not in text


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20"])
def test_any_other_address_warns(host: str) -> None:
    text = announced("--host", host)
    lines = text.splitlines()
    assert lines[0].startswith(f"WARNING: listening on {host}, not on 127.0.0.1")
    assert "no password" in lines[0]
    assert any(line.startswith("Serving Circular at http://") for line in lines)
    assert "only this computer" not in text


def test_a_public_url_is_what_students_are_told() -> None:
    text = announced("--host", "0.0.0.0", "--public-url", "http://10.0.0.5:8000")
    assert "Serving Circular at http://10.0.0.5:8000 (listening on http://0.0.0.0:8000)" in text


def test_loopback_addresses() -> None:
    assert all(serve.is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3"))
    assert not any(serve.is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "example.org"))


def test_each_browser_runs_the_game_with_this_interpreter() -> None:
    command = shlex.split(serve.game_command(parse("tutorial", "--seed", "5", "--as", "atlas")))
    assert command == [sys.executable, "-m", "game", "play", "tutorial", "--seed", "5", "--as", "atlas"]
    assert shlex.split(serve.game_command(parse())) == [sys.executable, "-m", "game"]
    code = shlex.split(serve.game_command(parse("--code", "tutorial-1-abcd")))
    assert code[3:] == ["play", "--code", "tutorial-1-abcd"]
    named = shlex.split(serve.game_command(parse("--code", "tutorial-1-abcd", "--name", "Ada L")))
    assert named[3:] == ["play", "--code", "tutorial-1-abcd", "--name", "Ada L"]


def test_the_games_know_they_are_served(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each browser's game then gives its files a tag of its own (Session.tag): with a class
    code, every browser wrote the same SCENARIO-seedN.json over the last one's."""
    monkeypatch.setenv(serve.SERVED, "")  # restored (unset) after the test: other tests' games are not served
    monkeypatch.setenv("PYTHONPATH", "")
    serve.games_environment()
    assert os.environ[serve.SERVED] == "1"
    # The folder that holds `game` (it was the `game` folder itself while serve lived in game/ui).
    assert os.environ["PYTHONPATH"].split(os.pathsep)[0] == str(REPO)


def test_a_scenario_file_is_passed_by_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mine.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    command = shlex.split(serve.game_command(parse("mine.toml")))
    assert command[3:] == ["play", str(tmp_path / "mine.toml")]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("tutorial", "--as", "nobody"), "--as nobody: this scenario lets you play"),
        (("tutorial", "--difficulty", "impossible"), "--difficulty impossible"),
        (("--code", "not a code"), "is not a class code"),
        (("--port", "0"), "--port must be from 1 to 65535"),
        (("--port", "70000"), "--port must be from 1 to 65535"),
        (("--public-url", "10.0.0.5"), "--public-url must start with http"),
    ],
)
def test_mistakes_are_refused_before_serving(argv: tuple[str, ...], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        serve.run(parse(*argv), out=io.StringIO(), serve=False)
    assert message in str(caught.value)


def test_a_missing_scenario_is_refused_before_serving() -> None:
    from game.scenario.loader import ScenarioError

    with pytest.raises(ScenarioError):
        serve.run(parse("no_such_scenario"), out=io.StringIO(), serve=False)


def test_importing_serve_loads_neither_textual_nor_the_web_server() -> None:
    code = (
        "import sys, game.ui.serve;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_serve', 'aiohttp')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=60)


def test_a_busy_port_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = (
            "import argparse, sys; from game.ui import serve;"
            "p = argparse.ArgumentParser(); serve.add_parser(p.add_subparsers(dest='command'));"
            f"sys.exit(serve.run(p.parse_args(['serve', 'tutorial', '--port', '{port}'])))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"circular: cannot listen on http://127.0.0.1:{port}: ")
    assert "Traceback" not in done.stderr
    assert "Serving Circular" not in done.stdout


def test_the_page_calls_nobody_and_points_back_where_it_was_opened() -> None:
    from aiohttp.test_utils import TestClient, TestServer

    server = serve.make_server("true", "127.0.0.1", 8000, None, lambda: None)

    async def fetch(headers: dict[str, str]) -> str:
        async with TestClient(TestServer(await server._make_app(), host="127.0.0.1")) as client:
            response = await client.get("/", headers=headers)
            assert response.status == 200
            return await response.text()

    page = asyncio.run(fetch({"Host": "192.168.1.20:8000"}))
    assert 'data-session-websocket-url="ws://192.168.1.20:8000/ws"' in page
    assert "http://192.168.1.20:8000/static/js/textual.js" in page
    assert "googleapis" not in page
    others = [url for url in _urls(page) if not url.startswith("http://192.168.1.20:8000/")]
    assert not others, others

    hostile = asyncio.run(fetch({"Host": 'x"><script>alert(1)</script>'}))
    assert "<script>alert(1)</script>" not in hostile


def _urls(page: str) -> list[str]:
    import re

    return re.findall(r"(?:href|src)=\"(https?://[^\"]+)\"", page)
