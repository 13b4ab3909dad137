"""Tidy result frames: one row per (year, entity, metric), ready for a notebook.

Measures produce *blocks* -- ``(year, entities, entity_type, metric, values)``, one per metric and entity type of
a year -- and :func:`frame` turns any number of blocks into one frame in a single step (building a small frame per
block and concatenating them costs more than computing the measures).
"""

from __future__ import annotations

import numpy as np

COLUMNS = ["year", "entity", "entity_type", "metric", "value"]


def frame(blocks) -> "pd.DataFrame":  # noqa: F821
    """One tidy frame from blocks ``(year, entities, entity_type, metric, values)``, rows in block order.

    >>> frame([(2024, ["IND", "CHN"], "state", "strength", [2.0, 1.5])]).values.tolist()
    [[2024, 'IND', 'state', 'strength', 2.0], [2024, 'CHN', 'state', 'strength', 1.5]]
    """
    import pandas as pd

    blocks = [b for b in blocks if len(b[4])]
    if not blocks:
        return pd.DataFrame(columns=COLUMNS)
    years, entities, types, metrics, values = zip(*blocks)
    lengths = [len(v) for v in values]
    return pd.DataFrame({
        "year": np.repeat(np.asarray(years, dtype=int), lengths),
        "entity": np.concatenate([np.asarray(e, dtype=object) for e in entities]),
        "entity_type": np.repeat(np.asarray(types, dtype=object), lengths),
        "metric": np.repeat(np.asarray(metrics, dtype=object), lengths),
        "value": np.concatenate([np.asarray(v, dtype=float) for v in values]),
    })


def tidy(year: int, entities, entity_type: str, metric: str, values) -> "pd.DataFrame":  # noqa: F821
    """The frame of one block (see :func:`frame`)."""
    import pandas as pd

    values = np.asarray(values, dtype=float)
    return pd.DataFrame({"year": np.full(len(values), year, dtype=int), "entity": list(entities),
                         "entity_type": entity_type, "metric": metric, "value": values})


def concat(frames) -> "pd.DataFrame":  # noqa: F821
    import pandas as pd

    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)


def add_ranks(df) -> "pd.DataFrame":  # noqa: F821
    """Add ``rank``: 1 = highest value within each (year, entity_type, metric); ties share the best rank.

    Values within ``1e-10`` of the group's largest absolute value count as tied, so that rounding noise (the
    same sum taken in another order) cannot order equal values. Missing values get no rank.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": 2024, "entity": list("abc"), "entity_type": "state", "metric": "m",
    ...                    "value": [0.3, 0.1 + 0.2, 0.1]})
    >>> add_ranks(df)["rank"].tolist()
    [1, 1, 3]
    """
    import pandas as pd

    df = df.copy()
    keys = [df["year"], df["entity_type"], df["metric"]]
    value = df["value"].to_numpy(dtype=float)
    scale = df["value"].abs().groupby(keys).transform("max").to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tied = np.where(scale > 0, np.round(value / scale, 10), value)      # NaN stays NaN
    df["rank"] = pd.Series(tied, index=df.index).groupby(keys).rank(ascending=False, method="min").astype("Int64")
    return df
