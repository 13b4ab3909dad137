"""``multipartner whatif``: the typer app, mounted as the main CLI mounts it, on the mini fixture."""

import importlib.util
import json
import textwrap
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from graphs import DataError, cli_whatif

MINI = Path(__file__).parent / "fixtures" / "mini"
runner = CliRunner()
root = typer.Typer()
root.add_typer(cli_whatif.app, name="whatif")       # what graphs/cli.py does
HAS_HTML = importlib.util.find_spec("reports.whatif") is not None


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("MULTIPARTNER_TODAY", "2026-06-30")


@pytest.fixture
def scenario(tmp_path):
    path = tmp_path / "eee-joins-bank.yaml"
    path.write_text(textwrap.dedent("""\
        name: Eldoria joins the bank
        description: A test scenario.
        year: 2024
        focus: [EEE]
        edits:
          - action: join
            state: EEE
            institution: BANK
        """), encoding="utf-8")
    return path


def run(*args):
    return runner.invoke(root, ["whatif", *map(str, args), "--data", str(MINI)])


def test_scenario_summary_table(scenario):
    r = run(scenario)
    assert r.exit_code == 0, r.output
    assert r.output.startswith("What if: Eldoria joins the bank")
    rows = [line.split() for line in r.output.splitlines()]
    assert ["1", "join", "EEE", "BANK", "2024-12-31", "joins", "as", "member", "from", "2024-12-31"] in rows
    assert ["strength", "EEE", "2", "3", "1"] in rows              # newman: one more institution of 2+ members


def test_run_is_the_explicit_form(scenario):
    assert run("run", scenario).output == run(scenario).output


def test_json_to_stdout_and_to_a_directory(scenario, tmp_path):
    r = run(scenario, "--format", "json")
    d = json.loads(r.output)
    assert d["year"] == 2024 and d["edits"][0]["state"] == "EEE"
    out = tmp_path / "out"
    r = run(scenario, "--format", "json", "--out", out, "--year", "2025")
    assert r.exit_code == 0, r.output
    d = json.loads((out / "eee-joins-bank.json").read_text())
    assert d["year"] == 2025 and d["edits"][0]["date"] == "2025-12-31"


def test_csv_writes_one_file_per_part(scenario, tmp_path):
    out = tmp_path / "out"
    r = run(scenario, "--format", "csv", "--out", out, "--quiet")
    assert r.exit_code == 0 and r.output == ""
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"eee-joins-bank-{p}.csv" for p in
                           ("edits", "centrality", "multialignment", "blocs", "polarisation", "rings", "world-rings"))
    head = (out / "eee-joins-bank-centrality.csv").read_text().splitlines()[0]
    assert head == "year,entity,entity_type,metric,baseline,scenario,delta,baseline_rank,scenario_rank"


def test_csv_needs_a_directory(scenario):
    r = run(scenario, "--format", "csv")
    assert isinstance(r.exception, DataError)
    assert r.exception.problems[0].message == "--format csv writes one file per part"


def test_html_uses_the_report_when_it_exists(scenario, tmp_path):
    r = run(scenario, "--format", "html", "--out", tmp_path)
    if HAS_HTML:
        assert r.exit_code == 0, r.output
        html = (tmp_path / "eee-joins-bank.html").read_text()
        assert "Eldoria joins the bank" in html and "Danubia" in html          # state names from the dataset
    else:
        assert isinstance(r.exception, DataError)
        assert r.exception.problems[0].message == "html diff report not available yet"


def test_scenario_errors_exit_2_without_a_traceback(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: t\nedits:\n  - {action: leave, state: EEF, institution: CLUB}\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        cli_whatif.main([str(bad), "--data", str(MINI)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"{bad}:3 [edit 1: states[0]]: unknown state (found 'EEF'); did you mean 'EEE'?" in err
    assert "Traceback" not in err


def test_sweep_table_and_csv(tmp_path):
    r = run("sweep", "--year", "2024", "--metric", "strength", "--target", "eee", "--top", "3")
    assert r.exit_code == 0, r.output
    assert "single edits ranked by strength of EEE, 2024" in r.output and "(3 rows)" in r.output
    out = tmp_path / "sweep.csv"
    r = run("sweep", "--year", "2024", "--metric", "polarisation", "--top", "0", "--format", "csv", "--out", out,
            "--action", "leave")
    assert r.exit_code == 0, r.output
    lines = out.read_text().splitlines()
    assert lines[0] == "year,rank,action,state,institution,from_status,metric,target,baseline,value,delta"
    assert len(lines) == 1 + 8 and all(",leave," in line for line in lines[1:])   # 8 full memberships in 2024


def test_sweep_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli_whatif.main(["sweep", "--year", "2024", "--metric", "eigenvector", "--data", str(MINI)])
    assert exc.value.code == 2
    assert "metric eigenvector needs --target STATE" in capsys.readouterr().err


def test_help_lists_both_commands():
    r = runner.invoke(root, ["whatif", "--help"])
    assert r.exit_code == 0 and "run" in r.output and "sweep" in r.output


def test_missing_orientation_file(scenario, tmp_path):
    r = run(scenario, "--orientations", tmp_path / "none.csv")
    assert isinstance(r.exception, DataError) and r.exception.problems[0].message == "orientation file not found"
