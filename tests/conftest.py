import datetime as dt
import shutil
from pathlib import Path

import pytest

from graphs import load_dataset
from browser_support import browser  # noqa: F401  (a shared session fixture)

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
FIXED_TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="session")
def mini():
    return load_dataset(MINI, today=FIXED_TODAY)


@pytest.fixture(scope="session")
def bundled():
    return load_dataset()


@pytest.fixture
def mini_copy(tmp_path):
    """A writable copy of the mini dataset, for tests that break it on purpose."""
    dst = tmp_path / "data"
    shutil.copytree(MINI, dst)
    return dst
