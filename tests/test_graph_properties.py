"""Hypothesis properties of the graph layer on random datasets, against a brute-force reading of the spells."""

import csv
import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from graphs import load_dataset
from graphs.projection import WEIGHTINGS, project, project_all_years
from graphs.yearly import YearlyNetwork

TODAY = dt.date(2026, 6, 30)
STATUSES = ["member", "member", "member", "observer", "associate", "suspended"]


@st.composite
def datasets(draw):
    n_states = draw(st.integers(2, 7))
    n_inst = draw(st.integers(1, 5))
    spells = []
    for s in range(n_states):
        for i in range(n_inst):
            cuts = sorted(draw(st.sets(st.integers(1951, 2030), max_size=4)))
            for a, b in zip(cuts[::2], cuts[1::2] + [None]):
                fmt = draw(st.sampled_from(["year", "day"]))
                start = str(a) if fmt == "year" else f"{a}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
                end = "" if b is None else (str(b) if fmt == "year" else f"{b}-01-01")
                if a > TODAY.year or (b is not None and b > TODAY.year + 2):
                    continue
                spells.append((f"S{s:02d}", f"I{i}", draw(st.sampled_from(STATUSES)), start, end))
    order = draw(st.permutations(range(len(spells))))
    return n_states, n_inst, [spells[k] for k in order]


def write(n_states, n_inst, spells) -> Path:
    root = Path(tempfile.mkdtemp())
    (root / "memberships").mkdir()
    with (root / "states.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "cow_code", "name", "kind", "region", "start", "end", "successor", "source", "note"])
        for s in range(n_states):
            w.writerow([f"S{s:02d}", "", f"State {s}", "state", "Europe", "1900", "", "", "https://x.org", ""])
    with (root / "institutions.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "founded", "dissolved", "type", "domain", "formality", "orientation",
                    "orientation_reason", "source", "note"])
        for i in range(n_inst):
            w.writerow([f"I{i}", f"Inst {i}", "1950", "", "club", "general", "treaty", "", "", "https://x.org", ""])
    with (root / "memberships" / "m.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["state", "institution", "status", "start", "end", "source", "note"])
        for row in spells:
            w.writerow([*row, "https://x.org", ""])
    return root


def brute_force(ds, year):
    """Member ties at the snapshot of ``year`` straight from the dates, with no year arithmetic."""
    snap = TODAY if year == TODAY.year else dt.date(year, 12, 31)
    B = np.zeros((len(ds.state_codes), len(ds.institution_ids)))
    for sp in ds.spells:
        if sp.status == "member" and sp.start.earliest <= snap and (sp.end is None or sp.end.earliest > snap):
            B[ds.state_codes.index(sp.state), ds.institution_ids.index(sp.institution)] = 1
    return B


settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


@given(datasets())
def test_all_years_build_equals_brute_force_per_year(data):
    ds = load_dataset(write(*data), today=TODAY)
    if not ds.spells:
        return
    net = YearlyNetwork(ds)
    for year in net.years:
        assert np.array_equal(net.biadjacency(year).toarray(), brute_force(ds, year)), year


@given(datasets())
def test_degrees_equal_membership_counts(data):
    ds = load_dataset(write(*data), today=TODAY)
    if not ds.spells:
        return
    net = YearlyNetwork(ds)
    for year in net.years[::7]:
        g = net.to_networkx(year)
        B = brute_force(ds, year)
        for k, code in enumerate(ds.state_codes):
            assert g.degree(code) == B[k].sum()
        for k, iid in enumerate(ds.institution_ids):
            assert g.degree(iid) == B[:, k].sum()


@given(datasets(), st.sampled_from(WEIGHTINGS), st.sampled_from(["states", "institutions"]))
def test_projections_symmetric_nonnegative_and_all_years_equal_per_year(data, weighting, onto):
    ds = load_dataset(write(*data), today=TODAY)
    if not ds.spells:
        return
    net = YearlyNetwork(ds)
    every = project_all_years(net, onto, weighting)
    for year in net.years[::5]:
        P = project(net, year, onto, weighting)
        assert abs(P - P.T).max() == 0 if P.nnz else True
        assert P.diagonal().sum() == 0 and (P.data >= 0).all()
        assert abs(every[year - net.years.start] - P).max() < 1e-12 if P.nnz or every[year - net.years.start].nnz else True


@given(datasets())
def test_row_order_of_files_does_not_matter(data):
    n_states, n_inst, spells = data
    a = YearlyNetwork(load_dataset(write(n_states, n_inst, spells), today=TODAY))
    b = YearlyNetwork(load_dataset(write(n_states, n_inst, spells[::-1]), today=TODAY))
    if not spells:
        return
    assert (a.stacked != b.stacked).nnz == 0
