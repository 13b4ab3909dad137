"""Blocs: Leiden with modularity, consensus, Barber's bipartite modularity, matching over time, polarisation."""

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings, strategies as st

from analysis import blocs as Bl


def planted(n_per=6, k=3, p_in=0.9, p_out=0.05, seed=1):
    rng = np.random.default_rng(seed)
    n = n_per * k
    truth = np.repeat(np.arange(k), n_per)
    same = truth[:, None] == truth[None, :]
    A = np.triu(rng.random((n, n)) < np.where(same, p_in, p_out), 1).astype(float)
    return sp.csr_matrix(A + A.T), truth


def test_leiden_recovers_planted_blocs_and_is_not_singletons():
    P, truth = planted()
    lab = Bl.leiden_partition(P, seed=3)
    assert len(set(lab)) == 3
    assert all(len(set(lab[truth == c])) == 1 for c in range(3))


def test_modularity_matches_networkx():
    P, truth = planted(seed=4)
    g = nx.from_scipy_sparse_array(P)
    comms = [set(np.flatnonzero(truth == c)) for c in range(3)]
    assert Bl.modularity(P, truth) == pytest.approx(nx.community.modularity(g, comms, weight="weight"))
    lab = Bl.leiden_partition(P)
    assert Bl.modularity(P, lab) >= Bl.modularity(P, truth) - 1e-12     # Leiden finds at least the planted Q


def test_same_seed_same_blocs_and_consensus():
    P, _ = planted(p_in=0.6, p_out=0.15, seed=9)
    assert np.array_equal(Bl.leiden_partition(P, seed=5), Bl.leiden_partition(P, seed=5))
    a = Bl.consensus_partition(P, runs=10, seed=2)
    b = Bl.consensus_partition(P, runs=10, seed=2)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert ((a[1] >= 0) & (a[1] <= 1)).all()


def test_stability_is_one_for_clear_blocs():
    P, truth = planted(p_in=1.0, p_out=0.0)
    lab, stab = Bl.consensus_partition(P, runs=8)
    assert len(set(lab)) == 3 and np.allclose(stab, 1.0)


def test_barber_modularity_by_hand():
    # two disjoint clubs: states 0,1 in inst 0; states 2,3 in inst 1; m = 4, k = 1 each, d = 2 each
    B = sp.csr_matrix([[1, 0], [1, 0], [0, 1], [0, 1]])
    # Q_B = 4/4 - sum_c K_c D_c / m^2 = 1 - (2*2 + 2*2)/16 = 0.5
    assert Bl.barber_modularity(B, [0, 0, 1, 1], [0, 1]) == pytest.approx(0.5)
    assert Bl.barber_modularity(B, [0, 0, 0, 0], [0, 0]) == pytest.approx(0.0)
    g, h, q = Bl.brim(B, [0, 1, 0, 1])
    assert q == pytest.approx(0.5) and len(set(g)) == 2


def test_match_over_time_keeps_ids_and_records_events():
    parts = {
        2000: {"A": 0, "B": 0, "C": 0, "D": 1, "E": 1, "F": 1},
        2001: {"A": 5, "B": 5, "C": 5, "D": 7, "E": 7, "F": 7},          # relabelled only: same ids
        2002: {"A": 1, "B": 1, "C": 2, "D": 0, "E": 0, "F": 0, "G": 3},  # A,B,C split; G is born
        2003: {"A": 0, "B": 0, "C": 0, "D": 0, "E": 0, "F": 0, "G": 1},  # everything merges
    }
    ids, events, flows = Bl.match_over_time(parts)
    assert ids[2000] == ids[2001]
    kinds = {(e["year"], e["event"]) for e in events}
    assert (2002, "split") in kinds and (2002, "birth") in kinds and (2003, "merge") in kinds
    assert sum(f["states"] for f in flows if f["year"] == 2001) == 6


def test_polarisation_by_hand():
    # a path 0-1-2-3 with weights 1, 2, 3 and blocs {0,1}, {2,3}: internal 1 + 3, external 2
    P = sp.csr_matrix(np.array([[0, 1, 0, 0], [1, 0, 2, 0], [0, 2, 0, 3], [0, 0, 3, 0]], dtype=float))
    pol = Bl.polarisation(P, [0, 0, 1, 1])
    assert pol["cross_share"] == pytest.approx(2 / 6)
    assert pol["ei_index"] == pytest.approx((2 - 4) / 6)
    assert pol["blocs"] == 2


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 1000), st.permutations(range(12)))
def test_partition_quality_is_permutation_invariant(seed, perm):
    P, _ = planted(n_per=4, p_in=0.8, p_out=0.1, seed=seed)
    lab = Bl.leiden_partition(P, seed=0)
    Q = P[list(perm)][:, list(perm)]
    assert Bl.modularity(Q, lab[list(perm)]) == pytest.approx(Bl.modularity(P, lab))
    pol = Bl.polarisation(P, lab)
    assert 0 <= pol["cross_share"] <= 1 and -1 <= pol["ei_index"] <= 1


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 50))
def test_same_seed_same_consensus_blocs_on_random_graphs(graph_seed, seed):
    P, _ = planted(n_per=5, p_in=0.7, p_out=0.15, seed=graph_seed)
    a_lab, a_stab = Bl.consensus_partition(P, runs=4, seed=seed)
    b_lab, b_stab = Bl.consensus_partition(P, runs=4, seed=seed)
    assert np.array_equal(a_lab, b_lab) and np.array_equal(a_stab, b_stab)
    assert ((a_stab >= 0) & (a_stab <= 1)).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=40), st.integers(0, 100))
def test_leiden_on_disjoint_cliques_returns_the_cliques(assignment, seed):
    # consensus_partition skips its final Leiden run when every run agrees, because the thresholded
    # co-assignment matrix is then a set of disjoint weight-1 cliques; this is the claim that shortcut rests on
    lab = Bl._canonical(assignment)
    D = (lab[:, None] == lab[None, :]).astype(float)
    np.fill_diagonal(D, 0)
    if D.any():
        assert np.array_equal(Bl.leiden_partition(sp.csr_matrix(D), seed=seed), lab)


def test_consensus_with_disagreeing_runs_still_runs_the_consensus(monkeypatch):
    P, _ = planted(p_in=0.5, p_out=0.2, seed=11)
    runs = Bl._run_partitions(P, 10, 1.0, 0)
    assert any(not np.array_equal(runs[0], r) for r in runs)      # the case the shortcut must not take
    calls = []
    real = Bl.leiden_partition
    monkeypatch.setattr(Bl, "leiden_partition", lambda *a, **k: calls.append(1) or real(*a, **k))
    lab, stab = Bl.consensus_partition(P, runs=10, seed=0)
    assert len(calls) == 11
    D = Bl.coassignment(P, runs=10, seed=0)
    same = (lab[:, None] == lab[None, :]) & ~np.eye(len(lab), dtype=bool)
    expect = np.where(same.sum(1) > 0, (D * same).sum(1) / np.maximum(same.sum(1), 1), 1.0)
    assert np.allclose(stab, expect)
