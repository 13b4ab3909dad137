"""Baseline against scenario: deltas checked by hand on the mini fixture, inverse edits change nothing, the
comparison agrees with the sweep, and the dict for the HTML report is plain JSON."""

import json

import numpy as np
import pytest

from analysis.metrics import Options
from analysis.scenario import Create, Dissolve, Join, Leave, Scenario
from analysis.sweep import sweep
from analysis.whatif import PARTS, compare


def value(df, entity, metric, column="delta"):
    row = df[(df.entity == entity) & (df.metric == metric)]
    assert len(row) == 1, (entity, metric)
    return row.iloc[0][column]


@pytest.fixture(scope="module")
def eee_joins_bank(mini):
    return compare(mini, Scenario("EEE joins BANK", [Join("EEE", "BANK")]), 2024)


def test_strength_deltas_by_hand_newman(eee_joins_bank):
    # newman: a state's strength = its institutions with 2+ members; EEE gains BANK, nobody else changes
    c = eee_joins_bank
    assert value(c.centrality, "EEE", "strength", "baseline") == pytest.approx(2.0)
    assert value(c.centrality, "EEE", "strength") == pytest.approx(1.0)
    for s in ("AAA", "BBB", "DDD", "XEU"):
        assert value(c.centrality[c.centrality.entity_type == "state"], s, "strength") == pytest.approx(0.0)
    # two-mode degree: EEE now in 3 of the 3 institutions present (BANK, CLUB, FORUM), was 2 of 3
    assert value(c.centrality, "EEE", "bipartite_degree") == pytest.approx(1 / 3)
    # BANK gains a fifth of the 5 states present
    assert value(c.centrality, "BANK", "bipartite_degree") == pytest.approx(1 / 5)


def test_strength_deltas_by_hand_count(mini):
    c = compare(mini, Scenario("s", [Join("EEE", "BANK")]), 2024, Options(projection="count"))
    states = c.centrality[(c.centrality.entity_type == "state") & (c.centrality.metric == "strength")]
    # EEE shares BANK with AAA, BBB and DDD: +3 for EEE, +1 for each of them
    assert dict(zip(states.entity, states.delta)) == {"AAA": 1.0, "BBB": 1.0, "DDD": 1.0, "EEE": 3.0, "XEU": 0.0}
    assert dict(zip(states.entity, states.scenario)) == {"AAA": 5.0, "BBB": 5.0, "DDD": 4.0, "EEE": 6.0, "XEU": 0.0}


def test_ring_changes_by_hand(mini):
    # DDD shares only BANK (charter) with AAA and BBB, and FORUM (regional) with EEE; joining CLUB makes all three club
    c = compare(mini, Scenario("s", [Join("DDD", "CLUB")], focus=["DDD"]), 2024)
    changed = c.rings[c.rings.changed]
    assert list(zip(changed.state, changed.baseline_ring, changed.scenario_ring)) == [
        ("AAA", "charter", "club"), ("BBB", "charter", "club"), ("EEE", "regional", "club")]
    assert changed.iloc[2].scenario_reason == "CLUB"
    assert c.focus == ("DDD",) and set(c.rings.state) == {"AAA", "BBB", "EEE", "XEU"}


def test_an_edit_and_its_inverse_change_nothing(mini):
    for edits in ([Join("EEE", "BANK"), Leave("EEE", "BANK")], [Leave("AAA", "CLUB"), Join("AAA", "CLUB")],
                  [Create("NEW", ["AAA", "EEE"], type="club"), Dissolve("NEW")]):
        c = compare(mini, Scenario("s", edits, focus=["AAA"]), 2024)
        for part in ("centrality", "multialignment", "polarisation"):
            df = getattr(c, part)
            both_missing = df["baseline"].isna() & df["scenario"].isna()      # e.g. constraint of an isolate
            assert ((df["delta"] == 0) | both_missing).all(), part
            assert np.array_equal(df["baseline"].to_numpy(), df["scenario"].to_numpy(), equal_nan=True)
        assert not c.blocs.moved.any() and not c.rings.changed.any() and not c.world_rings.changed.any()


def test_fixed_bloc_modularity_agrees_with_the_sweep(mini):
    swept = sweep(mini, 2024, "polarisation")
    c = compare(mini, Scenario("s", [Join("EEE", "BANK")]), 2024)
    pol = c.polarisation.set_index("metric")
    assert pol.loc["modularity_fixed_blocs", "baseline"] == pytest.approx(pol.loc["modularity", "baseline"])
    row = swept[(swept.state == "EEE") & (swept.institution == "BANK")].iloc[0]
    assert row.baseline == pytest.approx(pol.loc["modularity_fixed_blocs", "baseline"])
    assert row.value == pytest.approx(pol.loc["modularity_fixed_blocs", "scenario"])


def test_created_and_dissolved_institutions_are_on_one_side_only(mini):
    c = compare(mini, Scenario("s", [Create("NEW", ["AAA", "DDD"], type="club"), Dissolve("FORUM")]), 2024)
    new = c.centrality[(c.centrality.entity == "NEW") & (c.centrality.metric == "bipartite_degree")].iloc[0]
    assert np.isnan(new.baseline) and new.scenario == pytest.approx(2 / 5) and np.isnan(new.delta)
    gone = c.centrality[(c.centrality.entity == "FORUM") & (c.centrality.metric == "bipartite_degree")].iloc[0]
    assert gone.baseline == pytest.approx(2 / 5) and np.isnan(gone.scenario)
    assert list(c.edits.action) == ["create", "create", "create", "dissolve"]
    row = next(r for r in c.to_dict()["centrality"] if r["entity"] == "NEW" and r["metric"] == "strength")
    assert (row["baseline"], row["delta"], row["baseline_rank"]) == (None, None, None)
    json.dumps(c.to_dict(), allow_nan=False)


def test_to_dict_is_plain_json_with_every_part(eee_joins_bank):
    d = eee_joins_bank.to_dict()
    text = json.dumps(d, allow_nan=False)              # no NaN, no numpy scalars
    assert set(PARTS) <= set(d) and d["year"] == 2024 and d["focus"] == ["EEE"]
    assert d["scenario"]["name"] == "EEE joins BANK" and d["options"]["seed"] == 0
    assert len(d["rings"]) == 4 and {"baseline_ring", "scenario_ring", "changed"} <= set(d["rings"][0])
    assert d["summary"]["polarisation"] == dict(zip(eee_joins_bank.polarisation.metric,
                                                     eee_joins_bank.polarisation.delta))
    assert json.loads(text) == d


def test_same_seed_same_comparison(mini):
    sc = Scenario("s", [Leave("DDD", "FORUM")])
    a, b = compare(mini, sc, 2024, Options(seed=3)), compare(mini, sc, 2024, Options(seed=3))
    assert a.to_dict() == b.to_dict()


def test_default_focus_is_the_states_edited(mini):
    c = compare(mini, Scenario("s", [Create("NEW", ["EEE", "AAA", "BBB", "DDD"])]), 2024)
    assert c.focus == ("EEE", "AAA", "BBB")
    c = compare(mini, Scenario("s", [Dissolve("FORUM")]), 2024)
    assert c.focus == () and len(c.rings) == 0 and len(c.world_rings) == 5
    c = compare(mini, Scenario("s", [Dissolve("FORUM")]), 2024, focus=["bbb"])
    assert c.focus == ("BBB",)


def test_ukraine_joins_nato_on_the_bundled_data():
    import datetime as dt
    from pathlib import Path

    from analysis.scenario_file import load_scenario
    from graphs import load_dataset

    ds = load_dataset(today=dt.date(2026, 6, 30))
    sc = load_scenario(Path(__file__).resolve().parents[1] / "data" / "scenarios" / "ukraine-joins-nato.yaml")
    c = compare(ds, sc)
    assert c.year == 2024 and c.focus == ("UKR", "RUS")
    # newman strength counts institutions with 2+ members: one more for Ukraine and one more member for NATO
    assert value(c.centrality[c.centrality.entity_type == "state"], "UKR", "strength") == pytest.approx(1.0)
    n_states = int(c.blocs.state.nunique())
    assert value(c.centrality, "NATO", "bipartite_degree") == pytest.approx(1 / n_states)
    rings = c.rings[(c.rings.focus == "UKR") & (c.rings.state == "USA")].iloc[0]
    assert (rings.scenario_ring, "NATO" in rings.scenario_reason.split(";")) == ("club", True)
    # Russia shares no club with NATO's members because of it: its rings do not change
    assert not c.rings[c.rings.focus == "RUS"].changed.any()
