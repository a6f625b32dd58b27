"""The help screen's text: every mechanism and metric in plain words.

Metric descriptions come from ``game.scenario.vocabulary`` (one source for the scenario
guide and the game), so the help and the conditions in scenarios never disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

from game.folders import project_folder
from game.scenario.vocabulary import FIRM_FLAGS, FIRM_METRICS, SYSTEM_NUMBERS

# The instructors' guide to the model, shown at the end of the help (game.folders finds docs/
# in a checkout or in an installed copy).
DOCS = project_folder("docs")
FORMULAS = DOCS / "model.md"

INTRO = """\
# How Circular works

You run one firm in a small world of **clouds** (hyperscalers and neoclouds),
**chipmakers** and **AI labs**. The clouds invest in the labs; the labs spend much of
that money on the clouds' compute, which the clouds book as revenue. Money goes round:
the same dollars show up as investment, then as revenue, then as a higher valuation.
The game asks whether that is growth or a loop.

Each turn is a **quarter** (like `2025-Q4`). Make your moves, then press **e** to end the
quarter. Computer-run firms act, money moves, valuations update, and you see what
happened in the quarter summary. When the last quarter is played, the debrief shows
your score against your goal. Some goals ask for a **share price**: the firm's valuation
divided by its shares, so selling new shares raises the valuation but
not the share price.
"""

MECHANISMS = """\
## One quarter, step by step

1. **Cash flows.** Every firm earns revenue from outside customers and pays its costs and
   interest. A firm short of cash borrows the difference.
2. **Paying what is owed.** Labs pay the clouds for compute and clouds pay chipmakers for
   chips, as their commitments say. If someone cannot pay in full, everyone it owes is
   paid a fair share of what it has (Eisenberg–Noe clearing), and the shortfall spreads.
3. **The capability race.** Labs spend part of their compute on training (the *training
   share*) and the rest on serving customers. Training raises capability, with some luck;
   the most capable labs win the biggest share of end-customer AI demand.
4. **Sentiment.** Investors either expect prices to return to fundamentals or chase the
   trend (Brock–Hommes). When trend-chasers win, sentiment runs away from fundamentals:
   that is the bubble.
5. **Valuation.** A firm is worth a multiple of its revenue, plus cash, minus debt, scaled
   by sentiment, plus the value of its stakes in other firms (Elliott–Golub–Jackson).
   Because firms own each other, a fall in one valuation pulls down the others.
6. **Failures.** A firm fails when its value ends a quarter below its **failure line**: a
   share of its best value over the last year, set by the scenario (the You panel shows
   yours as "Fails below", and warns when it is near). A value pumped up by a boom lifts the
   line with it, and a big raise does too a quarter later (at first it lowers it: the new
   shareholders' part of the value is counted in). A failed firm's business stops and it bears a failure cost
   (lawyers, fire sales): what is left is its cash minus debt plus its own stakes, less that
   cost, often nothing, and its owners' stakes fall with it. Its commitments and open offers
   end, and that can push others below their lines: failures come in **waves**, shown in the
   quarter summary.

## The roulette table (b)

The labs sit on red and black (and other colours). A **bet** buys new shares of a lab at
its market valuation: you pay cash and own a share of it. The table reads valuations as
odds: a lab's **chance** is its share of the whole table's value, and it **pays** the rest
of the table in proportion ("3 to 1"). At the market's odds a bet is fair; it pays only if
you know better than the market, or if the money comes back to you as revenue.
**Bet more** adds to a bet, **hedge** fills in the bet that evens out your chips across labs,
and **sell** takes chips off the table (outside investors buy them at a discount).

## The deal room (d)

A **compute-for-equity deal**: the investor pays cash for a stake in the lab, and the lab
commits to buy compute from the investor over four quarters or more. The **implied
valuation** is the cash divided by the stake. An **option** is the right to invest more, within
a year, at the deal's price: the lab's value before the deal's cash (the implied valuation less
the cash), as Amazon's second tranche in Anthropic was priced; at most what buys half the lab.
Exercised soon after the deal it buys cheap, as the lab already holds the first cash: computer-
run firms price it as a call option on the lab (about a fifth of its amount when the price is
the market's, more below it). **Exclusive** makes the investor the lab's only cloud for new
compute until the deal's commitment ends: contracts signed before keep running, chips from a
chipmaker are not barred, and a scripted history event that signs another cloud anyway ends
the exclusivity (the news says so).
Computer-run firms accept, reject, or counter; a counter comes back as a new offer you can
accept (a), reject (r) or counter again (c). Offers not answered by the end of the quarter expire;
an offer a computer-run firm makes as a quarter ends (dated that quarter) is open all the next one.

## The money map (m)

Every stake and every commitment, as money going from one firm to another. A **loop**
(⟳) is money that comes back where it started: a cloud invests in a lab, and the lab
pays the cloud for compute. The map shows how much of each firm's revenue came back round.

## Other moves (o)

Labs set their **training share** and can **raise** from outside investors (once a quarter,
at most half of what they are worth beyond their cash); clouds **order
chips**; anyone can **sell** part of a stake or **exercise** an option it holds. Events
sometimes ask you to decide: the question opens as a dialog (a reopens it; an unanswered
question takes its default answer at the end of the quarter, which the dialog names).
"""

KEYS = """\
## Keys

| Key | What it does |
|---|---|
| e | end the quarter (hot seat: end your turn; the last seat's ends the quarter); at the end: the debrief |
| b | roulette table |
| d | deal room |
| m | money map |
| o | other moves (training, raising, chips, selling, options) |
| a | answer a waiting question |
| s | sort the firms table (or click a heading) |
| ? or F1 | this help |
| ctrl+p | command palette: every action by name |
| ctrl+s | save |
| t | dark or light theme |
| f | facilitator's panel (facilitator mode): shocks, grants and penalties, reveal the debrief |
| ctrl+r | reload the scenario file after editing it; your moves are replayed on the new version |
| escape | back to the dashboard |
| ctrl+q | quit (offers to save first) |

Amounts: a bare number means billions (`2` is $2 bn); `500 m` and `1.5 tn` work too.
Shares: a number is a percentage, `%` or not: `40` is 40%, `0.4` is 0.4% (a form asks
if you meant 40%: enter again keeps 0.4%).
Set `NO_COLOR=1` for a colourless terminal.
"""


def _table(title: str, entries: dict[str, str]) -> str:
    rows = "\n".join(f"| {name.replace('_', ' ')} | {text} |" for name, text in entries.items())
    return f"### {title}\n\n| Name | Meaning |\n|---|---|\n{rows}\n"


def formulas_markdown(path: Path = FORMULAS) -> str:
    """The instructors' guide (docs/model.md) with its headings one level down, or "" if absent."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    return re.sub(r"^(#+) ", lambda m: "#" + m.group(1) + " ", text, flags=re.MULTILINE)


def help_markdown(*, formulas: bool = True) -> str:
    metrics = _table("For each firm", {**FIRM_METRICS, **FIRM_FLAGS})
    system = _table("For the whole system", SYSTEM_NUMBERS)
    readings = """\
## Reading the numbers

- **Change**: a firm's value now against its value when the last turn ended, as in the
  quarter summary: the quarter's close, the news that opened this quarter and the moves
  since are all in it (the summary gives the close apart).
- **Round-trip share** (*Round*): how much of a firm's revenue last quarter was its own
  investment coming back: of what each customer paid it, the part matching the customer's
  money that came from the firm's investment, counting the money invested and received over
  about a year (it fades by half in four quarters). High means the revenue is partly its own
  money; a customer's new money from elsewhere (a raise, another investor) lowers it.
- **Cycling index** (*Cycle*): of the money passing through a firm in the quarter, the
  share that goes round in loops and comes back (Finn's index from ecology). 0%: money
  flows straight through; 100%: it only circles. It stays small when the loops are small
  next to the firms' other business (a hyperscaler's outside customers dwarf one lab's
  compute bill), and it is 0% in a quarter when no money went round: an investment and
  the compute bought with it count as a loop only in a quarter in which both flow. The
  round-trip share follows a lab's own investors' money over a whole year. Both count
  money that has moved: until the first quarter is played they show —.
- **Bubble index**: market valuation over fundamental valuation. 1 is fair; 2 means
  the market pays twice what the business is worth at neutral sentiment. The gauge says
  gloomy below 0.9, fair to 1.15, rich to 1.4, frothy to 2 and bubble from 2.
- **Status**: ok; strained (cash under a tenth of its debt); bubble (a bubble index of 2
  or more); failed.
- **Exposure**: the value of a firm's stakes in others over its own value: how much of it
  falls if they fall.
- **DebtRank**: what the other firms would lose if this firm failed, as a share of the
  whole system's value (its own included).

"""
    parts = [INTRO, MECHANISMS, readings, "## Every metric\n", metrics, system, KEYS]
    if formulas:
        parts.append(formulas_markdown())
    return "\n".join(parts)
