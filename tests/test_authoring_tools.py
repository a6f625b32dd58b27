"""Tools for scenario authors: ``circular new``, the warnings of ``circular validate`` and
``circular balance``, run for real where the command line matters."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.authoring import (
    BATCH_FIRM_QUARTERS,
    QUICK_GAMES,
    SCHEMA_NAME,
    batch_size,
    batch_warnings,
    file_warnings,
    play_batch,
    scenario_warnings,
    schema_reference,
    starter_scenario,
    valid_id,
    warning_line,
)
from game.balance import (
    PRESETS,
    BalanceRun,
    _verdict,
    plan,
    playable,
    print_balance,
    run_balance,
    summarise_balance,
    with_personality,
)
from game.cli import main
from game.scenario.loader import LoadedScenario, parse_scenario
from game.scenario.model import PERSONALITIES, Scenario
from game.scenario.schema import schema_text
from game.scenario.synthetic import synthetic_scenario
from game.simulate import with_quarters

Run = Callable[..., subprocess.CompletedProcess[str]]

# --- circular new ---------------------------------------------------------------------------


def test_starter_validates_without_warnings() -> None:
    text = starter_scenario("my_world")
    scenario = parse_scenario(text, "my_world.toml")
    assert scenario.meta.id == "my_world" and scenario.meta.title == "My world"
    kinds = sorted(f.kind for f in scenario.firms)
    assert kinds == ["chipmaker", "hyperscaler", "hyperscaler", "lab", "lab"]
    assert {f.colour for f in scenario.firms if f.kind == "lab"} == {"red", "black"}
    [event] = scenario.events
    assert event.when and len(event.choices) == 2 and event.chooser in scenario.meta.playable
    assert scenario.teaching.debrief and scenario.teaching.notes
    assert text.startswith(f"#:schema ./{SCHEMA_NAME}\n")
    sections = ["[meta]", "[market]", "[[firms]]", "[[stakes]]", "[[commitments]]", "[[options]]",
                "[[events]]", "[goals]", "[teaching]"]  # fmt: skip
    lines = text.splitlines()
    for section in sections:  # every section is introduced by a comment for the author
        at = lines.index(section)
        assert lines[at - 1].startswith("#"), section
    assert scenario_warnings(scenario, text, "my_world.toml") == []


def test_starter_refuses_a_bad_id() -> None:
    for bad in ("My-World", "1st", "two words", "a" * 41, ""):
        assert not valid_id(bad)
        with pytest.raises(ValueError, match="not a scenario id"):
            starter_scenario(bad)
    assert valid_id("a") and valid_id("class_2025")


def test_schema_reference_is_relative_to_the_scenario(tmp_path: Path) -> None:
    schema = tmp_path / "schemas" / SCHEMA_NAME
    assert schema_reference(tmp_path / "a" / "b.toml", schema) == f"../schemas/{SCHEMA_NAME}"
    assert schema_reference(tmp_path / "b.toml", tmp_path / SCHEMA_NAME) == f"./{SCHEMA_NAME}"


def test_new_writes_a_valid_scenario_and_refuses_to_overwrite(
    run_cli: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "worlds" / "class_one.toml"
    target.parent.mkdir()
    result = run_cli("new", "class_one", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert f"wrote {target}" in result.stdout
    schema = target.parent / SCHEMA_NAME
    assert schema.read_text(encoding="utf-8") == schema_text()
    checked = run_cli("validate", str(target))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == f"{target}: ok" and checked.stderr == ""

    before = target.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["new", "other", "--output", str(target)]) == 1
    again = capsys.readouterr()
    assert again.out == ""
    assert (
        again.err.strip() == f"circular: {target} already exists; choose another --output or remove it first"
    )
    assert target.read_text(encoding="utf-8") == before

    schema.write_text("{}", encoding="utf-8")  # an existing schema is left alone
    assert main(["new", "class_two", "--output", str(target.parent / "two.toml")]) == 0
    assert schema.read_text(encoding="utf-8") == "{}"
    assert (target.parent / "two.toml").read_text(encoding="utf-8").startswith(f"#:schema ./{SCHEMA_NAME}")


@pytest.mark.parametrize("bad", ["Class", "two-words"])
def test_new_refuses_a_bad_id_in_one_line(run_cli: Run, tmp_path: Path, bad: str) -> None:
    result = run_cli("new", bad, "--output", str(tmp_path / "x.toml"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"circular: '{bad}' is not a scenario id: use a-z, 0-9 and _, starting with a letter"
    ]
    assert not (tmp_path / "x.toml").exists()


# --- circular validate: warnings ------------------------------------------------------------

HERMIT = """
[[firms]]
id = "hermit"
name = "Hermit Holdings"
kind = "investor"
cash = "10 bn"
revenue = "1 bn"
costs = "0.5 bn"
personality = { appetite = 0.0 }

[[stakes]]"""

NEVER = """
[[events]]
id = "never"
headline = "Chips become worth more than the world"
condition = 'valuation("chipco") > 100000bn'
effects = [{ do = "market", field = "demand", multiply = 1.2 }]

[[events]]
id = "coin"
headline = "Black Lab asks the market"
when = "2024-Q2"
chooser = "blacklab"
[[events.choices]]
label = "Heads"
[[events.choices]]
label = "Tails"

[[events]]
id = "shock_only"
headline = "A facilitator's shock"
shock = true

[goals]"""


@pytest.fixture(scope="module")
def crafted(
    tmp_path_factory: pytest.TempPathFactory, mini_loaded: LoadedScenario
) -> tuple[Path, dict[str, int]]:
    """Mini with an isolated firm, an event that never fires, a question nobody answers on
    purpose and a lab goal no game reaches; and the line of each."""
    source = mini_loaded.source
    edits = [
        ("\n[[stakes]]", HERMIT),
        ("\n[goals]", NEVER),
        (
            'win = "valuation(me) >= 2 * start_valuation(me)"',
            'win = "valuation(me) >= 50 * start_valuation(me)"',
        ),
    ]
    for old, new in edits:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    lines = source.splitlines()

    def line_of(text: str, after: int = 0) -> int:
        return next(n for n, line in enumerate(lines, 1) if n > after and line.startswith(text))

    path = tmp_path_factory.mktemp("crafted") / "crafted.toml"
    path.write_text(source, encoding="utf-8")
    hermit = line_of('id = "hermit"') - 1
    never = line_of('id = "never"')
    return path, {
        "hermit": hermit,
        "never": line_of("condition = ", never),
        "coin": line_of('chooser = "blacklab"'),
        "lab_goal": line_of("win = ", line_of("[goals.lab]")),
    }


def test_warnings_on_a_crafted_scenario(crafted: tuple[Path, dict[str, int]]) -> None:
    path, lines = crafted
    text = path.read_text(encoding="utf-8")
    warnings = scenario_warnings(parse_scenario(text, str(path)), text, str(path))
    found = {(w.line, w.column): w.message for w in warnings}
    assert (
        "firm 'hermit'" in found[(lines["hermit"], 1)]
        and "no firm traded with it" in found[(lines["hermit"], 1)]
    )
    assert "event 'never': its condition was never true in 20 bot games" in found[(lines["never"], 1)]
    assert "no default_choice" in found[(lines["coin"], 1)] and "at random" in found[(lines["coin"], 1)]
    assert "no playable lab (redlab) reached this goal in 20 bot games" in found[(lines["lab_goal"], 1)]
    assert any(w.message.startswith("no teaching objectives") for w in warnings)
    assert not any("shock_only" in w.message for w in warnings)  # a shock waits for a facilitator
    assert not any("hyperscaler" in w.message for w in warnings)  # CloudCo reaches its goal
    assert len(warnings) == 5, [warning_line(w) for w in warnings]


def test_warnings_without_games_read_the_file_only(crafted: tuple[Path, dict[str, int]]) -> None:
    path, _ = crafted
    text = path.read_text(encoding="utf-8")
    warnings = scenario_warnings(parse_scenario(text, str(path)), text, str(path), games=0)
    messages = " ".join(w.message for w in warnings)
    assert "firm 'hermit'" in messages and "no default_choice" in messages
    assert "never true" not in messages and "reached this goal" not in messages


def test_file_warnings_about_unused_text(mini_loaded: LoadedScenario) -> None:
    source = mini_loaded.source.replace(
        'summary = "Two clouds, a chipmaker and two labs, for tests."', 'summary = ""'
    )
    source = source.replace('when = "2024-Q3"', 'when = "2024-Q3"\ncooldown = 2\nprobability = 0.0')
    source = source.replace('deadline = "2024-Q4"', 'deadline = "2023-Q4"')
    source = source.replace('playable = ["cloudco", "redlab"]', 'playable = ["cloudco"]')
    messages = [m for _, m in file_warnings(parse_scenario(source))]
    for phrase in ("summary is empty", "probability 0", "cooldown does nothing while once = true",
                   "expires before the game starts", "no playable firm has the lab role"):  # fmt: skip
        assert any(phrase in m for m in messages), (phrase, messages)


def test_file_warnings_about_firm_goals_nobody_plays_to(mini_loaded: LoadedScenario) -> None:
    source = (
        mini_loaded.source
        + """
[goals.firms.cloudco]
description = "Treble your valuation."
win = "valuation(me) >= 3 * start_valuation(me)"

[goals.firms.chipco]
description = ""
win = "not failed(me)"
"""
    )
    warnings = dict(file_warnings(parse_scenario(source)))
    assert warnings[("goals", "hyperscaler")] == (
        "every playable hyperscaler has a goal of its own: this goal is never used"
    )
    assert warnings[("goals", "firms", "chipco")] == "'chipco' is not playable: its goal is never used"
    assert ("goals", "firms", "cloudco") not in warnings and ("goals", "lab") not in warnings


def test_validate_command_prints_warnings_and_exits_zero(
    run_cli: Run, crafted: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, lines = crafted
    result = run_cli("validate", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{path}: ok (5 warnings)"
    pattern = re.compile(rf"^{re.escape(str(path))}:(\d+):(\d+): warning: .+$")
    places = [pattern.match(line) for line in result.stderr.strip().splitlines()]
    assert all(places) and len(places) == 5
    assert {lines["hermit"], lines["never"], lines["coin"], lines["lab_goal"]} <= {
        int(m[1]) for m in places if m
    }

    assert main(["validate", "--json", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is True and report["files"] == {str(path): []}
    warnings = report["warnings"][str(path)]
    assert len(warnings) == 5 and all({"line", "column", "message"} == set(w) for w in warnings)

    assert main(["validate", "--json", "--no-games", str(path)]) == 0
    assert len(json.loads(capsys.readouterr().out)["warnings"][str(path)]) == 3


def toml_text(data: dict[str, Any], prefix: str = "") -> str:
    """Just enough TOML for a scenario as plain data: tables, arrays of tables, values."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + "}"
        return json.dumps(v)  # numbers and strings are written alike in JSON and TOML

    def is_table(v: Any) -> bool:
        return isinstance(v, dict) or (isinstance(v, list) and bool(v) and isinstance(v[0], dict))

    lines = [f"{k} = {value(v)}" for k, v in data.items() if not is_table(v)]
    for key, v in data.items():
        if isinstance(v, dict):
            lines += ["", f"[{prefix}{key}]", toml_text(v, f"{prefix}{key}.")]
        elif is_table(v):
            for item in v:
                lines += ["", f"[[{prefix}{key}]]", toml_text(item, f"{prefix}{key}.")]
    return "\n".join(lines)


def test_validate_plays_a_smaller_batch_for_a_large_world_and_says_so(run_cli: Run, tmp_path: Path) -> None:
    """A 906-firm, 400-quarter file kept `validate` busy for over ten minutes with 20 full bot
    games; the batch now fits a budget of firm-quarters and the output says how it was cut."""
    scenario = synthetic_scenario(50, quarters=400)
    path = tmp_path / "large.toml"
    path.write_text(toml_text(scenario.model_dump(mode="json", exclude_defaults=True)), encoding="utf-8")
    assert parse_scenario(path.read_text(encoding="utf-8")).meta.quarters == 400  # the file is valid
    games, quarters = batch_size(scenario)
    assert (games, quarters) == (1, BATCH_FIRM_QUARTERS // 50)
    result = run_cli("validate", str(path))
    assert result.returncode == 0, result.stderr
    note = (
        f"warnings from 1 bot game of {quarters} quarters, not 20 of 400: a smaller batch for a large world"
    )
    assert result.stdout.startswith(f"{path}: ok (") and result.stdout.rstrip().endswith(f"; {note})")
    assert all(": warning: " in line for line in result.stderr.splitlines())
    assert "reached this goal" not in result.stderr  # goals are judged at an end never reached
    as_json = json.loads(run_cli("validate", "--json", str(path)).stdout)
    assert as_json["smaller_batches"] == {
        str(path): {"games": 1, "quarters": quarters, "full_games": 20, "full_quarters": 400}
    }


def test_the_batch_fits_its_budget(bundled: Callable[[str], LoadedScenario], mini: Scenario) -> None:
    for scenario_id in ("history", "tutorial", "bubble"):
        scenario = bundled(scenario_id).scenario
        assert batch_size(scenario) == (QUICK_GAMES, scenario.meta.quarters)  # unchanged: 20 full games
    long = with_quarters(mini, 400)  # 5 firms: two full games of 400 quarters fit
    assert batch_size(long) == (BATCH_FIRM_QUARTERS // (5 * 400), 400)
    assert batch_size(mini, games=0) == (0, 0)


def test_shortened_games_judge_only_what_they_reached(mini_loaded: LoadedScenario) -> None:
    """An event dated after the last quarter played, and the goals (judged at the end), are not
    warned about from games cut short; an undated condition still is, saying how short."""
    late = 'id = "late"\nheadline = "Too late"\nwhen = "2025-Q3"\ncondition = \'valuation("chipco") > 1e15\''
    never = 'id = "never"\nheadline = "Never"\ncondition = \'valuation("chipco") > 1e15\''
    extra = "".join(f"\n[[events]]\n{event}\n" for event in (late, never))
    source = mini_loaded.source.replace("\n[goals]", extra + "\n[goals]", 1)
    scenario = parse_scenario(source)
    full = [m for _, m in batch_warnings(scenario, play_batch(scenario, 2))]
    assert any("'late'" in m and "in 2 bot games" in m for m in full)
    short = [m for _, m in batch_warnings(scenario, play_batch(scenario, 1, quarters=2))]
    assert not any("'late'" in m or "reached this goal" in m for m in short), short
    assert any("'never'" in m and "in 1 bot game of 2 quarters" in m for m in short), short


RECAP = """
[[events]]
id = "recap"
headline = "SkyHost offers to take over Black Lab"
when = "2024-Q2"
chooser = "blacklab"
default_choice = 0
[[events.choices]]
label = "Accept"
effects = [{ do = "set_stake", holder = "skyhost", firm = "blacklab", share = 0.9 }]
[[events.choices]]
label = "Refuse"

[goals]"""


def test_an_effect_that_falls_through_in_the_bot_games_is_warned_about(mini_loaded: LoadedScenario) -> None:
    """CloudCo already holds 20% of Black Lab, so the 90% stake that the computer's default
    answer sets can never be done: in play the news only says "A planned move fell through"."""
    source = mini_loaded.source.replace("\n[goals]", RECAP, 1)
    scenario = parse_scenario(source, "recap.toml")
    warnings = scenario_warnings(scenario, source, "recap.toml", games=3)
    header = source.splitlines().index('id = "recap"')  # the [[events]] line above it
    assert [warning_line(w) for w in warnings if "'recap'" in w.message] == [
        f"recap.toml:{header}:1: warning: event 'recap': an effect fell through in 3 of 3 bot games "
        "(stakes in Black Lab would leave outside shareholders 1% or less), so it did nothing there"
    ]
    answered = source.replace("default_choice = 0", "default_choice = 1")  # refusing does nothing
    warnings = scenario_warnings(parse_scenario(answered), answered, "recap.toml", games=3)
    assert not any("fell through" in w.message for w in warnings)


@pytest.mark.parametrize("scenario_id", ["history", "tutorial", "bubble"])
def test_bundled_scenarios_have_few_warnings(
    bundled: Callable[[str], LoadedScenario], scenario_id: str
) -> None:
    loaded = bundled(scenario_id)
    warnings = scenario_warnings(loaded.scenario, loaded.source, loaded.path)
    # goals that bots, who play no strategy, never reach are expected: doing nothing should not
    # win, and scripted players reach them (see the goals' comments in the files)
    events = [w for w in warnings if "reached" not in w.message]
    assert len(events) <= 6, [warning_line(w) for w in events]
    if scenario_id == "history":  # each goal is judged by the firms that play to it
        goals = {w.message.split(" in 20")[0] for w in warnings if "reached" in w.message}
        assert goals <= {
            "no playable hyperscaler (amazon, google) reached this goal",
            "'microsoft' never reached its own goal",
            "'nvidia' never reached its own goal",
            "'anthropic' never reached its own goal",
            "no playable lab (openai) reached this goal",
        }
    assert not any("teaching" in w.message or "firm '" in w.message for w in warnings)


# --- circular balance -----------------------------------------------------------------------


def test_personality_variants_change_one_firm_only(mini_loaded: LoadedScenario) -> None:
    scenario = mini_loaded.scenario
    changed = with_personality(scenario, "redlab", "cautious")
    for before, after in zip(scenario.firms, changed.firms, strict=True):
        expected = PERSONALITIES["cautious"] if before.id == "redlab" else before.personality
        assert after.personality == expected
        assert after.model_copy(update={"personality": before.personality}) == before
    assert changed.events == scenario.events and changed.goals == scenario.goals
    tasks = plan(scenario, 16, 7)
    assert tasks[:9] == [(k, 7) for k in range(8)] + [(0, 8)] and len(set(tasks)) == 16


def test_balance_results_do_not_depend_on_processes(mini_loaded: LoadedScenario) -> None:
    alone = run_balance(mini_loaded.source, 64, 3, processes=1)
    split = run_balance(mini_loaded.source, 64, 3, processes=2)
    assert alone == split
    summary = summarise_balance(mini_loaded.scenario, alone, 3)
    assert summary["runs"] == 64 and summary["seeds_per_strategy"] == 8
    for strategy in summary["strategies"].values():
        assert set(strategy["presets"]) == set(PRESETS)
        assert all(p["games"] == 8 and 0 <= p["goal_rate"] <= 1 for p in strategy["presets"].values())


def test_balance_command_prints_tables_and_json(
    run_cli: Run, mini_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli("balance", str(mini_path), "--runs", "16")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("Mini world: 16 bot games")
    header = next(line for line in text.splitlines() if line.startswith("firm"))
    assert header.split() == ["firm", "personality", "games", "goal", "median", "score", "failed"]
    for firm in ("CloudCo", "Red Lab"):
        assert any(line.startswith(firm) for line in text.splitlines())
    assert text.count("-> ") == 2  # a verdict per playable firm
    assert "Goals reached" in text and "System collapse:" in text
    assert re.search(r"^  boom\s+100%\s+on 2024-Q3$", text, re.M)
    assert re.search(r"^  chip_question\s+\d+(\.\d)?%\s+when quarter", text, re.M)

    assert main(["balance", str(mini_path), "--runs", "16", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["runs"] == 16 and set(summary["strategies"]) == {"cloudco", "redlab"}
    assert set(summary["goals"]) == {"hyperscaler", "lab"}
    assert 0 <= summary["collapse_rate"] <= 1
    assert summary["events"]["boom"]["rate"] == 1.0
    assert sum(p["games"] for s in summary["strategies"].values() for p in s["presets"].values()) == 16

    assert main(["balance", str(mini_path), "--runs", "0"]) == 2
    assert capsys.readouterr().err.strip() == "circular: --runs must be from 1 to 1000000"


def test_new_commands_are_listed_and_never_import_textual(
    run_cli: Run, run_python: Run, mini_path: Path, tmp_path: Path
) -> None:
    result = run_cli("--help")
    for command in ("new", "balance", "report"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M), command
    code = f"""
import contextlib, io, sys
import game.cli
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    assert game.cli.main(["new", "quiet", "--output", {str(tmp_path / "quiet.toml")!r}]) == 0
    assert game.cli.main(["validate", {str(mini_path)!r}]) == 0
    assert game.cli.main(["balance", {str(mini_path)!r}, "--runs", "8"]) == 0
    assert game.cli.main(["report", {str(tmp_path)!r}, "--out", {str(tmp_path / "r")!r}]) == 1
assert "textual" not in sys.modules, sorted(m for m in sys.modules if m.startswith("textual"))
print("clean")
"""
    ran = run_python(code)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "clean"


def test_balance_counts_a_firm_with_a_goal_of_its_own_apart_from_its_role(bundled) -> None:
    scenario = bundled("history").scenario
    firms = playable(scenario)
    runs = [
        BalanceRun(
            k,
            1,
            {f: f == "microsoft" for f in firms},
            dict.fromkeys(firms, 1.0),
            dict.fromkeys(firms, False),
            False,
            False,
            (),
        )
        for k in range(len(firms) * len(PRESETS))
    ]
    goals = summarise_balance(scenario, runs, 1)["goals"]
    assert "microsoft" in goals["own"]["firms"] and goals["own"]["firms"]["microsoft"] == 1.0
    assert "microsoft" not in goals["hyperscaler"]["firms"]  # its role's rate is not lifted by it
    assert goals["hyperscaler"]["rate"] == 0.0


def test_balance_says_presets_tie_rather_than_that_none_dominates() -> None:
    same = {"games": 8, "goal_rate": 1.0, "median_score": 1.64}
    presets = {
        "aggressive": {"games": 8, "goal_rate": 0.5, "median_score": 1.2},
        "balanced": same,
        "cautious": same,
        "loyal": same,
    }
    verdict = _verdict(presets)
    assert verdict["dominant"] is None and verdict["tied"] == ["balanced", "cautious", "loyal"]
    summary = {
        "title": "T",
        "runs": 32,
        "seeds_per_strategy": 8,
        "first_seed": 1,
        "goals": {},
        "events": {},
        "collapse_rate": 0.0,
        "any_failure_rate": 0.0,
        "strategies": {
            "x": {
                "name": "X",
                "presets": {p: {**v, "failure_rate": 0.0, "as_written": False} for p, v in presets.items()},
                "same": False,
                **verdict,
            }
        },
    }
    assert "-> balanced, cautious and loyal tie for the best goal rate and median score" in print_balance(
        summary
    )


def test_a_copy_that_keeps_a_bundled_scenario_s_id_is_warned(bundled, tmp_path: Path) -> None:
    text = bundled("tutorial").source
    copy = tmp_path / "mine.toml"
    copy.write_text(text, encoding="utf-8")
    warnings = scenario_warnings(parse_scenario(text, str(copy)), text, str(copy), games=0)
    assert [(w.line, w.message.split(":")[0]) for w in warnings] == [
        (text[: text.index('id = "tutorial"')].count("\n") + 1, "'tutorial' is also a bundled scenario's id")
    ]
    own = bundled("tutorial")
    assert scenario_warnings(own.scenario, own.source, own.path, games=0) == []  # the bundled file itself


def test_validate_of_a_bundled_scenario_by_its_id_does_not_warn_about_its_id(
    run_cli: Run, tmp_path: Path
) -> None:
    result = run_cli("validate", "tutorial", "--no-games")
    assert result.returncode == 0 and "warning" not in result.stdout + result.stderr


def test_a_scripted_commitment_shorter_than_a_players_is_warned_at_its_quarters(
    bundled, tmp_path: Path
) -> None:
    """The tutorial's lesson 3 committed 8 bn over 1 quarter: Quartz rose 94% for that
    quarter, as its valuation counted the quarter's revenue as a year's, then fell back."""
    short = '{ do = "commit", buyer = "cirrus", seller = "quartz", total = "8 bn", quarters = 1 }'
    text = bundled("tutorial").source.replace(short.replace("= 1", "= 4"), short)
    assert short in text
    copy = tmp_path / "short.toml"
    warnings = scenario_warnings(parse_scenario(text, str(copy)), text, str(copy), games=0)
    [warning] = [w for w in warnings if "commitment" in w.message]
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if short in row)
    assert (warning.line, warning.column) == (line, text.splitlines()[line - 1].index("quarters = 1") + 1)
    assert "'lesson_money_map': a commitment over 1 quarter, shorter than the 4" in warning.message
    assert "price jumps while it is paid and drops when it ends" in warning.message
