"""Helpers shared by tests (importable because pytest puts tests/ on sys.path)."""

import os
from pathlib import Path

import pytest

COW_DIR = Path(os.environ.get("MULTIPARTNER_COW_DIR",
                              Path(__file__).resolve().parents[2] / "shared" / "data" / "cow-igo-v3"))


def cow_file(name: str) -> Path:
    path = COW_DIR / name
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"COW IGO v3 file missing in CI: {path}")
        pytest.skip(f"COW IGO v3 file not present: {path}")
    return path
