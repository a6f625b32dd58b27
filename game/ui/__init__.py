"""The terminal game, built with Textual. Start it with ``game.ui.app.run_app``."""
