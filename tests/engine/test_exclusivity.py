"""Exclusive deals: the investor is the lab's only cloud for new compute while the deal's
commitment runs. A newcomer saw history's scripted deals sign the lab with other clouds
anyway, while the help said "the lab's only cloud"."""

from __future__ import annotations

from collections.abc import Callable

from game.engine import events
from game.engine.actions import BuyChips, EndQuarter, ProposeDeal, Respond
from game.engine.game import Game
from game.engine.rules import exclusive_cloud
from game.scenario.effects import Commit

MakeGame = Callable[..., Game]


def _exclusive(make_game: MakeGame, quarters: int = 4) -> Game:
    """CloudCo (a person) signs an exclusive deal with Red Lab (a person) over ``quarters``."""
    game = make_game("cloudco", "redlab", "skyhost")
    sent = game.act(ProposeDeal("cloudco", "redlab", 2e9, 0.05, 2e9, quarters, exclusive=True))
    assert sent.ok, sent.message
    signed = game.act(Respond("redlab", sent.offer, True))
    assert signed.ok and "exclusive until" in signed.message, signed.message
    return game


def _ix(game: Game, firm: str) -> int:
    return game.world.index[firm]


def test_another_cloud_cannot_sign_new_compute_or_exclusivity_while_it_runs(make_game: MakeGame) -> None:
    game = _exclusive(make_game)
    refused = game.act(ProposeDeal("skyhost", "redlab", 1e9, 0.02, compute_total=1e9))
    assert not refused.ok and "only from CloudCo until" in refused.message
    assert not game.act(ProposeDeal("skyhost", "redlab", 1e9, 0.02, exclusive=True)).ok
    assert game.act(ProposeDeal("skyhost", "redlab", 1e9, 0.02)).ok  # equity alone is fine


def test_chips_from_a_chipmaker_are_not_barred(make_game: MakeGame) -> None:
    game = _exclusive(make_game)
    assert exclusive_cloud(game.world, _ix(game, "redlab"), _ix(game, "chipco")) is None
    ordered = game.act(BuyChips("redlab", "chipco", 1e8, 4))
    assert ordered.ok, ordered.message


def test_an_offer_made_before_is_refused_when_accepted_after(make_game: MakeGame) -> None:
    game = make_game("cloudco", "redlab", "skyhost")
    early = game.act(ProposeDeal("skyhost", "redlab", 1e9, 0.02, compute_total=1e9))
    sent = game.act(ProposeDeal("cloudco", "redlab", 2e9, 0.05, 2e9, 4, exclusive=True))
    assert game.act(Respond("redlab", sent.offer, True)).ok
    late = game.act(Respond("redlab", early.offer, True))
    assert not late.ok and "exclusive deal" in late.message


def test_exclusivity_ends_with_the_deal_s_commitment(make_game: MakeGame) -> None:
    game = _exclusive(make_game, quarters=4)
    lab, other = _ix(game, "redlab"), _ix(game, "skyhost")
    for _ in range(3):
        game.act(EndQuarter(""))
        assert exclusive_cloud(game.world, lab, other) == _ix(game, "cloudco")  # the last payment
    game.act(EndQuarter(""))
    assert exclusive_cloud(game.world, lab, other) is None
    assert game.act(ProposeDeal("skyhost", "redlab", 1e9, 0.02, compute_total=1e9)).ok


def test_a_scripted_commitment_is_made_and_the_news_says_it_ends_the_exclusivity(
    make_game: MakeGame,
) -> None:
    game = _exclusive(make_game)
    world = game.world
    contracts = len(world.contracts)
    commit = Commit(do="commit", buyer="redlab", seller="skyhost", total=1e9, quarters=4)
    events.apply_effects(world, [commit], None)
    assert len(world.contracts) == contracts + 1  # history is history
    assert _ix(game, "redlab") not in world.exclusive
    news = world.news[-1]
    assert news.headline == "Red Lab's commitment to SkyHost ends CloudCo's exclusive deal"
    assert "real history" in news.body
