"""The game's keys, bound twice from one table so that the two cannot drift apart.

Every game screen binds them first in its footer; the app binds them too, for the screens that
are not game screens. Both use the same ids, so that a keymap changes both."""

from __future__ import annotations

from textual.binding import Binding

# (key, the app's action, label, id)
GAME_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("e", "end_quarter", "End quarter", "end_quarter"),
    ("e", "end_turn", "End turn", "end_turn"),
    ("e", "view('debrief')", "Debrief", "debrief"),
    ("b", "view('roulette')", "Bet", "roulette"),
    ("d", "view('deals')", "Deals", "deal_room"),
    ("m", "view('map')", "Map", "money_map"),
    ("f", "facilitator", "Facilitator", "facilitator"),
    ("f", "reveal_debrief", "Reveal debrief", "reveal_debrief"),
    ("question_mark", "help", "Help", "help"),
    ("ctrl+s", "save", "Save", "save"),
    ("o", "moves", "Moves", "moves"),
    ("a", "answer", "Answer", "answer"),
)
# Keys that work on every game screen but are left out of its footer, which has no room for
# them at 80 columns: a (only while a question waits; the dashboard's status line says "1
# question (a)") and o (the dashboard's footer shows it).
UNLISTED = frozenset({"answer", "moves"})


def game_bindings(namespace: str = "") -> list[Binding]:
    """The game's keys as bindings: the app's own, or with ``namespace="app."`` a screen's."""
    return [
        Binding(key, namespace + action, label, id=key_id, show=key_id not in UNLISTED)
        for key, action, label, key_id in GAME_KEYS
    ]
