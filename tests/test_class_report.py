"""The class report: real saves of the mini scenario, read back, ranked and exported.

Three students play the same world with different moves (one stops early); a fourth file is
corrupt and is skipped with one warning line; Alice's autosave, behind her save, is left out. The
exports carry the scenario, seed and class code in every file and no personal data beyond
the names typed at the start.
"""

from __future__ import annotations

import csv
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from game.classcode import code_for_game
from game.classroom import build_report, find_saves
from game.classroom_export import leaderboard_text, markdown_summary, write_report
from game.engine.actions import (
    FACILITATOR,
    Action,
    Adjudicate,
    Bet,
    BuyChips,
    Choose,
    EndQuarter,
    ProposeDeal,
    SetTraining,
)
from game.engine.game import Game
from game.money import format_share
from game.saves import read_save, write_save
from game.scenario.loader import LoadedScenario, load_scenario, parse_scenario
from game.ui.analysis import goal_parts

Run = Callable[..., subprocess.CompletedProcess[str]]

TEACHING = """
[teaching]
objectives = ["See your own money come back as revenue."]
debrief = ["Which of your revenue was your own money coming back?", "Who failed first, and why?"]
"""


def play(scenario_source: str, seat: str, moves: dict[int, list[Action]], quarters: int) -> Game:
    """Play ``quarters`` quarters as ``seat``, making ``moves[q]`` in quarter q and answering
    every question with its first choice."""
    game = Game(parse_scenario(scenario_source), 7, (seat,))
    for quarter in range(quarters):
        for move in moves.get(quarter, []):
            assert game.act(move).ok, move
        for pending in list(game.world.pending):
            assert game.act(Choose(game.world.ids[pending.chooser], pending.event, 0)).ok
        assert game.act(EndQuarter("")).ok
    return game


def actions_in(folder: Path) -> int:
    names = ("alice-smith.json", "bob-jones.json", "carol-white.json")
    return sum(len(json.loads((folder / n).read_text(encoding="utf-8"))["actions"]) for n in names)


@pytest.fixture(scope="module")
def class_code(mini_loaded: LoadedScenario) -> str:
    """The code the game shows for the class's world (the same for every save)."""
    return code_for_game("mini", 7, None, mini_loaded.source + TEACHING)


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory: pytest.TempPathFactory, mini_loaded: LoadedScenario) -> Path:
    """A folder of saves as an instructor collects them: three students, a corrupt file, the
    autosave Alice's game made in its first quarter. The file names hold surnames, which must
    not reach the exports."""
    source = mini_loaded.source + TEACHING
    folder = tmp_path_factory.mktemp("class")
    students = [
        ("Alice", "alice-smith.json", "cloudco",
         {0: [Bet("cloudco", "redlab", 2e9)], 1: [BuyChips("cloudco", "chipco", 4e9, 4)]}, 8),
        ("Bob", "bob-jones.json", "redlab",
         {0: [SetTraining("redlab", 0.7)], 1: [ProposeDeal("redlab", "cloudco", 1e9, 0.05)]}, 8),
        ("=Carol", "carol-white.json", "cloudco", {0: [Bet("cloudco", "blacklab", 1e9)]}, 3),
    ]  # fmt: skip
    for name, file, seat, moves, quarters in students:
        game = play(source, seat, moves, quarters)
        write_save(game, source, "mini-class.toml", folder / file, player=name)
    (folder / "dave-brown.json").write_text(
        '{"format": "circular-save", "version": 1, "sav', encoding="utf-8"
    )
    early = play(source, "cloudco", {0: [Bet("cloudco", "redlab", 2e9)]}, 1)
    write_save(early, source, "mini-class.toml", folder / "alice-smith.autosave.json", player="Alice")
    return folder


def test_find_saves_finds_autosaves_and_names_each_file_once(class_folder: Path) -> None:
    found, warnings = find_saves([class_folder])
    assert sorted(p.name for p in found) == [
        "alice-smith.autosave.json",
        "alice-smith.json",
        "bob-jones.json",
        "carol-white.json",
        "dave-brown.json",
    ]
    assert warnings == []
    found, _ = find_saves([class_folder, class_folder / "alice-smith.json"])
    assert len(found) == 5  # no file counted twice
    found, warnings = find_saves([class_folder / "nowhere"])
    assert found == [] and "no such file or folder" in warnings[0]


def test_a_game_named_by_its_save_and_its_autosave_counts_once(class_folder: Path) -> None:
    """`circular report saves/*.json` names both files of a game that was saved by hand: the one
    further along is used, with a note."""
    report = build_report(find_saves(sorted(class_folder.glob("*.json")))[0])
    players = sorted(s.player for s in report.groups[0].seats)
    assert report.saves == 3 and players == ["=Carol", "Alice", "Bob"]
    assert report.notes == [
        f"one game, two files: used {class_folder / 'alice-smith.json'} (finished), "
        "not alice-smith.autosave.json (stopped at 2024-Q2)"
    ]


def test_report_ranks_the_class_and_skips_the_corrupt_save(class_folder: Path, class_code: str) -> None:
    report = build_report(find_saves([class_folder])[0])
    assert report.saves == 3
    assert len(report.warnings) == 1 and "dave-brown.json" in report.warnings[0]
    assert "corrupt" in report.warnings[0]
    [group] = report.groups
    assert (group.scenario_id, group.seed, group.class_code) == ("mini", 7, class_code)
    seats = group.seats  # ranked firm by firm: CloudCo's two players, then Red Lab's one
    assert [(s.firm, s.rank) for s in seats] == [("cloudco", 1), ("cloudco", 2), ("redlab", 1)]
    assert seats[0].score >= seats[1].score
    by_player = {s.player: s for s in seats}
    assert set(by_player) == {"Alice", "Bob", "=Carol"}
    alice, bob, carol = by_player["Alice"], by_player["Bob"], by_player["=Carol"]
    assert (alice.firm, alice.role, bob.firm, bob.role) == ("cloudco", "hyperscaler", "redlab", "lab")
    assert alice.finished and bob.finished and not carol.finished
    assert carol.goal == "unfinished" and carol.quarter == "2024-Q4"
    assert alice.goal in ("won", "lost", "not met") and bob.goal in ("won", "lost", "not met")
    assert (alice.moves, bob.moves, carol.moves) == (3, 2, 2)  # moves and answers, not quarter ends
    for seat in seats:
        growth = seat.final_valuation / seat.start_valuation
        if seat.role == "lab":  # the share price's growth: shares sold lift the valuation only
            assert 0.0 < seat.score <= growth * (1 + 1e-9)
        else:
            assert seat.score == pytest.approx(growth)
        assert 0.0 <= seat.round_trip <= 1.0
    # Alice's decisions, quarter by quarter, as she made them
    alice_rows = [r for r in group.decisions if r["player"] == "Alice"]
    assert [(r["quarter"], r["type"]) for r in alice_rows[:4]] == [
        ("2024-Q1", "bet"),
        ("2024-Q1", "end"),
        ("2024-Q2", "chips"),
        ("2024-Q2", "choose"),
    ]
    assert len(group.decisions) == actions_in(class_folder)  # every action of every save


def test_the_summary_says_which_part_of_the_goal_each_player_missed(class_folder: Path) -> None:
    """The summary said "not met" without saying which part: the game's checklist
    (``✗ stake("ember") < 0.01 · now 1.4%``) is now listed for each player who missed."""
    paths = find_saves([class_folder])[0]
    summary = markdown_summary(build_report(paths))
    for path in paths:
        if path.name == "dave-brown.json":  # the corrupt one
            continue
        game, document = read_save(path)
        firm = document.humans[0]
        if not game.world.finished:
            continue
        unmet = [line for met, line in goal_parts(game, firm) if not met]
        assert game.goal(firm).won or unmet  # no losing condition or collapse in these games
        entry = f"- {document.player} ({game.world.names[game.world.index[firm]]}): {'; '.join(unmet)}"
        assert (entry in summary) == bool(unmet)
    assert "### Goals not reached" in summary
    assert "=Carol (CloudCo)" not in summary  # stopped early: no goal to miss yet


def test_exports_hold_the_world_and_no_personal_data(
    class_folder: Path, tmp_path: Path, class_code: str
) -> None:
    report = build_report(find_saves([class_folder])[0])
    written = write_report(report, tmp_path / "out")
    assert [p.name for p in written] == ["leaderboard.csv", "decisions.csv", "summary.md"]
    with (tmp_path / "out" / "leaderboard.csv").open(encoding="utf-8-sig", newline="") as stream:
        leaderboard = list(csv.DictReader(stream))
    with (tmp_path / "out" / "decisions.csv").open(encoding="utf-8-sig", newline="") as stream:
        decisions = list(csv.DictReader(stream))
    assert [row["player"] for row in leaderboard] == [
        s.player.replace("=", "'=") for s in report.groups[0].seats
    ]
    assert len(decisions) == actions_in(class_folder)
    for row in [*leaderboard, *decisions]:
        assert (row["scenario"], row["seed"], row["class_code"]) == ("mini", "7", class_code)
        assert len(row["scenario_sha256"]) == 64
    first = leaderboard[0]
    assert first["rank"] == "1" and float(first["score"]) > 0 and first["goal"]
    assert {"collapse", "round_trip", "failures", "firm", "role", "final_valuation"} <= set(first)
    bet = next(row for row in decisions if row["type"] == "bet" and row["player"] == "Alice")
    assert (bet["actor"], bet["lab"], float(bet["cash"])) == ("cloudco", "redlab", 2e9)
    assert bet["outcome_rank"] == next(r["rank"] for r in leaderboard if r["player"] == "Alice")
    assert "'=Carol" in {row["player"] for row in decisions}  # a spreadsheet will not run it
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    everything = summary + "".join(p.read_text(encoding="utf-8-sig") for p in written[:2])
    for private in ("smith", "jones", "white", "brown", "saved_at", str(class_folder)):
        assert private not in everything
    assert class_code in summary and "seed **7**" in summary
    assert "| rank | player |" in summary and "| 1 |" in summary
    assert "players who finished reached their goal" in summary
    assert "Scores by firm" in summary and "Average score" not in summary
    assert "bet on Red Lab" in summary and "bought chips from ChipCo" in summary
    assert "1. Which of your revenue was your own money coming back?" in summary
    assert "2. Who failed first, and why?" in summary
    assert summary == markdown_summary(report)


def test_decisions_say_what_was_asked_and_answered(class_folder: Path, tmp_path: Path) -> None:
    """decisions.csv gave an answer as the event's id and the answer's index (0-based): an
    instructor could not read what the room answered without the scenario file open."""
    write_report(build_report(find_saves([class_folder])[0]), tmp_path)
    with (tmp_path / "decisions.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    answers = [row for row in rows if row["type"] == "choose"]
    assert answers and all(row["headline"] == row["answer"] == "" for row in rows if row["type"] != "choose")
    game, _ = read_save(class_folder / "alice-smith.json")
    for row in answers:
        event = game.book.by_id(row["event"])
        assert event is not None
        assert (row["headline"], row["answer"]) == (event.headline, event.choices[int(row["choice"])].label)
    columns = list(rows[0])
    assert columns.index("choice") + 1 == columns.index("headline") == columns.index("answer") - 1


def test_worlds_are_ranked_apart(mini_loaded: LoadedScenario, tmp_path: Path) -> None:
    """A different seed is a different world: two leaderboards, one report."""
    source = mini_loaded.source
    for seed, name in ((7, "Ann"), (8, "Ben")):
        game = Game(parse_scenario(source), seed, ("cloudco",))
        game.act(EndQuarter(""))
        write_save(game, source, "mini.toml", tmp_path / f"{name}.json", player=name)
    report = build_report(find_saves([tmp_path])[0])
    assert [(g.seed, [s.player for s in g.seats], g.seats[0].rank) for g in report.groups] == [
        (7, ["Ann"], 1),
        (8, ["Ben"], 1),
    ]
    text = leaderboard_text(report)
    assert "seed 7" in text and "seed 8" in text
    classcode = pytest.importorskip("game.classcode")  # no code recorded: the world's own code
    assert [g.class_code for g in report.groups] == [
        str(classcode.make_code("mini", seed, None, source)) for seed in (7, 8)
    ]
    assert all(g.class_code in text for g in report.groups)


def test_a_preset_that_changes_nothing_is_the_same_world(tmp_path: Path) -> None:
    """history's "Historian" preset scales nothing: the title screen's default gave the class
    code history-1k7-historian-7157 and `circular play history --seed 2023` history-1k7-7157,
    and the report split one world into two tables."""
    loaded = load_scenario("history")
    for name, difficulty in (("Ada", None), ("Bo", "historian"), ("Cy", "analyst")):
        game = Game(loaded.scenario, 2023, ("anthropic",), difficulty)
        assert game.world_difficulty == (None if difficulty == "historian" else difficulty)
        game.act(EndQuarter(""))
        write_save(game, loaded.source, loaded.path, tmp_path / f"{name}.json", player=name)
    report = build_report(find_saves([tmp_path])[0])
    plain = code_for_game("history", 2023, None, loaded.source)
    assert [(g.difficulty, g.class_code, [s.player for s in g.seats]) for g in report.groups] == [
        (None, plain, ["Ada", "Bo"]),
        ("analyst", code_for_game("history", 2023, "analyst", loaded.source), ["Cy"]),
    ]


def test_finished_games_rank_first_and_alone_make_the_scores(
    mini_loaded: LoadedScenario, tmp_path: Path
) -> None:
    """An autosave stopped at 2025-Q3 ranked 1 above a finished game and entered the average:
    a valuation halfway through is not a result."""
    for name, quarters in (("Ann", 8), ("Ben", 4)):
        game = play(mini_loaded.source, "redlab", {}, quarters)
        write_save(game, mini_loaded.source, "mini.toml", tmp_path / f"{name}.json", player=name)
    [group] = build_report(find_saves([tmp_path])[0]).groups
    ann, ben = group.seats
    assert (ann.player, ann.rank, ann.finished, ben.player, ben.rank, ben.finished) == (
        "Ann",
        1,
        True,
        "Ben",
        2,
        False,
    )
    assert ben.score > ann.score  # Red Lab was worth more halfway than at the end
    summary = markdown_summary(build_report(find_saves([tmp_path])[0]))
    assert "leaving out 1 player who did not finish" in summary
    assert f"  - Red Lab: {ann.score:.2f} (Ann).\n" in summary
    assert "its score is a score halfway through the game" in summary
    assert f"| 2 | Ben | Red Lab | lab | {ben.score:.2f} " in summary and "unfinished (2025-Q1)" in summary
    # one wording on screen and in summary.md: the screen said "at 2025-Q1"
    screen = leaderboard_text(build_report(find_saves([tmp_path])[0]))
    ben_row = next(line for line in screen.splitlines() if " Ben " in line)
    assert "unfinished (2025-Q1)" in ben_row and " at 2025-Q1" not in ben_row


def test_the_report_says_when_the_loop_was_tightest(mini_loaded: LoadedScenario, tmp_path: Path) -> None:
    """summary.md gave "Median round-trip share at the end: 0.9%", mixing labs (always 0) with
    clouds at the end of the game; the peaks, and when, answer "when was the loop tightest"."""
    for name, seat in (("Ann", "cloudco"), ("Ben", "redlab")):
        game = play(mini_loaded.source, seat, {}, 8)
        write_save(game, mini_loaded.source, "mini.toml", tmp_path / f"{name}.json", player=name)
    report = build_report(find_saves([tmp_path])[0])
    [group] = report.groups
    ann, ben = sorted(group.seats, key=lambda s: s.player)
    assert ann.peak_round_trip.value > 0 and ann.peak_round_trip.quarter
    assert ben.peak_round_trip.quarter == ""  # a lab invests in no customer of its own
    game = group.played[ann.save]
    assert game.peak_cycling.value > 0 and game.peak_bubble.value > 0
    summary = markdown_summary(report)
    assert "Median round-trip" not in summary and "### When the loop was tightest" in summary
    trip = ann.peak_round_trip
    assert f"| CloudCo {format_share(trip.value)} ({trip.quarter}) |" in summary
    write_report(report, tmp_path / "out")
    with (tmp_path / "out" / "leaderboard.csv").open(encoding="utf-8-sig") as file:
        rows = {row["player"]: row for row in csv.DictReader(file)}
    assert rows["Ann"]["peak_round_trip_quarter"] == ann.peak_round_trip.quarter
    assert float(rows["Ann"]["peak_cycling"]) == pytest.approx(game.peak_cycling.value, abs=1e-4)
    assert rows["Ben"]["peak_round_trip"] == "" and rows["Ben"]["peak_bubble_quarter"]


def test_a_student_folder_s_saves_subfolder_is_read(mini_loaded: LoadedScenario, tmp_path: Path) -> None:
    """`circular report s1 s2 s3`, each student's folder with its saves in s1/saves: "no saves
    in this folder", and nothing to report on."""
    game = play(mini_loaded.source, "cloudco", {}, 2)
    for name in ("s1", "s2"):
        saves = tmp_path / name / "saves"
        saves.mkdir(parents=True)
        write_save(game, mini_loaded.source, "mini.toml", saves / f"{name}.json", player=name)
    (tmp_path / "empty").mkdir()
    paths, warnings = find_saves([tmp_path / "s1", tmp_path / "s2", tmp_path / "empty"])
    assert [p.name for p in paths] == ["s1.json", "s2.json"]
    assert warnings == [
        f"{tmp_path / 's1'}: no saves in this folder; read the 1 save in its saves/ folder",
        f"{tmp_path / 's2'}: no saves in this folder; read the 1 save in its saves/ folder",
        f"{tmp_path / 'empty'}: no saves in this folder",
    ]


def test_report_command(run_cli: Run, class_folder: Path, tmp_path: Path, class_code: str) -> None:
    out = tmp_path / "report"
    result = run_cli("report", str(class_folder), "--out", str(out))
    assert result.returncode == 0, result.stderr
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("warning: ") and "dave-brown.json" in warnings[0]
    lines = result.stdout.splitlines()
    assert "mini" in lines[0] and "seed 7" in lines[0] and class_code in lines[0]
    assert lines[1].split()[:4] == ["rank", "player", "firm", "role"]
    assert [line.split()[1] for line in lines[2:5]] == [
        s.player for s in build_report(find_saves([class_folder])[0]).groups[0].seats
    ]
    assert f"wrote {out / 'summary.md'}" in result.stdout
    assert {p.name for p in out.iterdir()} == {"leaderboard.csv", "decisions.csv", "summary.md"}


def test_report_with_nothing_readable_is_one_line(run_cli: Run, class_folder: Path, tmp_path: Path) -> None:
    result = run_cli("report", str(class_folder / "dave-brown.json"), "--out", str(tmp_path / "r"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert (
        lines[0].startswith("warning: skipped: ") and lines[-1] == "circular: no readable saves to report on"
    )
    assert "Traceback" not in result.stderr and not (tmp_path / "r").exists()


def test_a_hot_seat_save_gives_one_row_per_seat_with_its_player(
    mini_loaded: LoadedScenario, tmp_path: Path, run_cli: Run
) -> None:
    """Two people shared one game: each seat is ranked under its own name; a seat left without
    a name is "(no name)", and ending a quarter belongs to every seat, not to the first."""
    game = Game(mini_loaded.scenario, 7, ("cloudco", "redlab"))
    for action in (Bet("cloudco", "redlab", 2e9), SetTraining("redlab", 0.7), EndQuarter("")):
        assert game.act(action).ok
    names = {"cloudco": "Ada", "redlab": ""}
    write_save(game, mini_loaded.source, "mini.toml", tmp_path / "hot.json", "Ada", names, "redlab")
    [group] = build_report(find_saves([tmp_path])[0]).groups
    assert sorted((s.player, s.firm, s.moves) for s in group.seats) == [
        ("(no name)", "redlab", 1),
        ("Ada", "cloudco", 1),
    ]
    assert [(r["player"], r["seat_firm"], r["type"]) for r in group.decisions] == [
        ("Ada", "cloudco", "bet"),
        ("(no name)", "redlab", "training"),
        ("(every seat)", "", "end"),
    ]
    result = run_cli("report", str(tmp_path / "hot.json"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    title, _, *seats = result.stdout.splitlines()[:4]
    assert title.endswith(": 2 players in 1 game")  # one hot-seat game
    assert sorted(line[6:15].strip() for line in seats) == ["(no name)", "Ada"]  # sized to "(no name)"
    with (tmp_path / "out" / "leaderboard.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert sorted((row["player"], row["firm"]) for row in rows) == [
        ("(no name)", "redlab"),
        ("Ada", "cloudco"),
    ]


def test_saves_named_after_players_are_paired_with_their_own_autosaves(
    mini_loaded: LoadedScenario, tmp_path: Path
) -> None:
    """The game names its files after the players (tutorial-seed3-cy.json): Cy's autosave is
    paired with Cy's save, and Bo's, whose save is missing, is Bo's game."""
    from game.ui.session import Session

    for name in ("Cy", "Bo"):
        session = Session.new(
            mini_loaded, seed=3, firm="cloudco", difficulty=None, saves_dir=tmp_path, player=name
        )
        session.autosave()
        if name == "Cy":
            session.save()
    names = sorted(p.name for p in tmp_path.glob("*.json"))
    assert names == [
        "mini-seed3-cloudco-bo.autosave.json",
        "mini-seed3-cloudco-cy.autosave.json",
        "mini-seed3-cloudco-cy.json",
    ]
    report = build_report(find_saves(sorted(tmp_path.glob("*.json")))[0])
    assert sorted(s.player for s in report.groups[0].seats) == ["Bo", "Cy"]
    assert report.notes == [
        f"one game, two files: used {tmp_path / 'mini-seed3-cloudco-cy.json'} (stopped at 2024-Q1), "
        "not mini-seed3-cloudco-cy.autosave.json (stopped at 2024-Q1)"
    ]


@pytest.fixture
def mixed_class(mini_loaded: LoadedScenario, tmp_path: Path) -> Path:
    """Five saves from three games of one world: a hot-seat game of Ada and Bo in which the
    facilitator fined three firms into failure (the system collapsed), Cy's quiet game, Di's
    unfinished one, and a copy of Cy's save with the player name changed to Eve."""
    source, folder = mini_loaded.source, tmp_path / "class"
    hot = Game(mini_loaded.scenario, 7, ("cloudco", "redlab"), facilitator=True)
    for firm in ("skyhost", "blacklab", "chipco"):
        assert hot.act(Adjudicate(FACILITATOR, firm, -1e12, "broke a class rule")).ok
    quiet, short = Game(mini_loaded.scenario, 7, ("cloudco",)), Game(mini_loaded.scenario, 7, ("redlab",))
    for game, quarters in ((hot, 8), (quiet, 8), (short, 2)):
        for _ in range(quarters):
            assert game.act(EndQuarter("")).ok
    names = {"cloudco": "Ada", "redlab": "Bo"}
    write_save(hot, source, "mini.toml", folder / "mini-seed7-ada-bo.json", "Ada", names, "cloudco")
    cy = write_save(quiet, source, "mini.toml", folder / "mini-seed7-cy.json", "Cy")
    write_save(short, source, "mini.toml", folder / "mini-seed7-di.json", "Di")
    copied = json.loads(cy.read_text(encoding="utf-8"))
    copied["player"] = "Eve"  # a save is not signed: the name is the one part anyone can edit
    (folder / "mini-seed7-eve.json").write_text(json.dumps(copied), encoding="utf-8")
    return folder


def test_results_count_games_not_seats_and_flag_a_game_handed_in_twice(
    mixed_class: Path, run_cli: Run, tmp_path: Path
) -> None:
    report = build_report(find_saves([mixed_class])[0])
    [group] = report.groups
    assert len(group.seats) == 5 and len(group.played) == 4 and len(group.games) == 3
    assert [[game.players for game in same] for same in group.copies] == [["Cy", "Eve"]]
    assert {s.player for s in group.seats} == {"Ada", "Bo", "Cy", "Eve", "Di"}  # both copies ranked

    out = tmp_path / "report"
    result = run_cli("report", str(mixed_class), "--out", str(out))
    assert result.returncode == 0, result.stderr
    cy, eve = mixed_class / "mini-seed7-cy.json", mixed_class / "mini-seed7-eve.json"
    assert result.stderr.splitlines() == [
        f"warning: Cy and Eve played identical games (same seed and same moves): {cy}, {eve}; "
        "the results count them as one game"
    ]
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "- 5 players in 3 games." in summary
    assert "- The system collapsed in 1 of 2 finished games." in summary  # Ada and Bo's, once
    assert "- At least one firm failed in 1 of 3 games." in summary
    assert "- 1 of 3 games stopped before the end." in summary
    # a hyperscaler's score and a lab's make no average: each firm has its own figures
    cloudco = sorted((s for s in group.seats if s.firm == "cloudco"), key=lambda s: -s.score)
    average = sum(s.score for s in cloudco) / 3
    bo = next(s for s in group.seats if s.player == "Bo")
    assert (
        f"  - CloudCo: best **{cloudco[0].score:.2f}** ({cloudco[0].player}), average {average:.2f} "
        "of 3 players.\n"
        f"  - Red Lab: {bo.score:.2f} (Bo).\n"
    ) in summary and "leaving out 1 player who did not finish" in summary
    identical = "### Identical games\n\n- Cy and Eve played identical games (same seed and same moves)."
    assert identical in summary and "players who take every default answer" in summary
    assert "a save is not signed" in summary and "mini-seed7" not in summary  # no file names
    # the copies are marked where they are ranked, not only in a section further down
    marked = [line for line in summary.splitlines() if "same game as another save" in line]
    assert len(marked) == 2 and all("| Cy |" in line or "| Eve |" in line for line in marked)
    board = result.stdout.splitlines()
    starred = [line for line in board if line[:5].strip()[:-1].isdigit() and line[:5].strip().endswith("*")]
    assert sorted(line.split()[1] for line in starred) == ["Cy", "Eve"]
    assert "   * identical games (same seed and same moves): see the warnings above" in board
    with (out / "leaderboard.csv").open(encoding="utf-8-sig", newline="") as stream:
        marks = {row["player"]: row["same_game_as"] for row in csv.DictReader(stream)}
    assert marks == {"Ada": "", "Bo": "", "Cy": "Eve", "Eve": "Cy", "Di": ""}  # as the guide says


def test_two_hot_seat_games_of_default_answers_are_identical_not_handed_in_twice(
    mini_loaded: LoadedScenario, tmp_path: Path
) -> None:
    """Two pairs who only pressed e played the same game: the report said they "handed in the
    same game", as if one pair had copied the other's save."""
    for first, second in (("Ada", "Bo"), ("Cy", "Di")):
        game = Game(mini_loaded.scenario, 7, ("cloudco", "redlab"))
        for _ in range(8):
            assert game.act(EndQuarter("")).ok
        names = {"cloudco": first, "redlab": second}
        path = tmp_path / f"{first}.json"
        write_save(game, mini_loaded.source, "mini.toml", path, first, names, "cloudco")
    report = build_report(find_saves([tmp_path])[0])
    assert [w.split(":")[0] for w in report.warnings] == [
        "Ada and Bo, and Cy and Di, played identical games (same seed and same moves)"
    ]


def test_the_summary_says_which_games_had_facilitator_moves(mixed_class: Path, tmp_path: Path) -> None:
    report = build_report(find_saves([mixed_class])[0])
    written = write_report(report, tmp_path / "out")
    summary = markdown_summary(report)
    fine = "fined {} $1tn: broke a class rule"
    assert "### Facilitator moves\n\n1 of 3 games had facilitator moves (shocks, grants or fines)" in summary
    listed = "\n".join(f"  - 2024-Q1: {fine.format(firm).replace('$1tn', '$1 tn')}"
                       for firm in ("SkyHost", "Black Lab", "ChipCo"))  # fmt: skip
    assert f"- Ada and Bo (CloudCo and Red Lab):\n{listed}\n" in summary
    facilitated = [line for line in summary.splitlines() if "facilitator moves |" in line]
    assert len(facilitated) == 2 and all(("| Ada |" in line) != ("| Bo |" in line) for line in facilitated)
    with written[0].open(encoding="utf-8-sig", newline="") as stream:
        rows = {row["player"]: row["facilitator_moves"] for row in csv.DictReader(stream)}
    assert rows == {"Ada": "3", "Bo": "3", "Cy": "0", "Eve": "0", "Di": "0"}
    with written[1].open(encoding="utf-8-sig", newline="") as stream:
        fines = [row for row in csv.DictReader(stream) if row["type"] == "adjudicate"]
    assert [(row["player"], row["seat_firm"], row["actor"]) for row in fines] == [
        ("(facilitator)", "", "facilitator")
    ] * 3


def test_the_report_command_loads_no_textual(mixed_class: Path, run_python: Run, tmp_path: Path) -> None:
    """The report stays a command-line tool. It words the goals with game.ui.analysis, as the
    You panel does (so that both say the same), which is pure: it loads no Textual or Rich."""
    code = f"""
import contextlib, io, sys
import game.cli
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    assert game.cli.main(["report", {str(mixed_class)!r}, "--out", {str(tmp_path / "out")!r}]) == 0
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
assert not loaded, loaded
print("clean")
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "clean" and (tmp_path / "out" / "summary.md").is_file()


def test_the_leaderboard_on_screen_never_cuts_a_name(mini_loaded: LoadedScenario, tmp_path: Path) -> None:
    """It cut "Delta Web Services" to "Delta Web Serv", and players' names to 18 letters."""
    source = mini_loaded.source.replace('name = "CloudCo"', 'name = "CloudCo Web Services of Europe"')
    for name in ("Ada", "Maximiliana Theodora Featherstonehaugh"):
        game = play(source, "cloudco", {}, 8)
        write_save(game, source, "mini.toml", tmp_path / f"{name[:3]}.json", player=name)
    lines = leaderboard_text(build_report(find_saves([tmp_path])[0])).splitlines()
    player, firm = "Maximiliana Theodora Featherstonehaugh", "CloudCo Web Services of Europe"
    assert lines[1].startswith(f"rank  {'player':<{len(player)}} {'firm':<{len(firm)}} role")
    assert sorted(line[6:].split(" hyperscaler")[0] for line in lines[2:4]) == [
        f"{'Ada':<{len(player)}} {firm}",
        f"{player} {firm}",
    ]
    assert len({len(line) for line in lines[1:4]}) == 1  # the columns line up
