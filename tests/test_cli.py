"""The ``circular`` command, run for real as ``python -m game ...`` in a subprocess.

Mistakes are reported as one clear line per problem (``file:line:col: message`` for
scenarios), never as a traceback; the commands that do not play never load Textual.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]

BUNDLED = ("history", "tutorial", "bubble")


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def one_line_error(result: subprocess.CompletedProcess[str], status: int, phrase: str) -> str:
    assert result.returncode == status, (result.returncode, result.stdout, result.stderr)
    no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert phrase in lines[0], lines[0]
    assert result.stdout == ""
    return lines[0]


@pytest.fixture(scope="module")
def bad_scenario(
    tmp_path_factory: pytest.TempPathFactory, mini_path: Path
) -> tuple[Path, list[tuple[int, int]]]:
    """The mini scenario with four mistakes, and where each one is."""
    source = mini_path.read_text(encoding="utf-8")
    edits = [
        ("multiple = 8\n", "multple = 8\n"),  # unknown key
        ('cash = "3 bn"', "cash = -3e9"),  # negative cash
        ('holder = "cloudco"\nfirm = "blacklab"', 'holder = "cloudc"\nfirm = "blacklab"'),  # unknown firm
        ('valuation("chipco") > 1bn', 'valuaton("chipco") > 1bn'),  # condition typo
    ]
    for old, new in edits:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    lines = source.splitlines()

    def where(text: str, column: int = 1) -> tuple[int, int]:
        return next(i for i, line in enumerate(lines, 1) if line.startswith(text)), column

    typo = where("condition = ")
    typo = (typo[0], lines[typo[0] - 1].index("valuaton") + 1)
    path = tmp_path_factory.mktemp("bad") / "bad.toml"
    path.write_text(source, encoding="utf-8")
    return path, [where("multple"), where("cash = -3e9"), where('holder = "cloudc"'), typo]


# --- help and imports -----------------------------------------------------------------------


def test_help_exits_zero_without_loading_textual(run_cli: Run) -> None:
    result = run_cli("--help", python_args=("-X", "importtime"))
    assert result.returncode == 0, result.stderr
    assert "usage: circular" in result.stdout
    for command in ("play", "scenarios", "validate", "schema", "simulate"):
        assert command in result.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line]
    assert "game.cli" in imported
    assert not [name for name in imported if name.split(".")[0] == "textual"]


def test_commands_that_do_not_play_never_import_textual(
    run_python: Run, mini_path: Path, tmp_path: Path
) -> None:
    code = f"""
import contextlib, io, sys
import game.cli
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    assert game.cli.main(["scenarios"]) == 0
    assert game.cli.main(["validate", {str(mini_path)!r}]) == 0
    assert game.cli.main(["validate", "--json", {str(mini_path)!r}]) == 0
    assert game.cli.main(["schema", "--output", {str(tmp_path / "schema.json")!r}]) == 0
    assert game.cli.main(["simulate", {str(mini_path)!r}, "--quarters", "2"]) == 0
    assert game.cli.main(["simulate", "nosuch"]) == 1
assert "textual" not in sys.modules, sorted(m for m in sys.modules if m.startswith("textual"))
print("clean")
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "clean"


# --- validate -------------------------------------------------------------------------------


def test_validate_a_good_file(run_cli: Run, mini_path: Path) -> None:
    result = run_cli("validate", str(mini_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(f"{mini_path}: ok")
    assert all(": warning: " in line for line in result.stderr.splitlines())  # warnings only


def test_validate_lists_every_problem_with_its_position(
    run_cli: Run, bad_scenario: tuple[Path, list[tuple[int, int]]]
) -> None:
    path, places = bad_scenario
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(places), result.stderr
    pattern = re.compile(rf"^{re.escape(str(path))}:(\d+):(\d+): (.+)$")
    found = []
    for line in lines:
        match = pattern.match(line)
        assert match, line
        found.append((int(match[1]), int(match[2])))
    assert found == places
    text = result.stderr
    assert "unknown key 'multple' (did you mean 'multiple'?)" in text
    assert "firms[3].cash" in text
    assert "unknown firm 'cloudc' (did you mean 'cloudco'?)" in text
    assert "unknown metric 'valuaton' (did you mean 'valuation'?)" in text


def test_validate_several_files(
    run_cli: Run, mini_path: Path, bad_scenario: tuple[Path, list[tuple[int, int]]], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[meta\nid = 1\n", encoding="utf-8")
    result = run_cli("validate", str(mini_path), str(bad_scenario[0]), str(broken))
    assert result.returncode == 1
    no_traceback(result)
    assert f"{mini_path}: ok" in result.stdout
    problems = [line for line in result.stderr.strip().splitlines() if ": warning: " not in line]
    assert len(problems) == len(bad_scenario[1]) + 1
    assert problems[-1].startswith(f"{broken}:1:") and "not valid TOML" in problems[-1]


def test_validate_json(
    run_cli: Run, mini_path: Path, bad_scenario: tuple[Path, list[tuple[int, int]]]
) -> None:
    path, places = bad_scenario
    result = run_cli("validate", "--json", str(mini_path), str(path))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["files"][str(mini_path)] == []
    problems = report["files"][str(path)]
    assert [(p["line"], p["column"]) for p in problems] == places
    assert all(isinstance(p["message"], str) and p["message"] for p in problems)

    good = run_cli("validate", "--json", str(mini_path))
    assert good.returncode == 0
    checked = json.loads(good.stdout)
    assert (checked["valid"], checked["files"]) == (True, {str(mini_path): []})


def test_validate_a_missing_file(run_cli: Run, tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    line = one_line_error(run_cli("validate", str(missing)), 1, "no such file")
    assert line.startswith(f"{missing}:1:1: ")


# --- schema ---------------------------------------------------------------------------------


def test_schema_prints_json_schema(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["title"] == "Circular scenario"
    assert {"meta", "firms", "goals"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"meta", "firms", "goals"}

    target = tmp_path / "schema.json"
    written = run_cli("schema", "--output", str(target))
    assert written.returncode == 0 and written.stdout == ""
    assert target.read_text(encoding="utf-8") == result.stdout


def test_schema_never_overwrites_a_file_unless_forced(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "circular-scenario.schema.json"
    target.write_text("my own schema", encoding="utf-8")
    line = one_line_error(run_cli("schema", "--output", str(target)), 1, "already exists")
    assert line == f"circular: {target} already exists; add --force to replace it, or choose another --output"
    assert target.read_text(encoding="utf-8") == "my own schema"
    forced = run_cli("schema", "--output", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "Circular scenario"
    nowhere = tmp_path / "missing" / "schema.json"
    one_line_error(run_cli("schema", "--output", str(nowhere)), 1, f"cannot write {nowhere}")


# --- simulate -------------------------------------------------------------------------------


def test_simulate_one_run_prints_a_table_per_quarter(run_cli: Run, mini_path: Path) -> None:
    result = run_cli("simulate", str(mini_path), "--seed", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = lines[0].split()
    assert header[0] == "quarter" and header[-3:] == ["failed", "cycling", "bubble"]
    assert set(header[1:-3]) == {"cloudco", "skyhost", "chipco", "redlab", "blacklab"}
    quarters = [line.split()[0] for line in lines[1:] if line.strip() and not line.startswith("seed")]
    assert quarters == [
        "start",
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
    ]
    rows = [line.split() for line in lines[1:10]]
    assert all(len(row) == len(header) for row in rows)
    assert all(cell.startswith("$") for row in rows for cell in row[1:6])
    assert lines[-1].startswith("seed 3; failed:")


def test_simulate_quarters_option(run_cli: Run, mini_path: Path) -> None:
    result = run_cli("simulate", str(mini_path), "--seed", "3", "--quarters", "3", "--json")
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    assert [row["quarter"] for row in run["quarters"]] == ["start", "2024-Q1", "2024-Q2", "2024-Q3"]


def test_simulate_json_for_one_run(run_cli: Run, mini_path: Path) -> None:
    result = run_cli("simulate", str(mini_path), "--seed", "3", "--json")
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    assert run["seed"] == 3 and len(run["fingerprint"]) == 64
    assert len(run["quarters"]) == 9 and isinstance(run["failed"], list)
    assert set(run["quarters"][-1]["valuation"]) == {"cloudco", "skyhost", "chipco", "redlab", "blacklab"}


def test_simulate_many_runs_prints_percentiles(run_cli: Run, mini_path: Path) -> None:
    result = run_cli("simulate", str(mini_path), "--runs", "20")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "20 runs" in text
    header = next(line for line in text.splitlines() if line.startswith("firm"))
    assert header.split() == ["firm", "p10", "median", "p90", "failed"]
    for name in ("CloudCo", "SkyHost", "ChipCo", "Red Lab", "Black Lab"):
        assert any(line.startswith(name) for line in text.splitlines()), name
    assert "runs with any failure" in text and "median peak cycling index" in text


def test_simulate_many_runs_json(run_cli: Run, mini_path: Path) -> None:
    result = run_cli("simulate", str(mini_path), "--runs", "20", "--seed", "1", "--json", "--processes", "2")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["runs"] == 20 and summary["scenario"] == "mini"
    for firm in summary["firms"].values():
        assert firm["p10"] <= firm["median"] <= firm["p90"]
        assert 0.0 <= firm["failure_rate"] <= 1.0
    assert 0.0 <= summary["collapse_rate"] <= 1.0
    alone = run_cli("simulate", str(mini_path), "--runs", "20", "--seed", "1", "--json", "--processes", "1")
    again = json.loads(alone.stdout)
    summary.pop("seconds")
    again.pop("seconds")
    assert summary == again


@pytest.mark.parametrize(
    ("args", "phrase"),
    [(("simulate", "nosuch"), "no such scenario"), (("simulate", "missing/nowhere.toml"), "no such file")],
    ids=["unknown-id", "missing-file"],
)
def test_simulate_unknown_scenario_is_one_line(run_cli: Run, args: tuple[str, ...], phrase: str) -> None:
    line = one_line_error(run_cli(*args), 1, phrase)
    assert line.startswith(f"{args[1]}:1:1: ")
    assert "bundled scenarios:" in line


@pytest.mark.parametrize(
    ("option", "value"),
    [("--runs", "0"), ("--runs", "-5"), ("--quarters", "0"), ("--quarters", "401"), ("--processes", "0")],
)
def test_simulate_bad_numbers_are_one_line(run_cli: Run, mini_path: Path, option: str, value: str) -> None:
    line = one_line_error(run_cli("simulate", str(mini_path), option, value), 2, option)
    assert line.startswith("circular: ")


def test_simulate_an_invalid_scenario(run_cli: Run, bad_scenario: tuple[Path, list[tuple[int, int]]]) -> None:
    path, places = bad_scenario
    result = run_cli("simulate", str(path))
    assert result.returncode == 1
    no_traceback(result)
    assert len(result.stderr.strip().splitlines()) == len(places)


# --- scenarios ------------------------------------------------------------------------------


def test_scenarios_lists_the_bundled_ones(run_cli: Run, repo: Path) -> None:
    result = run_cli("scenarios")
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    present = [s for s in BUNDLED if (repo / "scenarios" / f"{s}.toml").is_file()]
    if not present:
        pytest.skip("no bundled scenarios yet")
    lines = result.stdout.splitlines()
    for scenario_id in present:
        line = next((x for x in lines if x.split()[:1] == [scenario_id]), None)
        assert line is not None, result.stdout
        assert "quarters from" in line and "invalid" not in line
        # the next line names the firms `--as` takes (a newcomer tried `--as xai` on history)
        seats = lines[lines.index(line) + 1].split("play as:")
        assert len(seats) == 2, result.stdout
        if scenario_id == "history":
            history_seats = "microsoft, amazon, google, nvidia, openai, anthropic"
            assert seats[1].strip() == history_seats
    # one column each: "leverage_loop" (13 letters) pushed its row one place to the right
    rows = [line for line in lines if " quarters from" in line]
    assert len({line.index(" quarters from") for line in rows}) == 1, result.stdout


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_bundled_scenario_by_id(run_cli: Run, repo: Path, scenario_id: str) -> None:
    if not (repo / "scenarios" / f"{scenario_id}.toml").is_file():
        pytest.skip(f"bundled scenario {scenario_id!r} is not there yet")
    checked = run_cli("validate", scenario_id)
    assert checked.returncode == 0, checked.stderr
    result = run_cli("simulate", scenario_id, "--quarters", "2", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["quarters"]) == 3


# --- play --code ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tutorial_code(repo: Path) -> str:
    from game.classcode import code_for_game

    source = (repo / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
    return code_for_game("tutorial", 3, None, source)


@pytest.mark.parametrize(
    ("before", "after", "phrase"),
    [
        ([], ["--seed", "5"], "--code and --seed: the class code {code} sets the seed; leave --seed out"),
        ([], ["--difficulty", "hard"], "--code and --difficulty: the class code {code} sets the difficulty"),
        (
            ["history"],
            [],
            "--code {code} is for the scenario 'tutorial', not 'history'; leave the scenario out",
        ),
    ],
    ids=["seed", "difficulty", "scenario"],
)
def test_play_refuses_options_that_contradict_the_class_code(
    run_cli: Run, tutorial_code: str, before: list[str], after: list[str], phrase: str
) -> None:
    """A class code fixes the scenario, seed and difficulty: `--code C --seed 5` used to play
    the code's seed without a word."""
    result = run_cli("play", *before, "--code", tutorial_code, *after)
    one_line_error(result, 2, "circular: " + phrase.format(code=tutorial_code))


def test_play_and_serve_take_a_class_code_with_its_own_scenario(
    tutorial_code: str, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from game import cli
    from game.ui import app as app_module

    seen: dict[str, object] = {}
    monkeypatch.setattr(app_module, "run_app", lambda loaded, **options: seen.update(options) or 0)
    for scenario in ([], ["tutorial"], [str(repo / "scenarios" / "tutorial.toml")]):
        seen.clear()
        assert cli.main(["play", *scenario, "--code", tutorial_code]) == 0
        assert (seen["seed"], seen["difficulty"]) == (3, None)
    assert cli.main(["serve", "--code", tutorial_code, "--seed", "5", "--port", "8123"]) == 2
    assert "--code and --seed" in capsys.readouterr().err


def test_an_old_code_naming_a_preset_that_changes_nothing_still_plays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """history-1k7-historian-XXXX, as the title screen's default gave it, plays the same world as
    the history-1k7-XXXX it now shows."""
    from game import cli
    from game.classcode import code_for_game
    from game.scenario.loader import load_scenario
    from game.ui import app as app_module

    seen: dict[str, object] = {}
    monkeypatch.setattr(app_module, "run_app", lambda loaded, **options: seen.update(options) or 0)
    old = code_for_game("history", 2023, "historian", load_scenario("history").source)
    assert cli.main(["play", "--code", old]) == 0
    assert (seen["seed"], seen["difficulty"]) == (2023, "historian")


def test_a_class_code_takes_the_player_name(
    tutorial_code: str, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`circular play --code C` went straight to the game with no name: the save was
    tutorial-seed3.json and the class report listed "(no name)"."""
    from game import cli
    from game.ui import app as app_module

    seen: dict[str, object] = {}
    monkeypatch.setattr(app_module, "run_app", lambda loaded, **options: seen.update(options) or 0)
    assert cli.main(["play", "--code", tutorial_code, "--name", " Ada Lovelace "]) == 0
    assert (seen["player"], seen["seed"], seen["seats"]) == ("Ada Lovelace", 3, [])
    result = run_cli("play", "--code", tutorial_code, "--name", "Ada", "--players", "atlas:Bo")
    one_line_error(result, 2, "circular: --name and --players both name players")
    one_line_error(run_cli("play", "--name", "x" * 61), 2, "circular: --name: a player name has at most 60")


# --- play's options without the word play ---------------------------------------------------


def test_play_options_work_without_the_word_play(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`circular --load saves/x.json` used to say "invalid choice: 'saves/…'"."""
    from game import cli
    from game.ui import app as app_module

    commands = next(a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    play = commands.choices["play"]
    options = {s for action in play._actions for s in action.option_strings} - {"-h", "--help"}
    assert set(cli.PLAY_OPTIONS) == options  # every play option, and only those
    seen: dict[str, object] = {}
    monkeypatch.setattr(app_module, "run_app", lambda loaded, **options: seen.update(options) or 0)
    save = str(tmp_path / "x.json")
    (tmp_path / "x.json").write_text("{}")  # damaged, but there: the game says what is wrong with it
    assert cli.main(["--load", save]) == 0
    assert seen["load"] == save and seen["start_playing"] is True
    assert cli.main(["--seed=5"]) == 0 and seen["seed"] == 5
    result = run_cli("--load", save, "--players", "atlas")  # refused as play refuses it
    one_line_error(result, 2, "circular: --players: a save resumes with its own seed, seats and mode")
    given_options = (["--seed", "5"], ["--as", "anthropic"], ["--difficulty", "historian"], ["--name", "Ada"])
    for given in (*given_options, ["--facilitator"]):
        result = run_cli("play", "--load", save, *given)  # each would have been ignored without a word
        one_line_error(result, 2, f"circular: {given[0]}: a save resumes with its own seed, seats and mode")
    assert "invalid choice" in run_cli("nonsense").stderr  # a mistyped command is still named


def test_load_of_nothing_is_one_line(run_cli: Run, tmp_path: Path) -> None:
    """Nothing to resume used to open the game on its title screen, saying "cannot read"."""
    missing = tmp_path / "nosuch.json"
    one_line_error(run_cli("--load", str(missing)), 2, f"circular: --load {missing}: does not exist")
    one_line_error(run_cli("play", "--load", str(tmp_path)), 2, "is a folder, not a save")


@pytest.mark.parametrize(
    "args",
    [
        ["simulate", "tutorial", "--seed", "-5"],
        ["balance", "tutorial", "--seed", "-1"],
        ["play", "tutorial", "--seed", "-1", "--as", "atlas"],
        ["simulate", "tutorial", "--seed", str(2**63)],
        ["simulate", "tutorial", "--seed", str(2**63 - 2), "--runs", "3"],  # the last run's seed too
    ],
)
def test_seeds_outside_the_range_are_one_line(run_cli: Run, args: list[str]) -> None:
    """A negative seed used to end in numpy's "expected non-negative integer" traceback."""
    one_line_error(run_cli(*args), 2, "circular: --seed must be from 0 to ")


def test_serve_refuses_a_seed_as_play_does(run_cli: Run) -> None:
    """serve used to check a hand copy of play's options without the seed's range: it started,
    and every browser's game died on the seed."""
    refused = "circular: --seed must be from 0 to "
    play = one_line_error(run_cli("play", "tutorial", "--seed", "-5"), 2, refused)
    assert one_line_error(run_cli("serve", "tutorial", "--seed", "-5"), 2, play) == play
