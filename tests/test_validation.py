"""Every validation error, by message; all problems at once; exit status 2; inputs untouched."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from graphs import DataError, load_dataset
from graphs.validate import check_dataset


def problems_of(path):
    problems, *_ = check_dataset(path)
    return problems


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


def messages(path):
    return [str(p) for p in problems_of(path)]


def test_fixture_is_valid(mini_copy):
    assert problems_of(mini_copy) == []


def test_unknown_state_with_did_you_mean(mini_copy):
    append(mini_copy / "memberships" / "others.csv", "AAB,CLUB,member,1990,,https://x.org,\n")
    (p,) = problems_of(mini_copy)
    assert (p.file, p.line, p.column, p.value) == ("memberships/others.csv", 12, "state", "AAB")
    assert p.message == "unknown state" and "'AAA'" in p.hint


def test_unknown_institution_did_you_mean_by_name(mini_copy):
    append(mini_copy / "memberships" / "others.csv", "AAA,CLUBB,member,1990,,https://x.org,\n")
    (p,) = problems_of(mini_copy)
    assert p.message == "unknown institution" and p.hint == "did you mean 'CLUB'?"


def test_end_before_start(mini_copy):
    append(mini_copy / "memberships" / "others.csv", "EEE,BANK,member,1990-05-01,1990-04-30,https://x.org,\n")
    (p,) = problems_of(mini_copy)
    assert p.column == "end" and p.message == "end is not after start 1990-05-01"


def test_overlapping_spells(mini_copy):
    append(mini_copy / "memberships" / "others.csv", "AAA,CLUB,observer,1960,1970,https://x.org,\n")
    (p,) = problems_of(mini_copy)
    assert "overlaps the spell on memberships/others.csv:2" in p.message


def test_adjacent_spells_do_not_overlap(mini_copy):
    # EEE's observer spell ends on the day its member spell starts: that is a status change, not an overlap
    assert problems_of(mini_copy) == []


def test_spell_outside_institution_lifetime(mini_copy):
    append(mini_copy / "memberships" / "others.csv", "EEE,FORUM,member,1999,2000,https://x.org,\n")
    append(mini_copy / "memberships" / "others.csv", "EEE,PACT,member,1990,,https://x.org,\n")
    msgs = messages(mini_copy)
    assert any("spell starts before institution FORUM existed (2001-06-15–today)" in m for m in msgs)
    assert any("spell is open but institution PACT ceased to exist on 1991-07-01" in m for m in msgs)


def test_spell_outside_state_lifetime(mini_copy):
    append(mini_copy / "memberships" / "others.csv", "DDD,CLUB,member,1980,,https://x.org,\n")
    append(mini_copy / "memberships" / "others.csv", "CCC,CLUB,member,1960,1995,https://x.org,\n")
    msgs = messages(mini_copy)
    assert any("spell starts before state DDD existed" in m for m in msgs)
    assert any("spell ends after state CCC ceased to exist" in m for m in msgs)


def test_duplicate_rows(mini_copy):
    append(mini_copy / "memberships" / "others.csv", "AAA,CLUB,member,1949-08-24,,https://other.org,\n")
    msgs = messages(mini_copy)
    assert any("duplicate row (same as memberships/others.csv:2)" in m for m in msgs)


def test_malformed_dates(mini_copy):
    append(mini_copy / "memberships" / "others.csv", "EEE,BANK,member,1990-13-01,,https://x.org,\n")
    append(mini_copy / "memberships" / "others.csv", "EEE,BANK,member,2001-02-30,,https://x.org,\n")
    append(mini_copy / "memberships" / "others.csv", "EEE,BANK,member,31/12/2001,,https://x.org,\n")
    msgs = messages(mini_copy)
    assert any("[start]: malformed date: month must be 01-12 (found '1990-13-01')" in m for m in msgs)
    assert any("2001-02 has no day 30" in m for m in msgs)
    assert any("expected a date as YYYY, YYYY-MM or YYYY-MM-DD (found '31/12/2001')" in m for m in msgs)


def test_unknown_status(mini_copy):
    append(mini_copy / "memberships" / "others.csv", "EEE,BANK,membr,1990,,https://x.org,\n")
    (p,) = problems_of(mini_copy)
    assert p.message == "unknown status" and p.hint == "did you mean 'member'?"


def test_missing_source(mini_copy):
    append(mini_copy / "memberships" / "others.csv", "EEE,BANK,member,1990,,,\n")
    (p,) = problems_of(mini_copy)
    assert (p.column, p.message) == ("source", "missing source")


def test_wrong_header(mini_copy):
    path = mini_copy / "memberships" / "others.csv"
    text = path.read_text().replace("state,institution,status", "state,instituion,status", 1)
    path.write_text(text)
    msgs = messages(mini_copy)
    assert any("[instituion]: unknown column (found 'instituion'); did you mean 'institution'?" in m for m in msgs)
    assert any("missing column 'institution'" in m for m in msgs)


def test_missing_header(mini_copy):
    path = mini_copy / "memberships" / "others.csv"
    path.write_text("\n".join(path.read_text().splitlines()[1:]) + "\n")
    (p,) = problems_of(mini_copy)
    assert p.message == "missing header row" and p.line == 1


def test_wrong_encoding(mini_copy):
    path = mini_copy / "memberships" / "others.csv"
    path.write_bytes(path.read_bytes() + "EEE,BANK,member,1990,,https://x.org,C\xf4te\n".encode("latin-1"))
    (p,) = problems_of(mini_copy)
    assert p.message == "file is not valid UTF-8" and p.line == 12


def test_all_problems_listed_at_once(mini_copy):
    append(mini_copy / "memberships" / "others.csv", "AAB,CLUB,member,1990,,https://x.org,\n"
                                                     "EEE,BANK,membr,1990,,https://x.org,\n"
                                                     "EEE,BANK,member,1990-13,,,\n")
    append(mini_copy / "institutions.csv", "NEW,New,2000,,clubb,security,treaty,western-led,x,https://x.org,\n")
    with pytest.raises(DataError) as exc:
        load_dataset(mini_copy)
    kinds = {(p.file, p.message) for p in exc.value.problems}
    assert ("memberships/others.csv", "unknown state") in kinds
    assert ("memberships/others.csv", "unknown status") in kinds
    assert ("memberships/others.csv", "missing source") in kinds
    assert ("institutions.csv", "unknown type") in kinds
    assert len(exc.value.problems) >= 5


def test_cli_exit_2_no_traceback_and_input_untouched(mini_copy):
    path = mini_copy / "memberships" / "others.csv"
    append(path, "AAB,CLUB,member,1990,,https://x.org,\n")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    run = subprocess.run([sys.executable, "-m", "graphs.cli", "validate", "--data", str(mini_copy)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "memberships/others.csv:12 [state]: unknown state (found 'AAB'); did you mean 'AAA'?" in run.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_cli_unknown_id_and_bad_year_exit_2():
    MINI = Path(__file__).parent / "fixtures" / "mini"
    for args in (["members", "CLUBB"], ["memberships", "AAAA"], ["members", "CLUB", "--year", "1700"],
                 ["members", "CLUB", "--status", "memebr"]):
        run = subprocess.run([sys.executable, "-m", "graphs.cli", *args, "--data", str(MINI)],
                             capture_output=True, text=True)
        assert run.returncode == 2, args
        assert "Traceback" not in run.stderr and run.stderr.startswith("error:"), run.stderr


def test_institution_id_must_not_clash_with_state(mini_copy):
    append(mini_copy / "institutions.csv", "AAA,Clash,2000,,club,security,treaty,western-led,x,https://x.org,\n")
    msgs = messages(mini_copy)
    assert any("institution id clashes with a state code" in m for m in msgs)


def test_many_identical_problems_are_summarised(mini_copy):
    rows = "".join(f"EEE,NOPE,member,{1990 + k},{1991 + k},https://x.org,\n" for k in range(12))
    append(mini_copy / "memberships" / "others.csv", rows)
    with pytest.raises(DataError) as exc:
        load_dataset(mini_copy)
    assert len(exc.value.problems) == 12
    assert "memberships/others.csv:12,13,14,15,16,17,18,19,… (12 rows) [institution]" in str(exc.value)
