"""The fast paths behind the benchmark (benchmarks/run.py): batched Brandes betweenness, eigenvector by Lanczos,
one-step tidy frames, noise-proof ranks and per-network reuse, each against networkx or a hand computation."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings, strategies as st

from analysis import centrality as C
from analysis.frames import COLUMNS, add_ranks, concat, frame, tidy
from analysis.metrics import ALL_METRICS, DEFAULT_METRICS, Analysis, Options
from graphs.yearly import YearlyNetwork


def random_graph(seed, n, p):
    rng = np.random.default_rng(seed)
    A = np.triu(rng.random((n, n)) < p, 1)
    return (A | A.T).astype(float)


def as_nx(A):
    g = nx.Graph()
    g.add_nodes_from(range(len(A)))
    g.add_edges_from(zip(*np.nonzero(np.triu(A, 1))))
    return g


def bipartite_nx(B):
    n, m = B.shape
    g = nx.Graph()
    g.add_nodes_from(range(n + m))
    r, c = np.nonzero(B)
    g.add_edges_from(zip(r.tolist(), (c + n).tolist()))
    return g


# ---- hop-count betweenness from dense matrix products ----------------------------------------------------

def test_unweighted_betweenness_of_a_path_by_hand():
    # 0-1-2-3: node 1 is between (0,2) and (0,3), node 2 between (0,3) and (1,3); 3 pairs of other nodes each
    A = np.diag(np.ones(3), 1) + np.diag(np.ones(3), -1)
    np.testing.assert_allclose(C.unweighted_betweenness(A), [0, 2 / 3, 2 / 3, 0])


def test_unweighted_betweenness_ignores_weights_and_splits_ties():
    # a 4-cycle: each pair of opposite nodes has two shortest paths, one through each other node
    W = np.array([[0, 5, 0, 1], [5, 0, 2, 0], [0, 2, 0, 9], [1, 0, 9, 0]], dtype=float)
    np.testing.assert_allclose(C.unweighted_betweenness(sp.csr_matrix(W)), [1 / 6] * 4)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 14), st.floats(0.0, 1.0))
def test_unweighted_betweenness_matches_networkx(seed, n, p):
    A = random_graph(seed, n, p)
    ref = nx.betweenness_centrality(as_nx(A))
    np.testing.assert_allclose(C.unweighted_betweenness(A), [ref[k] for k in range(n)], atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 9), st.integers(1, 7), st.floats(0.0, 1.0))
def test_two_mode_betweenness_matches_networkx(seed, n, m, p):
    B = sp.csr_matrix((np.random.default_rng(seed).random((n, m)) < p).astype(float))
    g = bipartite_nx(B)
    raw = nx.betweenness_centrality(g, normalized=False)      # bipartite's own normalisation can divide by zero
    np.testing.assert_allclose(C._raw_two_mode_betweenness(B), [raw[k] for k in range(n + m)], atol=1e-9)


def test_two_mode_betweenness_of_a_chain_by_hand():
    # s0 - i0 - s1 - i1 - s2: i0 separates s0 from s1, i1, s2 (3 pairs); s1 separates s0, i0 from i1, s2 (4)
    B = sp.csr_matrix([[1, 0], [1, 1], [0, 1]])
    np.testing.assert_allclose(C._raw_two_mode_betweenness(B), [0, 4, 0, 3, 3])


@pytest.mark.parametrize("seed", range(4))
def test_dense_and_igraph_paths_agree(seed, monkeypatch):
    B = sp.csr_matrix((np.random.default_rng(seed).random((30, 12)) < 0.15).astype(float))
    A = random_graph(seed, 40, 0.08)
    dense = C._raw_two_mode_betweenness(B), C.unweighted_betweenness(A)
    monkeypatch.setattr(C, "DENSE_NODES", 0)
    sparse_path = C._raw_two_mode_betweenness(B), C.unweighted_betweenness(A)
    for a, b in zip(dense, sparse_path):
        np.testing.assert_allclose(a, b, atol=1e-9)


# ---- eigenvector: the power-iteration limit from all ones -----------------------------------------------

@pytest.mark.parametrize("pad", [0, 80])            # pad 80 isolates: the ARPACK path (more than 64 nodes)
def test_eigenvector_shared_leading_eigenvalue_splits_evenly(pad):
    # two disjoint triangles share the leading eigenvalue 2: power iteration from ones (networkx) scores all six
    # nodes equally; any eigenvector of the eigenspace would do for eigh, which scored one triangle only
    K = np.ones((3, 3)) - np.eye(3)
    W = np.zeros((7 + pad, 7 + pad))
    W[:3, :3] = W[3:6, 3:6] = K
    x = C.eigenvector(sp.csr_matrix(W))
    np.testing.assert_allclose(x[:6], 1 / np.sqrt(6), atol=1e-9)
    assert np.abs(x[6:]).max() < 1e-9
    ref = nx.eigenvector_centrality(as_nx(W), tol=1e-14, max_iter=10_000)
    np.testing.assert_allclose(x, [ref[k] for k in range(len(W))], atol=1e-6)


@pytest.mark.parametrize("seed", range(3))
def test_eigenvector_arpack_matches_dense_on_connected_graphs(seed):
    rng = np.random.default_rng(seed)
    W = random_graph(seed, 120, 0.2) * rng.integers(1, 6, (120, 120))
    W = np.triu(W, 1) + np.triu(W, 1).T
    assert nx.is_connected(as_nx(W))
    vals, vecs = np.linalg.eigh(W)
    ref = np.abs(vecs[:, -1])
    np.testing.assert_allclose(C.eigenvector(sp.csr_matrix(W)), ref / np.linalg.norm(ref), atol=1e-10)
    np.testing.assert_allclose(C.eigenvector(W), ref / np.linalg.norm(ref), atol=1e-10)   # dense input too


# ---- frames and ranks ------------------------------------------------------------------------------------

def test_frame_equals_concatenated_tidy_frames():
    blocks = [(1990, ["AAA", "BBB"], "state", "strength", [2.0, 1.0]),
              (1990, ["X"], "institution", "strength", [np.nan]),
              (1991, [], "state", "strength", []),
              (1991, ["AAA"], "state", "eigenvector", [0.5])]
    fast = frame(blocks)
    slow = concat([tidy(*b) for b in blocks])
    pd.testing.assert_frame_equal(fast, slow)
    assert list(frame([]).columns) == COLUMNS and frame([]).empty


def test_ranks_treat_rounding_noise_as_ties_and_skip_missing():
    df = pd.DataFrame({"year": [2024] * 5 + [2025], "entity": list("abcdea"), "entity_type": "state",
                       "metric": "m", "value": [0.3, 0.1 + 0.2, 0.1, np.nan, 0.0, 0.1]})
    assert 0.1 + 0.2 != 0.3
    assert add_ranks(df)["rank"].tolist() == [1, 1, 3, pd.NA, 4, 1]


# ---- one computation per distinct network -----------------------------------------------------------------

def test_repeated_networks_are_computed_once_and_give_the_same_numbers(mini):
    a = Analysis(mini, Options(runs=3))
    years = list(a.years())
    df = a.metrics(years)
    keys = {y: a.network_key(y) for y in years}
    assert len(set(keys.values())) < len(years)                  # the fixture repeats some years
    for y in years:                                              # each year as a fresh, single-year analysis
        alone = Analysis(mini, Options(runs=3)).year_metrics(y).reset_index(drop=True)
        mine = df[df.year == y].drop(columns="rank").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone)
    same = [(x, y) for x in years for y in years if x < y and keys[x] == keys[y]]
    x, y = same[0]
    vx = df[df.year == x].drop(columns=["year", "rank"]).reset_index(drop=True)
    vy = df[df.year == y].drop(columns=["year", "rank"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(vx, vy)


def test_unweighted_betweenness_is_on_request_only(mini):
    assert "unweighted_betweenness" in ALL_METRICS and "unweighted_betweenness" not in DEFAULT_METRICS
    df = Analysis(mini).metrics([1990], ["unweighted_betweenness"])
    assert set(df.metric) == {"unweighted_betweenness"} and set(df.entity_type) == {"state", "institution"}


def test_present_from_sorted_rows_matches_a_scan(mini):
    net = YearlyNetwork(mini)
    for y in mini.years:
        yi = y - mini.years.start
        for kind, ends, alive in (("states", net._state, net.states_alive),
                                  ("institutions", net._inst, net.institutions_alive)):
            mask = alive(y)
            mask[ends[net._year == yi]] = True
            assert net.present(y, kind).tolist() == np.flatnonzero(mask).tolist()


def test_one_blas_thread_limits_and_restores():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    before = [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
    with C.one_blas_thread():
        inside = [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
    after = [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
    assert inside and set(inside) == {1} and after == before
