"""The ``circular`` command. Heavy modules are imported inside each command, so that
``circular --help`` and ``circular validate`` start quickly and never load Textual."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from game.options import UsageError, add_seat_options, game_options, within, within_seeds
from game.ui import serve
from game.words import count

# play's options, which also work without the word play: `circular --load FILE` is the
# command students most often type, and means `circular play --load FILE`.
PLAY_OPTIONS = ("--seed", "--as", "--difficulty", "--load", "--code", "--name", "--players", "--facilitator")


class CommandFailed(Exception):
    """A command that cannot do its work (a file in the way, nothing to read): one line,
    exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="circular",
        description=(
            "Circular: a game about circular AI financing. With no command, play; play's options "
            "work without the word play (circular --load SAVE is circular play --load SAVE)."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser("play", help="play in the terminal (the default)")
    play.add_argument("scenario", nargs="?", default=None, help="bundled id or path (default: history)")
    play.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    play.add_argument("--as", dest="firm", metavar="FIRM", help="the firm you run")
    play.add_argument("--difficulty", help="a difficulty the scenario offers")
    play.add_argument("--load", metavar="SAVE", help="resume a saved game")
    play.add_argument(
        "--code", metavar="CODE", help="a class code from your instructor (e.g. history-1k7-92b9)"
    )
    add_seat_options(play)

    commands.add_parser("scenarios", help="list the bundled scenarios")

    validate = commands.add_parser(
        "validate", help="check scenario files: every error, and warnings from a quick batch of bot games"
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("--json", action="store_true", help="machine-readable output")
    validate.add_argument("--no-games", action="store_true", help="skip the quick batch of bot games")

    new = commands.add_parser("new", help="write a commented starter scenario")
    new.add_argument("scenario_id", metavar="SCENARIO_ID", help="the new scenario's id (a-z, 0-9, _)")
    new.add_argument("--output", metavar="FILE", help="where to write it (default: SCENARIO_ID.toml)")

    schema = commands.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.add_argument("--output", metavar="FILE", help="write it to FILE instead (never over a file)")
    schema.add_argument("--force", action="store_true", help="with --output: replace FILE if it exists")

    simulate = commands.add_parser("simulate", help="let bots play every seat")
    simulate.add_argument("scenario", help="bundled id or path")
    simulate.add_argument("--seed", type=int, help="seed of the first run (default: the scenario's)")
    simulate.add_argument("--quarters", type=int, help="play this many quarters instead")
    simulate.add_argument("--runs", type=int, default=1, help="number of runs (default 1)")
    simulate.add_argument("--processes", type=int, help="worker processes (default: all cores)")
    simulate.add_argument("--json", action="store_true", help="machine-readable output")

    balance = commands.add_parser(
        "balance", help="bots try every personality for each playable firm: strategies, goals, events"
    )
    balance.add_argument("scenario", help="bundled id or path")
    balance.add_argument("--runs", type=int, default=200, help="number of games in all (default 200)")
    balance.add_argument("--seed", type=int, help="first seed (default: the scenario's)")
    balance.add_argument("--processes", type=int, help="worker processes (default: all cores)")
    balance.add_argument("--json", action="store_true", help="machine-readable output")

    report = commands.add_parser("report", help="a class report from students' saves")
    report.add_argument(
        "saves",
        nargs="*",
        metavar="SAVES",
        help="save files or folders of saves, autosaves included (default: saves/ here)",
    )
    report.add_argument(
        "--out",
        metavar="DIR",
        help="folder for the report (default: saves/report-SCENARIO)",
    )
    serve.add_parser(commands)
    return parser


def _import_models() -> None:
    """Import pydantic and build the scenario models with the garbage collector paused.

    They make ~20k objects that live as long as the program: the collector's passes over
    them during the import, and its last pass at exit, cost ~35 ms of a `circular validate`
    that takes ~200 ms. So collect nothing while importing, then freeze what exists (leave it
    out of every later pass), once per process."""
    if "game.scenario.loader" in sys.modules:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        import game.scenario.loader  # noqa: F401
    finally:
        if enabled:
            gc.enable()
        gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0].split("=")[0] in PLAY_OPTIONS:
        argv.insert(0, "play")
    args = build_parser().parse_args(argv)
    _import_models()
    from game.scenario.loader import ScenarioError

    try:
        if args.command in (None, "play"):
            return _play(args)
        handler = {
            "scenarios": _scenarios,
            "validate": _validate,
            "schema": _schema,
            "simulate": _simulate,
            "new": _new,
            "balance": _balance,
            "report": _report,
            "serve": serve.run,
        }
        return handler[args.command](args)
    except ScenarioError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    except UsageError as err:
        print(f"circular: {err}", file=sys.stderr)
        return 2
    except CommandFailed as err:
        print(f"circular: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader stopped early (e.g. `| head`): not an error
        sys.stderr.close()
        return 0


def _scenarios(args: argparse.Namespace) -> int:
    from game.scenario.loader import ScenarioError, bundled_ids, load_scenario

    ids = bundled_ids()
    width = max((len(scenario_id) for scenario_id in ids), default=0)  # the columns line up
    for scenario_id in ids:
        try:
            meta = load_scenario(scenario_id).scenario.meta
        except ScenarioError as err:
            print(f"{scenario_id:<{width}} (invalid: {err.problems[0].message})")
            continue
        print(f"{scenario_id:<{width}} {meta.quarters:>3} quarters from {meta.start}  {meta.title}")
        # the ids `--as` takes, so that nobody guesses a firm the scenario does not seat
        print(f"{'':<{width}} play as: {', '.join(meta.playable)}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from game.scenario.loader import Problem, ScenarioError, load_scenario

    report: dict[str, list[Problem]] = {}
    warnings: dict[str, list[Problem]] = {}
    smaller: dict[str, dict[str, int]] = {}  # a large world's smaller batch of bot games
    for name in args.files:
        warnings[name] = []
        try:
            loaded = load_scenario(Path(name) if Path(name).exists() else name)
            report[name] = []
        except ScenarioError as err:
            report[name] = err.problems
            continue
        from game.authoring import QUICK_GAMES, batch_size, scenario_warnings

        games = 0 if args.no_games else QUICK_GAMES
        played, quarters = batch_size(loaded.scenario, games)
        full = loaded.scenario.meta.quarters
        if games and (played, quarters) != (games, full):
            smaller[name] = {
                "games": played,
                "quarters": quarters,
                "full_games": games,
                "full_quarters": full,
            }
        warnings[name] = scenario_warnings(loaded.scenario, loaded.source, name, games=games)
    if args.json:
        import json

        from game.authoring import as_json

        out = {name: as_json(problems) for name, problems in report.items()}
        cautions = {name: as_json(problems) for name, problems in warnings.items()}
        document = {"valid": not any(report.values()), "files": out, "warnings": cautions}
        print(json.dumps({**document, **({"smaller_batches": smaller} if smaller else {})}, indent=1))
    else:
        from game.authoring import warning_line

        for name, problems in report.items():
            for problem in problems:
                print(problem, file=sys.stderr)
            for problem in warnings[name]:
                print(warning_line(problem), file=sys.stderr)
            if not problems:
                found = len(warnings[name])
                notes = [count(found, "warning")] if found else []
                batch = smaller.get(name)
                if batch is not None:
                    notes.append(
                        f"warnings from {count(batch['games'], 'bot game')} of "
                        f"{count(batch['quarters'], 'quarter')}, not {batch['full_games']} of "
                        f"{batch['full_quarters']}: a smaller batch for a large world"
                    )
                print(f"{name}: ok" + (f" ({'; '.join(notes)})" if notes else ""))
    return 1 if any(report.values()) else 0


def _schema(args: argparse.Namespace) -> int:
    from game.scenario.schema import schema_text

    text = schema_text()
    if not args.output:
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    try:  # like `new`, never overwrite a file by surprise (an editor's schema, say)
        with target.open("w" if args.force else "x", encoding="utf-8") as stream:
            stream.write(text)
    except FileExistsError:
        raise CommandFailed(
            f"{target} already exists; add --force to replace it, or choose another --output"
        ) from None
    except OSError as err:
        raise CommandFailed(f"cannot write {target}: {err.strerror}") from None
    return 0


def _simulate(args: argparse.Namespace) -> int:
    import json

    from game.report import print_run, print_summary
    from game.scenario.loader import load_scenario
    from game.simulate import run_many, run_once, summarise, with_quarters

    loaded = load_scenario(args.scenario)
    within("--runs", args.runs, 1, 1_000_000)
    within("--quarters", args.quarters, 1, 400)
    within("--processes", args.processes, 1, 64)
    within_seeds(args.seed, args.runs)
    scenario = with_quarters(loaded.scenario, args.quarters)
    first = scenario.meta.seed if args.seed is None else args.seed
    if args.runs == 1:
        run = run_once(scenario, first)
        print(json.dumps(run, indent=1) if args.json else print_run(scenario, run))
        return 0
    started = time.perf_counter()
    outcomes = run_many(loaded.source, list(range(first, first + args.runs)), args.quarters, args.processes)
    summary = summarise(scenario, outcomes)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    print(json.dumps(summary, indent=1) if args.json else print_summary(scenario, summary))
    return 0


def _new(args: argparse.Namespace) -> int:
    from game.authoring import SCHEMA_NAME, schema_reference, starter_scenario, valid_id

    if not valid_id(args.scenario_id):
        raise UsageError(
            f"'{args.scenario_id}' is not a scenario id: use a-z, 0-9 and _, starting with a letter"
        )
    target = Path(args.output or f"{args.scenario_id}.toml")
    if target.exists():
        raise CommandFailed(f"{target} already exists; choose another --output or remove it first")
    if not target.parent.is_dir():
        raise CommandFailed(f"{target.parent} is not a folder")
    schema = target.parent / SCHEMA_NAME
    written_schema = False
    if not schema.exists():
        from game.scenario.schema import schema_text

        schema.write_text(schema_text(), encoding="utf-8")
        written_schema = True
    text = starter_scenario(args.scenario_id, schema_reference(target, schema))
    try:
        with target.open("x", encoding="utf-8") as stream:  # never overwrite, even in a race
            stream.write(text)
    except FileExistsError:
        raise CommandFailed(f"{target} already exists; choose another --output or remove it first") from None
    except OSError as err:
        raise CommandFailed(f"cannot write {target}: {err.strerror}") from None
    print(f"wrote {target}")
    if written_schema:
        print(f"wrote {schema} (for editors: the file's #:schema line points to it)")
    print(f"next: circular validate {target}")
    return 0


def _balance(args: argparse.Namespace) -> int:
    import json

    from game.balance import print_balance, run_balance, summarise_balance
    from game.scenario.loader import load_scenario

    loaded = load_scenario(args.scenario)
    within("--runs", args.runs, 1, 1_000_000)
    within("--processes", args.processes, 1, 64)
    within_seeds(args.seed, args.runs)
    first = loaded.scenario.meta.seed if args.seed is None else args.seed
    started = time.perf_counter()
    runs = run_balance(loaded.source, args.runs, first, args.processes)
    summary = summarise_balance(loaded.scenario, runs, first)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    print(json.dumps(summary, indent=1) if args.json else print_balance(summary))
    return 0


def _report(args: argparse.Namespace) -> int:
    from game.classroom import build_report, find_saves
    from game.classroom_export import default_folder, leaderboard_text, write_report
    from game.saves import SAVES_DIR, shown_path

    if not args.saves:
        print(f"reading the saves in {shown_path(SAVES_DIR)}{os.sep}")
    paths, warnings = find_saves(args.saves or [SAVES_DIR])
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    report = build_report(paths)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not report.groups:
        raise CommandFailed("no readable saves to report on")
    folder = Path(args.out) if args.out else default_folder(report)
    try:
        written = write_report(report, folder)
    except OSError as err:
        raise CommandFailed(f"cannot write the report in {folder}: {err.strerror}") from None
    print(leaderboard_text(report))
    print()
    for note in report.notes:
        print(f"note: {note}")
    for path in written:
        print(f"wrote {path}")
    return 0


# What a save decides for itself: given with --load, each would be silently ignored.
LOAD_DECIDES = (
    ("--seed", "seed"),
    ("--as", "firm"),
    ("--difficulty", "difficulty"),
    ("--code", "code"),
    ("--name", "name"),
    ("--players", "players"),
    ("--facilitator", "facilitator"),
)


def _play(args: argparse.Namespace) -> int:
    if getattr(args, "load", None) is not None:
        given = [flag for flag, name in LOAD_DECIDES if getattr(args, name, None) not in (None, False)]
        if given:
            raise UsageError(
                f"{given[0]}: a save resumes with its own seed, seats and mode; leave it out with --load"
            )
        # Nothing to resume: say so here. (A damaged save opens the game, which offers the autosave.)
        if not Path(args.load).is_file():
            what = "is a folder, not a save" if Path(args.load).is_dir() else "does not exist"
            raise UsageError(f"--load {args.load}: {what}; `circular` lists the saves on its title screen")

    options = game_options(args)
    from game.ui.app import run_app

    return run_app(
        options.loaded,
        seed=options.seed,
        firm=options.firm,
        difficulty=options.difficulty,
        load=getattr(args, "load", None),
        start_playing=args.command == "play",
        player=options.player,
        seats=options.seats,
        facilitator=getattr(args, "facilitator", False),
    )


if __name__ == "__main__":
    sys.exit(main())
