"""Node positions that stay put from year to year, so the eye can follow change between reports and frames.

One force-directed layout (Fruchterman & Reingold 1991, igraph's C implementation, seeded) of the *union* of
every year's bipartite graph, each tie weighted by the number of years it lasted. Every year's picture uses
the same coordinates; a node simply appears or disappears.
"""

from __future__ import annotations

import random

import numpy as np
import scipy.sparse as sp


def stable_positions(net, seed: int = 0, size: float = 1000.0) -> dict[str, tuple[float, float]]:
    """``{node id: (x, y)}`` for every state and institution of ``net`` (a :class:`graphs.YearlyNetwork`),
    scaled to ``[-size/2, size/2]``. Same data and seed, same positions.

    >>> from graphs import load_dataset, YearlyNetwork
    >>> pos = stable_positions(YearlyNetwork(load_dataset()))   # doctest: +SKIP
    >>> pos["USA"]                                               # doctest: +SKIP
    (112.4, -87.0)
    """
    import igraph as ig

    from analysis.igraphs import graph

    S_, I_ = len(net.state_codes), len(net.institution_ids)
    years = len(net.years)
    # rows y*S+s of the stacked matrix: summing the year blocks counts the years each tie lasted
    U = sp.csr_matrix((np.ones(net.stacked.nnz), net.stacked.indices, net.stacked.indptr), shape=net.stacked.shape)
    W = sp.csr_matrix(U.reshape(years, S_ * I_).sum(0).reshape(S_, I_)).tocoo() if years else sp.coo_matrix((S_, I_))
    g = graph(S_ + I_, W.row, W.col + S_)
    # a tie's pull: the share of years it lasted over the institution's typical size, so the universal bodies
    # (which tie everyone) do not crush the picture into one ball
    inst_size = np.asarray(U.sum(0)).ravel() / max(years, 1)
    weights = (W.data / max(years, 1) / np.sqrt(np.maximum(inst_size[W.col], 1.0))).tolist()
    rng = random.Random(seed)
    start = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(S_ + I_)]
    ig.set_random_number_generator(random.Random(seed))
    try:
        lay = g.layout_fruchterman_reingold(weights=weights or None, seed=start, niter=500, grid=False)
    finally:
        ig.set_random_number_generator(random)
    xy = np.array(lay.coords, dtype=float) if S_ + I_ else np.zeros((0, 2))
    if len(xy):
        xy -= xy.mean(0)
        # a few unconnected nodes would otherwise fly off and shrink everything else: scale to the bulk, clip the rest
        span = np.quantile(np.abs(xy), 0.97) or 1.0
        xy = np.clip(xy * (size / 2) / span, -size / 2, size / 2)
    ids = list(net.state_codes) + list(net.institution_ids)
    return {k: (round(float(x), 1), round(float(y), 1)) for k, (x, y) in zip(ids, xy)}
