"""One-mode projections of the bipartite membership network, for one year or all years at once.

Raw co-membership counts are dominated by universal bodies: every pair of UN members shares the UN, WHO,
IMF and World Bank, so counts mostly measure "both are states". We recommend ``newman`` for weighted
measures (a shared institution of k members adds 1/(k-1), so a six-member club outweighs the UN) and
``backbone`` for structure (only ties that are statistically surprising given both degrees).

Weightings (A is the binary biadjacency, W the weighted one, k degrees):

* ``count``    -- ``w_ij = sum_c W_ic W_jc``: shared memberships.
* ``jaccard``  -- ``w_ij = |N(i) ∩ N(j)| / |N(i) ∪ N(j)|``.
* ``newman``   -- ``w_ij = sum_c A_ic A_jc / (k_c - 1)`` over institutions with k_c > 1
  (Newman 2001, "Scientific collaboration networks II", Phys. Rev. E 64, 016132).
* ``backbone`` -- keep pair (i, j) with weight ``count`` when ``P(X >= c_ij)`` for
  ``X ~ Hypergeometric(N, k_i, k_j)`` (N institutions with members that year) survives Benjamini–Hochberg
  false-discovery control at ``alpha`` over all pairs of that year (Tumminello et al. 2011, "Statistically
  validated networks in bipartite complex systems", PLoS ONE 6(3): e17994).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

WEIGHTINGS = ("count", "jaccard", "newman", "backbone")
DEFAULT_WEIGHTING = "newman"


def _offdiag(P: sp.spmatrix) -> sp.csr_matrix:
    P = sp.csr_matrix(P)
    P = P - sp.diags(P.diagonal()).tocsr()        # exact zeros on the diagonal (much faster than setdiag)
    P.eliminate_zeros()
    return P


def hypergeom_tail(x, total, successes, draws) -> np.ndarray:
    """``P(X >= x)`` for ``X ~ Hypergeometric(total, successes, draws)``, element-wise:

    ``sum_{j >= x} C(successes, j) C(total - successes, draws - j) / C(total, draws)``,

    summed in log space over the support, once per distinct parameter set (a year's pairs share few). Equal to
    ``scipy.stats.hypergeom.sf(x - 1, total, successes, draws)`` to rounding (the tests check it); written here
    because importing ``scipy.stats`` takes 0.4 s, a seventh of a one-year report.

    >>> hypergeom_tail([2], [4], [2], [2]).round(6).tolist()   # both of 2 draws among 2 marked of 4: 1/6
    [0.166667]
    """
    from scipy.special import gammaln, logsumexp

    cols = np.broadcast_arrays(*(np.asarray(v, dtype=np.int64) for v in (x, total, successes, draws)))
    shape = cols[0].shape
    if not cols[0].size:
        return np.zeros(shape)
    M, K, n = (c.ravel() for c in cols[1:])
    x = np.clip(cols[0].ravel(), np.maximum(0, n - (M - K)), np.minimum(K, n) + 1)   # P(X >= x) is 1 below
    params = np.stack([x, M, K, n], axis=1)                                          # the support, 0 above
    if params.min() >= 0 and params.max() < 2 ** 15:   # one int64 per set: much faster to make unique
        key = ((x << 45) | (M << 30) | (K << 15) | n)
        _, pick, inv = np.unique(key, return_index=True, return_inverse=True)
        uniq = params[pick]
    else:
        uniq, inv = np.unique(params, axis=0, return_inverse=True)
    ux, uM, uK, un = uniq.T
    first, last = np.maximum(0, un - (uM - uK)), np.minimum(uK, un)   # the support
    lf = gammaln(np.arange(uM.max() + 1, dtype=float) + 1.0)          # lf[m] = log(m!)

    def log_choose(a, b):
        return lf[a] - lf[b] - lf[a - b]

    # above the mean, sum the upper tail [x, last]; at or below it, the lower side [first, x-1] and take 1 minus
    # it: the tail is then at least about 1/2 (the median is within 1 of the mean), so the subtraction loses no
    # precision that matters, and the short side is summed
    upper = ux * uM > un * uK
    lo, hi = np.where(upper, ux, first), np.where(upper, last, ux - 1)
    span = np.maximum(hi - lo + 1, 0)
    total = np.zeros(len(uniq))
    rows = np.flatnonzero(span > 0)
    rows = rows[np.argsort(span[rows], kind="stable")]               # chunks of similar length waste little
    a = 0
    while a < len(rows):
        width = int(span[rows[min(len(rows) - 1, a + 4095)]])
        r = rows[a:a + max(1, min(4096, 2_000_000 // width))]
        a += len(r)
        j = lo[r, None] + np.arange(span[r].max())[None, :]
        inside = j <= hi[r, None]
        j = np.where(inside, j, lo[r, None])
        M, K, n = uM[r, None], uK[r, None], un[r, None]
        logp = log_choose(K, j) + log_choose(M - K, n - j) - log_choose(M, n)
        total[r] = np.exp(logsumexp(np.where(inside, logp, -np.inf), axis=1))
    out = np.where(upper, total, 1.0 - total)
    return np.clip(out, 0.0, 1.0)[inv.ravel()].reshape(shape)


def _blocks_of(n_rows: int, n_blocks: int) -> np.ndarray:
    return np.arange(n_rows) // (n_rows // n_blocks) if n_blocks else np.zeros(n_rows, dtype=int)


def project_matrix(B: sp.spmatrix, weighting: str = DEFAULT_WEIGHTING, *, alpha: float = 0.05,
                   n_blocks: int = 1) -> sp.csr_matrix:
    """Project a (block-diagonal) biadjacency matrix onto its rows.

    ``B`` is rows × columns; with ``n_blocks > 1`` it holds that many equal-sized diagonal blocks (one per
    year) and the backbone's null model and false-discovery control are applied per block.

    >>> import scipy.sparse as sp
    >>> B = sp.csr_matrix([[1, 1, 0], [1, 1, 1], [0, 1, 1]])
    >>> project_matrix(B, "count").toarray().tolist()
    [[0.0, 2.0, 1.0], [2.0, 0.0, 2.0], [1.0, 2.0, 0.0]]
    """
    if weighting not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {weighting!r}; expected one of {', '.join(WEIGHTINGS)}")
    W = sp.csr_matrix(B, dtype=float)
    A = W.copy()
    A.data[:] = 1.0
    A.eliminate_zeros()
    if weighting == "count":
        return _offdiag(W @ W.T)
    if weighting == "newman":
        kc = np.asarray(A.sum(axis=0)).ravel()
        inv = np.divide(1.0, kc - 1, out=np.zeros_like(kc), where=kc > 1)
        return _offdiag(A @ sp.diags(inv) @ A.T)
    C = _offdiag(A @ A.T).tocoo()
    k = np.asarray(A.sum(axis=1)).ravel()
    if weighting == "jaccard":
        vals = C.data / (k[C.row] + k[C.col] - C.data)
        return sp.csr_matrix((vals, (C.row, C.col)), shape=C.shape)
    return _backbone(A, C, k, alpha, n_blocks)


def _backbone(A, C, k, alpha, n_blocks) -> sp.csr_matrix:
    n_rows, n_cols = A.shape
    row_block = _blocks_of(n_rows, n_blocks)
    col_block = _blocks_of(n_cols, n_blocks)
    kc = np.asarray(A.sum(axis=0)).ravel()
    N = np.bincount(col_block[kc > 0], minlength=n_blocks)            # institutions with members, per block
    active = np.bincount(row_block[k > 0], minlength=n_blocks)        # rows with ties, per block
    m = active * (active - 1) / 2                                      # pairs tested, per block

    upper = C.row < C.col
    r, c, x = C.row[upper], C.col[upper], C.data[upper]
    blk = row_block[r]
    p = hypergeom_tail(x, N[blk], k[r], k[c])
    order = np.lexsort((p, blk))
    blk_sorted, p_sorted = blk[order], p[order]
    starts = np.searchsorted(blk_sorted, blk_sorted, side="left")
    rank = np.arange(len(order)) - starts + 1
    passes = p_sorted <= rank / np.maximum(m[blk_sorted], 1) * alpha
    # BH: keep every pair ranked at or below the largest passing rank of its block
    cutoff = np.zeros(n_blocks)
    np.maximum.at(cutoff, blk_sorted[passes], rank[passes])
    keep = np.zeros(len(order), dtype=bool)
    keep[order] = rank <= cutoff[blk_sorted]
    rr, cc, xx = r[keep], c[keep], x[keep]
    return sp.csr_matrix((np.r_[xx, xx], (np.r_[rr, cc], np.r_[cc, rr])), shape=C.shape)


def backbone_pvalues(B: sp.spmatrix) -> sp.csr_matrix:
    """Upper-tail hypergeometric p-values of co-membership for every pair sharing at least one institution."""

    A = sp.csr_matrix(B, dtype=float)
    A.data[:] = 1.0
    C = _offdiag(A @ A.T).tocoo()
    k = np.asarray(A.sum(axis=1)).ravel()
    N = int((np.asarray(A.sum(axis=0)).ravel() > 0).sum())
    return sp.csr_matrix((hypergeom_tail(C.data, N, k[C.row], k[C.col]), (C.row, C.col)), shape=C.shape)


def project(net, year: int, onto: str = "states", weighting: str = DEFAULT_WEIGHTING,
            *, alpha: float = 0.05) -> sp.csr_matrix:
    """The projection of one year's network onto ``states`` or ``institutions`` (matrix order of ``net``)."""
    B = net.biadjacency(year)
    return project_matrix(B if onto == "states" else B.T, weighting, alpha=alpha)


def project_all_years(net, onto: str = "states", weighting: str = DEFAULT_WEIGHTING,
                      *, alpha: float = 0.05) -> list[sp.csr_matrix]:
    """Every year's projection from one sparse product over the block-diagonal matrix of all years."""
    bd = net.block_diagonal if onto == "states" else net.block_diagonal.T.tocsr()
    n_years = len(net.years)
    P = project_matrix(bd, weighting, alpha=alpha, n_blocks=n_years)
    size = P.shape[0] // n_years if n_years else 0
    return [P[y * size:(y + 1) * size, y * size:(y + 1) * size] for y in range(n_years)]


def to_networkx(P: sp.spmatrix, labels) -> "nx.Graph":  # noqa: F821
    """A projection matrix as a weighted networkx Graph with every label as a node."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(labels)
    U = sp.triu(P, k=1).tocoo()
    g.add_weighted_edges_from((labels[i], labels[j], float(w)) for i, j, w in zip(U.row, U.col, U.data))
    return g
