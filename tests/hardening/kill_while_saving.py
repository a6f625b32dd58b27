"""Kill a process with SIGKILL at random moments while it saves, many times, and check
after each kill that every save file on disk still loads, as the old or the new version.

Run by ``test_kill_while_saving.py`` (a short run) or by hand for a long one:

    python tests/hardening/kill_while_saving.py --rounds 2000 --folder /tmp/kills

This process builds four states of one game, then for each round forks a writer that saves
them in turn, as fast as it can, over a save, an autosave and a save made fresh each round;
it kills the writer after a random delay, checks every ``*.json`` in the folder with
``read_save`` (each must replay to one of the four states) and counts the rounds in which
the writer died with a save half-written (a temporary file left behind). It prints a JSON
summary on the last line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.engine.actions import Action, Bet, EndQuarter, SetTraining  # noqa: E402
from game.engine.game import Game  # noqa: E402
from game.saves import SaveError, list_saves, read_save, write_save  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402

MOVES: list[Action] = [
    Bet("cloudco", "redlab", 2e9),
    EndQuarter(""),
    SetTraining("redlab", 0.7),
    EndQuarter(""),
    EndQuarter(""),
]


def states() -> list[Game]:
    """The game after 0, 2, 4 and 5 moves: four different saves."""
    scenario = load_scenario(ROOT / "tests" / "data" / "mini.toml").scenario
    return [Game.replay(scenario, 7, MOVES[:count], ("cloudco", "redlab")) for count in (0, 2, 4, 5)]


def writer(games: list[Game], source: str, path: str, targets: list[Path], start: int) -> None:
    """Save the states in turn over the targets until killed (runs in the forked child)."""
    k = start
    while True:
        for target in targets:
            write_save(games[k % len(games)], source, path, target)
            k += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--max-delay", type=float, default=0.03, help="seconds before the kill, at most")
    args = parser.parse_args(argv)
    loaded = load_scenario(ROOT / "tests" / "data" / "mini.toml")
    games = states()
    fingerprints = {game.fingerprint(): number for number, game in enumerate(games)}
    assert len(fingerprints) == len(games), "the states must differ"
    folder: Path = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    save, autosave = folder / "mini-seed7.json", folder / "mini-seed7.autosave.json"
    fresh = folder / "fresh.json"
    for target in (save, autosave):
        write_save(games[0], loaded.source, loaded.path, target)
    rng = random.Random(args.seed)
    verdicts: dict[str, str] = {}  # sha-256 of a file's bytes -> the state it replays to, or why not
    failures: list[str] = []
    half_written = changed = 0
    seen_states: set[str] = set()
    started = time.perf_counter()
    for round_number in range(args.rounds):
        fresh.unlink(missing_ok=True)
        before = {path.name: path.read_bytes() for path in (save, autosave)}
        temporaries = set(folder.glob(".*.tmp"))
        pid = os.fork()
        if pid == 0:  # the writer: never returns
            try:
                writer(games, loaded.source, loaded.path, [save, autosave, fresh], round_number)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0, args.max_delay))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            failures.append(f"round {round_number}: the writer ended by itself ({status})")
        half_written += bool(set(folder.glob(".*.tmp")) - temporaries)
        changed += any(path.read_bytes() != before[path.name] for path in (save, autosave))
        for path in sorted(folder.glob("*.json")):
            data = path.read_bytes()
            key = hashlib.sha256(data).hexdigest()
            if key not in verdicts:
                try:
                    game, _ = read_save(path)
                    verdicts[key] = f"state {fingerprints.get(game.fingerprint(), 'unknown')}"
                except SaveError as err:
                    verdicts[key] = f"refused: {err}"
            verdict = verdicts[key]
            seen_states.add(verdict)
            if not verdict.startswith("state ") or verdict == "state unknown":
                failures.append(f"round {round_number}: {path.name}: {verdict}")
        if set(list_saves(folder)) - {save, autosave, fresh}:
            failures.append(f"round {round_number}: a temporary file is listed as a save")
    summary = {
        "rounds": args.rounds,
        "kills_with_a_save_half_written": half_written,
        "rounds_where_a_save_was_replaced": changed,
        "files_checked_distinct": len(verdicts),
        "states_seen": sorted(seen_states),
        "failures": failures[:20],
        "failure_count": len(failures),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(summary))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
