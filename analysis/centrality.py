"""Centrality in the membership network: two-mode measures on the bipartite graph, and one-mode measures
on the projections.

Two-mode measures use Borgatti & Everett's normalisation, so that states and institutions are each compared
with the maximum possible in a bipartite graph of that size (Borgatti, S. P. & Everett, M. G. (1997),
"Network analysis of 2-mode data", Social Networks 19(3): 243-269). They match
``networkx.algorithms.bipartite``'s degree, closeness and betweenness, computed with igraph's C core.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .frames import concat, tidy


def _alive_submatrix(net, year):
    """Biadjacency of the nodes of ``year``'s graph (:meth:`YearlyNetwork.present`), with their labels."""
    B = (net.biadjacency(year) > 0).astype(float).tocsr()
    rows, cols = net.present(year, "states"), net.present(year, "institutions")
    return B[rows][:, cols], [net.state_codes[k] for k in rows], [net.institution_ids[k] for k in cols]


def _bipartite_igraph(B):
    import igraph as ig

    n, m = B.shape
    C = B.tocoo()
    return ig.Graph(n=n + m, edges=np.column_stack([C.row, C.col + n]).tolist())


def two_mode_degree(B: sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """Degree divided by the size of the other mode: ``d_s / |I|`` for states, ``d_i / |S|`` for institutions.

    >>> import scipy.sparse as sp
    >>> two_mode_degree(sp.csr_matrix([[1, 1], [1, 0], [0, 0]]))
    (array([1. , 0.5, 0. ]), array([0.66666667, 0.33333333]))
    """
    n, m = B.shape
    A = (B > 0)
    return np.asarray(A.sum(1)).ravel() / max(m, 1), np.asarray(A.sum(0)).ravel() / max(n, 1)


def two_mode_closeness(B: sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """Closeness with two-mode normalisation: ``(m + 2(n-1)) / sum_j d(v, j)`` for a node in a mode of size n
    facing a mode of size m, scaled by the share of the graph it can reach (as networkx does for disconnected
    graphs). Zero for isolates.
    """
    n, m = B.shape
    g = _bipartite_igraph(B)
    D = np.array(g.distances(), dtype=float)
    reach = np.isfinite(D)
    tot = np.where(reach, D, 0).sum(1)
    size = np.r_[np.full(n, m + 2 * (n - 1)), np.full(m, n + 2 * (m - 1))]
    scale = (reach.sum(1) - 1) / max(n + m - 1, 1)
    c = np.divide(size, tot, out=np.zeros(n + m), where=tot > 0) * scale
    return c[:n], c[n:]


def _bet_max(n: int, m: int) -> float:
    s, t = divmod(n - 1, m) if m else (0, 0)
    return ((m ** 2) * (s + 1) ** 2 + m * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)) / 2.0


def two_mode_betweenness(B: sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """Betweenness divided by its maximum for the node's mode in a bipartite graph of this size
    (Borgatti & Everett 1997; networkx ``bipartite.betweenness_centrality``).

    A mode whose maximum is 0 (e.g. a single institution) gets 0 rather than a division by zero.
    """
    n, m = B.shape
    raw = np.array(_bipartite_igraph(B).betweenness(directed=False), dtype=float)
    top, bot = _bet_max(n, m), _bet_max(m, n)
    return (raw[:n] / top if top > 0 else np.zeros(n)), (raw[n:] / bot if bot > 0 else np.zeros(m))


def two_mode_eigenvector(B: sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """Hub and authority scores of the bipartite graph: the leading left and right singular vectors of B
    (Kleinberg's HITS; Bonacich 1991 for two-mode data), each scaled to unit Euclidean norm and made non-negative.

    A state scores high when it belongs to institutions that have many high-scoring members, and vice versa.
    """
    A = (B > 0).astype(float).toarray()
    if A.size == 0 or not A.any():
        return np.zeros(A.shape[0]), np.zeros(A.shape[1])
    U, _, Vt = np.linalg.svd(A, full_matrices=False)
    u, v = np.abs(U[:, 0]), np.abs(Vt[0])
    return u / np.linalg.norm(u), v / np.linalg.norm(v)


TWO_MODE = {"degree": two_mode_degree, "closeness": two_mode_closeness,
            "betweenness": two_mode_betweenness, "eigenvector": two_mode_eigenvector}


def two_mode_centrality(net, year: int, measures=tuple(TWO_MODE)):
    """Tidy frame of the two-mode measures for states and institutions in ``year``.

    Metrics are named ``bipartite_<measure>``.
    """
    B, states, insts = _alive_submatrix(net, year)
    frames = []
    for name in measures:
        vs, vi = TWO_MODE[name](B)
        frames += [tidy(year, states, "state", f"bipartite_{name}", vs),
                   tidy(year, insts, "institution", f"bipartite_{name}", vi)]
    return concat(frames)


# ---- one-mode measures on a weighted projection -----------------------------------------------------

def strength(P: sp.spmatrix) -> np.ndarray:
    """Sum of tie weights: ``s_i = sum_j w_ij``."""
    return np.asarray(P.sum(1)).ravel()


def eigenvector(P: sp.spmatrix) -> np.ndarray:
    """Leading eigenvector of the weighted adjacency matrix, non-negative, unit Euclidean norm
    (Bonacich 1972; the fixed point networkx's ``eigenvector_centrality`` iterates to).
    """
    W = sp.csr_matrix(P).toarray()
    if not W.any():
        return np.zeros(W.shape[0])
    vals, vecs = np.linalg.eigh(W)
    x = np.abs(vecs[:, np.argmax(vals)])
    return x / np.linalg.norm(x)


def betweenness(P: sp.spmatrix) -> np.ndarray:
    """Weighted betweenness with distance ``1 / w_ij`` (a strong tie is a short path), normalised by
    ``(n-1)(n-2)/2`` as networkx does for undirected graphs (Brandes 2001, via igraph)."""
    import igraph as ig

    n = P.shape[0]
    U = sp.triu(P, k=1).tocoo()
    g = ig.Graph(n=n, edges=np.column_stack([U.row, U.col]).tolist())
    raw = np.array(g.betweenness(directed=False, weights=(1.0 / U.data).tolist() if U.nnz else None), dtype=float)
    norm = (n - 1) * (n - 2) / 2
    return raw / norm if norm > 0 else raw


def _proportional(W: np.ndarray) -> np.ndarray:
    s = W.sum(1, keepdims=True)
    return np.divide(W, s, out=np.zeros_like(W), where=s > 0)


def constraint(P: sp.spmatrix) -> np.ndarray:
    """Burt's constraint ``c_i = sum_{j in N(i)} (p_ij + sum_{q != i,j} p_iq p_qj)^2`` with
    ``p_ij = w_ij / sum_k w_ik`` (Burt 1992, *Structural Holes*). Low constraint = brokerage. NaN for isolates.
    """
    W = sp.csr_matrix(P).toarray()
    Pm = _proportional(W)
    T = Pm + Pm @ Pm  # (P @ P)_ij has no q = i or q = j terms: there are no self-ties
    c = ((W > 0) * T ** 2).sum(1)
    return np.where(W.sum(1) > 0, c, np.nan)


def effective_size(P: sp.spmatrix) -> np.ndarray:
    """Burt's effective size ``e_i = sum_{j in N(i)} (1 - sum_{q != i,j} p_iq m_jq)`` with ``m_jq = w_jq / max_k w_jk``
    (Burt 1992): the number of a state's contacts that are not redundant with each other. NaN for isolates.
    """
    W = sp.csr_matrix(P).toarray()
    Pm = _proportional(W)
    mx = W.max(1, keepdims=True)
    M = np.divide(W, mx, out=np.zeros_like(W), where=mx > 0)
    red = Pm @ M.T
    e = ((W > 0) * (1 - red)).sum(1)
    return np.where(W.sum(1) > 0, e, np.nan)


PROJECTION_MEASURES = {"strength": strength, "eigenvector": eigenvector, "betweenness": betweenness,
                       "constraint": constraint, "effective_size": effective_size}


def projection_centrality(net, year: int, onto: str = "states", weighting: str = "newman",
                          measures=tuple(PROJECTION_MEASURES), P=None):
    """Tidy frame of one-mode measures on the ``onto`` projection of ``year``, restricted to the entities that
    exist that year. Metrics are named ``<measure>`` (e.g. ``eigenvector``)."""
    from graphs.projection import project

    P = project(net, year, onto, weighting) if P is None else P
    idx = net.present(year, onto)
    P = sp.csr_matrix(P)[idx][:, idx]
    labels = [(net.state_codes if onto == "states" else net.institution_ids)[k] for k in idx]
    kind = "state" if onto == "states" else "institution"
    return concat([tidy(year, labels, kind, name, PROJECTION_MEASURES[name](P)) for name in measures])
