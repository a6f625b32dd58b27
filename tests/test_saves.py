"""Saved games: a readable JSON file that rebuilds the exact game, or a clear refusal.

Every damaged, edited or foreign file is refused with a ``SaveError`` whose message names
the file and says what is wrong, never with another exception. Writing is atomic: when it
fails, the previous save is left whole and no temporary file is left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.engine.actions import Bet, BuyChips, EndQuarter, ProposeDeal, SellStake, SetTraining
from game.engine.game import Game
from game.saves import (
    FORMAT,
    VERSION,
    SaveError,
    content_hash,
    default_save_path,
    list_saves,
    peek,
    read_save,
    rules_version,
    write_save,
)
from game.scenario.loader import LoadedScenario, parse_scenario

MakeGame = Callable[..., Game]
Digest = Callable[[Game], str]
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def game(make_game: MakeGame) -> Game:
    """A game in the middle of 2024-Q2, with people's moves in both quarters."""
    game = make_game("cloudco", "redlab", seed=11)
    for action in (
        Bet("cloudco", "redlab", 2e9),
        SetTraining("redlab", 0.7),
        EndQuarter(""),
        ProposeDeal("redlab", "cloudco", 1e9, 0.02),
        SellStake("cloudco", "blacklab", 0.02),
        BuyChips("cloudco", "chipco", 4e9, 4),
    ):
        assert game.act(action).ok, action
    return game


@pytest.fixture
def saved(game: Game, mini_loaded: LoadedScenario, tmp_path: Path) -> Path:
    return write_save(game, mini_loaded.source, mini_loaded.path, tmp_path / "game.json")


def document(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def rewrite(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def refused(path: Path, *phrases: str) -> str:
    """Loading ``path`` fails with a SaveError: one line naming the file and saying why."""
    with pytest.raises(SaveError) as caught:
        read_save(path)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    assert str(path) in message
    for phrase in phrases:
        assert phrase in message, message
    return message


# --- round trip -----------------------------------------------------------------------------


def test_save_then_load_rebuilds_the_same_game(game: Game, saved: Path, digest: Digest) -> None:
    loaded, doc = read_save(saved)
    assert loaded.fingerprint() == game.fingerprint()
    assert digest(loaded) == digest(game)  # offers, contracts, questions and all
    assert loaded.log == game.log
    assert loaded.humans == game.humans and loaded.seed == game.seed
    assert doc.snapshot.fingerprint == game.fingerprint()
    loaded.play_out()
    game.play_out()
    assert digest(loaded) == digest(game)


def test_save_file_is_readable_json_with_everything_needed(
    game: Game, saved: Path, mini_loaded: LoadedScenario
) -> None:
    text = saved.read_text(encoding="utf-8")
    assert text.count("\n") > 20  # indented for people to read
    data = json.loads(text)
    assert data["format"] == FORMAT == "circular-save"
    assert data["version"] == VERSION == 1
    assert data["seed"] == 11 and data["humans"] == ["cloudco", "redlab"]
    scenario = data["scenario"]
    assert scenario["id"] == "mini" and scenario["source"] == mini_loaded.source
    assert scenario["sha256"] == hashlib.sha256(mini_loaded.source.encode("utf-8")).hexdigest()
    assert scenario["sha256"] == content_hash(mini_loaded.source)
    assert [a["type"] for a in data["actions"]] == ["bet", "training", "end", "propose", "sell", "chips"]
    assert data["actions"][0] == {"type": "bet", "actor": "cloudco", "lab": "redlab", "cash": 2e9}
    snapshot = data["snapshot"]
    assert snapshot["fingerprint"] == game.fingerprint()
    assert snapshot["quarter"] == "2024-Q2" and snapshot["turn"] == 1 and snapshot["finished"] is False
    assert set(snapshot["valuations"]) == set(game.world.ids)


def test_finished_game_round_trips(make_game: MakeGame, mini_loaded: LoadedScenario, tmp_path: Path) -> None:
    game = make_game("cloudco")
    game.play_out()
    path = write_save(game, mini_loaded.source, mini_loaded.path, tmp_path / "done.json")
    loaded, doc = read_save(path)
    assert loaded.world.finished and doc.snapshot.finished
    assert doc.snapshot.quarter == "2025-Q4"
    assert loaded.fingerprint() == game.fingerprint()


def test_saving_again_replaces_the_file(game: Game, saved: Path, mini_loaded: LoadedScenario) -> None:
    first = document(saved)["snapshot"]["fingerprint"]
    assert game.act(EndQuarter("")).ok
    write_save(game, mini_loaded.source, mini_loaded.path, saved)
    assert document(saved)["snapshot"]["fingerprint"] == game.fingerprint() != first
    assert sorted(p.name for p in saved.parent.iterdir()) == ["game.json"]
    assert read_save(saved)[0].fingerprint() == game.fingerprint()


def test_save_paths_and_listing(tmp_path: Path, game: Game, mini_loaded: LoadedScenario) -> None:
    assert default_save_path("mini", 7).name == "mini-seed7.json"
    assert default_save_path("mini", 7, autosave=True).name == "mini-seed7.autosave.json"
    older = write_save(game, mini_loaded.source, mini_loaded.path, tmp_path / "a.json")
    newer = write_save(game, mini_loaded.source, mini_loaded.path, tmp_path / "b.json")
    (tmp_path / "notes.txt").write_text("not a save")
    os.utime(older, (1_000_000, 1_000_000))
    assert list_saves(tmp_path) == [newer, older]


def test_saves_go_to_the_folder_the_game_was_started_from(tmp_path: Path) -> None:
    """Not beside the code: that was inside site-packages for an installed copy, and shared by
    every user of a lab machine."""
    repo = Path(__file__).resolve().parents[1]
    code = "from game.saves import SAVES_DIR as d, shown_path; print(d); print(shown_path(d / 'x.json'))"
    env = {**os.environ, "PYTHONPATH": str(repo)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [str(tmp_path / "saves"), "saves/x.json"]


# --- refusals -------------------------------------------------------------------------------


def test_truncated_file_is_refused(saved: Path) -> None:
    raw = saved.read_bytes()
    saved.write_bytes(raw[: len(raw) // 2])
    refused(saved, "not a readable save")
    saved.write_bytes(b"")
    refused(saved, "not a readable save")


@pytest.mark.parametrize(
    "content",
    [
        b"hello, world",
        b"\xff\xfe\x00garbage",
        b"{'format': 'circular-save'}",
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=["text", "binary", "python-dict", "deeply-nested"],
)
def test_file_that_is_not_json_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "junk.json"
    path.write_bytes(content)
    refused(path, "not a readable save")


def test_json_that_is_not_a_save_is_refused(tmp_path: Path) -> None:
    for data in ([1, 2, 3], "circular-save", None, {}, {"format": "something-else", "version": 1}):
        refused(rewrite(tmp_path / "other.json", data), "not a valid save")


def test_missing_file_is_refused(tmp_path: Path) -> None:
    refused(tmp_path / "nowhere.json", "cannot read")
    refused(tmp_path, "cannot read")  # a folder


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(20_000_001)
    refused(path, "too large")


def test_edited_action_is_refused(saved: Path) -> None:
    data = document(saved)
    data["actions"][0]["cash"] = 3e9  # a bigger bet than the one played
    refused(rewrite(saved, data), "edited or damaged")


def test_a_save_from_other_rules_is_blamed_on_the_update_not_the_player(saved: Path) -> None:
    """An instructor who updated Circular between the class and grading saw every save called
    "edited or damaged": one that no longer replays now says which rules made it."""
    data = document(saved)
    assert data["rules"] == rules_version()
    data["actions"][0]["cash"] = 3e9  # what a change of rules does: the replay differs
    data["rules"] = "0123456789ab"
    refused(rewrite(saved, data), "made by another version of Circular (rules 0123456789ab")
    del data["rules"]  # a save from before rules were kept: nothing to tell the two apart
    refused(rewrite(saved, data), "edited or damaged")


def test_action_that_cannot_be_played_is_refused(saved: Path) -> None:
    data = document(saved)
    data["actions"][0]["cash"] = 1e13
    refused(rewrite(saved, data), "does not replay", "action 1 (bet)")


@pytest.mark.parametrize(
    "action",
    [
        {"type": "teleport", "actor": "cloudco"},
        {"type": "bet", "actor": "cloudco", "lab": "redlab"},
        {"type": "bet", "actor": "cloudco", "lab": "redlab", "cash": 1e9, "bonus": 1},
        {"type": ["bet"], "actor": "cloudco"},
        {"type": "bet", "actor": "cloudco", "lab": "redlab", "cash": "lots"},
        "bet",
    ],
    ids=["unknown-type", "missing-key", "extra-key", "unhashable-type", "text-amount", "not-a-table"],
)
def test_malformed_action_is_refused(saved: Path, action: Any) -> None:
    data = document(saved)
    data["actions"].insert(1, action)
    refused(rewrite(saved, data))


def test_edited_snapshot_fingerprint_is_refused(saved: Path) -> None:
    data = document(saved)
    data["snapshot"]["fingerprint"] = "0" * 64
    refused(rewrite(saved, data), "edited or damaged")


def test_edited_scenario_source_is_refused(saved: Path) -> None:
    data = document(saved)
    data["scenario"]["source"] = data["scenario"]["source"].replace('cash = "60 bn"', 'cash = "600 bn"')
    refused(rewrite(saved, data), "has been edited", "hash")


def test_edited_scenario_with_a_matching_hash_is_still_refused(saved: Path) -> None:
    data = document(saved)
    source = data["scenario"]["source"].replace('cash = "60 bn"', 'cash = "600 bn"')
    data["scenario"].update(source=source, sha256=content_hash(source))
    refused(rewrite(saved, data), "edited or damaged")
    broken = source.replace("[goals]", "[gaols]")
    data["scenario"].update(source=broken, sha256=content_hash(broken))
    refused(rewrite(saved, data), "no longer valid")


def test_bad_hash_text_is_refused(saved: Path) -> None:
    data = document(saved)
    data["scenario"]["sha256"] = "not-a-hash"
    refused(rewrite(saved, data), "not a valid save", "sha256")


def test_future_and_past_versions_are_refused(saved: Path) -> None:
    data = document(saved)
    data["version"] = VERSION + 1
    refused(rewrite(saved, data), "newer version")
    data["version"] = 99
    refused(rewrite(saved, data), "newer version")
    data["version"] = 0
    refused(rewrite(saved, data), "old save format")


@pytest.mark.parametrize("key", ["format", "version", "scenario", "seed", "humans", "actions", "snapshot"])
def test_missing_key_is_refused(saved: Path, key: str) -> None:
    data = document(saved)
    del data[key]
    refused(rewrite(saved, data), "not a valid save", key)


@pytest.mark.parametrize(
    ("where", "key"),
    [((), "cheat"), (("snapshot",), "money"), (("scenario",), "author")],
    ids=["top", "snapshot", "scenario"],
)
def test_extra_key_is_refused(saved: Path, where: tuple[str, ...], key: str) -> None:
    data = document(saved)
    table = data
    for part in where:
        table = table[part]
    table[key] = True
    refused(rewrite(saved, data), "not a valid save", key)


@pytest.mark.parametrize(
    ("key", "value", "phrase"),
    [
        ("humans", ["nobody"], "does not replay"),
        ("seed", -1, "does not replay"),
        ("seed", "seven", "not a valid save"),
        ("actions", "all of them", "not a valid save"),
        ("player", "x" * 61, "not a valid save"),
        ("format", "circular-save-2", "not a valid save"),
    ],
)
def test_wrong_values_are_refused(saved: Path, key: str, value: Any, phrase: str) -> None:
    data = document(saved)
    data[key] = value
    refused(rewrite(saved, data), phrase)


def test_a_different_seed_does_not_replay_to_the_saved_game(saved: Path) -> None:
    data = document(saved)
    data["seed"] = 12
    refused(rewrite(saved, data))


@pytest.mark.parametrize(
    ("key", "value"),
    [("quarter", "2025-Q5"), ("quarter", "1900-Q1"), ("quarter", "2024-Q3"), ("turn", 7), ("finished", True)],
)
def test_an_edited_snapshot_is_refused(saved: Path, key: str, value: Any) -> None:
    """Lists of saves and the class report read the snapshot without replaying: an edited
    quarter crashed the report ("2025-Q5" is no quarter) and showed in the Load list."""
    data = document(saved)
    data["snapshot"][key] = value
    refused(rewrite(saved, data), "has been edited", "snapshot")


def test_an_edited_scenario_id_is_refused(saved: Path) -> None:
    """The report groups saves by this id: an edited one was reported under another scenario."""
    data = document(saved)
    data["scenario"]["id"] = "tutorial"
    refused(rewrite(saved, data), "has been edited", "game of tutorial", "its scenario is mini")


def test_a_difficulty_its_scenario_does_not_offer_is_refused(saved: Path) -> None:
    data = document(saved)
    data["difficulty"] = "impossible"
    refused(rewrite(saved, data), "has been edited", "impossible", "offers no difficulties")


def test_a_save_written_with_a_byte_order_mark_loads(saved: Path, game: Game, digest: Digest) -> None:
    """An editor on Windows saving the file adds a BOM: the save is still the same save."""
    saved.write_bytes(b"\xef\xbb\xbf" + saved.read_bytes())
    loaded, _ = read_save(saved)
    assert digest(loaded) == digest(game)
    assert peek(saved) is not None


@pytest.mark.skipif(sys.platform == "win32", reason="no /dev/zero nor named pipes")
def test_what_is_not_a_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    """A link to /dev/zero was read whole before its size was checked (filling the memory),
    and a named pipe waited forever for a writer."""
    endless = tmp_path / "endless.json"
    endless.symlink_to("/dev/zero")
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    for path in (endless, pipe):
        refused(path, "cannot read", "not a file")
        assert peek(path) is None


def test_a_huge_file_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    """Its size is found by reading one byte past the limit, not the whole file (4 GB here,
    sparse: nothing is written to the disk)."""
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(4_000_000_000)
    refused(path, "too large")
    assert peek(path) is None


# --- atomic writing -------------------------------------------------------------------------

FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from game.engine.actions import EndQuarter
from game.engine.game import Game
from game.saves import write_save
from game.scenario.loader import load_scenario

loaded = load_scenario({scenario!r})
game = Game(loaded.scenario, 7, ("cloudco",))
for _ in range(3):
    game.act(EndQuarter(""))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write raises instead of killing us
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, resource.RLIM_INFINITY))
try:
    write_save(game, loaded.source, loaded.path, Path({target!r}))
except OSError as err:
    print("write failed", err.errno)
    sys.exit(3)
print("written")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")
def test_failed_write_leaves_the_old_save_whole(saved: Path, run_python: Run, mini_path: Path) -> None:
    """The disk fills up half-way through writing (the file size limit of the process)."""
    old = saved.read_bytes()
    assert len(old) > 1000
    result = run_python(FULL_DISK.format(scenario=str(mini_path), limit=1000, target=str(saved)))
    assert result.returncode == 3, result.stdout + result.stderr
    assert "write failed 27" in result.stdout  # EFBIG: the write really failed mid-file
    assert saved.read_bytes() == old
    assert sorted(p.name for p in saved.parent.iterdir()) == [saved.name]  # no temporary file left
    read_save(saved)


def test_failed_rename_leaves_no_temporary_file(
    game: Game, mini_loaded: LoadedScenario, tmp_path: Path
) -> None:
    """The target is a folder with a file in it, so the final rename fails."""
    target = tmp_path / "game.json"
    target.mkdir()
    (target / "keep.txt").write_text("precious")
    with pytest.raises(OSError):
        write_save(game, mini_loaded.source, mini_loaded.path, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]
    assert (target / "keep.txt").read_text() == "precious"


def test_write_creates_missing_folders(game: Game, mini_loaded: LoadedScenario, tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "game.json"
    write_save(game, mini_loaded.source, mini_loaded.path, target)
    assert read_save(target)[0].fingerprint() == game.fingerprint()


# --- bugs -----------------------------------------------------------------------------------


def test_edited_order_size_is_refused(saved: Path) -> None:
    data = document(saved)
    assert data["actions"][-1]["type"] == "chips"
    data["actions"][-1]["total"] = 8e9  # twice the chips ordered
    refused(rewrite(saved, data), "edited or damaged")


@pytest.mark.parametrize("version", ["2", 2.0])
def test_future_version_written_as_text_or_float_is_refused(saved: Path, version: Any) -> None:
    data = document(saved)
    data["version"] = version
    refused(rewrite(saved, data))


def test_difficulty_is_saved_and_replayed(
    mini_loaded: LoadedScenario, tmp_path: Path, digest: Digest
) -> None:
    hard = '[[meta.difficulties]]\nid = "hard"\nlabel = "Hard"\nplayer_cash = 0.5\nvolatility = 2.0\n'
    source = mini_loaded.source.replace("\n[market]", f"\n{hard}\n[market]", 1)
    scenario = parse_scenario(source, "hard.toml")
    game = Game(scenario, 7, ("cloudco",), "hard")
    assert game.world.cash[0] == pytest.approx(30e9)  # the player starts with half the cash
    assert game.act(Bet("cloudco", "redlab", 1e9)).ok and game.act(EndQuarter("")).ok
    path = write_save(game, source, "hard.toml", tmp_path / "hard.json")
    assert document(path)["difficulty"] == "hard"
    loaded, _ = read_save(path)
    assert loaded.difficulty == "hard" and digest(loaded) == digest(game)
    data = document(path)
    data["difficulty"] = None  # the same moves on the easy setting give another game
    refused(rewrite(path, data), "edited or damaged")


# --- seats: player names and, hot seat, whose turn it is ---------------------------------------


def test_a_one_seat_save_keeps_the_format_it_had(
    make_game: MakeGame, mini_loaded: LoadedScenario, tmp_path: Path
) -> None:
    game = make_game("cloudco")
    path = write_save(game, mini_loaded.source, mini_loaded.path, tmp_path / "one.json", player="Ada")
    data = document(path)
    assert data["player"] == "Ada" and data["humans"] == ["cloudco"]
    assert "players" not in data and "playing" not in data  # older versions read it as before
    _, doc = read_save(path)
    assert (doc.player, doc.players, doc.playing) == ("Ada", {}, "")


def test_a_hot_seat_save_keeps_every_seat_s_name_and_whose_turn_it_is(
    game: Game, mini_loaded: LoadedScenario, tmp_path: Path
) -> None:
    names = {"cloudco": "Ada", "redlab": "Bo"}
    path = write_save(
        game, mini_loaded.source, mini_loaded.path, tmp_path / "hot.json", "Ada", names, "redlab"
    )
    data = document(path)
    assert (data["players"], data["playing"]) == (names, "redlab")
    loaded, doc = read_save(path)
    assert loaded.fingerprint() == game.fingerprint()
    assert (doc.players, doc.playing, doc.humans) == (names, "redlab", ["cloudco", "redlab"])


def test_an_old_save_without_seat_names_still_loads(saved: Path) -> None:
    data = document(saved)
    data["player"] = "Ada"
    data.pop("players", None)
    data.pop("playing", None)
    _, doc = read_save(rewrite(saved, data))
    assert (doc.player, doc.players, doc.playing) == ("Ada", {}, "")


@pytest.mark.parametrize(
    ("key", "value", "phrase"),
    [
        ("players", {"skyhost": "Eve"}, "no seat: skyhost"),
        ("players", {"cloudco": "x" * 61}, "not a valid save"),
        ("players", ["Ada", "Bo"], "not a valid save"),
        ("playing", "skyhost", "no seat: skyhost"),
        ("playing", 2, "not a valid save"),
    ],
)
def test_seat_names_and_turns_that_do_not_fit_the_seats_are_refused(
    saved: Path, key: str, value: Any, phrase: str
) -> None:
    data = document(saved)
    data[key] = value
    refused(rewrite(saved, data), phrase)
