"""Every disagreement with COW IGO v3 is explained in data/CROSSCHECK.md, and nothing else is listed there."""

import re
from pathlib import Path

import pytest

from graphs.crosscheck import crosscheck
from tests_support import cow_file

DOC = Path(__file__).resolve().parents[1] / "data" / "CROSSCHECK.md"
LABELS = {"system", "cow-error", "ours-error-fixed", "timing", "scope", "succession", "unverified"}


def documented():
    rows, inst = {}, None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^## (\S+)\s*$", line)
        if m:
            inst = m.group(1)
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if inst and line.startswith("|") and len(cells) == 6 and cells[0] not in ("state", "") \
                and not set(cells[0]) <= set("-: "):
            rows[(inst, cells[0], cells[1], cells[2])] = cells[5]
    return rows


@pytest.mark.cow
def test_every_disagreement_is_explained(bundled):
    got = {(r["institution"], r["state"], r["kind"], r["years"])
           for r in crosscheck(bundled, cow_file("state_year_format3.csv.gz"))}
    doc = documented()
    assert got - set(doc) == set(), "disagreements not explained in data/CROSSCHECK.md"
    assert set(doc) - got == set(), "rows in data/CROSSCHECK.md the cross-check no longer reports"
    for key, text in doc.items():
        label = re.match(r"\[([a-z-]+)\]", text)
        assert label and label.group(1) in LABELS, (key, text)


def test_crosscheck_on_fixture(mini, tmp_path):
    # a tiny COW-format table: CCC (COW 365 -> SUN by the bundled map is not in the fixture), so use USA/GBR codes
    src = tmp_path / "cow.csv"
    src.write_text("ccode,year,state,nato\n2,1990,usa,1\n200,1990,uk,0\n")
    from graphs.dataset import Dataset
    ds = Dataset(mini.path, mini.states, mini.institutions, mini.spells, mini.today)
    assert crosscheck(ds, src) == []     # no institution of the fixture has a COW counterpart


def test_summary_table_counts_the_labels_below_it():
    """The per-institution summary at the top of CROSSCHECK.md equals the labels of the rows in each section."""
    text = (Path(__file__).resolve().parents[1] / "data" / "CROSSCHECK.md").read_text(encoding="utf-8")
    labels = ["system", "cow-error", "ours-error-fixed", "timing", "scope", "succession", "unverified"]
    head, *sections = re.split(r"\n## ", text)
    counted = {}
    for sec in sections:
        name, body = sec.split("\n", 1)
        found = re.findall(r"^\|[^\n]*?\| \[([a-z-]+)\]", body, flags=re.M)
        if found:
            counted[name.strip()] = [found.count(lab) for lab in labels] + [len(found)]
    table = {}
    for line in head.splitlines():
        cells = [c.strip().strip("*") for c in line.strip("|").split("|")]
        if len(cells) == 9 and cells[1].isdigit():
            table[cells[0]] = [int(c) for c in cells[1:]]
    total = table.pop("all")
    assert table == counted
    assert total == [sum(col) for col in zip(*counted.values())]
