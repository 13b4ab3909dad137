"""Queries (Python and CLI) and exports on the fixture."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx

from graphs import members, memberships, shared
from graphs.export import export_all_years, export_year
from graphs.yearly import YearlyNetwork

MINI = Path(__file__).parent / "fixtures" / "mini"


def cli(*args):
    run = subprocess.run([sys.executable, "-m", "graphs.cli", *args, "--data", str(MINI)],
                         capture_output=True, text=True, env={"MULTIPARTNER_TODAY": "2026-06-30", "PATH": ""})
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_members_snapshot_and_history(mini):
    assert list(members(mini, "club", 1981)["state"]) == ["AAA", "BBB", "XEU"]
    assert list(members(mini, "club", 1981, status="member")["state"]) == ["AAA", "BBB"]
    hist = members(mini, "BANK")
    assert list(zip(hist.state, hist.start, hist.end))[:3] == [
        ("AAA", "1945-12-27", ""), ("BBB", "1945-12-27", "1950-03-14"), ("BBB", "1986-06-12", "")]


def test_memberships_and_shared(mini):
    assert list(memberships(mini, "eee", 2016)["institution"]) == ["CLUB", "FORUM"]
    assert list(memberships(mini, "eee", 2016)["status"]) == ["member", "observer"]
    s = shared(mini, "AAA", "BBB", 1990)
    assert list(s.institution) == ["BANK", "CLUB"] and list(s.status_a) == ["member", "member"]
    assert shared(mini, "AAA", "BBB", 1955).institution.tolist() == ["CLUB"]   # BBB out of BANK 1950-1985


def test_cli_members_csv_columns():
    out = cli("members", "club", "--year", "1982", "--format", "csv")
    assert out.splitlines() == ["state,institution,status,start,end", "AAA,CLUB,member,1949-08-24,",
                                "BBB,CLUB,member,1949-08-24,", "EEE,CLUB,member,1982-05-30,", "XEU,CLUB,partner,1977,"]


def test_cli_json_and_table():
    rows = json.loads(cli("memberships", "ddd", "--format", "json"))
    assert [r["institution"] for r in rows] == ["BANK", "FORUM"]
    table = cli("shared", "aaa", "bbb", "--year", "1990")
    assert "BANK" in table and "(2 rows)" in table


def test_cli_out_file_written(tmp_path):
    target = tmp_path / "sub" / "nato.csv"
    cli("members", "CLUB", "--format", "csv", "--out", str(target), "--quiet")
    assert target.read_text().startswith("state,institution,status,start,end\n")
    assert not list(target.parent.glob(".*tmp"))


def test_export_year_formats(mini, tmp_path):
    net = YearlyNetwork(mini)
    export_year(net, 1990, "gexf", tmp_path / "y.gexf")
    g = nx.read_gexf(tmp_path / "y.gexf")
    assert g.has_edge("CCC", "PACT") and g.number_of_edges() == 7
    export_year(net, 1990, "graphml", tmp_path / "y.graphml")
    assert nx.read_graphml(tmp_path / "y.graphml").number_of_edges() == 7
    export_year(net, 1990, "csv", tmp_path / "y.csv")
    lines = (tmp_path / "y.csv").read_text().splitlines()
    assert lines[0] == "year,state,institution,status,weight" and len(lines) == 8


def test_export_all_years_has_time_spells(mini, tmp_path):
    export_all_years(YearlyNetwork(mini), tmp_path / "all.gexf")
    root = ET.parse(tmp_path / "all.gexf").getroot()
    ns = {"g": root.tag.split("}")[0].strip("{")}
    graph = root.find("g:graph", ns)
    assert graph.get("mode") == "dynamic"
    edge = next(e for e in graph.iter(f"{{{ns['g']}}}edge")
                if {e.get("source"), e.get("target")} == {"BBB", "BANK"})
    spells = [(s.get("start"), s.get("end")) for s in edge.iter(f"{{{ns['g']}}}spell")]
    assert spells == [("1945.0", "1949.0"), ("1986.0", "2026.0")]   # out of BANK 1950-1985


def test_cli_export_requires_one_of_year_or_all_years(tmp_path):
    run = subprocess.run([sys.executable, "-m", "graphs.cli", "export", "--out", str(tmp_path / "x.gexf"),
                          "--data", str(MINI)], capture_output=True, text=True)
    assert run.returncode == 2 and "give exactly one of --year or --all-years" in run.stderr
