"""Writing the class report out: the leaderboard and decisions CSVs and the Markdown summary
in a folder, and the leaderboard as text for the terminal.

How the report is built, and what about a person it holds (the name typed at the start, nothing
else), is told in :mod:`game.classroom`.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from game.classroom import ClassReport, Group, Peak, Seat, same_game
from game.money import format_money, format_share
from game.saves import SAVES_DIR
from game.words import count

LEADERBOARD_CSV = "leaderboard.csv"
DECISIONS_CSV = "decisions.csv"
SUMMARY_MD = "summary.md"


# --- writing ------------------------------------------------------------------------------


def default_folder(report: ClassReport) -> Path:
    ids = sorted({g.scenario_id for g in report.groups})
    return SAVES_DIR / f"report-{ids[0] if len(ids) == 1 else 'mixed'}"


LEADERBOARD_COLUMNS = [
    "scenario",
    "scenario_sha256",
    "seed",
    "difficulty",
    "class_code",
    "rank",
    "player",
    "firm",
    "firm_name",
    "role",
    "start_valuation",
    "final_valuation",
    "score",
    "goal",
    "collapse",
    "firm_failed",
    "round_trip",
    "peak_round_trip",
    "peak_round_trip_quarter",
    "peak_cycling",
    "peak_cycling_quarter",
    "peak_bubble",
    "peak_bubble_quarter",
    "failures",
    "quarter",
    "finished",
    "moves",
    "facilitator_moves",
    "same_game_as",
]
OUTCOME_COLUMNS = ["rank", "score", "goal", "final_valuation", "firm_failed", "collapse"]


def seat_row(group: Group, seat: Seat) -> dict[str, Any]:
    game = group.played[seat.save]
    peaks = {"round_trip": seat.peak_round_trip, "cycling": game.peak_cycling, "bubble": game.peak_bubble}
    return {
        **group.world,
        "rank": seat.rank,
        "player": seat.player,
        "firm": seat.firm,
        "firm_name": seat.firm_name,
        "role": seat.role,
        "start_valuation": round(seat.start_valuation, 2),
        "final_valuation": round(seat.final_valuation, 2),
        "score": round(seat.score, 4),
        "goal": seat.goal,
        "collapse": seat.collapse,
        "firm_failed": seat.firm_failed,
        "round_trip": "" if math.isnan(seat.round_trip) else round(seat.round_trip, 4),
        **{f"peak_{name}": "" if math.isnan(p.value) else round(p.value, 4) for name, p in peaks.items()},
        **{f"peak_{name}_quarter": p.quarter for name, p in peaks.items()},
        "failures": seat.failures,
        "quarter": seat.quarter,
        "finished": seat.finished,
        "moves": seat.moves,
        "facilitator_moves": seat.facilitator_moves,
        # the duplicate check's mark (the * of the terminal's leaderboard), by name
        "same_game_as": "; ".join(group.same_game_as(seat)),
    }


def write_report(report: ClassReport, folder: Path) -> list[Path]:
    """Write the leaderboard CSV, the decisions CSV and the Markdown summary into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    leaderboard = [seat_row(g, s) for g in report.groups for s in g.seats]
    decisions = []
    for group in report.groups:
        outcomes = {(s.player, s.firm): s for s in group.seats}
        for row in group.decisions:
            seat = outcomes.get((row["player"], row["seat_firm"]))
            extra = {f"outcome_{k}": seat_row(group, seat)[k] for k in OUTCOME_COLUMNS} if seat else {}
            decisions.append({**group.world, **row, **extra})
    fixed = [*group_columns(), "player", "seat_firm", "step", "quarter", "type", "actor"]
    outcome = [f"outcome_{k}" for k in OUTCOME_COLUMNS]
    fields = [k for row in decisions for k in row if k not in fixed and k not in outcome]
    decision_columns = [*fixed, *dict.fromkeys(fields), *outcome]
    written = [
        _write_csv(folder / LEADERBOARD_CSV, LEADERBOARD_COLUMNS, leaderboard),
        _write_csv(folder / DECISIONS_CSV, decision_columns, decisions),
    ]
    summary = folder / SUMMARY_MD
    summary.write_text(markdown_summary(report), encoding="utf-8")
    written.append(summary)
    return written


def group_columns() -> list[str]:
    return ["scenario", "scenario_sha256", "seed", "difficulty", "class_code"]


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> Path:
    # utf-8-sig: spreadsheets then read accented names correctly
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k, "")) for k in columns})
    return path


def _cell(value: Any) -> Any:
    """A CSV cell; text a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# --- reading aloud: the text leaderboard and the Markdown summary ----------------------------


def _describe_world(group: Group) -> str:
    parts = [f"{group.scenario_id}", f"seed {group.seed}"]
    if group.difficulty:
        parts.append(f"difficulty {group.difficulty}")
    if group.class_code:
        parts.append(f"class code {group.class_code}")
    parts.append(f"scenario sha256 {group.sha256[:12]}")
    return ", ".join(parts)


def _money(amount: float, unit: str) -> str:
    return format_money(amount, unit).replace(" ", "")


def _share(value: float) -> str:
    return "n/a" if math.isnan(value) else format_share(value)


def goal_words(seat: Seat) -> str:
    """The goal column, the same on screen and in summary.md: an unfinished game names the
    quarter it stopped at."""
    return seat.goal if seat.finished else f"unfinished ({seat.quarter})"


def leaderboard_text(report: ClassReport) -> str:
    """The leaderboards for the terminal, one per world."""
    out: list[str] = []
    for group in report.groups:
        if out:
            out.append("")
        out.append(f"{group.title} ({_describe_world(group)}): {_players_in_games(group)}")
        # as wide as the longest name: a name cut short ("Delta Web Serv") passes for a whole one
        who = max(len("player"), *(len(s.player) for s in group.seats))
        firm = max(len("firm"), *(len(s.firm_name) for s in group.seats))
        goals = max(10, *(len(goal_words(s)) for s in group.seats))
        header = (
            f"{'rank':>4}  {'player':<{who}} {'firm':<{firm}} {'role':<11} {'score':>6} "
            f"{'valuation':>17}  {'goal':<{goals}} {'collapse':<8} {'round-trip':>10} {'failures':>8}"
        )
        out.append(header)
        for s in group.seats:
            valuation = f"{_money(s.start_valuation, group.unit)}->{_money(s.final_valuation, group.unit)}"
            goal = goal_words(s)
            rank = f"{s.rank}*" if group.copied(s) else str(s.rank)
            out.append(
                f"{rank:>4}  {s.player:<{who}} {s.firm_name:<{firm}} {s.role:<11} {s.score:>6.2f} "
                f"{valuation:>17}  {goal:<{goals}} {'yes' if s.collapse else 'no':<8} "
                f"{_share(s.round_trip):>10} {s.failures:>8}"
            )
        out.append("   each player is ranked among those who played the same firm, finished games first")
        if group.copies:
            out.append("   * identical games (same seed and same moves): see the warnings above")
    return "\n".join(out)


def _players_in_games(group: Group) -> str:
    """ "5 players in 3 games": a hot-seat game has several players, a game handed in twice
    counts once (the leaderboard, the summary and the warnings say the same)."""
    return f"{count(group.players, 'player')} in {count(len(group.games), 'game')}"


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or " "


def most_common_moves(group: Group, limit: int = 8) -> list[tuple[str, int, int]]:
    """(move, players who made it, times made), most widespread first."""
    times = Counter(move for _, move in group.moves)
    players = Counter(move for _, move in set(group.moves))
    ranked = sorted(times, key=lambda m: (-players[m], -times[m], m))
    return [(m, players[m], times[m]) for m in ranked[:limit]]


def markdown_summary(report: ClassReport) -> str:
    out = ["# Class report", ""]
    if len(report.groups) > 1:
        out += [f"{len(report.groups)} different worlds were played; each is ranked on its own.", ""]
    for group in report.groups:
        out += _group_markdown(group)
    return "\n".join(out).rstrip() + "\n"


def missed(seat: Seat) -> str:
    """Why a finished seat did not reach its goal: the parts not met, else what lost it."""
    if seat.unmet:
        return "; ".join(seat.unmet)
    if seat.collapse:
        return "the system collapsed"
    return "its firm failed" if seat.firm_failed else "the scenario's condition for losing held"


def _missed_markdown(group: Group) -> list[str]:
    short = [s for s in group.seats if s.finished and s.goal != "won"]
    if not short:
        return []
    out = ["", "### Goals not reached", ""]
    out += ["What each player who finished without reaching the goal missed, at the end:", ""]
    out += [f"- {_md(s.player)} ({_md(s.firm_name)}): {_md(missed(s))}" for s in short]
    return out


def _copies_markdown(group: Group) -> list[str]:
    copies = group.copies
    if not copies:
        return []
    out = ["", "### Identical games", ""]
    out += [f"- {_md(same_game(same))}." for same in copies]
    out += [
        "",
        "These saves hold the same world, the same seats and the same moves. Either the players "
        "made exactly the same moves (players who take every default answer and make no move of "
        "their own all play the same game), or one save is a copy of another: a save is not signed, "
        "and replaying it checks its moves and results but not the names in it. Each save is ranked; "
        "together they count as one game in the results.",
    ]
    return out


def _peaks_markdown(group: Group) -> list[str]:
    """When the loop was tightest, game by game: the cycling and bubble indices' peaks and each
    cloud's or chipmaker's peak round-trip share (a lab's is always 0, and the end of the game
    is not when the money went round most)."""
    out = ["", "### When the loop was tightest", ""]
    out += ["| game | peak cycling index | peak bubble index | peak round-trip share |", "|---|---|---|---|"]
    for game in group.games:  # a game handed in twice once
        shares = [
            f"{_md(s.firm_name)} {_peak(s.peak_round_trip, _share)}"
            for s in group.seats
            if group.played[s.save] is game and not math.isnan(s.peak_round_trip.value)
        ]
        bubble = _peak(game.peak_bubble, lambda x: f"{x:.2f}")
        out.append(
            f"| {_md(game.players)} | {_peak(game.peak_cycling, _share)} | {bubble} "
            f"| {'; '.join(shares) or '(no cloud played)'} |"
        )
    return out


def _peak(peak: Peak, shown: Callable[[float], str]) -> str:
    return "n/a" if math.isnan(peak.value) else f"{shown(peak.value)} ({peak.quarter})"


def _facilitator_markdown(group: Group) -> list[str]:
    games = group.games
    facilitated = [g for g in games if g.facilitator]
    if not facilitated:
        return []
    out = ["", "### Facilitator moves", ""]
    out.append(
        f"{len(facilitated)} of {len(games)} games had facilitator moves (shocks, grants or fines): "
        "they were not quite the world the other games played, so compare their scores with care."
    )
    out.append("")
    for game in facilitated:
        out.append(f"- {_md(game.players)} ({_md(game.firms)}):")
        out += [f"  - {quarter}: {_md(move)}" for quarter, move in game.facilitator]
    return out


RANKED_HOW = (
    "Each player is ranked among those who played the same firm. Finished games come first; a game "
    "that stopped early is ranked after them (its score is a score halfway through the game) and "
    "left out of the scores by firm."
)


def _scores_by_firm(finished: list[Seat], seats: int) -> list[str]:
    """Each firm's best and average score over its finished games, never one figure for the
    class: a lab's share price may end eighty times its start when a hyperscaler doing well
    ends near two. An unfinished game's score is a score halfway through, not a result."""
    if not finished:
        return ["- No game was played to the end yet: no scores to compare."]
    unfinished = seats - len(finished)
    left_out = f", leaving out {count(unfinished, 'player')} who did not finish" if unfinished else ""
    out = [
        "- Scores by firm (share price at the end over at the start, of the finished games"
        f"{left_out}; scores of different firms do not compare):"
    ]
    for firm in dict.fromkeys(s.firm for s in finished):
        played = [s for s in finished if s.firm == firm]
        best = max(played, key=lambda s: s.score)
        line = f"  - {_md(best.firm_name)}: "
        if len(played) == 1:
            out.append(line + f"{best.score:.2f} ({_md(best.player)}).")
        else:
            average = float(np.mean([s.score for s in played]))
            out.append(
                line + f"best **{best.score:.2f}** ({_md(best.player)}), average {average:.2f} "
                f"of {count(len(played), 'player')}."
            )
    return out


def _group_markdown(group: Group) -> list[str]:
    unit = group.unit
    seats = group.seats
    finished = [s for s in seats if s.finished]
    won = [s for s in finished if s.goal == "won"]
    out = [f"## {group.title}", ""]
    world = [f"Scenario `{group.scenario_id}`", f"seed **{group.seed}**"]
    if group.difficulty:
        world.append(f"difficulty `{group.difficulty}`")
    if group.class_code:
        world.append(f"class code **{group.class_code}**")
    world.append(f"scenario SHA-256 `{group.sha256[:12]}…`")
    out += [", ".join(world) + ".", ""]
    out += ["### Leaderboard", "", RANKED_HOW, ""]
    out.append(
        "| rank | player | firm | role | score | valuation (start → end) | goal | round-trip | failures |"
    )
    out.append("|---:|---|---|---|---:|---|---|---:|---:|")
    for s in seats:
        goal = goal_words(s)
        if s.collapse:
            goal += ", system collapsed"
        if s.facilitator_moves:
            goal += ", facilitator moves"
        if group.copied(s):
            goal += ", same game as another save"
        out.append(
            f"| {s.rank} | {_md(s.player)} | {_md(s.firm_name)} | {s.role} | {s.score:.2f} "
            f"| {_money(s.start_valuation, unit)} → {_money(s.final_valuation, unit)} | {goal} "
            f"| {_share(s.round_trip)} | {s.failures} |"
        )
    out += _missed_markdown(group) + _copies_markdown(group) + _facilitator_markdown(group)
    games = group.games  # a hot-seat game has several seats but is one game
    out += ["", "### Results", ""]
    out.append(f"- {_players_in_games(group)}.")
    if finished:
        out.append(
            f"- **{len(won)} of {len(finished)}** players who finished reached their goal "
            f"({format_share(len(won) / len(finished))})."
        )
    finished_games = [g for g in games if g.finished]
    unfinished = len(games) - len(finished_games)
    if unfinished:
        out.append(f"- {unfinished} of {len(games)} games stopped before the end.")
    out += _scores_by_firm(finished, len(seats))
    for role in ("hyperscaler", "lab"):
        of_role = [s for s in finished if s.role == role]
        if of_role:
            hits = sum(s.goal == "won" for s in of_role)
            out.append(f"- {role.capitalize()}s: {hits} of {len(of_role)} reached the goal.")
    collapsed = sum(g.collapse for g in finished_games)
    out.append(f"- The system collapsed in {collapsed} of {len(finished_games)} finished games.")
    failed = [s for s in seats if s.firm_failed]
    if failed:
        out.append(f"- {len(failed)} player{'s' * (len(failed) != 1)} saw their own firm fail.")
    with_failures = sum(g.failures > 0 for g in games)
    out.append(f"- At least one firm failed in {with_failures} of {len(games)} games.")
    out += _peaks_markdown(group)
    moves = most_common_moves(group)
    out += ["", "### Most common moves", ""]
    if moves:
        out += ["| move | players | times |", "|---|---:|---:|"]
        out += [f"| {_md(move)} | {players} | {times} |" for move, players, times in moves]
    else:
        out.append("Nobody made a move besides ending quarters.")
    if group.objectives:
        out += ["", "### Learning objectives", ""]
        out += [f"- {' '.join(o.split())}" for o in group.objectives]
    out += ["", "### Debrief questions", ""]
    if group.debrief:
        out += [f"{n}. {' '.join(q.split())}" for n, q in enumerate(group.debrief, start=1)]
    else:
        out.append("The scenario has no debrief questions (`[teaching] debrief`).")
    out.append("")
    return out
