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

from .frames import frame
from .igraphs import bipartite_graph

_blas = None


def one_blas_thread():
    """Context manager running numpy's and scipy's BLAS on one thread.

    Our matrices have a few hundred rows: too small for threads to pay, and when another process holds a core,
    OpenBLAS threads wait for each other at every product -- the measures then take three to six times longer
    (measured on a 2-core machine: COW measures 15 s instead of 2.7 s). Needs ``threadpoolctl``; without it,
    BLAS keeps its own setting.
    """
    global _blas
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:                       # pragma: no cover - threadpoolctl is a dependency
        from contextlib import nullcontext
        return nullcontext()
    if _blas is None:
        import scipy.linalg  # noqa: F401  -- load scipy's own BLAS too, so the controller sees both
        import scipy.sparse.linalg  # noqa: F401

        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")


def _alive_submatrix(net, year):
    """Biadjacency of the nodes of ``year``'s graph (:meth:`YearlyNetwork.present`), with their labels."""
    B = (net.biadjacency(year) > 0).astype(float).tocsr()
    rows, cols = net.present(year, "states"), net.present(year, "institutions")
    return B[rows][:, cols], [net.state_codes[k] for k in rows], [net.institution_ids[k] for k in cols]


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
    g = bipartite_graph(B)
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


# Graphs up to this many nodes get their hop-count betweenness from dense matrix products (a few MB per
# breadth-first level); larger ones from igraph's C implementation of Brandes' algorithm.
DENSE_NODES = 1500


def _dependencies(steps: list[np.ndarray]) -> list[np.ndarray]:
    """Brandes' dependencies ``sum_s delta_s(v)`` over every source s of mode 0, for every node v of every mode,
    by one breadth-first search from all sources at once in dense matrix algebra (Brandes 2001, "A faster
    algorithm for betweenness centrality", J. Math. Sociol. 25(2): 163-177; the batched form of Kepner &
    Gilbert 2011, *Graph Algorithms in the Language of Linear Algebra*, ch. 6).

    The nodes fall into ``p = len(steps)`` modes that paths from mode 0 visit in turn, and ``steps[m]`` is the
    0/1 matrix of the edges from mode m to mode (m + 1) % p: ``[A]`` for a one-mode graph, ``[B, B.T]`` for a
    bipartite graph seen from its rows. Level k of the search holds ``sigma_k[s, v]``, the number of shortest
    s-v paths for the nodes v at distance k from s, so ``sigma_k = (sigma_{k-1} @ steps) * unseen``; going back,
    ``delta_{k-1} += sigma_{k-1} * (((1 + delta_k) / sigma_k) @ steps.T)``. Returns one array per mode.
    """
    p, n0 = len(steps), steps[0].shape[0]
    back = [np.ascontiguousarray(m.T) for m in steps]
    unseen = [np.ones((n0, m.shape[0])) for m in steps]
    np.fill_diagonal(unseen[0], 0.0)
    sigma = [np.eye(n0), steps[0] * unseen[1 % p]]          # level 1: the neighbours, one path each
    unseen[1 % p][sigma[1] > 0] = 0.0
    while True:
        k = len(sigma)
        nxt = sigma[-1] @ steps[(k - 1) % p]
        nxt *= unseen[k % p]
        if not nxt.any():
            break
        unseen[k % p][nxt > 0] = 0.0
        sigma.append(nxt)
    delta = [np.zeros_like(u) for u in unseen]
    for k in range(len(sigma) - 1, 1, -1):    # level 0 is the source itself, never between two others
        coef = np.divide(1.0 + delta[k % p], sigma[k], out=np.zeros_like(sigma[k]), where=sigma[k] > 0)
        delta[(k - 1) % p] += sigma[k - 1] * (coef @ back[(k - 1) % p])
    return [d.sum(0) for d in delta]


def _raw_two_mode_betweenness(B: sp.spmatrix) -> np.ndarray:
    """Betweenness of every node of the bipartite graph (rows, then columns), each unordered pair counted once."""
    n, m = B.shape
    if n + m > DENSE_NODES:
        return np.array(bipartite_graph(B).betweenness(directed=False), dtype=float)
    A = (sp.csr_matrix(B) > 0).astype(float).toarray()
    At = np.ascontiguousarray(A.T)
    rows_from_rows, cols_from_rows = _dependencies([A, At])
    cols_from_cols, rows_from_cols = _dependencies([At, A])
    return np.r_[rows_from_rows + rows_from_cols, cols_from_rows + cols_from_cols] / 2.0


def two_mode_betweenness(B: sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """Betweenness divided by its maximum for the node's mode in a bipartite graph of this size
    (Borgatti & Everett 1997; networkx ``bipartite.betweenness_centrality``).

    A mode whose maximum is 0 (e.g. a single institution) gets 0 rather than a division by zero.
    """
    n, m = B.shape
    raw = _raw_two_mode_betweenness(B)
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


def two_mode_blocks(net, year: int, measures=tuple(TWO_MODE)) -> list[tuple]:
    """The two-mode measures of ``year`` as blocks ``(year, entities, entity_type, metric, values)``
    (see :func:`analysis.frames.frame`), states then institutions for each measure."""
    B, states, insts = _alive_submatrix(net, year)
    blocks = []
    for name in measures:
        vs, vi = TWO_MODE[name](B)
        blocks += [(year, states, "state", f"bipartite_{name}", vs),
                   (year, insts, "institution", f"bipartite_{name}", vi)]
    return blocks


def two_mode_centrality(net, year: int, measures=tuple(TWO_MODE)):
    """Tidy frame of the two-mode measures for states and institutions in ``year``.

    Metrics are named ``bipartite_<measure>``.
    """
    return frame(two_mode_blocks(net, year, measures))


# ---- one-mode measures on a weighted projection -----------------------------------------------------

def _dense(P) -> np.ndarray:
    return P.toarray().astype(float, copy=False) if sp.issparse(P) else np.asarray(P, dtype=float)


def strength(P: sp.spmatrix) -> np.ndarray:
    """Sum of tie weights: ``s_i = sum_j w_ij``."""
    return np.asarray(P.sum(1), dtype=float).ravel()


# Below this size the eigenvector comes from a full dense eigendecomposition, above it from ARPACK.
_DENSE_EIGEN = 64


def eigenvector(P: sp.spmatrix) -> np.ndarray:
    """Leading eigenvector of the weighted adjacency matrix, non-negative, unit Euclidean norm (Bonacich 1972).

    It is the vector networkx's ``eigenvector_centrality`` iterates to: the limit of power iteration from the
    all-ones vector, i.e. the projection of ``1`` onto the eigenspace of the largest eigenvalue, normalised. When
    that eigenvalue is shared (two identical cliques with no tie between them), equal nodes get equal scores.
    Lanczos (ARPACK, ``scipy.sparse.linalg.eigsh``) started from ``1`` converges to exactly this vector; small
    graphs use a dense eigendecomposition and the projection itself.

    >>> import numpy as np
    >>> eigenvector(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=float)).round(4).tolist()
    [0.7071, 0.5, 0.5]
    """
    n = P.shape[0]
    if n == 0 or not (P.nnz if sp.issparse(P) else np.any(P)):
        return np.zeros(n)
    x = None
    if n > _DENSE_EIGEN:
        from scipy.sparse.linalg import ArpackNoConvergence, eigsh

        M = sp.csr_matrix(P, dtype=float) if sp.issparse(P) else np.asarray(P, dtype=float)
        try:
            x = eigsh(M, k=1, which="LA", v0=np.ones(n), tol=0)[1][:, 0]
        except ArpackNoConvergence:          # pragma: no cover - a cluster of near-equal leading eigenvalues
            x = None
    if x is None:
        vals, vecs = np.linalg.eigh(_dense(P))
        top = vecs[:, vals >= vals[-1] - 1e-9 * abs(vals[-1])]
        x = top @ (top.T @ np.ones(n))
    x = np.abs(x)
    return x / np.linalg.norm(x)


def betweenness(P: sp.spmatrix) -> np.ndarray:
    """Weighted betweenness with distance ``1 / w_ij`` (a strong tie is a short path), normalised by
    ``(n-1)(n-2)/2`` as networkx does for undirected graphs (Brandes 2001, via igraph)."""
    import igraph as ig

    W = _dense(P)
    n = W.shape[0]
    L = np.divide(1.0, W, out=np.zeros_like(W), where=W > 0)
    g = ig.Graph.Weighted_Adjacency(np.triu(L, 1), mode="upper")
    raw = np.array(g.betweenness(directed=False, weights="weight" if g.ecount() else None), dtype=float)
    norm = (n - 1) * (n - 2) / 2
    return raw / norm if norm > 0 else raw


def unweighted_betweenness(P: sp.spmatrix) -> np.ndarray:
    """Betweenness counting every tie as one step, whatever its weight: ``sum_{s<t} sigma_st(v) / sigma_st``
    over pairs of other nodes, normalised by ``(n-1)(n-2)/2`` -- networkx's default ``betweenness_centrality(G)``
    (Brandes 2001). On a dense projection most pairs are one or two steps apart, so this says little; it is
    the measure a plain networkx pipeline computes, and the one the benchmark compares.

    >>> import numpy as np
    >>> unweighted_betweenness(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float)).tolist()
    [0.0, 1.0, 0.0]
    """
    A = (_dense(P) > 0).astype(float)
    n = A.shape[0]
    if n > DENSE_NODES:
        import igraph as ig

        raw = np.array(ig.Graph.Adjacency(np.triu(A, 1) > 0, mode="upper").betweenness(directed=False), dtype=float)
    else:
        raw = _dependencies([A])[0] / 2.0
    norm = (n - 1) * (n - 2) / 2
    return raw / norm if norm > 0 else raw


def _proportional(W: np.ndarray) -> np.ndarray:
    s = W.sum(1, keepdims=True)
    return np.divide(W, s, out=np.zeros_like(W), where=s > 0)


def constraint(P: sp.spmatrix) -> np.ndarray:
    """Burt's constraint ``c_i = sum_{j in N(i)} (p_ij + sum_{q != i,j} p_iq p_qj)^2`` with
    ``p_ij = w_ij / sum_k w_ik`` (Burt 1992, *Structural Holes*). Low constraint = brokerage. NaN for isolates.
    """
    W = _dense(P)
    Pm = _proportional(W)
    T = Pm + Pm @ Pm  # (P @ P)_ij has no q = i or q = j terms: there are no self-ties
    c = ((W > 0) * T ** 2).sum(1)
    return np.where(W.sum(1) > 0, c, np.nan)


def effective_size(P: sp.spmatrix) -> np.ndarray:
    """Burt's effective size ``e_i = sum_{j in N(i)} (1 - sum_{q != i,j} p_iq m_jq)`` with ``m_jq = w_jq / max_k w_jk``
    (Burt 1992): the number of a state's contacts that are not redundant with each other. NaN for isolates.
    """
    W = _dense(P)
    Pm = _proportional(W)
    mx = W.max(1, keepdims=True)
    M = np.divide(W, mx, out=np.zeros_like(W), where=mx > 0)
    red = Pm @ M.T
    e = ((W > 0) * (1 - red)).sum(1)
    return np.where(W.sum(1) > 0, e, np.nan)


PROJECTION_MEASURES = {"strength": strength, "eigenvector": eigenvector, "betweenness": betweenness,
                       "constraint": constraint, "effective_size": effective_size,
                       "unweighted_betweenness": unweighted_betweenness}
DEFAULT_PROJECTION_MEASURES = ("strength", "eigenvector", "betweenness", "constraint", "effective_size")


def projection_blocks(net, year: int, onto: str = "states", weighting: str = "newman",
                      measures=DEFAULT_PROJECTION_MEASURES, P=None) -> list[tuple]:
    """The one-mode measures of ``year`` as blocks ``(year, entities, entity_type, metric, values)``
    (see :func:`projection_centrality`)."""
    from graphs.projection import project

    P = project(net, year, onto, weighting) if P is None else P
    idx = net.present(year, onto)
    W = sp.csr_matrix(P)[idx][:, idx].toarray().astype(float, copy=False)   # one dense copy shared by all
    labels = [(net.state_codes if onto == "states" else net.institution_ids)[k] for k in idx]
    kind = "state" if onto == "states" else "institution"
    return [(year, labels, kind, name, PROJECTION_MEASURES[name](W)) for name in measures]


def projection_centrality(net, year: int, onto: str = "states", weighting: str = "newman",
                          measures=DEFAULT_PROJECTION_MEASURES, P=None):
    """Tidy frame of one-mode measures on the ``onto`` projection of ``year``, restricted to the entities that
    exist that year. Metrics are named ``<measure>`` (e.g. ``eigenvector``)."""
    return frame(projection_blocks(net, year, onto, weighting, measures, P))
