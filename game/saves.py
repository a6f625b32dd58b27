"""Saved games: readable JSON holding everything needed to rebuild the game exactly.

A save holds the scenario's text and its SHA-256, the seed, the seats played by people
(with the names their players typed and, in a hot-seat game, whose turn it is), the action
log, the version of the rules that played it, and a snapshot (quarter and a fingerprint of
the state). Loading checks the format version and the hash, replays the log and compares
the fingerprint, so an edited, truncated or mismatched save is refused with a clear message
instead of silently producing a different game (and a save made under other rules is said
to be one, not called edited). Writing is atomic: a new file is written beside
the old one, flushed to disk and renamed over it.

A save is data, never code: it is read with ``json`` and rebuilt by replaying plain action
records; its scenario is the embedded text (the path it names is only shown in messages).
When a save cannot be loaded, ``fallback_for`` finds the newest autosave of the same
scenario that does, for the player to resume instead; when one loads but its own autosave
got further, ``newer_autosave`` names that autosave.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import glob
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, model_validator

from game.calendar import quarter_index, quarter_name
from game.engine.actions import action_from_dict, action_to_dict
from game.engine.game import Game, ReplayError
from game.scenario.loader import ScenarioError, parse_scenario
from game.scenario.model import Scenario
from game.seats import MAX_NAME
from game.words import listing

FORMAT: Literal["circular-save"] = "circular-save"
VERSION = 1
# saves/ in the folder the game is started from (the project's own, in the quick start): a
# folder beside the code was another user's on a shared machine, and inside site-packages for
# an installed copy, where the class's `circular report saves/` did not find it
SAVES_DIR = Path.cwd() / "saves"

MAX_SAVE_BYTES = 20_000_000
MAX_ACTIONS = 100_000  # 250 moves a quarter for 400 quarters; a longer log is not a real game
STALE_TEMPORARY_SECONDS = 600  # a half-written save left by a killed process, removed later


def shown_path(path: Path) -> str:
    """A path as the player can find it: from the folder the game was started in when it lies
    inside it ("saves/x.json"), else whole."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class SaveError(Exception):
    """A save that cannot be loaded; the message says why in plain words."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScenarioCopy(Strict):
    id: str
    path: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    source: str


class Snapshot(Strict):
    quarter: str
    turn: int
    finished: bool
    fingerprint: str
    valuations: dict[str, float]


PlayerName = Annotated[str, Field(max_length=MAX_NAME)]


class SaveFile(Strict):
    format: Literal["circular-save"]
    version: StrictInt
    saved_at: str
    player: PlayerName = ""  # the name typed for the first seat
    scenario: ScenarioCopy
    seed: int
    humans: list[str]  # the seats played by people, in turn order
    # A hot-seat game (several seats) also keeps each seat's player name and whose turn it
    # is; a game with one seat leaves both out, as saves did before hot seat.
    players: dict[str, PlayerName] = Field(default_factory=dict)
    playing: str = ""  # the seat whose turn it is
    difficulty: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    rules: str = ""  # the rules_version that played it ("" in saves made before it was kept)
    actions: Annotated[list[dict[str, Any]], Field(max_length=MAX_ACTIONS)]
    snapshot: Snapshot

    @model_validator(mode="after")
    def _seats_named_are_seats(self) -> SaveFile:
        strangers = [firm for firm in self.players if firm not in self.humans]
        if strangers:
            raise ValueError(f"players names a firm with no seat: {strangers[0]}")
        if self.playing and self.playing not in self.humans:
            raise ValueError(f"playing names a firm with no seat: {self.playing}")
        return self


def content_hash(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def save_document(
    game: Game,
    source: str,
    path: str,
    player: str = "",
    players: dict[str, str] | None = None,
    playing: str = "",
) -> dict[str, Any]:
    """The save as plain data. ``players`` (name per seat) and ``playing`` (the seat whose
    turn it is) are for hot-seat games; they are left out of the file when empty."""
    world = game.world
    document = SaveFile(
        format=FORMAT,
        version=VERSION,
        saved_at=datetime.now(UTC).isoformat(timespec="seconds"),
        player=player,
        players=players or {},
        playing=playing,
        scenario=ScenarioCopy(
            id=game.scenario.meta.id, path=path, sha256=content_hash(source), source=source
        ),
        seed=game.seed,
        humans=list(game.humans),
        difficulty=game.difficulty,
        options={"facilitator": game.facilitator},
        rules=rules_version(),
        actions=[action_to_dict(a) for a in game.log],
        snapshot=Snapshot(
            quarter=quarter_name(_progress_of(game)[1]),
            turn=world.turn,
            finished=world.finished,
            fingerprint=game.fingerprint(),
            valuations={
                f: round(float(v), 2) for f, v in zip(world.ids, world.metrics["valuation"], strict=True)
            },
        ),
    )
    empty = {key for key in ("players", "playing") if not getattr(document, key)}
    return document.model_dump(exclude=empty)


def write_save(
    game: Game,
    source: str,
    scenario_path: str,
    target: Path,
    player: str = "",
    players: dict[str, str] | None = None,
    playing: str = "",
) -> Path:
    """Write the save atomically: the old file stays whole until the new one is complete."""
    text = json.dumps(save_document(game, source, scenario_path, player, players, playing), indent=1)
    make_folder(target.parent)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    _remove_stale_temporaries(target)
    return target


def make_folder(folder: Path) -> None:
    """Create a folder to save in, if missing. A file in its place ("saves" made by mistake)
    raised "File exists", which said neither what was wrong nor where: the error says both
    ("saves/ is a file, not a folder")."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        shown = f"{shown_path(blocking)}{os.sep if blocking == folder else ''}"
        raise NotADirectoryError(errno.ENOTDIR, f"{shown} is a file, not a folder", str(folder)) from None


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself to disk, so a power cut cannot bring the old file back."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _remove_stale_temporaries(target: Path) -> None:
    """Remove what a process killed while writing ``target`` left behind (old enough that no
    other save can still be writing it)."""
    limit = time.time() - STALE_TEMPORARY_SECONDS
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < limit:
                leftover.unlink()


def read_save(path: Path) -> tuple[Game, SaveFile]:
    """Load and verify a save; raise SaveError with a message a player can act on."""
    shown = shown_path(path)
    try:
        raw = _read_bounded(path)
    except OSError as err:
        raise SaveError(f"cannot read {shown}: {err.strerror or err}") from None
    if raw is None:
        raise SaveError(f"{shown} is too large to be a save")
    try:
        data = json.loads(raw.decode("utf-8-sig"))  # an editor on Windows may add a BOM
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise SaveError(f"{shown} is not a readable save (it may be truncated or corrupt)") from None
    version = _format_version(data)
    if version is not None and version > VERSION:
        raise SaveError(f"{shown} was made by a newer version of Circular (save format {data['version']})")
    if version is not None and version < VERSION:
        raise SaveError(f"{shown} uses an old save format ({data['version']}) that this version cannot read")
    try:
        document = SaveFile.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        problem = f"{where}: {first['msg']}" if where else first["msg"]
        raise SaveError(f"{shown} is not a valid save ({problem})") from None
    copy = document.scenario
    if content_hash(copy.source) != copy.sha256:
        raise SaveError(f"{shown} has been edited: its scenario does not match its hash")
    try:
        scenario = parse_scenario(copy.source, copy.path)
    except ScenarioError as err:
        raise SaveError(f"{shown}: its scenario is no longer valid: {err.problems[0]}") from None
    edited = _edited_setting(document, scenario)
    if edited:
        raise SaveError(f"{shown} has been edited: {edited}")
    try:
        actions = [action_from_dict(a) for a in document.actions]
        facilitator = document.options.get("facilitator") is True
        game = Game.replay(
            scenario, document.seed, actions, tuple(document.humans), document.difficulty, facilitator
        )
    except (ReplayError, ValueError, TypeError) as err:
        raise SaveError(f"{shown} does not replay: {err}") from None
    if game.fingerprint() != document.snapshot.fingerprint:
        if document.rules and document.rules != rules_version():
            raise SaveError(
                f"{shown} was made by another version of Circular (rules {document.rules}, these are "
                f"{rules_version()}): it replays to a different game here, so it cannot be checked; "
                "open it with the version that made it"
            )
        raise SaveError(f"{shown} has been edited or damaged: replaying it gives a different game")
    if not _snapshot_is_its_game(document, game):
        # lists of saves and the class report read it without replaying: it must be the game's
        raise SaveError(f"{shown} has been edited: its snapshot does not match its moves")
    return game, document


def _read_bounded(path: Path) -> bytes | None:
    """A file's bytes, or None when it is larger than a save can be. Only a regular file is
    read, and never more than one byte past the limit: a link to /dev/zero would fill the
    memory, and a named pipe would wait forever for a writer."""
    if path.exists() and not path.is_file():
        raise OSError(errno.EINVAL, "it is not a file")
    with path.open("rb") as stream:
        raw = stream.read(MAX_SAVE_BYTES + 1)
    return None if len(raw) > MAX_SAVE_BYTES else raw


def _snapshot_is_its_game(document: SaveFile, game: Game) -> bool:
    try:
        return _progress_in(document.snapshot) == _progress_of(game)
    except ValueError:  # a quarter that is no quarter ("2025-Q5")
        return False


def _edited_setting(document: SaveFile, scenario: Scenario) -> str:
    """What a save says about its game that its own scenario contradicts ("" when nothing):
    the report groups saves by these, so an edited one would be counted in another world."""
    meta = scenario.meta
    if document.scenario.id != meta.id:
        return f"it says it is a game of {document.scenario.id}, but its scenario is {meta.id}"
    offered = [d.id for d in meta.difficulties]
    if document.difficulty is not None and document.difficulty not in offered:
        offers = f"offers {listing(offered, 'or')}" if offered else "offers no difficulties"
        return f"its difficulty is {document.difficulty}, but its scenario {offers}"
    return ""


@functools.cache
def rules_version() -> str:
    """A short digest of the code that turns (scenario, seed, moves) into a game: the engine
    and the scenario loader. A save replays to its game only under the same rules, so a save
    that no longer replays is blamed on an update, not on its player, when this differs."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for source in sorted([*package.glob("engine/*.py"), *package.glob("scenario/**/*.py")]):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def _format_version(data: object) -> float | None:
    """The save format's version as a number, however it was written ("2", 2.0, 2)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int | float | str):
        return None
    try:
        return float(version)
    except ValueError:
        return None


def default_save_path(scenario_id: str, seed: int, *, autosave: bool = False) -> Path:
    stem = f"{scenario_id}-seed{seed}"
    return SAVES_DIR / (f"{stem}.autosave.json" if autosave else f"{stem}.json")


def list_saves(folder: Path = SAVES_DIR) -> list[Path]:
    """The saves in ``folder``, newest first (a file removed meanwhile is left out)."""
    found: list[tuple[float, Path]] = []
    for path in folder.glob("*.json"):
        with contextlib.suppress(OSError):
            found.append((path.stat().st_mtime, path))
    return [path for _, path in sorted(found, key=lambda item: item[0], reverse=True)]


AUTOSAVE_SUFFIX = ".autosave.json"
# SCENARIO-seedN, then the seats and the players' names when they typed any
# (``Session.file_stem``): history-seed7-openai.json, tutorial-seed3-atlas-vermilion-ada-bo.autosave.json
_SAVE_NAME = re.compile(r"(?P<id>[a-z][a-z0-9_]*)-seed\d+(?:-[\w-]+)?(?:\.autosave)?\.json")


def peek(path: Path) -> dict[str, Any] | None:
    """A save's JSON as written, neither checked nor replayed (a list of saves describes each
    from it); None for a file that is too large, unreadable or not a JSON object."""
    with contextlib.suppress(OSError, ValueError, RecursionError):
        raw = _read_bounded(path)
        data = json.loads(raw.decode("utf-8-sig")) if raw is not None else None
        return data if isinstance(data, dict) else None
    return None


def scenario_id_of(path: Path) -> str | None:
    """The scenario a save is for, without replaying it: from the file while it is still
    JSON that says so, else from its name (``history-seed7-openai-ada.autosave.json``)."""
    data = peek(path) or {}
    scenario = data.get("scenario")
    found = scenario.get("id") if isinstance(scenario, dict) else None
    if isinstance(found, str) and found:
        return found
    match = _SAVE_NAME.fullmatch(path.name)
    return match["id"] if match else None


def newest_loadable(
    folder: Path, scenario_id: str, *, exclude: Path | None = None, autosaves_only: bool = True
) -> tuple[Path, Game, SaveFile] | None:
    """The newest save in ``folder`` for ``scenario_id`` that loads and verifies (autosaves
    only, unless told otherwise), leaving out ``exclude``; None when there is none."""
    skip = _same_file_key(exclude) if exclude is not None else None
    for path in list_saves(folder):
        if autosaves_only and not path.name.endswith(AUTOSAVE_SUFFIX):
            continue
        if skip is not None and _same_file_key(path) == skip:
            continue
        if scenario_id_of(path) != scenario_id:
            continue
        try:
            game, document = read_save(path)
        except Exception:  # a fallback must not fail: a save that errs in any way is skipped
            continue
        if document.scenario.id == scenario_id:
            return path, game, document
    return None


def fallback_for(failed: Path) -> tuple[Path, Game, SaveFile] | None:
    """For a save that would not load: its own autosave if that loads, else the newest
    autosave of the same scenario beside it that does (to offer the player instead), or None.

    Its own autosave comes first: in a class's shared folder the newest autosave of the
    scenario may be another student's game."""
    scenario_id = scenario_id_of(failed)
    if scenario_id is None:
        return None
    if not failed.name.endswith(AUTOSAVE_SUFFIX):
        own = own_autosave(failed)
        with contextlib.suppress(Exception):  # a fallback must not fail: try the others
            game, document = read_save(own)
            if document.scenario.id == scenario_id:
                return own, game, document
    return newest_loadable(failed.parent, scenario_id, exclude=failed)


def _same_file_key(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def own_save(path: Path) -> Path:
    """The ctrl+s save of the game a file holds: itself, or for ``X.autosave.json`` ``X.json``."""
    if path.name.endswith(AUTOSAVE_SUFFIX):
        return path.with_name(path.name.removesuffix(AUTOSAVE_SUFFIX) + ".json")
    return path


def own_autosave(path: Path) -> Path:
    """The autosave of the game a file holds: itself, or for ``X.json`` ``X.autosave.json``."""
    return own_save(path).with_name(own_save(path).name.removesuffix(".json") + AUTOSAVE_SUFFIX)


def progress(document: SaveFile) -> tuple[bool, int, int, int]:
    """How far a save's game got, to compare two files of one game: finished first, then the
    later quarter and turn, then the longer action log (a verified save's snapshot is its
    game's: ``read_save`` checks it)."""
    return (*_progress_in(document.snapshot), len(document.actions))


def _progress_in(snapshot: Snapshot) -> tuple[bool, int, int]:
    """Finished, quarter and turn as a snapshot says (ValueError for a quarter that is none)."""
    return snapshot.finished, quarter_index(snapshot.quarter), snapshot.turn


def _progress_of(game: Game) -> tuple[bool, int, int]:
    """Finished, quarter and turn of a game, as its snapshot writes them."""
    world = game.world
    return world.finished, min(world.quarter, world.last_quarter), world.turn


def reached(document: SaveFile) -> str:
    """How far a save's game got, in words: "finished" or "stopped at 2025-Q1"."""
    snapshot = document.snapshot
    return "finished" if snapshot.finished else f"stopped at {snapshot.quarter}"


def one_game(first: SaveFile, second: SaveFile) -> bool:
    """True when two files hold one game at two moments: the same world, seats, difficulty and
    mode, and the moves of the one behind are the first moves of the other. A file name says
    none of the difficulty or mode, so a later game of another difficulty took the same name."""
    setting = [
        (doc.scenario.sha256, doc.seed, doc.humans, doc.difficulty, doc.options) for doc in (first, second)
    ]
    shorter, longer = sorted((first.actions, second.actions), key=len)
    return setting[0] == setting[1] and longer[: len(shorter)] == shorter


def newer_autosave(path: Path, document: SaveFile) -> tuple[Path, SaveFile] | None:
    """For a ctrl+s save just loaded: its game's autosave when that got further (a save made
    in 2025-Q1, played on to 2026-Q2), else None. Read, not replayed: it only names the file;
    loading it checks it as any save."""
    autosave = own_autosave(path)
    if autosave == path:
        return None
    try:
        other = SaveFile.model_validate(peek(autosave))
        this_game = one_game(other, document)
        further = progress(other) > progress(document)
    except ValueError:  # not a save (ValidationError is one), or a quarter that is no quarter
        return None
    return (autosave, other) if this_game and further else None


def unfinished_game(path: Path) -> tuple[Path, SaveFile] | None:
    """For a new game about to write ``path`` (its ctrl+s save) and its autosave: the file of
    the two already there that got further, when it holds an unfinished game with moves made
    (the same game started again would overwrite it); else None. Read, not replayed: it only
    names the file; loading it checks it as any save."""
    found: list[tuple[tuple[bool, int, int, int], Path, SaveFile]] = []
    for candidate in (own_autosave(path), own_save(path)):
        with contextlib.suppress(ValueError):  # not a save, or a quarter that is no quarter
            document = SaveFile.model_validate(peek(candidate))
            found.append((progress(document), candidate, document))
    if not found:
        return None
    _, further, document = max(found, key=lambda item: item[0])
    return None if document.snapshot.finished or not document.actions else (further, document)


def keep_aside(path: Path, tag: str) -> list[Path]:
    """Rename the files of the game saved as ``path`` (its ctrl+s save and its autosave, those
    there) to carry ``tag`` ("tutorial-seed5-atlas-3f9a0c.json"), so that a new game of the
    same name does not overwrite them; the names they now have. A game loaded from them goes
    on writing them (``Session.tag_in``)."""
    renamed: list[tuple[Path, Path]] = []
    for old in (own_save(path), own_autosave(path)):
        new = old.with_name(old.name.replace(own_save(path).stem, f"{own_save(path).stem}-{tag}", 1))
        if new.exists():
            raise FileExistsError(errno.EEXIST, f"{shown_path(new)} is there already", str(new))
        if old.exists():
            renamed.append((old, new))
    for old, new in renamed:
        old.rename(new)
    return [new for _, new in renamed]
