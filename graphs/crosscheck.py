"""Cross-check a dataset against the Correlates of War IGO v3 state-year table where they overlap.

For every institution with a COW counterpart, every state and every year COW covers (to 2014), compare
full membership (our status ``member`` against COW code 1). Disagreements come back as year ranges, one row
per (institution, state, kind of disagreement): ``ours-only`` (we have a membership COW does not),
``cow-only`` (COW has one we do not), ``status`` (both record a relation but of different kinds, e.g.
our observer against COW's full member), ``cow-missing`` (COW codes -9, so there is nothing to compare).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .cow import _state_map, map_ccode, read_state_year
from .dataset import Dataset
from .yearly import YearlyNetwork

#: Our institution id -> COW column(s); a state is a COW member if any of the columns says so.
COW_COLUMNS = {
    "UN": ("un",), "WHO": ("who",), "IMF": ("imf",), "IBRD": ("ibrd",), "WTO": ("wto",),
    "NATO": ("nato",), "EU": ("eec", "eu"), "OECD": ("oecd",), "COE": ("coe",),
    "SCO": ("sco",), "CSTO": ("csto",), "CIS": ("cis",), "ASEAN": ("asean",), "APEC": ("apec",),
    "MERCOSUR": ("mercosur",), "AU": ("oau", "au"), "OAS": ("oas",), "LAS": ("loas",), "GCC": ("gcc",),
    "OIC": ("oic",), "COMMONWEALTH": ("comsec",), "NONALIGNED": ("nam",),
}
COW_CODE_WORD = {1: "member", 2: "associate", 3: "observer", 0: "none", -9: "missing", -1: "not in system"}
COLUMNS = ["institution", "state", "kind", "years", "n_years", "ours", "cow"]


def _ranges(years: list[int], observed: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive runs of ``years`` (consecutive in COW's observed years, which step by 5 before 1965)."""
    pos = {int(y): k for k, y in enumerate(observed)}
    out: list[list[int]] = []
    for y in years:
        if out and pos[y] == pos[out[-1][1]] + 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return [(a, b) for a, b in out]


def _classify(ours: str, theirs: int) -> str | None:
    """The kind of disagreement between our status and COW's code, or None when they agree."""
    if theirs == -9:
        return "cow-missing" if ours != "none" else None
    if ours == "member":
        return None if theirs == 1 else "ours-only"
    if theirs == 1:
        return "cow-only"
    if ours in ("none", "suspended") and theirs in (0, -1):
        return None
    return None if COW_CODE_WORD[theirs] == ours else "status"


def crosscheck(ds: Dataset, cow_path: str | Path, institutions: list[str] | None = None) -> list[dict]:
    """Every disagreement between ``ds`` and the COW state-year table at ``cow_path``."""
    wanted = [i for i in (institutions or COW_COLUMNS) if i in COW_COLUMNS and i in ds.institution]
    cols = sorted({c for i in wanted for c in COW_COLUMNS[i]})
    df = read_state_year(cow_path)
    df = df[["ccode", "year"] + [c for c in cols if c in df.columns]]
    cmap = _state_map()
    code = [map_ccode(cmap, c, y) for c, y in zip(df["ccode"], df["year"])]
    df = df.assign(code=code).dropna(subset=["code"])
    df = df[df["code"].isin(ds.state)]
    net = YearlyNetwork(ds)
    statuses = {y: net.statuses(y) for y in range(max(net.years.start, 1945), min(net.years.stop, 2015))}
    observed = np.array(sorted(int(y) for y in df["year"].unique() if int(y) in statuses))
    rows: list[dict] = []
    for iid in wanted:
        inst = ds.institution[iid]
        sub = df[["code", "year"] + [c for c in COW_COLUMNS[iid] if c in df.columns]]
        vals = sub.iloc[:, 2:].to_numpy()
        # over several COW columns (EEC then EU), the strongest code wins: 1 > 2 > 3 > -9 > 0 > -1
        best = np.full(len(vals), -1)
        for code in (0, -9, 3, 2, 1):
            best = np.where((vals == code).any(axis=1), code, best)
        cow = {(c, int(y)): int(b) for c, y, b in zip(sub["code"], sub["year"], best)}
        start = max(inst.founded.year, 1945)
        found: dict[tuple, list[int]] = {}
        states = sorted({c for c, _ in cow} | {s for y in statuses for (s, i) in statuses[y] if i == iid})
        for state in states:
            for y in observed:
                if y < start:
                    continue
                y = int(y)
                ours = statuses[y].get((state, iid), "none")
                theirs = cow.get((state, y), -1)
                kind = _classify(ours, theirs)
                if kind:
                    found.setdefault((iid, state, kind, ours, COW_CODE_WORD[theirs]), []).append(y)
        for (i, s, kind, ours, theirs), ys in found.items():
            for a, b in _ranges(ys, observed):
                n = int(((observed >= a) & (observed <= b)).sum())
                rows.append({"institution": i, "state": s, "kind": kind, "years": f"{a}" if a == b else f"{a}-{b}",
                             "n_years": n, "ours": ours, "cow": theirs})
    rows.sort(key=lambda r: (r["institution"], r["state"], r["years"]))
    return rows
