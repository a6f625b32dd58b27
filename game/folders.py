"""Where the project's own folders are: the bundled scenarios and the guides.

In a checkout (and an editable install, as in the quick start) they sit beside ``game/``. An
installed wheel carries them as data files (``[tool.setuptools.data-files]`` in
pyproject.toml), which pip puts under the installation's ``share/circular-game/``.
"""

from __future__ import annotations

import site
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]


def project_folder(name: str) -> Path:
    """``scenarios`` or ``docs``: beside the code in a checkout, else the installed copy."""
    if (CHECKOUT / "pyproject.toml").is_file():
        return CHECKOUT / name
    for prefix in (sys.prefix, site.getuserbase()):  # a --user install puts them under ~/.local
        installed = Path(prefix) / "share" / "circular-game" / name
        if installed.is_dir():
            return installed
    return CHECKOUT / name  # nowhere: the loader says which scenarios it found (none)
