"""Centrality measures against networkx's reference implementations and hand computations."""

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, strategies as st

from analysis import centrality as C
from analysis.frames import add_ranks
from graphs.yearly import YearlyNetwork


def random_bipartite(seed, n=9, m=5, p=0.4):
    rng = np.random.default_rng(seed)
    A = (rng.random((n, m)) < p).astype(float)
    return sp.csr_matrix(A)


def to_nx(B):
    n, m = B.shape
    g = nx.Graph()
    g.add_nodes_from(range(n + m))
    C_ = B.tocoo()
    g.add_edges_from(zip(C_.row.tolist(), (C_.col + n).tolist()))
    return g, list(range(n))


@pytest.mark.parametrize("seed", range(6))
def test_two_mode_measures_match_networkx(seed):
    B = random_bipartite(seed)
    g, top = to_nx(B)
    for name, ref in (("degree", nx.bipartite.degree_centrality),
                      ("closeness", nx.bipartite.closeness_centrality),
                      ("betweenness", nx.bipartite.betweenness_centrality)):
        vs, vi = C.TWO_MODE[name](B)
        expected = ref(g, top)
        np.testing.assert_allclose(np.r_[vs, vi], [expected[k] for k in range(len(g))], atol=1e-12, err_msg=name)


def test_two_mode_eigenvector_is_hits():
    B = random_bipartite(3, p=0.6)
    g, top = to_nx(B)
    hubs, auth = nx.hits(g, max_iter=10_000, tol=1e-14)
    vs, vi = C.two_mode_eigenvector(B)
    h = np.abs([hubs[k] for k in range(B.shape[0])])      # networkx may return the vector with sign -1
    a = np.abs([auth[k] for k in range(B.shape[0], B.shape[0] + B.shape[1])])
    np.testing.assert_allclose(vs, h / np.linalg.norm(h), atol=1e-6)
    np.testing.assert_allclose(vi, a / np.linalg.norm(a), atol=1e-6)


def test_two_mode_degree_by_hand():
    # 2 states, 3 institutions: state 0 in all three, state 1 in one
    vs, vi = C.two_mode_degree(sp.csr_matrix([[1, 1, 1], [0, 1, 0]]))
    assert vs.tolist() == [1.0, 1 / 3] and vi.tolist() == [0.5, 1.0, 0.5]


def test_single_institution_betweenness_is_zero_not_nan():
    vs, vi = C.two_mode_betweenness(sp.csr_matrix([[1], [1], [1]]))
    assert np.isfinite(vs).all() and np.isfinite(vi).all()


def weighted_graph(seed, n=8, p=0.5):
    rng = np.random.default_rng(seed)
    W = np.triu((rng.random((n, n)) < p) * rng.integers(1, 5, (n, n)).astype(float), 1)
    W = W + W.T
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from((i, j, W[i, j]) for i in range(n) for j in range(i + 1, n) if W[i, j])
    return sp.csr_matrix(W), g


@pytest.mark.parametrize("seed", range(6))
def test_projection_measures_match_networkx(seed):
    P, g = weighted_graph(seed)
    np.testing.assert_allclose(C.strength(P), [d for _, d in sorted(g.degree(weight="weight"))])
    # nodes=list(g) selects networkx's definitional loop: its all-nodes sparse shortcut (networkx 3.6) gives
    # different effective sizes on some weighted graphs, while the loop follows Burt's formula
    for k, v in nx.constraint(g, weight="weight", nodes=list(g)).items():
        assert C.constraint(P)[k] == pytest.approx(v) or (np.isnan(v) and np.isnan(C.constraint(P)[k]))
    for k, v in nx.effective_size(g, weight="weight", nodes=list(g)).items():
        assert C.effective_size(P)[k] == pytest.approx(v) or (np.isnan(v) and np.isnan(C.effective_size(P)[k]))
    for u, v, d in g.edges(data=True):
        d["distance"] = 1 / d["weight"]
    ref = nx.betweenness_centrality(g, weight="distance")
    np.testing.assert_allclose(C.betweenness(P), [ref[k] for k in range(len(g))], atol=1e-9)


def test_eigenvector_matches_networkx_on_connected_graph():
    P, g = weighted_graph(11, p=0.8)
    assert nx.is_connected(g)
    ref = nx.eigenvector_centrality_numpy(g, weight="weight")
    np.testing.assert_allclose(C.eigenvector(P), [ref[k] for k in range(len(g))], atol=1e-9)


def test_tidy_frame_and_ranks(mini):
    net = YearlyNetwork(mini)
    df = add_ranks(C.two_mode_centrality(net, 1990))
    assert list(df.columns) == ["year", "entity", "entity_type", "metric", "value", "rank"]
    deg = df[(df.metric == "bipartite_degree") & (df.entity_type == "state")].set_index("entity")
    # 1990: AAA in CLUB and BANK (2 of 3 institutions alive); CCC in BANK and PACT; EEE in CLUB
    assert deg.loc["AAA", "value"] == pytest.approx(2 / 3) and deg.loc["EEE", "value"] == pytest.approx(1 / 3)
    assert deg.loc["AAA", "rank"] == 1 and deg.loc["EEE", "rank"] == 4    # AAA, BBB, CCC tie at 2/3
    assert "DDD" not in deg.index                                         # not yet a state in 1990
    pc = C.projection_centrality(net, 1990, "states", "count")
    st = pc[pc.metric == "strength"].set_index("entity")["value"]
    assert st["AAA"] == 4 and st["CCC"] == 2      # AAA: BBB 2 + EEE 1 + CCC 1; CCC: AAA 1 + BBB 1


@given(st.integers(0, 10_000), st.permutations(range(7)))
def test_permutation_invariance(seed, perm):
    P, _ = weighted_graph(seed % 50, n=7)
    Q = P[perm][:, perm]
    for f in (C.strength, C.betweenness, C.constraint, C.effective_size):
        np.testing.assert_allclose(f(Q), f(P)[list(perm)], atol=1e-9)
    B = random_bipartite(seed, n=7)
    for name, f in C.TWO_MODE.items():
        a, _ = f(B[perm])
        b, _ = f(B)
        np.testing.assert_allclose(a, b[list(perm)], atol=1e-9, err_msg=name)
