"""Plain-text tables for the command line (no colours, fixed widths, readable in a log)."""

from __future__ import annotations

from typing import Any

from game.money import format_money, format_share
from game.scenario.model import Scenario

LAB_FIRST = {"lab": 0, "hyperscaler": 1, "chipmaker": 2, "neocloud": 3, "investor": 4}


def print_run(scenario: Scenario, run: dict[str, Any]) -> str:
    """One run: a row per quarter with every firm's valuation, failures and the cycling index
    (a percentage, as the game shows it; ``--json`` keeps the fraction)."""
    unit = scenario.meta.unit
    firms = sorted(scenario.firms, key=lambda f: LAB_FIRST[f.kind])
    header = ["quarter", *[f.id for f in firms], "failed", "cycling", "bubble"]
    width = max(9, *(len(h) for h in header))  # an id is never cut: it names the firm
    lines = [" ".join(f"{h:>{width}}" for h in header)]
    for row in run["quarters"]:
        cells = [row["quarter"], *[_short(row["valuation"][f.id], unit) for f in firms]]
        cells += [str(row["failures"]), format_share(row["system_cycling"]), f"{row['system_bubble']:.2f}"]
        lines.append(" ".join(f"{c:>{width}}" for c in cells))
    failed = ", ".join(run["failed"]) or "none"
    lines.append(f"\nseed {run['seed']}; failed: {failed}")
    return "\n".join(lines)


def print_summary(scenario: Scenario, summary: dict[str, Any]) -> str:
    """Many runs: percentiles of final valuations and failure rates per firm."""
    unit = scenario.meta.unit
    names = max((len(firm["name"]) for firm in summary["firms"].values()), default=4) + 1
    lines = [
        f"{scenario.meta.title}: {summary['runs']} runs in {summary['seconds']} s",
        "",
        f"{'firm':<{names}}{'p10':>11}{'median':>11}{'p90':>11}{'failed':>9}",
    ]
    for firm in summary["firms"].values():
        lines.append(
            f"{firm['name']:<{names}}{_short(firm['p10'], unit):>11}{_short(firm['median'], unit):>11}"
            f"{_short(firm['p90'], unit):>11}{format_share(firm['failure_rate']):>9}"
        )
    failures = summary["failures"]
    lines += [
        "",
        f"runs with any failure: {format_share(failures['share_with_any'])}; "
        f"with two or more: {format_share(failures['share_with_two_or_more'])}; "
        f"system collapse: {format_share(summary['collapse_rate'])}",
        f"median peak cycling index: {format_share(summary['peak_cycling_median'])}; "
        f"median peak bubble index: {summary['peak_bubble_median']:.2f}",
    ]
    return "\n".join(lines)


def _short(amount: float, unit: str) -> str:
    return format_money(amount, unit).replace(" ", "")
