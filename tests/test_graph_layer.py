"""The yearly graph layer on the hand-made fixture (tests/fixtures/mini), checked by hand."""

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from graphs import StatusWeights
from graphs.projection import backbone_pvalues, project, project_all_years, project_matrix, to_networkx
from graphs.yearly import YearlyNetwork


@pytest.fixture(scope="module")
def net(mini):
    return YearlyNetwork(mini)


def ties(net, year):
    B = net.biadjacency(year).tocoo()
    return {(net.state_codes[r], net.institution_ids[c]) for r, c in zip(B.row, B.col)}


def test_matrix_order_is_stable_and_sorted(net):
    assert net.state_codes == ("AAA", "BBB", "CCC", "DDD", "EEE", "XEU")
    assert net.institution_ids == ("BANK", "CLUB", "FORUM", "PACT")
    assert net.biadjacency(1990).shape == (6, 4)


def test_years_span_first_founding_to_today(net):
    assert net.years.start == 1945 and net.years.stop - 1 == 2026


def test_ties_in_1990_by_hand(net):
    assert ties(net, 1990) == {("AAA", "CLUB"), ("BBB", "CLUB"), ("EEE", "CLUB"), ("AAA", "BANK"),
                               ("BBB", "BANK"), ("CCC", "BANK"), ("CCC", "PACT")}


def test_snapshot_convention(net):
    # BBB withdrew from BANK on 1950-03-14: a member in 1949, not in 1950; back from 1986-06-12
    assert ("BBB", "BANK") in ties(net, 1949)
    assert ("BBB", "BANK") not in ties(net, 1950)
    assert ("BBB", "BANK") not in ties(net, 1985) and ("BBB", "BANK") in ties(net, 1986)
    # EEE joined CLUB on 1982-05-30: counts in 1982 (joined during the year), not in 1981
    assert ("EEE", "CLUB") in ties(net, 1982) and ("EEE", "CLUB") not in ties(net, 1981)
    # PACT dissolved 1991-07-01; CCC ended 1991-12-26: neither in the 1991 snapshot; DDD (from 1991-12-26) is
    assert not net.institutions_alive(1991)[net.institution_ids.index("PACT")]
    assert not net.states_alive(1991)[net.state_codes.index("CCC")]
    assert ("DDD", "BANK") in ties(net, 1991) and ("CCC", "BANK") not in ties(net, 1991)
    # year-only start "1955" counts in 1955
    assert ("CCC", "BANK") in ties(net, 1955) and ("CCC", "BANK") not in ties(net, 1954)


def test_status_change_observer_to_member(net):
    st = net.statuses(2016)
    assert st[("EEE", "FORUM")] == "observer" and ("EEE", "FORUM") not in ties(net, 2016)
    assert net.statuses(2017)[("EEE", "FORUM")] == "member" and ("EEE", "FORUM") in ties(net, 2017)


def test_status_weights_configurable(mini):
    net = YearlyNetwork(mini, StatusWeights(observer=0.5, partner=0.25))
    B = net.biadjacency(2016)
    assert B[net.state_codes.index("EEE"), net.institution_ids.index("FORUM")] == 0.5
    assert B[net.state_codes.index("XEU"), net.institution_ids.index("CLUB")] == 0.25
    assert StatusWeights.parse("observer=0.5,dialogue-partner=0.2").dialogue_partner == 0.2
    with pytest.raises(ValueError, match="did you mean 'observer'"):
        StatusWeights.parse("obsrver=1")


def test_networkx_graph(net):
    g = net.to_networkx(1990)
    states = {n for n, d in g.nodes(data=True) if d["bipartite"] == 0}
    insts = {n for n, d in g.nodes(data=True) if d["bipartite"] == 1}
    assert states == {"AAA", "BBB", "CCC", "EEE", "XEU"}  # DDD does not exist yet; isolated XEU does
    assert insts == {"BANK", "CLUB", "PACT"}               # FORUM not founded yet
    assert g.edges["CCC", "PACT"] == {"status": "member", "weight": 1.0}
    assert nx.bipartite.is_bipartite_node_set(g, states)
    g16 = net.to_networkx(2016)
    assert g16.nodes["EEE"]["other_statuses"] == "FORUM:observer"
    assert not g16.has_edge("EEE", "FORUM")
    assert net.to_networkx(2016, all_statuses=True).edges["EEE", "FORUM"] == {"status": "observer", "weight": 0.0}


def test_igraph_matches_networkx(net):
    for year in (1949, 1990, 2016, 2026):
        gi, gn = net.to_igraph(year), net.to_networkx(year)
        assert sorted(gi.vs["name"]) == sorted(gn.nodes)
        names = gi.vs["name"]
        assert {frozenset((names[e.source], names[e.target])) for e in gi.es} == {frozenset(e) for e in gn.edges}
        assert all(gi.vs[k]["type"] == (gn.nodes[n]["bipartite"] == 1) for k, n in enumerate(names))
        assert set(gi.es["status"]) <= {"member"}


def test_count_projection_1990_by_hand(net):
    P = project(net, 1990, "states", "count").toarray()
    s = net.state_codes.index
    assert P[s("AAA"), s("BBB")] == 2          # CLUB and BANK
    assert P[s("AAA"), s("EEE")] == 1 and P[s("AAA"), s("CCC")] == 1
    assert P[s("CCC"), s("EEE")] == 0
    assert P.trace() == 0


def test_newman_projection_1990_by_hand(net):
    # CLUB has 3 members and BANK 3: each shared one adds 1/(3-1); PACT (1 member) adds nothing
    P = project(net, 1990, "states", "newman").toarray()
    s = net.state_codes.index
    assert P[s("AAA"), s("BBB")] == pytest.approx(1.0)
    assert P[s("AAA"), s("EEE")] == pytest.approx(0.5)
    assert P[s("BBB"), s("CCC")] == pytest.approx(0.5)


def test_jaccard_projection_1990_by_hand(net):
    P = project(net, 1990, "states", "jaccard").toarray()
    s = net.state_codes.index
    assert P[s("AAA"), s("BBB")] == pytest.approx(1.0)          # {CLUB,BANK} vs {CLUB,BANK}
    assert P[s("AAA"), s("CCC")] == pytest.approx(1 / 3)        # {CLUB,BANK} vs {BANK,PACT}
    assert P[s("AAA"), s("EEE")] == pytest.approx(1 / 2)        # {CLUB,BANK} vs {CLUB}


def test_institution_projection(net):
    P = project(net, 1990, "institutions", "count").toarray()
    i = net.institution_ids.index
    assert P[i("BANK"), i("CLUB")] == 2          # AAA and BBB
    assert P[i("BANK"), i("PACT")] == 1          # CCC


def _bh_by_hand(pairs, m, alpha):
    ranked = sorted(pairs, key=lambda kv: kv[1])
    k_max = max((k for k, (_, p) in enumerate(ranked, 1) if p <= k / m * alpha), default=0)
    return {pair for pair, _ in ranked[:k_max]}


def test_backbone_against_combinatorics():
    import scipy.sparse as sp

    rng = np.random.default_rng(7)
    # two planted blocs of 6 states sharing 5 of their own institutions, plus 3 universal bodies
    A = np.zeros((12, 13))
    A[:6, :5] = 1
    A[6:, 5:10] = 1
    A[:, 10:] = 1
    A[rng.random(A.shape) < 0.05] = 1
    B = sp.csr_matrix(A)
    N = 13
    k = A.sum(1).astype(int)
    C = (A @ A.T).astype(int)

    def sf(x, K, n):  # P(X >= x), X ~ Hypergeometric(N, K, n), from binomial coefficients
        return sum(math.comb(K, j) * math.comb(N - K, n - j) for j in range(x, min(K, n) + 1)) / math.comb(N, n)

    pairs = [((i, j), sf(C[i, j], k[i], k[j])) for i in range(12) for j in range(i + 1, 12) if C[i, j] > 0]
    expected = _bh_by_hand(pairs, m=12 * 11 / 2, alpha=0.05)
    P = project_matrix(B, "backbone", alpha=0.05)
    got = {(i, j) for i, j in zip(*sp.triu(P, 1).nonzero())}
    assert got == expected
    assert expected  # the planted blocs are detected
    assert all(i < 6 and j < 6 or i >= 6 and j >= 6 for i, j in got)   # no tie across the planted blocs
    pv = backbone_pvalues(B)
    assert pv[0, 1] == pytest.approx(sf(C[0, 1], k[0], k[1]))


def test_projection_to_networkx(net):
    g = to_networkx(project(net, 1990, "states", "count"), net.state_codes)
    assert set(g.nodes) == set(net.state_codes) and g["AAA"]["BBB"]["weight"] == 2


def test_all_years_projection_equals_per_year(net):
    for weighting in ("count", "jaccard", "newman", "backbone"):
        all_years = project_all_years(net, "states", weighting)
        for year in (1949, 1955, 1990, 1991, 2017, 2026):
            per_year = project(net, year, "states", weighting)
            assert abs(all_years[year - net.years.start] - per_year).max() == pytest.approx(0), (weighting, year)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 700).flatmap(lambda M: st.tuples(
    st.just(M), st.integers(0, M), st.integers(0, M), st.integers(-3, M + 3))))
def test_hypergeom_tail_matches_exact_fractions(params):
    from fractions import Fraction

    from graphs.projection import hypergeom_tail

    M, K, n, x = params
    exact = Fraction(sum(math.comb(K, j) * math.comb(M - K, n - j) for j in range(max(x, 0), min(K, n) + 1)),
                     math.comb(M, n))
    got = float(hypergeom_tail([x], [M], [K], [n])[0])
    assert got == pytest.approx(float(exact), rel=1e-9, abs=1e-300)


def test_hypergeom_tail_agrees_with_scipy_on_many_parameter_sets():
    from scipy.stats import hypergeom

    from graphs.projection import hypergeom_tail

    rng = np.random.default_rng(3)
    M = rng.integers(1, 600, 50_000)
    K, n = rng.integers(0, M + 1), rng.integers(0, M + 1)
    x = rng.integers(-2, np.minimum(K, n) + 3)
    ours, theirs = hypergeom_tail(x, M, K, n), hypergeom.sf(x - 1, M, K, n)
    big = theirs > 1e-250
    assert np.allclose(ours[big], theirs[big], rtol=1e-9, atol=0)
    assert np.all(ours[~big] < 1e-240)
