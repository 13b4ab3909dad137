"""Tidy result frames: one row per (year, entity, metric), ready for a notebook."""

from __future__ import annotations

import numpy as np

COLUMNS = ["year", "entity", "entity_type", "metric", "value"]


def tidy(year: int, entities, entity_type: str, metric: str, values) -> "pd.DataFrame":  # noqa: F821
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
    """Add ``rank``: 1 = highest value within each (year, entity_type, metric); ties share the best rank."""
    df = df.copy()
    df["rank"] = (df.groupby(["year", "entity_type", "metric"])["value"]
                  .rank(ascending=False, method="min").astype("Int64"))
    return df
