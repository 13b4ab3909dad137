"""The sweep: the incremental projection update against full recomputation (hypothesis), every closed form
against recomputing the measure, and small cases by hand."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from analysis import blocs as Bl
from analysis import centrality as C
from analysis import multialignment as M
from analysis import sweep as W
from graphs import DataError
from graphs.projection import project_matrix

WEIGHTINGS = ("count", "newman")


@st.composite
def binary_matrices(draw, max_states=8, max_inst=5):
    n = draw(st.integers(2, max_states))
    m = draw(st.integers(1, max_inst))
    return draw(arrays(np.float64, (n, m), elements=st.sampled_from([0.0, 1.0])))


# ---- the incremental update ---------------------------------------------------------------------------------

@given(binary_matrices(), st.sampled_from(WEIGHTINGS), st.data())
@settings(max_examples=200, deadline=None)
def test_incremental_projection_equals_full_recomputation(A, weighting, data):
    s = data.draw(st.integers(0, A.shape[0] - 1))
    c = data.draw(st.integers(0, A.shape[1] - 1))
    P = project_matrix(sp.csr_matrix(A), weighting)
    P2, A2 = W.update_projection(P, A, s, c, weighting)
    assert A2[s, c] == 1 - A[s, c] and A[s, c] in (0, 1)
    full = project_matrix(sp.csr_matrix(A2), weighting).toarray()
    assert np.allclose(P2.toarray(), full, atol=1e-12)
    assert np.allclose(W.projection_matrix(A2, weighting), full, atol=1e-12)
    # the change stays inside institution c (and, for count, in row and column s)
    D = W.projection_delta(A, s, c, weighting).toarray()
    inside = (A[:, c] + A2[:, c]) > 0
    assert not D[~inside].any() and not D[:, ~inside].any()
    if weighting == "count":
        off = np.ones_like(D, dtype=bool)
        off[s, :] = off[:, s] = False
        assert not D[off].any()
    # and flipping back restores the projection
    P3, A3 = W.update_projection(P2, A2, s, c, weighting)
    assert np.array_equal(A3, A) and np.allclose(P3.toarray(), P.toarray(), atol=1e-12)


def test_projection_delta_by_hand():
    # states 0,1,2 in institution 0 (k=3); state 3 joins it: k' = 4
    A = np.array([[1, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    D = W.projection_delta(A, 3, 0, "newman").toarray()
    # each old pair goes from 1/(3-1) = 1/2 to 1/(4-1) = 1/3; the new pairs with state 3 get 1/3
    expected = np.array([[0, -1 / 6, -1 / 6, 1 / 3], [-1 / 6, 0, -1 / 6, 1 / 3],
                         [-1 / 6, -1 / 6, 0, 1 / 3], [1 / 3, 1 / 3, 1 / 3, 0]])
    assert np.allclose(D, expected)
    assert np.array_equal(W.projection_delta(A, 3, 0, "count").toarray(),
                          np.array([[0, 0, 0, 1], [0, 0, 0, 1], [0, 0, 0, 1], [1, 1, 1, 0]]))
    with pytest.raises(ValueError, match="supports the count and newman"):
        W.projection_delta(A, 3, 0, "jaccard")


# ---- every closed form against recomputation ------------------------------------------------------------------

def recompute(A, labels, metric, s, c, weighting, t, inst_camp):
    """The measure recomputed from scratch after flipping membership (s, c)."""
    A2 = A.copy()
    A2[s, c] = 1 - A2[s, c]
    return _baseline(A2, labels, metric, weighting, t, inst_camp)


@given(binary_matrices(), st.sampled_from(WEIGHTINGS), st.sampled_from(W.SWEEP_METRICS), st.data())
@settings(max_examples=300, deadline=None)
def test_every_sweep_value_equals_recomputing_the_measure(A, weighting, metric, data):
    n, m = A.shape
    labels = Bl._canonical(np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))))
    t = data.draw(st.integers(0, n - 1))
    inst_camp = np.array(data.draw(st.lists(st.integers(-1, 2), min_size=m, max_size=m)))
    camps = (A[t][:, None] * (inst_camp[:, None] == np.arange(3)[None, :])).sum(0)
    cand = W.Candidates.all(A)
    assert len(cand.s) == n * m
    base, values = W.sweep_values(A, labels, metric, cand, weighting, t, camps, inst_camp)
    assert base == pytest.approx(_baseline(A, labels, metric, weighting, t, inst_camp), nan_ok=True)
    for j in range(len(cand.s)):
        s, c = int(cand.s[j]), int(cand.c[j])
        if metric == "eigenvector":         # the leading eigenvector must be unique for the comparison
            A2 = A.copy()
            A2[s, c] = 1 - A2[s, c]
            ev = np.linalg.eigvalsh(project_matrix(sp.csr_matrix(A2), weighting).toarray())
            if ev[-1] < 1e-9 or ev[-1] - ev[-2] < 1e-6:
                continue
        expect = recompute(A, labels, metric, s, c, weighting, t, inst_camp)
        assert values[j] == pytest.approx(expect, abs=1e-9, nan_ok=True), (s, c)


def _baseline(A, labels, metric, weighting, t, inst_camp):
    P = project_matrix(sp.csr_matrix(A), weighting)
    if metric == "polarisation":
        return Bl.modularity(P, labels)
    if metric == "cross_share":
        return Bl.polarisation(P, labels)["cross_share"]
    if metric == "strength":
        return C.strength(P)[t]
    if metric == "eigenvector":
        return C.eigenvector(P)[t]
    part = M.participation_coefficient(P, labels)[t]
    if metric == "participation":
        return part
    counts = (A[t][:, None] * (inst_camp[:, None] == np.arange(3)[None, :])).sum(0)
    return M.multialignment_index(M.orientation_balance(counts[None, :]), np.array([part]))[0]


def test_candidates_split_into_joins_and_leaves():
    A = np.array([[1, 0], [0, 0], [1, 1]], dtype=float)
    joins, leaves = W.Candidates.all(A, ("join",)), W.Candidates.all(A, ("leave",))
    assert sorted(zip(joins.s.tolist(), joins.c.tolist())) == [(0, 1), (1, 0), (1, 1)]
    assert sorted(zip(leaves.s.tolist(), leaves.c.tolist())) == [(0, 0), (2, 0), (2, 1)]
    assert (joins.sigma == 1).all() and (leaves.sigma == -1).all()


# ---- by hand --------------------------------------------------------------------------------------------------

TWO_PAIRS = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=float)     # X = {0, 1}, Y = {2, 3}
PAIR_BLOCS = np.array([0, 0, 1, 1])


def value_of(A, labels, metric, s, c, weighting, t=None):
    cand = W.Candidates(np.array([s]), np.array([c]), np.array([1.0 - 2 * A[s, c]]))
    return W.sweep_values(A, labels, metric, cand, weighting, t)[1][0]


def test_modularity_of_a_join_by_hand():
    # before: ties 0-1 and 2-3 of weight 1, one per bloc: Q = 1 - 2 (1/2)^2 = 1/2
    assert W.sweep_values(TWO_PAIRS, PAIR_BLOCS, "polarisation", W.Candidates.all(TWO_PAIRS), "newman")[0] == 0.5
    # state 0 joins Y (k' = 3, f = 1/2): ties 0-1: 1, 0-2, 0-3, 2-3: 1/2.  2W = 5, inside 2I = 3,
    # bloc strengths S_0 = 2 + 1 = 3, S_1 = 1 + 1 = 2: Q = 3/5 - (3/5)^2 - (2/5)^2 = 2/25
    assert value_of(TWO_PAIRS, PAIR_BLOCS, "polarisation", 0, 1, "newman") == pytest.approx(2 / 25)
    # with count weights every tie is 1: 2W = 8, 2I = 4, S = (4, 4): Q = 1/2 - 1/4 - 1/4 = 0
    assert value_of(TWO_PAIRS, PAIR_BLOCS, "polarisation", 0, 1, "count") == pytest.approx(0.0)
    # cross-bloc share of the newman weights: (5 - 3) / 5
    assert value_of(TWO_PAIRS, PAIR_BLOCS, "cross_share", 0, 1, "newman") == pytest.approx(2 / 5)


def test_newman_join_into_a_one_bloc_institution_does_not_depend_on_its_size():
    """With newman weights an institution of size k > 1 adds k to the total strength 2W, all of it inside a bloc
    if its members share one. State 0 (bloc 0) joining such an institution of bloc 1 changes the totals by
    d(2W) = +1, d(2I) = (k'^2 - k')/k' ... = (k - 1) - k = -1, dS_0 = +1, dS_1 = 0 -- whatever k."""
    A = np.zeros((10, 3))
    A[0:3, 0] = 1                         # bloc 0: states 0-2 share institution 0 (k = 3)
    A[3:6, 1] = 1                         # bloc 1: states 3-5 share institution 1 (k = 3)
    A[3:10, 2] = 1                        # bloc 1: states 3-9 share institution 2 (k = 7)
    labels = np.r_[np.zeros(3, int), np.ones(7, int)]
    q_small = value_of(A, labels, "polarisation", 0, 1, "newman")
    q_large = value_of(A, labels, "polarisation", 0, 2, "newman")
    # 2W = 3 + 3 + 7 = 13 = 2I, S = (3, 10); after: 2W = 14, 2I = 12, S = (4, 10)
    assert q_small == pytest.approx(12 / 14 - (4 / 14) ** 2 - (10 / 14) ** 2)
    assert q_large == pytest.approx(q_small)


def test_target_measures_by_hand():
    # newman strength of a state = the number of its institutions with two or more members
    A = TWO_PAIRS
    assert value_of(A, PAIR_BLOCS, "strength", 0, 1, "newman", t=0) == pytest.approx(2.0)
    assert value_of(A, PAIR_BLOCS, "strength", 2, 0, "newman", t=0) == pytest.approx(1.0)   # 1/2 + 1/2
    # count: state 2 joining X adds a shared institution with 0
    assert value_of(A, PAIR_BLOCS, "strength", 2, 0, "count", t=0) == pytest.approx(2.0)
    # participation of state 0 after joining Y: ties 1 (bloc 0) and 1/2 + 1/2 (bloc 1): 1 - (1/2)^2 - (1/2)^2
    assert value_of(A, PAIR_BLOCS, "participation", 0, 1, "newman", t=0) == pytest.approx(0.5)
    # state 0 leaving X leaves it without ties: participation undefined
    assert np.isnan(value_of(A, PAIR_BLOCS, "participation", 0, 0, "newman", t=0))


def test_eigenvector_by_hand():
    # a triangle in X and a lone member of Y; when state 3 joins X the graph is K4: every score 1/2
    A = np.array([[1, 0], [1, 0], [1, 0], [0, 1]], dtype=float)
    assert W.sweep_values(A, np.zeros(4, int), "eigenvector", W.Candidates.all(A), "newman", 3)[0] == 0.0
    assert value_of(A, np.zeros(4, int), "eigenvector", 3, 0, "newman", t=3) == pytest.approx(0.5)
    # state 0 leaving X leaves the pair 1-2: 0 for state 0, 1/sqrt(2) for the pair
    assert value_of(A, np.zeros(4, int), "eigenvector", 0, 0, "newman", t=1) == pytest.approx(2 ** -0.5)


def test_multialignment_changes_only_with_the_targets_own_camps():
    A = np.array([[1, 0, 1], [1, 1, 0], [0, 1, 1], [0, 1, 0]], dtype=float)
    labels = np.array([0, 0, 1, 1])
    inst_camp = np.array([0, 1, -1])                    # western-led, china/russia-led, unlabelled
    camps = np.array([1.0, 0.0, 0.0])                  # state 0: one western-led membership
    cand = W.Candidates.all(A)
    base, vals = W.sweep_values(A, labels, "multialignment", cand, "newman", 0, camps, inst_camp)
    assert base == 0.0                                  # all in one camp: balance 0
    j = int(np.flatnonzero((cand.s == 0) & (cand.c == 1))[0])
    # state 0 joins institution 1 (china/russia-led): balance ln2/ln3; ties: 1 to state 1 (X: 1, inst 1: 1/3 -> 4/3),
    # to state 2 (inst 2: 1 + inst 1: 1/3), to state 3 (1/3): bloc 0 gets 4/3, bloc 1 gets 5/3
    part = 1 - (4 / 9) ** 2 - (5 / 9) ** 2
    assert vals[j] == pytest.approx(np.sqrt(np.log(2) / np.log(3) * part))


# ---- on a dataset ------------------------------------------------------------------------------------------------

def test_sweep_on_the_mini_fixture(mini):
    df = W.sweep(mini, 2024, "strength", target="EEE")
    # 5 states x 3 institutions present in 2024 (BANK, CLUB, FORUM)
    assert len(df) == 15 and list(df.columns) == W.COLUMNS
    assert df["rank"].tolist() == list(range(1, 16))
    assert (df["delta"].diff().dropna() >= 0).all()                       # largest fall first
    # newman strength of EEE = its institutions with 2+ members (CLUB, FORUM) = 2; it falls to 1 when EEE
    # leaves either, or when DDD leaves FORUM and leaves EEE alone in it; ties are ordered by state
    top = df.head(3)
    assert list(zip(top.action, top.state, top.institution)) == [("leave", "DDD", "FORUM"), ("leave", "EEE", "CLUB"),
                                                                 ("leave", "EEE", "FORUM")]
    assert (top.baseline == 2.0).all() and (top.value == 1.0).all() and (top.target == "EEE").all()
    assert (df.iloc[3:]["delta"] >= 0).all()
    row = df[(df.state == "EEE") & (df.institution == "BANK")].iloc[0]
    assert (row.action, row.from_status, row.value) == ("join", "", 3.0)
    row = df[(df.state == "AAA") & (df.institution == "FORUM")].iloc[0]
    assert (row.action, row.from_status) == ("join", "dialogue-partner")
    up = W.sweep(mini, 2024, "strength", target="EEE", order="increase", actions=("join",))
    assert set(up.action) == {"join"} and up.iloc[0].delta == 1.0


def test_sweep_argument_errors(mini):
    with pytest.raises(DataError) as exc:
        W.sweep(mini, 2024, "polarization")
    assert exc.value.problems[0].hint.startswith("did you mean 'polarisation'")
    with pytest.raises(DataError) as exc:
        W.sweep(mini, 2024, "eigenvector")
    assert exc.value.problems[0].message == "metric eigenvector needs --target STATE"
    with pytest.raises(DataError) as exc:
        W.sweep(mini, 2024, "polarisation", target="EEE")
    assert exc.value.problems[0].message == "metric polarisation is not about one state"
    from analysis.metrics import Options
    with pytest.raises(DataError) as exc:
        W.sweep(mini, 2024, "polarisation", options=Options(projection="backbone"))
    assert exc.value.problems[0].message == "the sweep cannot use this projection"
    with pytest.raises(DataError) as exc:
        W.sweep(mini, 2024, "strength", target="CCC")
    assert exc.value.problems[0].message == "CCC is not in the 2024 network"
    with pytest.raises(DataError) as exc:
        W.sweep(mini, 2024, "strength", target="EEF")
    assert exc.value.problems[0].hint == "did you mean 'EEE'?"


@pytest.fixture(scope="module")
def bundled_fixed():
    import datetime as dt

    from graphs import load_dataset

    return load_dataset(today=dt.date(2026, 6, 30))


@pytest.mark.parametrize("metric,target", [("eigenvector", "IND"), ("polarisation", None), ("participation", "TUR")])
def test_sweep_rows_equal_applying_the_edit_and_recomputing(bundled_fixed, metric, target):
    """End to end on the bundled data: a sweep row's value is what the full pipeline gives for the same edit
    (the scenario applied to the dataset, projections of all years rebuilt, the measure recomputed), with the
    baseline's blocs held fixed."""
    from analysis.metrics import Analysis
    from analysis.scenario import ChangeStatus, Join, Leave, Scenario, apply_scenario
    from analysis.whatif import fixed_blocs_modularity

    ds, year = bundled_fixed, 2024
    a0 = Analysis(ds)
    df = W.sweep(ds, year, metric, target, analysis=a0)
    idx0, lab0, _ = a0.blocs(year)
    for k in (0, 1, len(df) // 2, len(df) - 1):
        row = df.iloc[k]
        if row.action == "leave":
            edit = Leave(row.state, row.institution)
        elif row.from_status:
            edit = ChangeStatus(row.state, row.institution, "member")
        else:
            edit = Join(row.state, row.institution)
        a1 = Analysis(apply_scenario(ds, Scenario("s", [edit]), year).dataset)
        idx1 = a1.net.present(year)
        assert np.array_equal(idx0, idx1)
        P = a1.projection(year)[idx1][:, idx1]
        t = [a1.net.state_codes[i] for i in idx1].index(target) if target else None
        if metric == "eigenvector":
            expect = C.eigenvector(P)[t]
        elif metric == "participation":
            expect = M.participation_coefficient(P, lab0)[t]
        else:
            expect = fixed_blocs_modularity(a0, a1, year)[1]
        assert row.value == pytest.approx(expect, abs=1e-9), row.to_dict()


def test_sweep_order_must_be_known(mini):
    with pytest.raises(DataError) as exc:
        W.sweep(mini, 2024, "polarisation", order="down")
    assert (exc.value.problems[0].message, exc.value.problems[0].hint) == ("unknown order",
                                                                           "expected decrease or increase")
