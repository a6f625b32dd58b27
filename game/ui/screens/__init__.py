"""The screens of the game, one module each, with a TCSS file beside it."""
