"""A corrupt, truncated, edited or future-version save is refused with a clear message, and
the engine finds the previous autosave to offer instead (``fallback_for`` and
``newest_loadable`` in ``game/saves.py``; the offer itself is the UI's)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.engine.actions import Bet, EndQuarter, SetTraining
from game.engine.game import Game
from game.saves import (
    MAX_ACTIONS,
    STALE_TEMPORARY_SECONDS,
    SaveError,
    fallback_for,
    list_saves,
    newest_loadable,
    read_save,
    scenario_id_of,
    write_save,
)
from game.scenario.loader import LoadedScenario, load_scenario

MakeGame = Callable[..., Game]


def at(path: Path, when: float) -> Path:
    os.utime(path, (when, when))
    return path


@pytest.fixture
def folder(tmp_path: Path, make_game: MakeGame, mini_loaded: LoadedScenario) -> dict[str, Any]:
    """A saves folder: mini autosaves for seeds 1 (oldest), 2 and 3 (newest), a manual mini
    save newer than all of them, and a newer autosave of another scenario."""
    games: dict[str, Game] = {}
    for seed, when in ((1, 1_000_000), (2, 2_000_000), (3, 3_000_000)):
        game = make_game("cloudco", seed=seed)
        for _ in range(seed):
            assert game.act(EndQuarter("")).ok
        games[f"auto{seed}"] = game
        target = tmp_path / f"mini-seed{seed}.autosave.json"
        at(write_save(game, mini_loaded.source, mini_loaded.path, target), when)
    manual = make_game("cloudco", seed=9)
    assert manual.act(Bet("cloudco", "redlab", 1e9)).ok
    at(write_save(manual, mini_loaded.source, mini_loaded.path, tmp_path / "mini-seed9.json"), 4_000_000)
    tutorial = load_scenario("tutorial")
    other = Game(tutorial.scenario, 1, (tutorial.scenario.meta.playable[0],))
    target = tmp_path / "tutorial-seed1.autosave.json"
    at(write_save(other, tutorial.source, tutorial.path, target), 5_000_000)
    return {"path": tmp_path, "games": games}


def refused(path: Path, *phrases: str) -> str:
    with pytest.raises(SaveError) as caught:
        read_save(path)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message and str(path) in message
    for phrase in phrases:
        assert phrase in message, message
    return message


def damage(path: Path, how: str) -> None:
    raw = path.read_bytes()
    if how == "truncated":
        path.write_bytes(raw[: len(raw) // 3])
    elif how == "corrupt":
        path.write_bytes(raw[:200] + b"\x00\xff\xfe garbage \x00" + raw[230:])
    elif how == "empty":
        path.write_bytes(b"")
    else:
        data = json.loads(raw)
        if how == "edited":
            data["actions"][0]["type"] = "bet"  # an end of quarter made into a move
        elif how == "edited-scenario":
            data["scenario"]["source"] = data["scenario"]["source"].replace('"60 bn"', '"600 bn"')
        elif how == "future-version":
            data["version"] = 2
        path.write_text(json.dumps(data), encoding="utf-8")


MESSAGES = {
    "truncated": "not a readable save (it may be truncated or corrupt)",
    "corrupt": "not a readable save (it may be truncated or corrupt)",
    "empty": "not a readable save",
    "edited": "does not replay",
    "edited-scenario": "has been edited",
    "future-version": "was made by a newer version of Circular",
}


@pytest.mark.parametrize("how", list(MESSAGES))
def test_a_damaged_newest_autosave_falls_back_to_the_previous_one(folder: dict[str, Any], how: str) -> None:
    newest = folder["path"] / "mini-seed3.autosave.json"
    damage(newest, how)
    refused(newest, MESSAGES[how])
    found = fallback_for(newest)
    assert found is not None
    path, game, document = found
    assert path.name == "mini-seed2.autosave.json"  # not the manual save, not tutorial's autosave
    assert document.scenario.id == "mini" and game.fingerprint() == folder["games"]["auto2"].fingerprint()


def test_a_damaged_manual_save_is_offered_the_newest_autosave(folder: dict[str, Any]) -> None:
    manual = folder["path"] / "mini-seed9.json"
    damage(manual, "truncated")
    found = fallback_for(manual)
    assert found is not None and found[0].name == "mini-seed3.autosave.json"


def test_damaged_autosaves_are_skipped_until_one_loads(folder: dict[str, Any]) -> None:
    for seed, how in ((3, "corrupt"), (2, "future-version")):
        damage(folder["path"] / f"mini-seed{seed}.autosave.json", how)
    found = newest_loadable(folder["path"], "mini")
    assert found is not None and found[0].name == "mini-seed1.autosave.json"
    damage(folder["path"] / "mini-seed1.autosave.json", "edited")
    assert newest_loadable(folder["path"], "mini") is None
    assert fallback_for(folder["path"] / "mini-seed3.autosave.json") is None
    manual = newest_loadable(folder["path"], "mini", autosaves_only=False)
    assert manual is not None and manual[0].name == "mini-seed9.json"


def test_the_scenario_of_a_save_is_read_from_the_file_or_its_name(folder: dict[str, Any]) -> None:
    path = folder["path"]
    assert scenario_id_of(path / "tutorial-seed1.autosave.json") == "tutorial"
    renamed = (path / "mini-seed2.autosave.json").rename(path / "whatever.autosave.json")
    assert scenario_id_of(renamed) == "mini"  # from inside the file
    damage(path / "mini-seed3.autosave.json", "truncated")
    assert scenario_id_of(path / "mini-seed3.autosave.json") == "mini"  # from the name
    (path / "junk.json").write_bytes(b"\xff" * 10)
    assert scenario_id_of(path / "junk.json") is None
    assert scenario_id_of(path / "missing.json") is None
    assert fallback_for(path / "junk.json") is None
    assert fallback_for(path / "missing.autosave.json") is None


def test_fallback_never_offers_the_failed_file_itself(folder: dict[str, Any]) -> None:
    """A save that is refused for a reason that leaves it readable JSON (an unknown player
    seat here) is not offered back to the player."""
    path = folder["path"]
    for seed in (1, 2):
        (path / f"mini-seed{seed}.autosave.json").unlink()
    newest = path / "mini-seed3.autosave.json"
    data = json.loads(newest.read_text(encoding="utf-8"))
    data["humans"] = ["nobody"]
    newest.write_text(json.dumps(data), encoding="utf-8")
    refused(newest, "does not replay")
    assert fallback_for(newest) is None


def test_temporary_files_are_not_saves_and_stale_ones_are_cleared(
    tmp_path: Path, make_game: MakeGame, mini_loaded: LoadedScenario
) -> None:
    game = make_game("redlab")
    assert game.act(SetTraining("redlab", 0.6)).ok
    target = tmp_path / "mini-seed7.autosave.json"
    old = tmp_path / ".mini-seed7.autosave.json.killed01.tmp"  # left by a process killed mid-save
    recent = tmp_path / ".mini-seed7.autosave.json.writing2.tmp"  # perhaps another save, writing now
    other = tmp_path / ".other.json.killed03.tmp"
    for leftover in (old, recent, other):
        leftover.write_text('{"format": "circular-sa', encoding="utf-8")
    long_ago = 1_000_000.0
    for leftover in (old, other):
        at(leftover, long_ago)
    write_save(game, mini_loaded.source, mini_loaded.path, target)
    assert not old.exists(), "a stale half-written save of this file is removed"
    assert recent.exists() and other.exists(), "only old leftovers of the same file are removed"
    assert list_saves(tmp_path) == [target]
    assert STALE_TEMPORARY_SECONDS >= 60


def test_an_absurdly_long_action_log_is_refused_before_replaying(
    tmp_path: Path, make_game: MakeGame, mini_loaded: LoadedScenario
) -> None:
    path = write_save(make_game("redlab"), mini_loaded.source, mini_loaded.path, tmp_path / "long.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["actions"] = [{"type": "training", "actor": "redlab", "share": 0.5}] * (MAX_ACTIONS + 1)
    path.write_text(json.dumps(data), encoding="utf-8")
    refused(path, "not a valid save", "actions")


def test_a_save_named_after_its_players_is_offered_its_own_autosave(
    tmp_path: Path, mini_loaded: LoadedScenario
) -> None:
    """Saves carry the players' names (``Session.file_stem``): a truncated mini-seed3-cloudco-cy.json
    is offered mini-seed3-cloudco-cy.autosave.json, even when another student's autosave is newer."""
    from game.ui.session import Session

    def session(name: str) -> Session:
        return Session.new(
            mini_loaded, seed=3, firm="cloudco", difficulty=None, saves_dir=tmp_path, player=name
        )

    cy = session("Cy")
    assert cy.end_quarter() is not None
    autosave, save = at(cy.autosave(), 1_000_000), at(cy.save(), 2_000_000)
    assert (save.name, autosave.name) == ("mini-seed3-cloudco-cy.json", "mini-seed3-cloudco-cy.autosave.json")
    other = at(session("Bo van Dijk").autosave(), 3_000_000)
    assert other.name == "mini-seed3-cloudco-bo-van-dijk.autosave.json"
    damage(save, "truncated")
    assert scenario_id_of(save) == "mini"  # from the name alone: the file is no longer JSON
    found = fallback_for(save)
    assert found is not None and found[0] == autosave
    assert found[2].player == "Cy" and found[1].fingerprint() == cy.game.fingerprint()
    damage(autosave, "truncated")  # its own autosave is damaged too: the newest that loads
    found = fallback_for(save)
    assert found is not None and found[0] == other
