"""Fixtures for the terminal UI: an app on the mini scenario that saves into tmp_path."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.scenario.loader import LoadedScenario
from game.ui.app import CircularApp

AppFactory = Callable[..., CircularApp]


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    return tmp_path / "saves"


@pytest.fixture
def make_app(mini_loaded: LoadedScenario, saves: Path) -> AppFactory:
    """``make_app(firm="cloudco", start_playing=True)``: the app on mini, saving into tmp_path,
    without the bundled scenarios on its title screen (so screens do not change as they do)
    and without the debrief's 1,000 bot games (a test that wants them sets ``app.forecasts.runs``)."""

    def make(loaded: LoadedScenario | None = None, **options: Any) -> CircularApp:
        options.setdefault("saves_dir", saves)
        options.setdefault("catalogue", list)
        app = CircularApp(loaded or mini_loaded, **options)
        app.forecasts.runs = 0
        return app

    return make


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no asyncio plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    arguments = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True
