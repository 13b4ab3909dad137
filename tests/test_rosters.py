"""Partial rosters: the optional roster columns, their validation, and the warnings users see."""

import csv
import re
import subprocess
import sys

from graphs import load_dataset
from graphs.validate import check_dataset


def _set_rosters(path, rosters: dict[str, tuple[str, str]], header_extra=("roster", "roster_gap")):
    """Rewrite institutions.csv with the roster columns; ``rosters`` maps id -> (roster, roster_gap)."""
    f = path / "institutions.csv"
    rows = list(csv.reader(f.open(newline="", encoding="utf-8")))
    with f.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(rows[0] + list(header_extra))
        for r in rows[1:]:
            w.writerow(r + list(rosters.get(r[0], ("", ""))))


def _cli(*args, data):
    return subprocess.run([sys.executable, "-m", "graphs.cli", *args, "--data", str(data)],
                          capture_output=True, text=True, env={"MULTIPARTNER_TODAY": "2026-06-30", "PATH": ""})


def test_datasets_without_roster_columns_are_complete(mini):
    assert mini.partial_rosters == {}
    assert all(not i.partial and i.roster == "complete" for i in mini.institutions)


def test_roster_values_are_checked_all_at_once(mini_copy):
    _set_rosters(mini_copy, {"BANK": ("partal", "x"), "CLUB": ("partial", ""), "FORUM": ("complete", "3 missing")})
    found = {(p.line, p.column, p.message, p.hint) for p in check_dataset(mini_copy)[0]}
    assert (2, "roster", "unknown roster", "did you mean 'partial'?") in found
    assert any(line == 3 and col == "roster_gap" and msg == "missing roster_gap for a partial roster"
               for line, col, msg, _ in found)
    assert any(line == 4 and msg == "roster_gap given but roster is not 'partial'" for line, _, msg, _ in found)


def test_misspelt_optional_column_gets_a_suggestion(mini_copy):
    _set_rosters(mini_copy, {}, header_extra=("rooster", "roster_gap"))
    (p,) = [p for p in check_dataset(mini_copy)[0] if p.file == "institutions.csv"]
    assert (p.column, p.message, p.hint) == ("rooster", "unknown column", "did you mean 'roster'?")


def test_partial_roster_is_read(mini_copy):
    _set_rosters(mini_copy, {"CLUB": ("partial", "2 of about 5 members dated")})
    ds = load_dataset(mini_copy)
    assert ds.partial_rosters == {"CLUB": "2 of about 5 members dated"}
    assert ds.institution["CLUB"].partial and not ds.institution["BANK"].partial


def test_cli_warns_on_standard_error_unless_quiet(mini_copy):
    _set_rosters(mini_copy, {"CLUB": ("partial", "2 of about 5 members dated")})
    run = _cli("members", "club", "--year", "1982", "--format", "csv", data=mini_copy)
    assert run.returncode == 0
    assert run.stdout.splitlines()[1:3] == ["AAA,CLUB,member,1949-08-24,", "BBB,CLUB,member,1949-08-24,"]
    assert "the CLUB roster is partial: 2 of about 5 members dated" in run.stderr
    assert _cli("members", "bank", "--year", "1982", data=mini_copy).stderr == ""
    assert "rosters of CLUB are partial" in _cli("memberships", "aaa", data=mini_copy).stderr
    assert _cli("members", "club", "--quiet", data=mini_copy).stderr == ""


def test_bundled_partial_rosters(bundled):
    assert set(bundled.partial_rosters) == {"AIIB", "ARTEMIS", "CDEM", "DFI", "FATF", "G77", "GCDI", "HACNP", "PSI"}


def test_bundled_roster_gaps_state_the_real_counts(bundled):
    """Where a roster gap says "N [states and the EU] of about M", N is the number of states in the data."""
    checked = 0
    for iid, gap in bundled.partial_rosters.items():
        m = re.match(r"(\d+) (?:states and the EU )?of about (\d+)", gap)
        if not m:
            continue
        states = {s.state for s in bundled.spells if s.institution == iid and s.status == "member"
                  and s.state != "XEU"}
        assert len(states) == int(m.group(1)), (iid, gap, len(states))
        assert int(m.group(1)) < int(m.group(2))
        checked += 1
    assert checked >= 4
