"""Rank every single join or leave edit of a year by its effect on one measure, updating the projection
incrementally instead of recomputing it.

One membership change flips one entry ``A[s, c]`` of the binary state × institution matrix. Both supported
projections are sums over institutions,

    ``P = sum_c f(k_c) (a_c a_c^T - diag(a_c))``, with ``f(k) = 1`` (``count``) or ``1/(k-1)`` for k > 1, else 0
    (``newman``; Newman 2001, Phys. Rev. E 64, 016132),

where ``a_c`` is column c of A and ``k_c`` its size. Flipping ``A[s, c]`` (``sigma = +1`` join, ``-1`` leave)
makes ``a' = a_c + sigma e_s`` and ``k' = k_c + sigma`` and changes only institution c's term:

    ``dP = f(k') (a' a'^T - diag(a')) - f(k) (a a^T - diag(a))``.

For ``count`` this is row and column s only (a rank-two update, ``sigma (e_s a^T + a e_s^T)`` off the
diagonal); for ``newman`` every pair inside c is reweighted as well, because the institution's size changes.
Every measure below follows from ``dP`` in closed form, per institution and vectorised over all states:

* ``polarisation`` -- Newman–Girvan modularity ``Q = I/W - sum_b (S_b/W)^2`` of the **fixed baseline bloc
  partition** (W total weight of P, I the weight inside blocs, S_b the strength of bloc b). With
  ``m_b = sum_{i in b} a_i``: ``dW = f(k')(k'^2-k') - f(k)(k^2-k)``, ``dI = f(k')(sum_b m'_b^2 - k') -
  f(k)(sum_b m_b^2 - k)``, ``dS_b = f(k') m'_b (k'-1) - f(k) m_b (k-1)``. ``cross_share = (W - I)/W``.
* for a ``target`` state t, its row of P: ``strength`` ``s_t``; ``participation`` (Guimerà & Amaral's
  ``1 - sum_b (K_b/s_t)^2`` over the fixed blocs); ``multialignment`` ``sqrt(B'_t P_t)`` whose orientation
  balance changes only when t itself joins or leaves; ``eigenvector`` -- the leading eigenvector of P + dP,
  by power iteration on every candidate at once, each started from the baseline vector (plus a small positive
  part) and shifted by
  ``-(lambda_2 + lambda_min)/2`` of the baseline spectrum (``P x`` is one dense product for all candidates,
  ``dP x`` costs O(n) each); candidates that do not converge are solved exactly with ``eigh``.

What the sweep holds fixed: the bloc partition (the baseline's consensus blocs; re-detecting blocs for each of
thousands of edits would mostly measure Leiden's noise -- :func:`analysis.whatif.compare` re-detects them and
reports this fixed-partition modularity as ``modularity_fixed_blocs``), the states and institutions of the
year, the orientation labels, and the tie weights: a join makes a full member (weight 1, so joining from
observer or partner status is an upgrade) and a leave removes a full membership. Only ``count`` and
``newman`` projections are incremental; ``jaccard`` and ``backbone`` are not supported.

>>> import numpy as np
>>> A = np.array([[1, 0], [1, 1], [0, 1]], dtype=float)
>>> projection_delta(A, 0, 1, "count").toarray()
array([[0., 1., 1.],
       [1., 0., 0.],
       [1., 0., 0.]])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from graphs.problems import DataError, Problem, did_you_mean

from . import blocs as Bl
from . import centrality as C
from . import multialignment as M

GLOBAL_METRICS = ("polarisation", "cross_share")
TARGET_METRICS = ("strength", "eigenvector", "participation", "multialignment")
SWEEP_METRICS = GLOBAL_METRICS + TARGET_METRICS
INCREMENTAL_PROJECTIONS = ("count", "newman")
COLUMNS = ["year", "rank", "action", "state", "institution", "from_status", "metric", "target", "baseline",
           "value", "delta"]


def institution_factor(k, weighting: str) -> np.ndarray:
    """``f(k)``: the weight one shared institution of size k gives each pair of its members."""
    k = np.asarray(k, dtype=float)
    if weighting == "count":
        return np.ones_like(k)
    if weighting == "newman":
        return np.divide(1.0, k - 1, out=np.zeros_like(k), where=k > 1)
    raise ValueError(f"the sweep supports the {' and '.join(INCREMENTAL_PROJECTIONS)} projections, not {weighting!r}")


def projection_matrix(A, weighting: str) -> np.ndarray:
    """``sum_c f(k_c)(a_c a_c^T - diag(a_c))`` for a binary matrix A: :func:`graphs.projection.project_matrix`
    of ``count`` and ``newman`` as a dense array."""
    A = np.asarray(A, dtype=float)
    f = institution_factor(A.sum(0), weighting)
    P = (A * f) @ A.T
    np.fill_diagonal(P, 0.0)
    return P


def projection_delta(A, s: int, c: int, weighting: str) -> sp.csr_matrix:
    """The change of the projection when entry ``A[s, c]`` of the binary matrix flips (join if it is 0, leave
    if it is 1): ``f(k')(a'a'^T - diag(a')) - f(k)(aa^T - diag(a))``, nonzero only among the members of c
    and s."""
    A = np.asarray(A, dtype=float)
    a = A[:, c].copy()
    k = a.sum()
    sigma = 1.0 - 2.0 * a[s]
    a2 = a.copy()
    a2[s] += sigma
    f0, f1 = institution_factor([k, k + sigma], weighting)
    rows = np.flatnonzero((a > 0) | (a2 > 0))
    sub = f1 * (np.outer(a2[rows], a2[rows]) - np.diag(a2[rows])) - f0 * (np.outer(a[rows], a[rows]) - np.diag(a[rows]))
    D = sp.coo_matrix((sub.ravel(), (np.repeat(rows, len(rows)), np.tile(rows, len(rows)))), shape=(len(a), len(a)))
    D = D.tocsr()
    D.eliminate_zeros()
    return D


def update_projection(P, A, s: int, c: int, weighting: str):
    """``(P + dP, A with A[s, c] flipped)``: the incremental update of :func:`projection_delta`; ``A`` and
    ``P`` are not modified."""
    D = projection_delta(A, s, c, weighting)
    A2 = np.array(A, dtype=float)
    A2[s, c] = 1.0 - A2[s, c]
    return (sp.csr_matrix(P) + D).tocsr() if sp.issparse(P) else np.asarray(P) + D.toarray(), A2


# ---- the closed forms, for every candidate at once ----------------------------------------------------------

@dataclass
class Candidates:
    """Every (state, institution) flip: ``s`` row, ``c`` column, ``sigma`` +1 join / -1 leave."""

    s: np.ndarray
    c: np.ndarray
    sigma: np.ndarray

    @classmethod
    def all(cls, A, actions=("join", "leave")) -> "Candidates":
        A = np.asarray(A)
        c, s = np.meshgrid(np.arange(A.shape[1]), np.arange(A.shape[0]))
        s, c = s.ravel(), c.ravel()
        sigma = 1.0 - 2.0 * A[s, c]
        keep = ((sigma > 0) & ("join" in actions)) | ((sigma < 0) & ("leave" in actions))
        return cls(s[keep], c[keep], sigma[keep])


def _sizes(A, cand: Candidates, weighting):
    k = np.asarray(A, dtype=float).sum(0)[cand.c]
    k1 = k + cand.sigma
    return k, k1, institution_factor(k, weighting), institution_factor(k1, weighting)


def _bloc_counts(A, labels, cand: Candidates):
    """``m`` (members of c in each bloc) before and after, candidates × blocs."""
    labels = np.asarray(labels)
    nb = int(labels.max(initial=-1)) + 1
    onehot = np.eye(nb)[labels]                       # states × blocs
    m = (np.asarray(A, dtype=float).T @ onehot)[cand.c]
    m1 = m + cand.sigma[:, None] * onehot[cand.s]
    return m, m1, onehot


def sweep_modularity(A, labels, cand: Candidates, weighting: str, *, cross_share: bool = False) -> np.ndarray:
    """Modularity (or the cross-bloc share of tie weight) of the fixed partition ``labels`` after each
    candidate flip, from the closed forms of the module docstring."""
    A = np.asarray(A, dtype=float)
    P = projection_matrix(A, weighting)
    labels = np.asarray(labels)
    m, m1, onehot = _bloc_counts(A, labels, cand)
    k, k1, f0, f1 = _sizes(A, cand, weighting)
    W = P.sum() + f1 * (k1 ** 2 - k1) - f0 * (k ** 2 - k)
    inside = (onehot.T @ P @ onehot).trace()
    I = inside + f1 * ((m1 ** 2).sum(1) - k1) - f0 * ((m ** 2).sum(1) - k)
    if cross_share:
        return np.divide(W - I, W, out=np.zeros_like(W), where=W > 0)
    S = P.sum(1) @ onehot
    S1 = S[None, :] + f1[:, None] * m1 * (k1 - 1)[:, None] - f0[:, None] * m * (k - 1)[:, None]
    q = I / np.where(W > 0, W, 1) - ((S1 / np.where(W > 0, W, 1)[:, None]) ** 2).sum(1)
    return np.where(W > 0, q, 0.0)


def sweep_target_row(A, labels, t: int, cand: Candidates, weighting: str):
    """For each candidate: the target's strength and its tie weight to each bloc (candidates × blocs)."""
    A = np.asarray(A, dtype=float)
    P = projection_matrix(A, weighting)
    labels = np.asarray(labels)
    m, m1, onehot = _bloc_counts(A, labels, cand)
    k, k1, f0, f1 = _sizes(A, cand, weighting)
    at = A[t, cand.c]
    at1 = at + cand.sigma * (cand.s == t)
    own = onehot[t][None, :]
    K = (P[t] @ onehot)[None, :] + f1[:, None] * at1[:, None] * (m1 - own * at1[:, None]) \
        - f0[:, None] * at[:, None] * (m - own * at[:, None])
    strength = P[t].sum() + f1 * at1 * (k1 - 1) - f0 * at * (k - 1)
    return strength, K


def _participation(K: np.ndarray) -> np.ndarray:
    k = K.sum(1)
    share = np.divide(K, k[:, None], out=np.zeros_like(K), where=k[:, None] > 0)
    return np.where(k > 0, 1 - (share ** 2).sum(1), np.nan)


def sweep_eigenvector(A, t: int, cand: Candidates, weighting: str, *, tol: float = 1e-12,
                      max_iter: int = 1000, chunk: int = 4096) -> np.ndarray:
    """The target's eigenvector centrality (:func:`analysis.centrality.eigenvector`) after each candidate flip,
    by shifted power iteration on all candidates at once (see the module docstring)."""
    A = np.asarray(A, dtype=float)
    P = projection_matrix(A, weighting)
    n = P.shape[0]
    if n == 0 or len(cand.s) == 0:
        return np.zeros(len(cand.s))
    vals, vecs = np.linalg.eigh(P)
    shift = -(vals[-2] + vals[0]) / 2 if n > 1 else 0.0
    # a positive start overlaps the (non-negative) leading eigenvector of every edited matrix
    v0 = np.abs(vecs[:, -1]) + 1e-3 / np.sqrt(n)
    v0 /= np.linalg.norm(v0)
    out = np.empty(len(cand.s))
    for lo in range(0, len(cand.s), chunk):
        part = Candidates(cand.s[lo:lo + chunk], cand.c[lo:lo + chunk], cand.sigma[lo:lo + chunk])
        out[lo:lo + chunk] = _power(P, A, part, weighting, v0, shift, t, tol, max_iter)
    return out


def _power(P, A, cand, weighting, v0, shift, t, tol, max_iter):
    """Power iteration on ``P + dP_j + shift I`` for every candidate j at once (one column each).

    ``P x = A (f * (A^T x)) - d * x`` with ``d = A f`` (the diagonal removed), which costs O(n m) instead of
    O(n^2) per column, and with ``u = a.x`` (an entry of ``A^T x``) the update of the module docstring is
    ``dP x = a * (alpha - beta x) + gamma e_s`` with ``beta = f(k') - f(k)``,
    ``alpha = beta u + f(k') sigma x_s`` and ``gamma = f(k') sigma (u + (sigma - 1) x_s)``.
    """
    N = len(cand.s)
    cols = np.arange(N)
    f = institution_factor(A.sum(0), weighting)
    d = A @ f
    G = A[:, cand.c]                                    # n × N: the members of each candidate's institution
    _, _, f0, f1 = _sizes(A, cand, weighting)
    beta = f1 - f0
    H = (shift - d)[:, None] - G * beta[None, :]        # the diagonal part, fixed over the iterations
    X = np.repeat(v0[:, None], N, axis=1)
    converged = np.zeros(N, dtype=bool)
    for _ in range(max_iter):
        Z = A.T @ X
        u = Z[cand.c, cols]
        xs = X[cand.s, cols]
        Y = A @ (f[:, None] * Z)
        Y += X * H
        Y += G * (beta * u + f1 * cand.sigma * xs)[None, :]
        Y[cand.s, cols] += f1 * cand.sigma * (u + (cand.sigma - 1) * xs)
        Y /= np.maximum(np.linalg.norm(Y, axis=0), 1e-300)[None, :]
        converged = np.abs(Y - X).max(0) <= tol
        X = Y
        if converged.all():
            break
    for j in np.flatnonzero(~converged):                # not converged: solve exactly
        D = projection_delta(A, int(cand.s[j]), int(cand.c[j]), weighting).toarray()
        X[:, j] = C.eigenvector(sp.csr_matrix(P + D))
    X = np.abs(X)
    X /= np.maximum(np.linalg.norm(X, axis=0), 1e-300)
    return X[t]


def sweep_values(A, labels, metric: str, cand: Candidates, weighting: str, t: int | None = None,
                 camp_counts=None, inst_camp=None, has_labels: bool = True) -> tuple[float, np.ndarray]:
    """(baseline value, value after each candidate flip) of ``metric`` on binary matrix ``A`` with the fixed
    bloc ``labels``; ``t`` is the target row, ``camp_counts`` the target's memberships per camp and
    ``inst_camp`` each column's camp index (-1 for none) for ``multialignment``."""
    A = np.asarray(A, dtype=float)
    labels = np.asarray(labels)
    P = projection_matrix(A, weighting)
    if metric == "polarisation":
        return Bl.modularity(sp.csr_matrix(P), labels), sweep_modularity(A, labels, cand, weighting)
    if metric == "cross_share":
        return (Bl.polarisation(sp.csr_matrix(P), labels)["cross_share"],
                sweep_modularity(A, labels, cand, weighting, cross_share=True))
    if metric == "eigenvector":
        return float(C.eigenvector(sp.csr_matrix(P))[t]), sweep_eigenvector(A, t, cand, weighting)
    strength, K = sweep_target_row(A, labels, t, cand, weighting)
    if metric == "strength":
        return float(P[t].sum()), strength
    part0 = float(M.participation_coefficient(sp.csr_matrix(P), labels)[t])
    if metric == "participation":
        return part0, _participation(K)
    counts = np.repeat(np.asarray(camp_counts, dtype=float)[None, :], len(cand.s), axis=0)
    mine = (cand.s == t) & (inst_camp[cand.c] >= 0)
    counts[np.flatnonzero(mine), inst_camp[cand.c[mine]]] += cand.sigma[mine]
    base = M.multialignment_index(M.orientation_balance(np.asarray(camp_counts, dtype=float)[None, :]),
                                  np.array([part0]), has_labels)[0]
    return float(base), M.multialignment_index(M.orientation_balance(counts), _participation(K), has_labels)


# ---- on a dataset --------------------------------------------------------------------------------------

def _check(metric: str, target, projection: str) -> list[Problem]:
    problems = []
    if metric not in SWEEP_METRICS:
        problems.append(Problem("argument", None, "metric", metric, "unknown sweep metric",
                                did_you_mean(metric, SWEEP_METRICS) or f"expected one of {', '.join(SWEEP_METRICS)}"))
    elif metric in TARGET_METRICS and target is None:
        problems.append(Problem("argument", None, "target", None, f"metric {metric} needs --target STATE"))
    elif metric in GLOBAL_METRICS and target is not None:
        problems.append(Problem("argument", None, "target", target, f"metric {metric} is not about one state",
                                f"drop --target, or use one of {', '.join(TARGET_METRICS)}"))
    if projection not in INCREMENTAL_PROJECTIONS:
        problems.append(Problem("argument", None, "projection", projection, "the sweep cannot use this projection",
                                f"expected one of {', '.join(INCREMENTAL_PROJECTIONS)}"))
    return problems


def sweep(ds, year: int, metric: str, target: str | None = None, options=None, *, actions=("join", "leave"),
          order: str = "decrease", analysis=None):
    """Every single join or leave of ``year`` (each state present × each institution present), ranked by the
    change it makes to ``metric`` (``order="decrease"``: the largest fall first; ``"increase"``: the largest
    rise first). Returns a frame ``year, rank, action, state, institution, from_status, metric, target,
    baseline, value, delta``. What is held fixed is in the module docstring.

    >>> from graphs import load_dataset                                      # doctest: +SKIP
    >>> df = sweep(load_dataset(), 2024, "eigenvector", target="IND")         # doctest: +SKIP
    >>> df.loc[0, ["action", "state", "institution"]].tolist()               # doctest: +SKIP
    ['leave', 'IND', 'QUAD']
    """
    import pandas as pd

    from graphs import schema as S

    from .metrics import Analysis, Options

    options = options or Options()
    problems = _check(metric, target, options.projection)
    if order not in ("decrease", "increase"):
        problems.append(Problem("argument", None, "order", order, "unknown order", "expected decrease or increase"))
    if problems:
        raise DataError(problems)
    ds.check_year(year)
    a = analysis or Analysis(ds, options)
    net = a.net
    idx, labels, _ = a.blocs(year)
    cols = net.present(year, "institutions")
    Ball = net.biadjacency(year)
    A = (Ball[idx][:, cols] > 0).astype(float).toarray()
    states = [net.state_codes[k] for k in idx]
    insts = [net.institution_ids[k] for k in cols]
    t = None
    if target is not None:
        code = ds.resolve_state(target)
        if code not in states:
            raise DataError([Problem("argument", None, "target", target, f"{code} is not in the {year} network")])
        t = states.index(code)
    cand = Candidates.all(A, actions)
    inst_camp = np.array([M.CAMPS.index(a.labels.get(i)) if a.labels.get(i) in M.CAMPS else -1 for i in insts])
    camp_counts = (M.camp_counts(sp.csr_matrix(A[t:t + 1]), insts, a.labels)[0] if t is not None else None)
    base, values = sweep_values(A, labels, metric, cand, options.projection, t, camp_counts, inst_camp,
                                a.has_labels)
    status = net.status_matrix(year)[idx][:, cols].toarray()[cand.s, cand.c]
    df = pd.DataFrame({
        "year": year,
        "action": np.where(cand.sigma > 0, "join", "leave"),
        "state": np.array(states, dtype=object)[cand.s],
        "institution": np.array(insts, dtype=object)[cand.c],
        "from_status": [S.STATUSES[x - 1] if x else "" for x in status],
        "metric": metric, "target": "" if t is None else states[t],
        "baseline": base, "value": values, "delta": values - base,
    })
    scale = max(1.0, abs(base)) if np.isfinite(base) else 1.0
    df["delta"] = df["delta"].where(df["delta"].abs() > 1e-12 * scale, 0.0)
    # rank on deltas rounded to 10 digits, so equal effects tie (and fall back to state, institution order)
    # whatever the last bits of the floating point
    df["_key"] = (df["delta"] / scale).round(10)
    df = df.sort_values(["_key", "state", "institution"], ascending=[order == "decrease", True, True],
                        kind="stable", na_position="last")
    df.insert(1, "rank", np.arange(1, len(df) + 1))
    return df[COLUMNS].reset_index(drop=True)


__all__ = ["Candidates", "SWEEP_METRICS", "TARGET_METRICS", "GLOBAL_METRICS", "institution_factor",
           "projection_delta", "projection_matrix", "sweep", "sweep_values", "update_projection"]
