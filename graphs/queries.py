"""Who belonged to what, and when: queries that return tidy pandas DataFrames.

Each function has a ``*_rows`` twin returning plain dicts, which the command line uses so that a quick
query does not pay for importing pandas.
"""

from __future__ import annotations

from .dataset import Dataset
from .records import Spell

SPELL_COLUMNS = ["state", "institution", "status", "start", "end"]
SHARED_COLUMNS = ["institution", "name", "type", "status_a", "status_b"]


def _counting(ds: Dataset, year: int | None) -> list[bool]:
    """Which spells count at the snapshot of ``year`` (all of them for ``None``), from the dataset's arrays."""
    if year is None:
        return [True] * len(ds.spells)
    ds.check_year(year)
    return ((ds.spell_first <= year) & (year <= ds.spell_last)).tolist()


def _row(ds: Dataset, s: Spell) -> dict:
    return {"state": s.state, "institution": s.institution, "status": s.status, "start": str(s.start),
            "end": str(s.end) if s.end else "", "state_name": ds.state[s.state].name,
            "institution_name": ds.institution[s.institution].name, "source": s.source, "note": s.note}


def _spells(ds: Dataset, year: int | None, status: str | None, keep) -> list[dict]:
    out = [_row(ds, s) for s, counts in zip(ds.spells, _counting(ds, year))
           if counts and keep(s) and (status is None or s.status == status)]
    out.sort(key=lambda r: (r["state"], r["institution"], r["start"]))
    return out


def members_rows(ds: Dataset, institution: str, year: int | None = None, status: str | None = None) -> list[dict]:
    iid = ds.resolve_institution(institution)
    return _spells(ds, year, status, lambda s: s.institution == iid)


def memberships_rows(ds: Dataset, state: str, year: int | None = None, status: str | None = None) -> list[dict]:
    code = ds.resolve_state(state)
    rows = _spells(ds, year, status, lambda s: s.state == code)
    rows.sort(key=lambda r: (r["institution"], r["start"]))
    return rows


def shared_rows(ds: Dataset, state_a: str, state_b: str, year: int | None = None) -> list[dict]:
    """Institutions both states belong to at the snapshot of ``year`` (default: the latest year)."""
    a, b = ds.resolve_state(state_a), ds.resolve_state(state_b)
    year = ds.years.stop - 1 if year is None else year
    now = [s for s, counts in zip(ds.spells, _counting(ds, year)) if counts]
    of_a = {s.institution: s.status for s in now if s.state == a}
    of_b = {s.institution: s.status for s in now if s.state == b}
    return [{"institution": i, "name": ds.institution[i].name, "type": ds.institution[i].type,
             "status_a": of_a[i], "status_b": of_b[i]} for i in sorted(of_a.keys() & of_b.keys())]


def _frame(rows: list[dict], columns: list[str]):
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def members(ds: Dataset, institution: str, year: int | None = None, status: str | None = None):
    """Spells of ``institution``: every spell, or those counting at the snapshot of ``year``.

    >>> members(load_dataset(), "nato", 2024).shape[0]   # doctest: +SKIP
    32
    """
    return _frame(members_rows(ds, institution, year, status), SPELL_COLUMNS + ["state_name", "source", "note"])


def memberships(ds: Dataset, state: str, year: int | None = None, status: str | None = None):
    """Spells of ``state``: every spell, or those counting at the snapshot of ``year``."""
    return _frame(memberships_rows(ds, state, year, status),
                  SPELL_COLUMNS + ["institution_name", "source", "note"])


def shared(ds: Dataset, state_a: str, state_b: str, year: int | None = None):
    """Institutions shared by two states at the snapshot of ``year``, with each one's status."""
    return _frame(shared_rows(ds, state_a, state_b, year), SHARED_COLUMNS)
