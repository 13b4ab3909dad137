"""Where the bundled data lives, installed editable or not."""

from __future__ import annotations

from pathlib import Path


def bundled_data_dir() -> Path:
    """The dataset shipped with multipartner.

    A wheel carries it as ``graphs/bundled``; a source checkout or editable install has it at ``data/``
    beside the package.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "bundled", here.parent / "data"):
        if (candidate / "states.csv").is_file():
            return candidate
    raise FileNotFoundError(f"bundled data not found next to {here}; reinstall multipartner or pass --data DIR")
