"""import-cow on a hand-written COW-format fixture, and on the real COW IGO v3 file when present."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from graphs import DataError, YearlyNetwork, load_dataset, members
from graphs.cow import import_cow
from tests_support import cow_file

FIXTURE = Path(__file__).parent / "fixtures" / "cow_state_year.tsv"


def spells(out):
    with (out / "memberships" / "cow.csv").open() as fh:
        return {(r["state"], r["institution"], r["status"], r["start"], r["end"]) for r in csv.DictReader(fh)}


@pytest.fixture(params=["\t", ","])
def imported(request, tmp_path):
    src = tmp_path / ("cow.tsv" if request.param == "\t" else "cow.csv")
    src.write_text(FIXTURE.read_text().replace("\t", request.param))
    out = tmp_path / "out"
    import_cow(src, out)
    return out


def test_spells_from_runs_of_codes(imported):
    got = spells(imported)
    assert ("USA", "NATO", "member", "1950", "1968") in got          # runs to the end of coverage
    assert ("GBR", "NATO", "member", "1950", "1955") in got          # 1 then 2: a status change
    assert ("GBR", "NATO", "associate", "1955", "1960") in got
    assert ("GBR", "NATO", "member", "1960", "1966") in got          # 0 in 1966: left
    assert ("SUN", "WPACT", "member", "1955", "1965") in got         # ccode 365 is the USSR before 1992
    assert ("SUN", "WPACT", "observer", "1965", "1967") in got       # code 3


def test_missing_is_not_non_membership(imported):
    got = spells(imported)
    # USA's UN cell of 1966 is -9: the spell stops there and resumes, and the gap is recorded
    assert ("USA", "UN", "member", "1950", "1966") in got and ("USA", "UN", "member", "1967", "1968") in got
    with (imported / "missing.csv").open() as fh:
        assert list(csv.DictReader(fh)) == [{"state": "USA", "institution": "UN", "year": "1966"}]
    assert "1 missing state-year cells in 1 IGOs" in (imported / "KNOWN_GAPS.md").read_text()


def test_import_validates_and_runs_queries(imported):
    ds = load_dataset(imported)
    assert ds.years == range(1950, 1968)
    assert list(members(ds, "nato", 1957)["state"]) == ["GBR", "USA"]
    assert list(members(ds, "nato", 1957, status="member")["state"]) == ["USA"]
    assert "COW9999" in ds.state_codes                                # unmapped COW state keeps its number
    assert ds.institution["WPACT"].type == "" and ds.institution["WPACT"].founded.year == 1955
    net = YearlyNetwork(ds)
    assert net.biadjacency(1967).sum() == 5  # USA: NATO, UN; GBR: UN; SUN: UN; COW9999: UN
    assert net.biadjacency(1967)[ds.state_codes.index("COW9999")].sum() == 1


def test_no_iso_keeps_cow_numbers(tmp_path):
    out = tmp_path / "out"
    import_cow(FIXTURE, out, map_to_iso=False)
    assert {s[0] for s in spells(out)} == {"COW2", "COW200", "COW365", "COW9999"}


def test_refuses_to_overwrite_a_non_dataset_directory(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(DataError, match="output directory exists and is not a dataset"):
        import_cow(FIXTURE, tmp_path)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_cli_import_then_query(tmp_path):
    out = tmp_path / "cowdata"
    run = subprocess.run([sys.executable, "-m", "graphs.cli", "import-cow", str(FIXTURE), "--out", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    q = subprocess.run([sys.executable, "-m", "graphs.cli", "members", "NATO", "--year", "1967", "--format", "csv",
                        "--data", str(out)], capture_output=True, text=True)
    assert q.stdout.splitlines() == ["state,institution,status,start,end", "USA,NATO,member,1950,1968"]
    bad = subprocess.run([sys.executable, "-m", "graphs.cli", "import-cow", str(tmp_path / "nope.csv"),
                          "--out", str(out)], capture_output=True, text=True)
    assert bad.returncode == 2 and "COW file not found" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.cow
def test_full_cow_file(tmp_path_factory):
    src = cow_file("state_year_format3.csv.gz")
    out = tmp_path_factory.mktemp("cow") / "data"
    counts = import_cow(src, out)
    assert counts["institutions"] == 534
    ds = load_dataset(out)
    assert ds.years.stop - 1 == 2014
    nato = members(ds, "NATO", 2014, status="member")
    assert len(nato) == 28                                          # 28 members in 2014
    assert len(members(ds, "NATO", 1949, status="member")) == 12     # the founders
    assert "RUS" in set(members(ds, "UN", 2000)["state"]) and "SUN" in set(members(ds, "UN", 1990)["state"])


def test_analysis_on_a_cow_import(tmp_path):
    out = tmp_path / "cow"
    import_cow(FIXTURE, out)
    run = subprocess.run([sys.executable, "-m", "graphs.cli", "metrics", "--year", "1960", "--format", "csv",
                          "--metrics", "orientation_balance,participation,multialignment,bipartite_degree",
                          "--data", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "no orientation labels" in run.stderr
    rows = [line.split(",") for line in run.stdout.splitlines()[1:]]
    by_metric = {}
    for r in rows:
        by_metric.setdefault(r[3], []).append(r[4])
    assert all(v == "" for v in by_metric["orientation_balance"] + by_metric["multialignment"])   # missing
    assert all(v != "" for v in by_metric["participation"] + by_metric["bipartite_degree"])
    circ = subprocess.run([sys.executable, "-m", "graphs.cli", "circles", "--year", "1960", "--format", "csv",
                           "--data", str(out)], capture_output=True, text=True)
    assert circ.returncode == 0 and "showing the world view instead" in circ.stderr
    assert circ.stdout.splitlines()[0] == "year,state,ring,coreness"
