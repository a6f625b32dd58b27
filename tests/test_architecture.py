"""The functional core stays pure: no UI, no files, no clocks, no hidden randomness."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "game" / "engine"
SCENARIO = ROOT / "game" / "scenario"
FORBIDDEN_MODULES = {
    "textual",
    "rich",
    "os",
    "pathlib",
    "io",
    "time",
    "random",
    "datetime",
    "socket",
    "subprocess",
    "shutil",
    "tempfile",
    "json",
    "game.ui",
    "game.saves",
    "game.cli",
}
FORBIDDEN_CALLS = {"open", "eval", "exec", "compile", "input", "print", "__import__"}
UI_MODULES = {"textual", "rich", "game.ui", "game.cli"}


def imported_modules(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_engine_imports_neither_ui_nor_io() -> None:
    for path in sorted(ENGINE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for module in imported_modules(tree):
            root = module.split(".")[0]
            assert module not in FORBIDDEN_MODULES and root not in FORBIDDEN_MODULES - {"game"}, (
                f"{path.name} imports {module}"
            )
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in FORBIDDEN_CALLS, f"{path.name} calls {node.func.id}()"


def test_scenario_imports_no_ui() -> None:
    """The scenario format and its condition language (a package) are read by the engine and by
    the headless commands: like the engine, no module of theirs imports the UI."""
    for path in sorted(SCENARIO.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for module in imported_modules(tree):
            parents = {".".join(module.split(".")[:n]) for n in (1, 2)}
            assert not parents & UI_MODULES, f"{path.relative_to(ROOT)} imports {module}"


def test_only_the_ui_package_imports_textual() -> None:
    """Textual (and textual-serve, which runs it for browsers) belongs to ``game/ui/``: the
    engine, the scenario format and the headless commands around them never import it, not
    even inside a function (serve.py, which did, lives in the UI package)."""
    game = ROOT / "game"
    for path in sorted(game.rglob("*.py")):
        if path.is_relative_to(game / "ui"):
            continue
        for module in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            root = module.split(".")[0]
            assert root not in {"textual", "textual_serve", "rich"}, (
                f"{path.relative_to(ROOT)} imports {module}"
            )


def test_engine_has_no_global_state() -> None:
    """Module-level names are constants (UPPER_CASE) or type aliases; nothing says ``global``."""
    for path in sorted(ENGINE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not any(isinstance(node, ast.Global) for node in ast.walk(tree)), f"{path.name} uses global"
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                name = getattr(target, "id", "")
                assert name.isupper() or name[:1].isupper(), f"{path.name}: module-level variable {name}"


def test_headless_commands_never_load_textual() -> None:
    code = (
        "import sys, game.cli, game.engine.game, game.simulate, game.saves;"
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), 'textual loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_validate_loads_no_engine_numpy_or_ui() -> None:
    """`circular --help` and `circular validate --no-games` start quickly: nothing heavy that
    they do not need is imported (numpy and the engine load only to play bot games)."""
    code = """
import contextlib, gc, io, sys
import game.cli
game.cli.build_parser()
assert "pydantic" not in sys.modules, "--help should not import pydantic"
with contextlib.redirect_stdout(io.StringIO()):
    assert game.cli.main(["validate", "--no-games", "scenarios/history.toml"]) == 0
assert gc.isenabled(), "the garbage collector is left paused"
heavy = ("numpy", "textual", "rich", "game.engine", "game.ui.app", "asyncio", "ssl", "logging",
         "concurrent", "multiprocessing")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith(heavy))
assert not loaded, loaded
"""
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_an_installed_copy_carries_the_scenarios_and_guides_and_finds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pip install .`` (without -e) shipped no scenarios: "bundled scenarios: none"."""
    import tomli

    from game import folders

    repo = Path(__file__).resolve().parents[1]
    shipped = tomli.loads((repo / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    for name in ("scenarios", "docs"):
        files = {p for pattern in shipped[f"share/circular-game/{name}"] for p in repo.glob(pattern)}
        assert files == {p for p in (repo / name).iterdir() if p.suffix in (".toml", ".json", ".md")}
    assert folders.project_folder("scenarios") == repo / "scenarios"  # a checkout: beside the code

    installed = tmp_path / "prefix" / "share" / "circular-game" / "scenarios"
    installed.mkdir(parents=True)
    monkeypatch.setattr(folders, "CHECKOUT", tmp_path / "site-packages")  # no pyproject.toml there
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    assert folders.project_folder("scenarios") == installed
