"""Compare a year's measures before and after a what-if scenario (see :mod:`analysis.scenario`).

:func:`compare` applies the scenario to a copy of the dataset and runs the same :class:`analysis.metrics.Analysis`
(same projection, seed, runs and resolution) on the baseline and on the scenario, for the same year. The
:class:`Comparison` holds one tidy frame per part:

* ``edits`` -- what each edit changed in the spells;
* ``centrality`` and ``multialignment`` -- ``year, entity, entity_type, metric, baseline, scenario, delta,
  baseline_rank, scenario_rank`` with ``delta = scenario - baseline`` (missing for an entity present on one
  side only, such as a created or dissolved institution);
* ``blocs`` -- each state's bloc in both, with ``moved``: blocs are matched by maximum overlap (Hungarian
  assignment, :func:`analysis.blocs.match_over_time`), so a scenario bloc carries the id of the baseline bloc
  it overlaps most and a state "moves" when its matched id changes;
* ``polarisation`` -- modularity, cross-bloc share, E–I index, number of blocs and Barber's bipartite
  modularity, each re-detected on the scenario, plus ``modularity_fixed_blocs``: the scenario's modularity
  under the *baseline* blocs (the quantity :mod:`analysis.sweep` ranks), which separates the change in ties
  from the change in the partition;
* ``rings`` (per focal state, :func:`analysis.circles.focal_rings`) and ``world_rings``
  (:func:`analysis.circles.world_rings`) -- both rings and ``changed``, for every state: the data of the
  side-by-side concentric pictures.

:meth:`Comparison.to_dict` is the plain, JSON-ready dict the HTML diff report renders.

>>> from graphs import load_dataset                                             # doctest: +SKIP
>>> from analysis.scenario import Scenario, Join                                 # doctest: +SKIP
>>> c = compare(load_dataset(), Scenario("UKR in NATO", [Join("UKR", "NATO")]), 2024)   # doctest: +SKIP
>>> c.polarisation.set_index("metric").loc["modularity_fixed_blocs", "delta"] < 0      # doctest: +SKIP
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from . import blocs as B
from . import circles
from .metrics import ALIGNMENT_MEASURES, Analysis, Options
from .scenario import Scenario, analysis_year, apply_scenario

DIFF_COLUMNS = ["year", "entity", "entity_type", "metric", "baseline", "scenario", "delta",
                "baseline_rank", "scenario_rank"]
BLOC_COLUMNS = ["year", "state", "baseline_bloc", "scenario_bloc", "moved", "baseline_stability",
                "scenario_stability"]
POLARISATION_COLUMNS = ["year", "metric", "baseline", "scenario", "delta"]
RING_COLUMNS = ["year", "focus", "state", "baseline_ring", "scenario_ring", "changed", "baseline_reason",
                "scenario_reason"]
WORLD_COLUMNS = ["year", "state", "baseline_ring", "scenario_ring", "changed", "baseline_coreness",
                 "scenario_coreness"]
EDIT_COLUMNS = ["step", "action", "state", "institution", "status", "date", "change"]
PARTS = ("edits", "centrality", "multialignment", "blocs", "polarisation", "rings", "world_rings")
MAX_DEFAULT_FOCUS = 3


@dataclass
class Comparison:
    """Baseline against scenario for one year; one frame per part (see the module docstring)."""

    scenario: Scenario
    year: int
    options: Options
    focus: tuple[str, ...]
    edits: pd.DataFrame
    centrality: pd.DataFrame
    multialignment: pd.DataFrame
    blocs: pd.DataFrame
    polarisation: pd.DataFrame
    rings: pd.DataFrame
    world_rings: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        return {p: getattr(self, p) for p in PARTS}

    def summary(self) -> dict:
        """What changed, in a few lists: the states whose bloc or ring changed, and the polarisation deltas."""
        rings = {f: sorted(self.rings.loc[(self.rings["focus"] == f) & self.rings["changed"], "state"])
                 for f in self.focus}
        return {
            "edits": int(self.edits["step"].nunique()) if len(self.edits) else 0,
            "blocs_moved": sorted(self.blocs.loc[self.blocs["moved"], "state"]),
            "rings_changed": rings,
            "world_rings_changed": sorted(self.world_rings.loc[self.world_rings["changed"], "state"]),
            "polarisation": {r.metric: _json(r.delta) for r in self.polarisation.itertuples()},
        }

    def to_dict(self) -> dict:
        """Everything as plain JSON-ready values (missing numbers as None): ``scenario``, ``year``,
        ``options``, ``focus``, ``summary`` and one list of records per part."""
        sc = self.scenario
        out = {
            "scenario": {"name": sc.name, "description": sc.description, "source": sc.source,
                         "date": None if sc.date is None else str(sc.date)},
            "year": self.year,
            "options": {"projection": self.options.projection, "seed": self.options.seed,
                        "runs": self.options.runs, "resolution": self.options.resolution},
            "focus": list(self.focus),
            "summary": self.summary(),
        }
        for part, df in self.frames().items():
            out[part] = [{k: _json(v) for k, v in row.items()} for row in df.to_dict("records")]
        return out


def _json(v):
    """A JSON-safe scalar: NaN and pandas' NA become None, numpy scalars become Python ones."""
    if v is None or v is pd.NA:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def default_focus(scenario: Scenario, changes: list[dict]) -> tuple[str, ...]:
    """The scenario's ``focus``, else the first states its edits touch (at most three)."""
    if scenario.focus:
        return tuple(s.strip().upper() for s in scenario.focus)
    seen = list(dict.fromkeys(c["state"] for c in changes if c["state"]))
    return tuple(seen[:MAX_DEFAULT_FOCUS])


def _diff(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    keys = ["year", "entity", "entity_type", "metric"]
    m = before[keys + ["value", "rank"]].merge(after[keys + ["value", "rank"]], on=keys, how="outer",
                                               suffixes=("_b", "_s"))
    m = m.rename(columns={"value_b": "baseline", "value_s": "scenario", "rank_b": "baseline_rank",
                          "rank_s": "scenario_rank"})
    m["delta"] = m["scenario"] - m["baseline"]
    return m.sort_values(["metric", "entity_type", "entity"], kind="stable")[DIFF_COLUMNS].reset_index(drop=True)


def _partition(a: Analysis, year: int) -> tuple[dict[str, int], dict[str, float]]:
    idx, lab, stab = a.blocs(year)
    codes = [a.net.state_codes[k] for k in idx]
    return dict(zip(codes, lab.tolist())), dict(zip(codes, stab.tolist()))


def _blocs(a0: Analysis, a1: Analysis, year: int) -> pd.DataFrame:
    (p0, s0), (p1, s1) = _partition(a0, year), _partition(a1, year)
    ids, _, _ = B.match_over_time({0: p0, 1: p1})
    rows = []
    for state in sorted(set(p0) | set(p1)):
        b0, b1 = ids[0].get(state), ids[1].get(state)
        rows.append({"year": year, "state": state, "baseline_bloc": b0, "scenario_bloc": b1, "moved": b0 != b1,
                     "baseline_stability": s0.get(state), "scenario_stability": s1.get(state)})
    return pd.DataFrame(rows, columns=BLOC_COLUMNS).astype({"baseline_bloc": "Int64", "scenario_bloc": "Int64"})


def fixed_blocs_modularity(a0: Analysis, a1: Analysis, year: int) -> tuple[float, float]:
    """Modularity of the baseline and of the scenario projection, both under the baseline's blocs (a state
    absent from the baseline partition is a bloc of its own)."""
    idx0, lab0, _ = a0.blocs(year)
    by_code = {a0.net.state_codes[k]: int(b) for k, b in zip(idx0, lab0)}
    idx1 = a1.net.present(year)
    nxt = int(lab0.max(initial=-1)) + 1
    lab1 = []
    for k in idx1:
        code = a1.net.state_codes[k]
        if code not in by_code:
            by_code[code], nxt = nxt, nxt + 1
        lab1.append(by_code[code])
    q0 = B.modularity(a0.projection(year)[idx0][:, idx0], lab0)
    q1 = B.modularity(a1.projection(year)[idx1][:, idx1], np.array(lab1, dtype=int))
    return q0, q1


def _polarisation(a0: Analysis, a1: Analysis, year: int) -> pd.DataFrame:
    p0, p1 = a0.polarisation([year]).iloc[0], a1.polarisation([year]).iloc[0]
    rows = [{"year": year, "metric": m, "baseline": float(p0[m]), "scenario": float(p1[m])}
            for m in ("modularity", "cross_share", "ei_index", "blocs", "bipartite_modularity")]
    q0, q1 = fixed_blocs_modularity(a0, a1, year)
    rows.append({"year": year, "metric": "modularity_fixed_blocs", "baseline": q0, "scenario": q1})
    df = pd.DataFrame(rows)
    df["delta"] = df["scenario"] - df["baseline"]
    return df[POLARISATION_COLUMNS]


def _rings(a0: Analysis, a1: Analysis, year: int, focus) -> pd.DataFrame:
    frames = []
    for f in focus:
        r0 = pd.DataFrame(circles.focal_rings(a0.net, year, f))
        r1 = pd.DataFrame(circles.focal_rings(a1.net, year, f))
        m = r0.merge(r1, on=["year", "focus", "state"], how="outer", suffixes=("_b", "_s"))
        m = m.rename(columns={"ring_b": "baseline_ring", "ring_s": "scenario_ring", "reason_b": "baseline_reason",
                              "reason_s": "scenario_reason"})
        m["changed"] = m["baseline_ring"] != m["scenario_ring"]
        frames.append(m[RING_COLUMNS])
    if not frames:
        return pd.DataFrame(columns=RING_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _world(a0: Analysis, a1: Analysis, year: int) -> pd.DataFrame:
    w0 = pd.DataFrame(circles.world_rings(a0.net, year), columns=["year", "state", "ring", "coreness"])
    w1 = pd.DataFrame(circles.world_rings(a1.net, year), columns=["year", "state", "ring", "coreness"])
    m = w0.merge(w1, on=["year", "state"], how="outer", suffixes=("_b", "_s"))
    m = m.rename(columns={"ring_b": "baseline_ring", "ring_s": "scenario_ring", "coreness_b": "baseline_coreness",
                          "coreness_s": "scenario_coreness"})
    m["changed"] = m["baseline_ring"] != m["scenario_ring"]
    return m[WORLD_COLUMNS].astype({"baseline_ring": "Int64", "scenario_ring": "Int64"})


def compare(ds, scenario: Scenario, year: int | None = None, options: Options | None = None,
            focus=None) -> Comparison:
    """Baseline against ``scenario`` for ``year`` (default: the scenario's year, else the latest), with the same
    analysis ``options`` (and so the same seed) on both sides. ``focus`` (state codes) overrides the focal
    states of the ring comparison (default: :func:`default_focus`).

    ``delta = scenario - baseline`` for every measure. Raises :class:`graphs.DataError` with every problem of
    the scenario at once. ``ds`` is not modified.
    """
    options = options or Options()
    year = analysis_year(ds, scenario, year)
    scenario_for_check = replace(scenario, focus=tuple(focus)) if focus else scenario
    applied = apply_scenario(ds, scenario_for_check, year)
    a0, a1 = Analysis(ds, options), Analysis(applied.dataset, options)
    foc = default_focus(scenario_for_check, applied.changes)
    m0, m1 = a0.metrics([year]), a1.metrics([year])
    diff = _diff(m0, m1)
    align = diff["metric"].isin(ALIGNMENT_MEASURES + ("stability",))
    return Comparison(
        scenario=scenario, year=year, options=options, focus=foc,
        edits=pd.DataFrame(applied.changes, columns=EDIT_COLUMNS),
        centrality=diff[~align].reset_index(drop=True),
        multialignment=diff[align].reset_index(drop=True),
        blocs=_blocs(a0, a1, year),
        polarisation=_polarisation(a0, a1, year),
        rings=_rings(a0, a1, year, foc),
        world_rings=_world(a0, a1, year),
    )


__all__ = ["Comparison", "PARTS", "compare", "default_focus", "fixed_blocs_modularity"]
