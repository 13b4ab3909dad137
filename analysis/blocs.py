"""Blocs: communities of states in the projected membership network, their stability, their history,
and how polarised the network is.

* :func:`leiden_partition` -- Leiden with **modularity** as the objective (Traag, Waltman & van Eck 2019,
  "From Louvain to Leiden", Sci. Rep. 9: 5233), through igraph's C implementation with
  ``objective_function="modularity"`` so the resolution is a parameter (1 = Newman–Girvan modularity).
  igraph's default objective, CPM at resolution 1, returns singletons on weighted projections. igraph's
  Leiden finds the same partitions as leidenalg's ``RBConfigurationVertexPartition`` on our projections at
  a twentieth of the time; it draws from igraph's global random generator, which is seeded for each run and
  restored afterwards.
* :func:`consensus_partition` -- many seeded runs, the co-assignment matrix, and Leiden on it
  (Lancichinetti & Fortunato 2012, "Consensus clustering in complex networks", Sci. Rep. 2: 336); each
  state's **stability** is the mean share of runs in which it sits with the members of its consensus bloc.
* :func:`barber_modularity`, :func:`brim` -- the two-mode alternative: Barber's bipartite modularity
  ``Q_B = (1/m) sum_ij (A_ij - k_i d_j / m) delta(g_i, h_j)`` optimised by BRIM, co-clustering states and
  institutions (Barber 2007, "Modularity and community detection in bipartite networks", Phys. Rev. E 76: 066102).
* :func:`match_over_time` -- blocs keep their id from year to year by maximum-overlap matching; splits,
  merges, births and deaths are recorded (the data of an alluvial chart).
* :func:`polarisation` -- modularity of the partition, the share of tie weight between blocs, and
  Krackhardt & Stern's E–I index ``(E - I) / (E + I)`` on tie weights (-1: all weight inside blocs).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .igraphs import upper_graph


def _canonical(labels) -> np.ndarray:
    """Relabel so blocs are numbered by their first member's position: equal partitions give equal arrays."""
    labels = np.asarray(labels)
    _, first = np.unique(labels, return_index=True)
    order = {lab: k for k, lab in enumerate(labels[np.sort(first)])}
    return np.array([order[x] for x in labels], dtype=int)


def leiden_partition(P, *, resolution: float = 1.0, seed: int = 0, n_iterations: int = 2) -> np.ndarray:
    """Bloc label of every row of the weighted projection ``P`` (a matrix, or an igraph Graph with a
    ``weight`` edge attribute), by Leiden maximising modularity.

    >>> import scipy.sparse as sp
    >>> two_triangles = sp.csr_matrix(np.kron(np.eye(2), np.ones((3, 3))) - np.eye(6))
    >>> leiden_partition(two_triangles).tolist()
    [0, 0, 0, 1, 1, 1]
    """
    import random

    import igraph as ig

    g = P if not sp.issparse(P) and not isinstance(P, np.ndarray) else upper_graph(P)
    if g.vcount() == 0:
        return np.zeros(0, dtype=int)
    ig.set_random_number_generator(random.Random(seed))
    try:
        part = g.community_leiden(objective_function="modularity", weights="weight" if g.ecount() else None,
                                  resolution=resolution, n_iterations=n_iterations)
    finally:
        ig.set_random_number_generator(random)
    return _canonical(part.membership)


def modularity(P: sp.spmatrix, labels, resolution: float = 1.0) -> float:
    """Newman–Girvan modularity ``Q = sum_c [W_c / W - γ (S_c / 2W)^2]`` of a partition of a weighted graph."""
    P = sp.csr_matrix(P)
    two_w = P.sum()
    if two_w == 0:
        return 0.0
    labels = np.asarray(labels)
    s = np.asarray(P.sum(1)).ravel()
    C = P.tocoo()
    inside = C.data[labels[C.row] == labels[C.col]].sum()
    S = np.bincount(labels, weights=s)
    return float(inside / two_w - resolution * ((S / two_w) ** 2).sum())


def _run_partitions(P: sp.spmatrix, runs: int, resolution: float, seed: int) -> list[np.ndarray]:
    g = upper_graph(P)
    return [leiden_partition(g, resolution=resolution, seed=seed + r) for r in range(runs)]


def _share_together(partitions: list[np.ndarray], n: int) -> np.ndarray:
    D = np.zeros((n, n))
    for lab in partitions:
        D += lab[:, None] == lab[None, :]
    return D / max(len(partitions), 1)


def coassignment(P: sp.spmatrix, *, runs: int = 20, resolution: float = 1.0, seed: int = 0) -> np.ndarray:
    """Share of ``runs`` seeded Leiden runs (seeds ``seed .. seed+runs-1``) that put each pair together."""
    return _share_together(_run_partitions(P, runs, resolution, seed), P.shape[0])


def consensus_partition(P: sp.spmatrix, *, runs: int = 20, resolution: float = 1.0, seed: int = 0,
                        threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Consensus blocs over ``runs`` seeded runs, and each row's stability in [0, 1].

    The co-assignment matrix, with entries below ``threshold`` dropped, is partitioned by Leiden again
    (Lancichinetti & Fortunato 2012). Stability of i is the mean co-assignment of i with the other members of
    its consensus bloc (1 for a bloc of one). Same inputs and seed, same result.

    When every run finds the same partition (most years of real data), the thresholded co-assignment matrix
    is a set of disjoint cliques of weight 1, whose best partition is the cliques themselves: that partition
    is returned without the consensus run (checked against running it on every year of the bundled and the
    COW data).
    """
    n = P.shape[0]
    if n == 0:
        return np.zeros(0, dtype=int), np.zeros(0)
    partitions = _run_partitions(P, runs, resolution, seed)
    D = _share_together(partitions, n)
    if partitions and all(np.array_equal(partitions[0], lab) for lab in partitions[1:]):
        labels = partitions[0]
    else:
        Dt = np.where(D >= threshold, D, 0.0)
        np.fill_diagonal(Dt, 0)
        labels = leiden_partition(sp.csr_matrix(Dt), resolution=1.0, seed=seed) if Dt.any() else np.arange(n)
        labels = _canonical(labels)
    same = labels[:, None] == labels[None, :]
    np.fill_diagonal(same, False)
    cnt = same.sum(1)
    stability = np.where(cnt > 0, (D * same).sum(1) / np.maximum(cnt, 1), 1.0)
    return labels, stability


# ---- two-mode: Barber's bipartite modularity ----------------------------------------------------------

def barber_modularity(B: sp.spmatrix, state_labels, inst_labels) -> float:
    """Barber's ``Q_B = (1/m) sum_{i,j} (A_ij - k_i d_j / m) delta(g_i, h_j)`` of a co-clustering."""
    A = (sp.csr_matrix(B) > 0).astype(float)
    m = A.sum()
    if m == 0:
        return 0.0
    g, h = np.asarray(state_labels), np.asarray(inst_labels)
    k = np.asarray(A.sum(1)).ravel()
    d = np.asarray(A.sum(0)).ravel()
    C = A.tocoo()
    inside = (g[C.row] == h[C.col]).sum()
    c = max(g.max(initial=-1), h.max(initial=-1)) + 1
    K = np.bincount(g, weights=k, minlength=c)
    Dd = np.bincount(h, weights=d, minlength=c)
    return float(inside / m - (K * Dd).sum() / m ** 2)


def _brim_once(M: np.ndarray, g: np.ndarray, max_iter: int) -> tuple[np.ndarray, np.ndarray]:
    c = g.max() + 1
    h = np.zeros(M.shape[1], dtype=int)
    for _ in range(max_iter):
        h_new = np.argmax(M.T @ np.eye(c)[g], axis=1)
        g_new = np.argmax(M @ np.eye(c)[h_new], axis=1)
        if np.array_equal(g_new, g) and np.array_equal(h_new, h):
            break
        g, h = g_new, h_new
    return g, h


def brim(B: sp.spmatrix, initial_state_labels, *, restarts: int = 10, seed: int = 0,
         max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, float]:
    """Barber's BRIM: alternately give each institution, then each state, the bloc that most raises Q_B,
    until nothing changes. BRIM finds local optima, so it starts from ``initial_state_labels`` and from
    ``restarts`` seeded random labellings with as many blocs, and keeps the best. Returns (state labels,
    institution labels, Q_B); same inputs and seed, same result."""
    A = (sp.csr_matrix(B) > 0).astype(float).toarray()
    m = A.sum()
    g0 = _canonical(initial_state_labels)
    if m == 0:
        return g0, np.zeros(A.shape[1], dtype=int), 0.0
    M = A - np.outer(A.sum(1), A.sum(0)) / m
    rng = np.random.default_rng(seed)
    c = max(int(g0.max()) + 1, 2)
    best = None
    for start in [g0] + [rng.integers(0, c, A.shape[0]) for _ in range(restarts)]:
        g, h = _brim_once(M, np.asarray(start), max_iter)
        q = barber_modularity(sp.csr_matrix(A), g, h)
        if best is None or q > best[2] + 1e-12:
            best = (g, h, q)
    g, h, q = best
    # number blocs by first state so equal co-clusterings give equal arrays; institutions follow
    order = {lab: k for k, lab in enumerate(dict.fromkeys(g.tolist()))}
    extra = {lab: len(order) + k for k, lab in enumerate(sorted(set(h.tolist()) - set(order)))}
    order.update(extra)
    return np.array([order[x] for x in g]), np.array([order[x] for x in h]), q


# ---- over time ---------------------------------------------------------------------------------------

def match_over_time(partitions: dict[int, dict[str, int]], *, min_overlap: float = 0.3):
    """Give blocs ids that persist across years, and record what happened to them.

    ``partitions`` maps year -> {state: label of that year's partition}. Consecutive years are matched by
    maximum total overlap (Hungarian assignment on member counts); a pair counts as the same bloc if its
    Jaccard overlap is at least ``min_overlap``. A bloc that loses ≥ ``min_overlap`` of its members to each of
    two successors *splits*; one that takes ≥ ``min_overlap`` of its members from each of two predecessors is a
    *merge*; unmatched blocs are *births* and *deaths*.

    Returns (``ids``: year -> {state: persistent bloc id}, ``events``: list of dicts with year, event,
    from_bloc, to_bloc, states, and ``flows``: list of dicts year, from_bloc, to_bloc, states — the edges of an
    alluvial chart between consecutive years).
    """
    from scipy.optimize import linear_sum_assignment

    years = sorted(partitions)
    ids: dict[int, dict[str, int]] = {}
    events, flows = [], []
    next_id = 0
    prev = None
    for year in years:
        part = partitions[year]
        groups: dict[int, set[str]] = {}
        for s, lab in part.items():
            groups.setdefault(lab, set()).add(s)
        labs = sorted(groups, key=lambda lab: (-len(groups[lab]), min(groups[lab])))
        assign: dict[int, int] = {}
        if prev is None:
            for lab in labs:
                assign[lab] = next_id
                events.append({"year": year, "event": "birth", "from_bloc": None, "to_bloc": next_id,
                               "states": len(groups[lab])})
                next_id += 1
        else:
            old_ids = sorted(prev)
            O = np.array([[len(prev[o] & groups[n]) for n in labs] for o in old_ids], dtype=float)
            J = np.array([[len(prev[o] & groups[n]) / len(prev[o] | groups[n]) for n in labs] for o in old_ids])
            rows, cols = linear_sum_assignment(-O) if O.size else ([], [])
            for r, c in zip(rows, cols):
                if J[r, c] >= min_overlap:
                    assign[labs[c]] = old_ids[r]
            for c, lab in enumerate(labs):
                if lab not in assign:
                    assign[lab] = next_id
                    events.append({"year": year, "event": "birth", "from_bloc": None, "to_bloc": next_id,
                                   "states": len(groups[lab])})
                    next_id += 1
            kept = set(assign.values())
            for r, o in enumerate(old_ids):
                if o not in kept:
                    events.append({"year": year, "event": "death", "from_bloc": o, "to_bloc": None,
                                   "states": len(prev[o])})
                shares = O[r] / max(len(prev[o]), 1)
                if (shares >= min_overlap).sum() >= 2:
                    for c in np.flatnonzero(shares >= min_overlap):
                        events.append({"year": year, "event": "split", "from_bloc": o, "to_bloc": assign[labs[c]],
                                       "states": int(O[r, c])})
                for c in np.flatnonzero(O[r] > 0):
                    flows.append({"year": year, "from_bloc": o, "to_bloc": assign[labs[c]], "states": int(O[r, c])})
            for c, lab in enumerate(labs):
                shares = O[:, c] / max(len(groups[lab]), 1)
                if (shares >= min_overlap).sum() >= 2:
                    for r in np.flatnonzero(shares >= min_overlap):
                        events.append({"year": year, "event": "merge", "from_bloc": old_ids[r],
                                       "to_bloc": assign[lab], "states": int(O[r, c])})
        ids[year] = {s: assign[lab] for s, lab in part.items()}
        prev = {}
        for s, b in ids[year].items():
            prev.setdefault(b, set()).add(s)
    return ids, events, flows


def polarisation(P: sp.spmatrix, labels) -> dict[str, float]:
    """How divided the network is by a partition: ``modularity``, ``cross_share`` (share of tie weight between
    blocs), ``ei_index`` ((E - I)/(E + I), from -1 all weight within blocs to +1 all between), ``blocs``."""
    P = sp.csr_matrix(P)
    labels = np.asarray(labels)
    C = sp.triu(P, k=1).tocoo()
    same = labels[C.row] == labels[C.col]
    internal, external = C.data[same].sum(), C.data[~same].sum()
    total = internal + external
    return {"modularity": modularity(P, labels),
            "cross_share": float(external / total) if total else 0.0,
            "ei_index": float((external - internal) / total) if total else 0.0,
            "blocs": float(len(np.unique(labels)))}
