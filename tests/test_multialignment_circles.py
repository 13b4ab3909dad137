"""Multialignment measures (worked examples from the docstring), concentric circles, and the analysis CLI."""

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, strategies as st

from analysis import multialignment as M
from analysis.circles import focal_rings, world_rings
from analysis.metrics import Analysis, Options
from graphs import DataError
from graphs.yearly import YearlyNetwork

MINI = Path(__file__).parent / "fixtures" / "mini"


def test_orientation_balance_worked_examples():
    counts = np.array([[4, 0, 0],    # only western-led bodies
                       [2, 2, 0],    # equally in two rival camps
                       [1, 1, 1],    # equally in all three
                       [0, 0, 0]])   # only universal bodies
    b = M.orientation_balance(counts)
    assert b[0] == 0 and b[1] == pytest.approx(math.log(2) / math.log(3)) and b[2] == pytest.approx(1)
    assert np.isnan(b[3])
    p = np.array([0.9, 0.5, 0.5, 0.7])
    m = M.multialignment_index(b, p)
    assert m[0] == 0 and m[3] == 0                                     # western-only, universal-only: 0
    assert m[1] == pytest.approx(math.sqrt(math.log(2) / math.log(3) * 0.5))
    assert np.isnan(M.multialignment_index(b, p, has_labels=False)).all()


def test_participation_coefficient_by_hand():
    # node 0 has weight 1 to bloc 0 (node 1) and 3 to bloc 1 (node 2): P = 1 - (1/4)^2 - (3/4)^2 = 0.375
    P = sp.csr_matrix(np.array([[0, 1, 3], [1, 0, 0], [3, 0, 0]], dtype=float))
    pc = M.participation_coefficient(P, [0, 0, 1])
    assert pc[0] == pytest.approx(0.375) and pc[1] == 0 and pc[2] == 0


@given(st.lists(st.lists(st.integers(0, 6), min_size=3, max_size=3), min_size=1, max_size=12))
def test_balance_in_unit_interval_and_order_free(rows):
    c = np.array(rows)
    b = M.orientation_balance(c)
    ok = ~np.isnan(b)
    assert ((b[ok] >= -1e-12) & (b[ok] <= 1 + 1e-12)).all()
    np.testing.assert_allclose(M.orientation_balance(c[:, ::-1]), b)      # camps are unordered


def test_mini_camps_and_straddles(mini):
    a = Analysis(mini)
    # 2024: EEE in CLUB (western-led) and FORUM (china/russia-led): it straddles both
    s = a.straddles(2024)
    assert set(s[s.state == "EEE"].institution) == {"CLUB", "FORUM"}
    df = a.metrics([2024], ["orientation_balance"])
    bal = df.set_index("entity")["value"]
    assert bal["EEE"] == pytest.approx(math.log(2) / math.log(3)) and bal["AAA"] == 0.0
    assert np.isnan(bal["XEU"])                        # a partner only: no labelled full membership


def test_orientation_override(mini):
    a = Analysis(mini, Options(orientation_overrides={"club": "china/russia-led"}))
    bal = a.metrics([2024], ["orientation_balance"]).set_index("entity")["value"]
    assert bal["EEE"] == 0.0                            # both of its bodies are now in one camp
    with pytest.raises(DataError, match="did you mean 'western-led'"):
        Analysis(mini, Options(orientation_overrides={"CLUB": "westernled"}))


def test_focal_rings_mini(mini):
    rows = {r["state"]: r for r in focal_rings(YearlyNetwork(mini), 1990, "aaa")}
    assert rows["BBB"]["ring"] == "club" and rows["BBB"]["reason"] == "CLUB"      # CLUB is tighter than BANK
    assert rows["CCC"]["ring"] == "charter" and rows["CCC"]["reason"] == "BANK"
    assert rows["EEE"]["ring"] == "club"
    assert "AAA" not in rows and "DDD" not in rows


def test_world_rings_cover_alive_states(mini):
    rows = world_rings(YearlyNetwork(mini), 1990)
    assert {r["state"] for r in rows} == {"AAA", "BBB", "CCC", "EEE", "XEU"}
    assert all(1 <= r["ring"] <= 6 for r in rows)


def test_bundled_facts(bundled):
    """Facts a reader would expect (with reasons)."""
    a = Analysis(bundled)
    rings = {r["state"]: r for r in focal_rings(a.net, 2024, "USA")}
    assert rings["CAN"]["ring"] == "club" and "NATO" in rings["CAN"]["reason"]      # NATO, G7, OECD ally
    assert rings["CHN"]["ring"] == "concert" and rings["CHN"]["reason"] == "G20;P5"   # no club, no coalition shared
    assert rings["IND"]["ring"] == "club" and rings["IND"]["reason"] == "CDEM"  # both founded the Community of Democracies
    assert rings["PRK"]["ring"] == "charter"          # only the universal bodies
    bal = a.metrics([2024], ["orientation_balance"]).set_index("entity")["value"]
    assert bal["IND"] > bal["USA"]                    # India straddles the Quad and the SCO; the US does not
    s = a.straddles(2024)
    assert {"QUAD", "SCO"} <= set(s[s.state == "IND"].institution)
    table, _, _ = a.bloc_table([2024])
    bloc = table.set_index("state")["bloc"]
    assert bloc["RUS"] == bloc["BLR"] and bloc["FRA"] == bloc["DEU"]               # CIS/CSTO/EAEU; EU/NATO
    assert bloc["RUS"] != bloc["FRA"]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "graphs.cli", *args, "--data", str(MINI)], capture_output=True,
                          text=True, env={"MULTIPARTNER_TODAY": "2026-06-30", "PATH": ""})


def test_cli_metrics_csv_columns_and_json():
    r = run_cli("metrics", "--year", "1990", "--metrics", "bipartite_degree,strength", "--format", "csv")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "year,entity,entity_type,metric,value,rank"
    assert "1990,AAA,state,bipartite_degree,0.6666666666666666,1" in lines
    j = json.loads(run_cli("blocs", "--year", "1990", "--format", "json").stdout)
    assert set(j[0]) == {"year", "state", "bloc", "stability"}
    c = run_cli("circles", "--year", "1990", "--focus", "aaa", "--format", "csv")
    assert c.stdout.splitlines()[0] == "year,focus,state,ring,reason"
    p = run_cli("polarisation", "--years", "1989:1990", "--format", "csv")
    assert p.stdout.splitlines()[0].startswith("year,modularity,cross_share,ei_index")
    assert len(p.stdout.splitlines()) == 3


def test_cli_metrics_errors_exit_2():
    for args in (["metrics", "--year", "1990", "--metrics", "strenght"], ["metrics", "--year", "1990", "--years", "1:2"],
                 ["metrics", "--years", "1700:1710"], ["circles", "--year", "1990", "--focus", "ZZZ"],
                 ["metrics", "--year", "1990", "--format", "parquet"]):
        r = run_cli(*args)
        assert r.returncode == 2 and r.stderr.startswith("error:") and "Traceback" not in r.stderr, (args, r.stderr)


def test_cli_parquet_roundtrip(tmp_path):
    import pandas as pd

    out = tmp_path / "m.parquet"
    r = run_cli("metrics", "--year", "1990", "--metrics", "strength", "--format", "parquet", "--out", str(out), "-q")
    assert r.returncode == 0, r.stderr
    df = pd.read_parquet(out)
    assert list(df.columns) == ["year", "entity", "entity_type", "metric", "value", "rank"]


def test_world_rings_rank_by_core_then_ties():
    """Hand-checkable: a 4-clique, a path hanging off it, and an isolate."""
    import scipy.sparse as sp

    class Net:                       # the two attributes world_rings reads
        state_codes = tuple("ABCDEFG")

        def present(self, year):
            return np.arange(7)

    edges = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3), (3, 4), (4, 5)]
    P = sp.coo_matrix((np.ones(len(edges)), tuple(zip(*edges))), shape=(7, 7))
    rows = {r["state"]: r for r in world_rings(Net(), 2000, P + P.T)}
    assert [rows[s]["coreness"] for s in "ABCDEFG"] == [3, 3, 3, 3, 1, 1, 0]
    # ranked: D (core 3, 4 ties) > A=B=C (core 3, 3 ties) > E (2 ties) > F (1 tie); six linked states in 5 groups
    assert rows["D"]["ring"] == 1
    assert rows["A"]["ring"] == rows["B"]["ring"] == rows["C"]["ring"] == 1 + (5 * 1) // 6
    assert rows["E"]["ring"] == 1 + (5 * 4) // 6 and rows["F"]["ring"] == 5
    assert rows["G"]["ring"] == 6
