"""Which files the class report reads: autosaves count, a save and its autosave are one game
(the report uses the file further along), and with no SAVES it reads the game's saves folder.

The situations an instructor met, played with the mini scenario and written as the game
writes them: Bo never pressed ctrl+s (only his autosave is on disk); Ada pressed ctrl+s halfway
and finished the game (her autosave is further along than her save); a hot-seat pair did the
same. A ctrl+s made halfway used to win over the finished autosave, and a folder holding only
autosaves had "no saves".
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import game.classroom_export
import game.saves
from game.classroom import build_report, find_saves
from game.classroom_export import markdown_summary
from game.cli import main
from game.engine.actions import Bet, EndQuarter
from game.scenario.loader import LoadedScenario
from game.ui.session import Session

Run = Callable[..., subprocess.CompletedProcess[str]]
QUARTERS = 8  # the mini scenario's length: 2024-Q1 to 2025-Q4


def new_game(loaded: LoadedScenario, folder: Path, seats: list[tuple[str, str]]) -> Session:
    return Session.new(loaded, seed=3, firm=None, difficulty=None, saves_dir=folder, seats=seats)


def play(session: Session, quarters: int) -> None:
    """End ``quarters`` quarters, autosaving after each as the game does."""
    for _ in range(quarters):
        assert session.game.act(EndQuarter("")).ok
        session.autosave()


@pytest.fixture
def class_folder(mini_loaded: LoadedScenario, tmp_path: Path) -> Path:
    """Ada pressed ctrl+s in 2024-Q3 and then played to the end; Bo never pressed ctrl+s."""
    ada = new_game(mini_loaded, tmp_path, [("cloudco", "Ada")])
    play(ada, 2)
    ada.save()
    play(ada, QUARTERS - 2)
    play(new_game(mini_loaded, tmp_path, [("redlab", "Bo")]), QUARTERS)
    return tmp_path


def test_a_student_who_never_pressed_ctrl_s_is_in_the_report(class_folder: Path, tmp_path: Path) -> None:
    bo = class_folder / "mini-seed3-redlab-bo.autosave.json"
    alone = tmp_path / "bo"
    alone.mkdir()
    (alone / bo.name).write_bytes(bo.read_bytes())
    found, warnings = find_saves([alone])
    assert (found, warnings) == ([alone / bo.name], [])
    report = build_report(found)
    assert [s.player for s in report.groups[0].seats] == ["Bo"] and report.notes == []
    found, warnings = find_saves([class_folder])
    report = build_report(found)
    assert warnings == [] and report.warnings == [] and report.saves == 2
    assert sorted((s.player, s.finished) for s in report.groups[0].seats) == [("Ada", True), ("Bo", True)]


def test_the_finished_autosave_beats_a_ctrl_s_made_halfway(class_folder: Path) -> None:
    """Named by folder or file by file (`report saves/*.json`), Ada's game is her autosave,
    with one note naming the file used and the one left out."""
    note = (
        f"one game, two files: used {class_folder / 'mini-seed3-cloudco-ada.autosave.json'} (finished), "
        "not mini-seed3-cloudco-ada.json (stopped at 2024-Q3)"
    )
    for named in ([class_folder], sorted(class_folder.glob("*.json"))):
        found, warnings = find_saves(named)
        report = build_report(found)
        assert warnings == [] and report.warnings == [] and report.notes == [note]
        [ada] = [s for s in report.groups[0].seats if s.player == "Ada"]
        assert (ada.finished, ada.quarter) == (True, "2025-Q4")


def test_a_hot_seat_game_saved_halfway_is_graded_at_its_end(
    mini_loaded: LoadedScenario, tmp_path: Path
) -> None:
    session = new_game(mini_loaded, tmp_path, [("cloudco", "Ada"), ("redlab", "Bo")])
    play(session, 3)
    session.save()
    play(session, QUARTERS - 3)
    report = build_report(find_saves([tmp_path])[0])
    assert [(s.player, s.finished) for s in report.groups[0].seats] == [("Ada", True), ("Bo", True)]
    assert "No game was played to the end yet" not in markdown_summary(report)
    assert report.notes == [
        f"one game, two files: used {tmp_path / 'mini-seed3-cloudco-redlab-ada-bo.autosave.json'} "
        "(finished), not mini-seed3-cloudco-redlab-ada-bo.json (stopped at 2024-Q4)"
    ]


def test_a_save_further_along_than_its_autosave_is_used(mini_loaded: LoadedScenario, tmp_path: Path) -> None:
    """Same quarter: the longer action log is further along; level, the ctrl+s save is used."""
    session = new_game(mini_loaded, tmp_path, [("cloudco", "Ada")])
    play(session, 1)
    session.save()
    report = build_report(find_saves([tmp_path])[0])
    assert report.notes == [
        f"one game, two files: used {tmp_path / 'mini-seed3-cloudco-ada.json'} (stopped at 2024-Q2), "
        "not mini-seed3-cloudco-ada.autosave.json (stopped at 2024-Q2)"
    ]
    assert session.game.act(Bet("cloudco", "redlab", 1e9)).ok
    session.save()
    [ada] = build_report(find_saves([tmp_path])[0]).groups[0].seats
    assert ada.moves == 1


def test_the_report_command_says_which_file_it_used(class_folder: Path, run_cli: Run) -> None:
    result = run_cli("report", str(class_folder), "--out", str(class_folder / "report"))
    assert result.returncode == 0 and result.stderr == ""
    notes = [line for line in result.stdout.splitlines() if line.startswith("note: ")]
    assert notes == [
        f"note: one game, two files: used {class_folder / 'mini-seed3-cloudco-ada.autosave.json'} "
        "(finished), not mini-seed3-cloudco-ada.json (stopped at 2024-Q3)"
    ]


@pytest.fixture
def game_saves(class_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The class's files in the game's own saves folder, and the instructor in another folder."""
    folder = tmp_path / "install" / "saves"
    folder.mkdir(parents=True)
    for save in class_folder.glob("*.json"):
        (folder / save.name).write_bytes(save.read_bytes())
    for module in (game.saves, game.classroom_export):
        monkeypatch.setattr(module, "SAVES_DIR", folder)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return folder


def test_with_no_saves_named_the_report_reads_the_game_s_saves_folder(
    game_saves: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"reading the saves in {game_saves}/"
    assert out[1].endswith(": 2 players in 2 games")
    assert f"wrote {game_saves / 'report-mini' / 'summary.md'}" in out


def test_a_folder_that_is_not_there_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "nowhere/"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == "warning: nowhere/: no such file or folder"


def test_two_games_that_share_a_file_name_are_both_reported(
    mini_loaded: LoadedScenario, tmp_path: Path
) -> None:
    """Ada saved one game, then started the same world again and played it differently: its
    autosave took the name of the first game's, and the report kept only one of the two."""
    first = new_game(mini_loaded, tmp_path, [("cloudco", "Ada")])
    play(first, 2)
    first.save()
    again = new_game(mini_loaded, tmp_path, [("cloudco", "Ada")])
    assert again.game.act(Bet("cloudco", "redlab", 1e9)).ok
    play(again, 3)
    report = build_report(find_saves([tmp_path])[0])
    assert report.notes == [] and len(report.groups[0].seats) == 2


def test_an_edited_save_is_skipped_not_a_crash(
    class_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A snapshot quarter edited to "2025-Q5" stopped the report with a traceback (comparing the
    save with its autosave read that quarter); an edited scenario id was reported under that
    scenario. Both are skipped with the usual warning, and the rest of the class is reported."""
    import json

    autosave = class_folder / "mini-seed3-redlab-bo.autosave.json"
    data = json.loads(autosave.read_text())
    data["snapshot"]["quarter"] = "2025-Q5"
    autosave.write_text(json.dumps(data))
    renamed = class_folder / "mini-seed3-cloudco-ada.json"
    data = json.loads(renamed.read_text())
    data["scenario"]["id"] = "tutorial"
    renamed.write_text(json.dumps(data))
    assert main(["report", str(class_folder), "--out", str(class_folder / "report")]) == 0
    out = capsys.readouterr()
    lines = (out.out + out.err).splitlines()
    assert f"warning: skipped: {autosave} has been edited: its snapshot does not match its moves" in lines
    assert any(line.startswith(f"warning: skipped: {renamed} has been edited: it says") for line in lines)
    assert [line for line in lines if "(mini, seed 3" in line] == [line for line in lines if "seed 3" in line]


def test_copies_of_one_save_are_one_player_in_the_header_as_in_the_warning(
    class_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three copies of Bo's save: the warning said they count as one game, the header "3 players"."""
    bo = class_folder / "mini-seed3-redlab-bo.autosave.json"
    for copy in ("copy1.json", "copy2.json"):
        (class_folder / copy).write_bytes(bo.read_bytes())
    assert main(["report", str(class_folder), "--out", str(class_folder / "report")]) == 0
    out = capsys.readouterr()
    assert "Bo handed in the same game 3 times" in out.err
    assert out.out.splitlines()[0].endswith(": 2 players in 2 games")
    summary = (class_folder / "report" / "summary.md").read_text(encoding="utf-8")
    assert "- 2 players in 2 games." in summary
