"""What-if scenarios: edits applied to a copy of the dataset, checked by hand on the mini fixture; edit and
inverse give back the same network; the example scenarios apply to the bundled data."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from analysis.scenario import ChangeStatus, Create, Dissolve, Join, Leave, Scenario, apply_scenario
from analysis.scenario_file import load_scenario
from graphs import load_dataset
from graphs.dates import PartialDate
from graphs.validate import _check_lifetime, _check_overlaps
from graphs.yearly import YearlyNetwork

TODAY = dt.date(2026, 6, 30)
SCENARIOS = Path(__file__).resolve().parents[1] / "data" / "scenarios"


def spells_of(ds, state, inst):
    return sorted(((s.status, str(s.start), str(s.end) if s.end else None) for s in ds.spells
                   if s.state == state and s.institution == inst), key=lambda x: x[1])


def members_in(ds, inst, year):
    net = YearlyNetwork(ds)
    B = net.biadjacency(year)
    col = net.institution_ids.index(inst)
    return sorted(net.state_codes[r] for r in B[:, col].nonzero()[0])


def assert_valid(ds):
    """The edited dataset passes the validator's lifetime and overlap checks."""
    problems = []
    for s in ds.spells:
        st_ = ds.state[s.state]
        _check_lifetime(s, st_.start, st_.end, f"state {s.state}", problems)
        inst = ds.institution[s.institution]
        _check_lifetime(s, inst.founded, inst.dissolved, f"institution {s.institution}", problems)
    _check_overlaps(list(ds.spells), problems)
    assert problems == []


def same_network(a, b):
    na, nb = YearlyNetwork(a), YearlyNetwork(b)
    assert na.years == nb.years and na.institution_ids == nb.institution_ids
    assert (na.stacked != nb.stacked).nnz == 0
    assert all((na.status_matrix(y) != nb.status_matrix(y)).nnz == 0 for y in na.years)


# ---- each edit, by hand on the mini fixture --------------------------------------------------------------------

def test_join_adds_an_open_spell_at_the_snapshot_and_leaves_the_dataset_alone(mini):
    before = list(mini.spells)
    out = apply_scenario(mini, Scenario("s", [Join("EEE", "BANK")]), 2024).dataset
    assert mini.spells == before and out is not mini
    assert spells_of(out, "EEE", "BANK") == [("member", "2024-12-31", None)]
    assert members_in(out, "BANK", 2024) == ["AAA", "BBB", "DDD", "EEE"]
    assert members_in(out, "BANK", 2023) == ["AAA", "BBB", "DDD"]
    assert members_in(mini, "BANK", 2024) == ["AAA", "BBB", "DDD"]
    assert_valid(out)


def test_join_in_the_current_year_is_dated_today(mini):
    out = apply_scenario(mini, Scenario("s", [Join("EEE", "BANK")]), 2026).dataset
    assert spells_of(out, "EEE", "BANK") == [("member", "2026-06-30", None)]
    assert "EEE" in members_in(out, "BANK", 2026)


def test_join_ends_where_the_next_spell_starts_or_the_state_ends(mini):
    # BBB was out of BANK from 1950-03-14 to 1986-06-12; CCC ceased to exist on 1991-12-26
    out = apply_scenario(mini, Scenario("s", [Join("BBB", "BANK", date="1960"),
                                              Join("CCC", "CLUB", date="1970-05")]), 1980).dataset
    assert ("member", "1960", "1986-06-12") in spells_of(out, "BBB", "BANK")
    assert spells_of(out, "CCC", "CLUB") == [("member", "1970-05", "1991-12-26")]
    assert "BBB" in members_in(out, "BANK", 1960) and "CCC" in members_in(out, "CLUB", 1990)
    assert "CCC" not in members_in(out, "CLUB", 1991)          # gone by the 1991 snapshot
    assert_valid(out)


def test_leave_ends_the_spell_and_keeps_later_ones(mini):
    out = apply_scenario(mini, Scenario("s", [Leave("AAA", "CLUB")]), 2024).dataset
    assert spells_of(out, "AAA", "CLUB") == [("member", "1949-08-24", "2024-12-31")]
    assert members_in(out, "CLUB", 2024) == ["BBB", "EEE"] and members_in(out, "CLUB", 2023) == ["AAA", "BBB", "EEE"]
    # BBB leaves BANK in 1948: its rejoining in 1986 stays
    out = apply_scenario(mini, Scenario("s", [Leave("BBB", "BANK", date="1948-01-01")]), 1990).dataset
    assert spells_of(out, "BBB", "BANK") == [("member", "1945-12-27", "1948-01-01"), ("member", "1986-06-12", None)]
    assert_valid(out)


def test_leave_on_the_first_day_removes_the_spell(mini):
    out = apply_scenario(mini, Scenario("s", [Leave("EEE", "CLUB", date="1982-05-30")]), 2000).dataset
    assert spells_of(out, "EEE", "CLUB") == []


def test_change_status_splits_the_spell(mini):
    out = apply_scenario(mini, Scenario("s", [ChangeStatus("EEE", "FORUM", "suspended", date="2020")]), 2024).dataset
    assert spells_of(out, "EEE", "FORUM") == [("observer", "2004-06-17", "2017-06-09"),
                                               ("member", "2017-06-09", "2020"), ("suspended", "2020", None)]
    assert members_in(out, "FORUM", 2019) == ["DDD", "EEE"] and members_in(out, "FORUM", 2020) == ["DDD"]
    assert_valid(out)


def test_create_founds_an_institution_with_its_members(mini):
    sc = Scenario("s", [Create("new_club", ["AAA", "DDD"], name="New", type="club", orientation="western-led"),
                        Join("EEE", "NEW_CLUB")])
    applied = apply_scenario(mini, sc, 2024)
    out = applied.dataset
    inst = out.institution["NEW_CLUB"]
    assert (inst.name, inst.type, inst.orientation, str(inst.founded), inst.dissolved) == \
        ("New", "club", "western-led", "2024-12-31", None)
    assert members_in(out, "NEW_CLUB", 2024) == ["AAA", "DDD", "EEE"]
    assert "NEW_CLUB" not in mini.institution
    assert [c["state"] for c in applied.changes] == ["", "AAA", "DDD", "EEE"]
    assert_valid(out)


def test_dissolve_ends_every_membership_and_drops_later_ones(mini):
    out = apply_scenario(mini, Scenario("s", [Dissolve("CLUB", date="1980")]), 2024).dataset
    assert str(out.institution["CLUB"].dissolved) == "1980"
    assert spells_of(out, "AAA", "CLUB") == [("member", "1949-08-24", "1980")]
    assert spells_of(out, "EEE", "CLUB") == []                 # joined in 1982, after the dissolution
    assert spells_of(out, "XEU", "CLUB") == [("partner", "1977", "1980")]
    assert members_in(out, "CLUB", 1979) == ["AAA", "BBB"]
    assert not YearlyNetwork(out).institutions_alive(2024)[YearlyNetwork(out).institution_ids.index("CLUB")]
    assert_valid(out)


def test_dissolving_on_the_founding_day_removes_the_institution(mini):
    out = apply_scenario(mini, Scenario("s", [Dissolve("FORUM", date="2001-06-15")]), 2024).dataset
    assert "FORUM" not in out.institution and not [s for s in out.spells if s.institution == "FORUM"]


def test_edits_apply_in_order_and_accept_names_and_any_case(mini):
    edits = [Join(["danubia"], "club"), Leave("eldoria", "Club of the West, fixture")]
    out = apply_scenario(mini, Scenario("s", edits), 2024).dataset
    assert members_in(out, "CLUB", 2024) == ["AAA", "BBB", "DDD"]


# ---- edit and inverse: the same network, so the same measures ---------------------------------------------------

def test_join_then_leave_on_the_same_date_gives_back_the_spells(mini):
    out = apply_scenario(mini, Scenario("s", [Join("EEE", "BANK"), Leave("EEE", "BANK")]), 2024).dataset
    assert out.spells == mini.spells and out.institutions == mini.institutions


def test_leave_then_rejoin_and_status_round_trip_give_the_same_network(mini):
    for edits in ([Leave("AAA", "CLUB"), Join("AAA", "CLUB")],
                  [Leave("BBB", "BANK", date="1990-03"), Join("BBB", "BANK", date="1990-03")],
                  [Leave("BBB", "BANK", date="1948"), Join("BBB", "BANK", date="1948", until="1950-03-14")],
                  [ChangeStatus("DDD", "FORUM", "observer", date="2010"),
                   ChangeStatus("DDD", "FORUM", "member", date="2010")],
                  [Create("NEW", ["AAA", "EEE"]), Dissolve("NEW")]):
        out = apply_scenario(mini, Scenario("s", edits), 2024).dataset
        same_network(out, mini)


EDITS = st.tuples(st.sampled_from(["AAA", "BBB", "DDD", "EEE", "XEU"]), st.sampled_from(["BANK", "CLUB", "FORUM"]),
                  st.integers(2002, 2026), st.sampled_from(["year", "month", "day"]))


@given(st.lists(EDITS, min_size=1, max_size=6))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_flip_and_its_inverse_give_the_same_network(mini, flips):
    """A flip is a join where the state is out on that date, a leave where it is a member. From a dataset
    edited by the earlier flips, each flip followed by its inverse gives back the same network in every year
    (the inverse of a leave rejoins until the old spell's end)."""
    out, year = mini, 2026
    for state, inst, y, precision in flips:
        date = {"year": f"{y}", "month": f"{y}-03", "day": f"{y}-03-17"}[precision]
        d = PartialDate(*[int(x) for x in date.split("-")]).earliest
        if d > TODAY:
            continue
        holds = [s for s in out.spells if s.state == state and s.institution == inst and s.start.earliest <= d
                 and (s.end is None or d < s.end.earliest)]
        if holds and holds[0].status != "member":
            continue
        if holds:
            edit, inverse = Leave(state, inst, date=date), Join(state, inst, date=date, until=holds[0].end)
        else:
            edit, inverse = Join(state, inst, date=date), Leave(state, inst, date=date)
        there_and_back = apply_scenario(out, Scenario("s", [edit, inverse]), year).dataset
        same_network(there_and_back, out)
        out = apply_scenario(out, Scenario("s", [edit]), year).dataset
        assert_valid(out)


# ---- the example scenarios ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled_fixed():
    return load_dataset(today=TODAY)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_example_scenarios_apply_to_the_bundled_data(bundled_fixed, path):
    sc = load_scenario(path)
    assert sc.problems == () and sc.description and sc.year and sc.focus
    applied = apply_scenario(bundled_fixed, sc)
    assert applied.changes
    assert_valid(applied.dataset)


def test_there_are_at_least_five_examples_and_a_readme():
    assert len(list(SCENARIOS.glob("*.yaml"))) >= 5
    assert (SCENARIOS / "README.md").is_file()


def test_example_scenarios_do_what_they_say(bundled_fixed):
    def members(name, inst, year):
        return set(members_in(apply_scenario(bundled_fixed, load_scenario(SCENARIOS / name)).dataset, inst, year))

    assert "UKR" in members("ukraine-joins-nato.yaml", "NATO", 2024)
    assert "UKR" not in members_in(bundled_fixed, "NATO", 2024)
    assert "TUR" not in members("turkey-leaves-nato-joins-sco.yaml", "NATO", 2024)
    assert "TUR" in members("turkey-leaves-nato-joins-sco.yaml", "SCO", 2024)
    assert "IND" not in members("india-leaves-quad.yaml", "QUAD", 2024)
    assert "SAU" in members("brics-admits-saudi-arabia.yaml", "BRICS", 2024)
    assert members("coalition-of-ten.yaml", "SWING10", 2024) == {"ARG", "BRA", "EGY", "IDN", "IND", "MEX", "NGA",
                                                                  "SAU", "TUR", "ZAF"}
    assert members("g7-dissolves.yaml", "G7", 2023) == set()
    assert {"GBR", "NOR"} <= members("uk-rejoins-eu.yaml", "EU", 2025)
