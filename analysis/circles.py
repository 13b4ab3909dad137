"""The concentric circles of the multilateral landscape: the data behind the report's central picture.

* :func:`focal_rings` -- for a focal state, every other state's ring is the *tightest* type of institution
  it shares with the focal state (full members of both): club innermost, then concert, coalition, regional,
  charter outermost, ``none`` outside; ``reason`` lists the shared institutions of that type.
* :func:`world_rings` -- without a focal state, rings by depth of integration in the validated (backbone)
  projection: states ranked by k-core number (Seidman 1983, "Network structure and minimum degree"), then by
  number of validated ties, in five equal groups from core (1) to periphery (5); states with no validated tie
  in ring 6.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from graphs.schema import TYPES

RINGS = TYPES + ("none",)      # club, concert, coalition, regional, charter, none


def has_types(ds) -> bool:
    return any(i.type for i in ds.institutions)


def focal_rings(net, year: int, focus: str) -> list[dict]:
    """Rows ``year, focus, state, ring, reason`` for every other state alive in ``year``."""
    ds = net.dataset
    focus = ds.resolve_state(focus)
    A = (net.biadjacency(year) > 0).tocsr()
    f = net.state_codes.index(focus)
    mine = A[f].toarray().ravel()
    types = np.array([ds.institution[i].type for i in net.institution_ids])
    shared = sp.csr_matrix(A.multiply(mine[None, :]))
    shared.eliminate_zeros()       # an elementwise product keeps the zeros it made as stored entries
    rows = []
    for r in net.present(year):
        if r == f:
            continue
        cols = shared.indices[shared.indptr[r]:shared.indptr[r + 1]]
        ring, reason = "none", ""
        for t in TYPES:
            hit = [net.institution_ids[c] for c in cols if types[c] == t]
            if hit:
                ring, reason = t, ";".join(sorted(hit))
                break
        rows.append({"year": year, "focus": focus, "state": net.state_codes[r], "ring": ring, "reason": reason})
    return rows


def world_rings(net, year: int, P=None) -> list[dict]:
    """Rows ``year, state, ring, coreness, ties`` with rings 1 (core) to 5, and 6 for no validated tie.

    States with at least one validated tie are ranked by k-core number, then by their number of validated
    ties (``ties``), and cut into five groups of (nearly) equal size: ring 1 is the most deeply integrated fifth.
    Ranking rather than cutting the k-core scale itself, because on real data most states share the top core
    (the universal and regional bodies tie almost everyone), which would put nearly all of them in ring 1.
    Ties in the ranking stay in the same ring.

    >>> import scipy.sparse as sp
    >>> from graphs import load_dataset, YearlyNetwork                       # doctest: +SKIP
    >>> rows = world_rings(YearlyNetwork(load_dataset()), 2024)             # doctest: +SKIP
    """
    from graphs.projection import project

    from .igraphs import graph

    P = project(net, year, "states", "backbone") if P is None else P
    idx = net.present(year)
    Q = sp.triu(sp.csr_matrix(P)[idx][:, idx], k=1).tocoo()
    g = graph(len(idx), Q.row, Q.col)
    core = np.array(g.coreness(), dtype=float)
    ties = np.array(g.degree(), dtype=float)
    ring = np.full(len(idx), 6)
    linked = np.flatnonzero(ties > 0)
    if len(linked):
        # rank 0 = deepest; equal (coreness, ties) share the best rank so ties never split across rings
        key = -(core[linked] * (ties.max() + 1) + ties[linked])
        order = np.unique(key, return_inverse=True)[1]
        first_pos = np.searchsorted(np.sort(key), np.unique(key))
        rank = first_pos[order]
        ring[linked] = 1 + np.minimum(4, (5 * rank) // len(linked))
    return [{"year": year, "state": net.state_codes[k], "ring": int(r), "coreness": float(c), "ties": int(t)}
            for k, r, c, t in zip(idx, ring, core, ties)]
