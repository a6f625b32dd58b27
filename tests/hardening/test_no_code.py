"""Scenario files and saves are data: loading one cannot run code, read other files or reach
the network.

Two kinds of evidence. Statically: the modules a scenario or a save passes through never
call ``eval``, ``exec``, ``compile`` or ``__import__``, import nothing that runs code or talks
to the network (pickle, marshal, subprocess, socket, urllib, ctypes...), read TOML and JSON
from text only, and touch files only in the few functions that read or write the one file
the player named. Dynamically: in a subprocess with a Python audit hook, loading hostile
scenarios and saves (paths, URLs, template syntax and Python code in every text field and
in conditions) raises no audit event for opening any other file, running code, importing a
module, starting a process or opening a socket.
"""

from __future__ import annotations

import ast
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from game.scenario.loader import ScenarioError, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[2]

# What a scenario's text passes through (loader, validation, conditions, money, calendar) and
# what a save's passes through (saves, action records, events applied on replay).
DATA_PATH = [
    "game/scenario/loader.py",
    "game/scenario/model.py",
    "game/scenario/fields.py",
    "game/scenario/tables.py",
    "game/scenario/effects.py",
    "game/scenario/events.py",
    "game/scenario/cross_references.py",
    "game/scenario/positions.py",
    "game/scenario/conditions/__init__.py",
    "game/scenario/conditions/syntax.py",
    "game/scenario/conditions/compiler.py",
    "game/scenario/vocabulary.py",
    "game/money.py",
    "game/calendar.py",
    "game/saves.py",
    "game/engine/actions.py",
    "game/engine/events.py",
    "game/engine/observe.py",
]
BANNED_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint", "input", "open"}
BANNED_MODULES = {
    "pickle", "marshal", "shelve", "dill", "subprocess", "socket", "ssl", "urllib", "http",
    "ftplib", "requests", "httpx", "importlib", "ctypes", "code", "codeop", "runpy", "yaml",
    "multiprocessing", "webbrowser", "ast",
}  # fmt: skip
BANNED_ATTRIBUTES = {
    ("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execvp"), ("os", "spawnv"),
    ("os", "startfile"), ("os", "posix_spawn"), ("tomli", "load"), ("json", "load"),
}  # fmt: skip
# Every call that touches the file system, and the only functions allowed to make one.
FILE_CALLS = {
    "read_bytes", "read_text", "write_bytes", "write_text", "unlink", "mkdir", "glob", "rglob",
    "iterdir", "stat", "is_file", "exists", "touch", "mkstemp", "fdopen", "fsync",
}  # fmt: skip
OS_FILE_CALLS = {"replace", "rename", "remove", "open", "close", "fsync", "fdopen", "listdir", "scandir"}
FILE_FUNCTIONS = {
    ("game/scenario/loader.py", "load_scenario"),  # reads the file the player named
    ("game/scenario/loader.py", "resolve_scenario_path"),  # is it a bundled id or a file?
    ("game/scenario/loader.py", "bundled_ids"),  # lists scenarios/
    ("game/saves.py", "write_save"),
    ("game/saves.py", "make_folder"),  # the saves folder, for write_save
    ("game/saves.py", "_read_bounded"),  # for read_save and peek
    ("game/saves.py", "keep_aside"),  # renames a game's own files, for a new game of that name
    ("game/saves.py", "_sync_folder"),
    ("game/saves.py", "_remove_stale_temporaries"),
    ("game/saves.py", "read_save"),  # reads the save the player named
    ("game/saves.py", "list_saves"),
    ("game/saves.py", "peek"),  # reads a save the player is shown in a list, or that failed
    ("game/saves.py", "rules_version"),  # reads the game's own engine and loader, to digest them
}


def _calls(relative: str) -> list[tuple[str, ast.Call | ast.Import | ast.ImportFrom]]:
    """Every call and import in a module, with the name of the function around it."""
    tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
    found: list[tuple[str, ast.Call | ast.Import | ast.ImportFrom]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inside = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Call | ast.Import | ast.ImportFrom):
                found.append((inside, child))
            visit(child, inside)

    visit(tree, "<module>")
    return found


@pytest.mark.parametrize("relative", DATA_PATH)
def test_the_data_path_never_runs_code_or_opens_the_network(relative: str) -> None:
    for function, node in _calls(relative):
        where = f"{relative}:{node.lineno} in {function}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in BANNED_MODULES, f"{where} imports {name}"
            continue
        func = node.func
        if isinstance(func, ast.Name):
            assert func.id not in BANNED_CALLS, f"{where} calls {func.id}()"
            if func.id in {"getattr", "setattr"} and relative.startswith("game/scenario"):
                assert isinstance(node.args[1], ast.Constant), f"{where}: {func.id} with a computed name"
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            called = (func.value.id, func.attr)
            assert called not in BANNED_ATTRIBUTES, f"{where} calls {'.'.join(called)}"


@pytest.mark.parametrize("relative", DATA_PATH)
def test_files_are_touched_only_where_the_player_names_one(relative: str) -> None:
    for function, node in _calls(relative):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        func = node.func
        is_os = isinstance(func.value, ast.Name) and func.value.id in {"os", "tempfile", "shutil"}
        if func.attr in FILE_CALLS or (is_os and func.attr in OS_FILE_CALLS):
            where = f"{relative}:{node.lineno}: {function}"
            assert (relative, function) in FILE_FUNCTIONS, f"{where} calls {func.attr}"


def test_the_condition_language_is_parsed_by_hand() -> None:
    """Conditions are tokenised and parsed by ``game.scenario.conditions`` itself: code in them is a
    refused condition, reported where it is written, and never evaluated."""
    for text in (
        "__import__('os').system('touch /tmp/pwned')",
        "open('/etc/passwd')",
        "eval('1') > 0",
        "valuation('redlab').__class__",
        "(lambda: 1)() > 0",
        "[x for x in ()]",
        "exec('import os') == 0",
        'valuation("redlab"); import os',
    ):
        source = (ROOT / "tests" / "data" / "mini.toml").read_text(encoding="utf-8")
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        with pytest.raises(ScenarioError) as caught:
            parse_scenario(source.replace('collapse = "failed_share >= 0.5"', f'collapse = "{escaped}"'))
        assert all("goals.collapse" in p.message for p in caught.value.problems), caught.value


HOSTILE_TEXTS = [
    "file:///etc/passwd",
    "/etc/passwd",
    "../../../../etc/shadow",
    "http://127.0.0.1:9/steal?cookie=1",
    "https://example.invalid/scenario.toml",
    "\\\\server\\share\\evil.toml",
    "${HOME} $(touch /tmp/pwned) `id`",
    "{{ 7*7 }} {% import os %} #{7*7}",
    "__import__('os').system('touch /tmp/pwned')",
    "!!python/object/apply:os.system ['id']",
]


def test_paths_and_urls_in_a_scenario_are_just_text(mini_path: Path) -> None:
    source = mini_path.read_text(encoding="utf-8")
    summary = " | ".join(HOSTILE_TEXTS)
    text = source.replace('summary = "Two', f"summary = {json.dumps(summary)}\nauthor = 'x'\n#", 1)
    scenario = parse_scenario(text, "hostile.toml")
    assert scenario.meta.summary == summary


AUDIT = r"""
import json, sys
from pathlib import Path
from game.engine.actions import Bet, EndQuarter
from game.engine.game import Game
from game.saves import SaveError, read_save, write_save
from game.scenario.loader import BUNDLED_DIR, ScenarioError, load_scenario, parse_scenario

folder = Path(sys.argv[1])
hostile = json.loads(sys.argv[2])
mini = load_scenario("tests/data/mini.toml")

# Build the files first, and warm every code path once, so that only the loading is watched.
text = mini.source.replace('summary = "Two', "summary = " + json.dumps(" | ".join(hostile)) + "\n#", 1)
cases = {"hostile-text": text}
for k, value in enumerate(hostile):
    cases[f"id-{k}"] = mini.source.replace('id = "redlab"', "id = " + json.dumps(value), 1)
    cases[f"condition-{k}"] = mini.source.replace('"failed_share >= 0.5"', json.dumps(value), 1)
    cases[f"money-{k}"] = mini.source.replace('"60 bn"', json.dumps(value), 1)
scenario = parse_scenario(text)
game = Game(scenario, 7, ("cloudco",))
game.act(Bet("cloudco", "redlab", 1e9)); game.act(EndQuarter(""))
saves = []
for k, value in enumerate(hostile):
    path = write_save(game, text, value, folder / f"save{k}.json")  # the scenario path is hostile
    data = json.loads(path.read_text())
    data["player"] = value[:60]
    path.write_text(json.dumps(data))
    saves.append(path)
    bad = folder / f"bad{k}.json"
    data["actions"].insert(0, {"type": "bet", "actor": value, "lab": value, "cash": 1})
    bad.write_text(json.dumps(data))
    saves.append(bad)
for name, case in cases.items():
    try: parse_scenario(case, name)
    except ScenarioError: pass
for path in saves:
    try: read_save(path)
    except SaveError: pass

events = []
allowed = {str(path) for path in saves}
armed = True

def hook(event, args):
    if not armed:
        return
    if event == "open" and str(args[0]) in allowed:
        return  # the saves being loaded
    if event == "os.scandir" and str(args[0]) == str(BUNDLED_DIR):
        return  # "no such scenario; bundled scenarios: ..." lists the bundled ids
    if event in ("open", "exec", "compile", "import", "subprocess.Popen", "os.system", "os.exec",
                 "os.posix_spawn", "os.spawn", "os.startfile", "ctypes.dlopen", "pickle.find_class",
                 "marshal.loads", "urllib.Request", "webbrowser.open", "shutil.copyfile",
                 "os.remove", "os.rename", "os.listdir", "os.scandir") or event.startswith("socket."):
        events.append([event, repr(args)[:200]])

sys.addaudithook(hook)
outcomes = {}
for name, case in cases.items():
    try:
        parse_scenario(case, name)
        outcomes[name] = "accepted"
    except ScenarioError as err:
        outcomes[name] = "refused"
for path in saves:
    try:
        read_save(path)
        outcomes[path.name] = "loaded"
    except SaveError as err:
        outcomes[path.name] = "refused"
for reference in ("http://127.0.0.1:9/evil.toml", "file:///etc/passwd", "../../evil"):
    try:
        load_scenario(reference)
        outcomes[reference] = "accepted"
    except ScenarioError as err:
        outcomes[reference] = str(err.problems[0])
seen = len(events)
(folder / "control.txt").write_text("the hook sees this")  # a positive control
control = events[seen:]
del events[seen:]
armed = False
print(json.dumps({"events": events, "outcomes": outcomes, "control": control}))
"""


def test_loading_hostile_scenarios_and_saves_opens_nothing_else(
    tmp_path: Path, run_python: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    code = AUDIT.replace("sys.argv[1]", repr(str(tmp_path)))
    result = run_python(code.replace("json.loads(sys.argv[2])", repr(HOSTILE_TEXTS)))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["control"], "the audit hook saw nothing: the test would prove nothing"
    assert report["events"] == [], report["events"]
    outcomes = report["outcomes"]
    assert outcomes["hostile-text"] == "accepted"  # paths and URLs in a summary are text
    assert all(outcomes[f"save{k}.json"] == "loaded" for k in range(len(HOSTILE_TEXTS)))  # path = text
    assert all(outcomes[f"bad{k}.json"] == "refused" for k in range(len(HOSTILE_TEXTS)))
    assert all(outcomes[f"condition-{k}"] == "refused" for k in range(len(HOSTILE_TEXTS)))
    for reference in ("http://127.0.0.1:9/evil.toml", "file:///etc/passwd", "../../evil"):
        assert "no such file" in outcomes[reference] or "no such scenario" in outcomes[reference]


def test_a_url_is_never_fetched_as_a_scenario() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario("http://127.0.0.1:9/evil.toml")
    assert "no such file" in caught.value.problems[0].message
