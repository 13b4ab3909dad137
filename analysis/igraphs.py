"""Building igraph graphs from index arrays without going through a list of Python pairs.

python-igraph takes edges as an iterable of pairs. ``ndarray.tolist()`` of an ``(m, 2)`` array makes ``m``
two-element lists first, which costs more than the C build itself (3 ms of 4.7 ms for the 20,000 ties of a
2024 projection); a ``zip`` of the two index columns is consumed pair by pair instead. The edge order is the
order of the arrays, so graphs -- and the partitions seeded algorithms find on them -- do not change.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def graph(n: int, rows, cols, weights=None):
    """Undirected igraph Graph on ``n`` vertices with edges ``(rows[k], cols[k])`` in that order, and the
    edge attribute ``weight`` when ``weights`` is given.

    >>> g = graph(3, np.array([0, 1]), np.array([1, 2]), np.array([0.5, 2.0]))
    >>> g.get_edgelist(), g.es["weight"]
    ([(0, 1), (1, 2)], [0.5, 2.0])
    """
    import igraph as ig

    g = ig.Graph(n=int(n), edges=zip(np.asarray(rows).tolist(), np.asarray(cols).tolist()))
    if weights is not None:
        g.es["weight"] = np.asarray(weights, dtype=float).tolist()
    return g


def upper_graph(P: sp.spmatrix, weighted: bool = True):
    """The undirected graph of the strict upper triangle of the symmetric matrix ``P`` (row-major edge order),
    weighted by its entries."""
    U = sp.triu(sp.csr_matrix(P), k=1).tocoo()
    return graph(P.shape[0], U.row, U.col, U.data if weighted else None)


def bipartite_graph(B: sp.spmatrix):
    """The bipartite graph of a biadjacency matrix: rows are vertices ``0..n-1``, columns ``n..n+m-1``."""
    n, m = B.shape
    C = sp.coo_matrix(B)
    return graph(n + m, C.row, C.col + n)
