"""multipartner's foundation: the dataset, its validation, yearly bipartite graphs and projections.

>>> from graphs import load_dataset, YearlyNetwork, members
>>> ds = load_dataset()                      # the bundled data        # doctest: +SKIP
>>> len(members(ds, "NATO", 2024))                                     # doctest: +SKIP
32
"""

from __future__ import annotations

from .dataset import Dataset, StatusWeights, load_dataset
from .problems import DataError, Problem

__version__ = "0.1.0"

__all__ = [
    "Dataset", "StatusWeights", "load_dataset", "DataError", "Problem", "YearlyNetwork",
    "members", "memberships", "shared", "project", "project_all_years", "import_cow", "__version__",
]


def __getattr__(name):  # heavy parts load on first use, so `multipartner members` starts fast
    if name == "YearlyNetwork":
        from .yearly import YearlyNetwork
        return YearlyNetwork
    if name in ("members", "memberships", "shared"):
        from . import queries
        return getattr(queries, name)
    if name in ("project", "project_all_years"):
        from . import projection
        return getattr(projection, name)
    if name == "import_cow":
        from .cow import import_cow
        return import_cow
    raise AttributeError(name)
