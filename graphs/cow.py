"""Import the Correlates of War IGO v3 state-year table into the multipartner data format.

COW codes every state-year-IGO cell: 1 full member, 2 associate, 3 observer, 0 no membership, -9 missing,
-1 state not in the system or IGO not in existence; before 1965 only every fifth year is coded. The import
turns runs of equal codes into spells, carrying each observation forward to the next observed year, so a
state coded a member in 1950 and 1955 is a member 1950-1959 unless 1960 says otherwise. Missing cells (-9 or
empty) are *not* read as "no membership": they end a spell, are never bridged, and are listed in
``missing.csv`` and ``KNOWN_GAPS.md`` of the output.

Citation: Pevehouse, Nordstrom, McManus and Jamison (2020), "Tracking Organizations in the World: The
Correlates of War IGO Version 3.0 Datasets", Journal of Peace Research 57(3): 492-503.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from pathlib import Path

import numpy as np

from .paths import bundled_data_dir
from .problems import DataError, Problem

COW_SOURCE = "https://correlatesofwar.org/data-sets/igos/"
STATUS_OF_CODE = {1: "member", 2: "associate", 3: "observer"}
ID_COLUMNS = ("ccode", "year", "state")


def _open_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8", errors="replace")


def read_state_year(path: str | Path):
    """The COW state-year table as a DataFrame, comma- or tab-separated, optionally gzip-compressed."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, None, "COW file not found",
                                 "pass the state-year table, e.g. state_year_format3.csv")])
    text = _open_text(path)
    first = text.split("\n", 1)[0]
    sep = "\t" if first.count("\t") > first.count(",") else ","
    df = pd.read_csv(io.StringIO(text), sep=sep, low_memory=False)
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in ID_COLUMNS if c not in df.columns]
    if missing:
        raise DataError([Problem(str(path), 1, c, first[:60], f"missing column {c!r}",
                                 "expected the COW IGO state-year table (ccode, year, state, then one column per IGO)")
                         for c in missing])
    return df


def _state_map() -> dict[int, list[tuple[int, int, str]]]:
    """COW ccode -> [(first year, last year, our code)] from the bundled cow_state_map.csv, if present."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    try:
        path = bundled_data_dir() / "cow_state_map.csv"
    except FileNotFoundError:
        return out
    if not path.is_file():
        return out
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lo = int(row["start_year"]) if row["start_year"].strip() else -10**6
            hi = int(row["end_year"]) if row["end_year"].strip() else 10**6
            out.setdefault(int(row["ccode"]), []).append((lo, hi, row["code"].strip()))
    return out


def map_ccode(cmap: dict[int, list[tuple[int, int, str]]], ccode: int, year: int) -> str | None:
    """Our state code for COW number ``ccode`` in ``year``, or None where the map does not cover it."""
    return next((k for lo, hi, k in cmap.get(int(ccode), []) if lo <= int(year) <= hi), None)


def _bundled_names() -> dict[str, str]:
    try:
        path = bundled_data_dir() / "states.csv"
        with path.open(newline="", encoding="utf-8") as fh:
            return {r["code"]: r["name"] for r in csv.DictReader(fh)}
    except (FileNotFoundError, KeyError):
        return {}


def _igo_names(path: Path | None) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    import pandas as pd

    text = _open_text(path)
    first = text.split("\n", 1)[0]
    sep = "\t" if first.count("\t") > first.count(",") else ","
    df = pd.read_csv(io.StringIO(text), sep=sep, usecols=lambda c: c in ("ioname", "longorgname"), low_memory=False)
    df = df.dropna().drop_duplicates("ioname")
    return {str(k).strip().lower(): str(v).strip() for k, v in zip(df["ioname"], df["longorgname"])}


def import_cow(path: str | Path, out: str | Path, *, igo_table: str | Path | None = None,
               map_to_iso: bool = True) -> dict:
    """Convert the COW state-year table at ``path`` into a dataset directory ``out``.

    State codes are our ISO-based codes where the bundled ``cow_state_map.csv`` maps the COW number for
    that year (so 365 becomes SUN to 1991 and RUS after), otherwise ``COW<ccode>``. Institution ids are
    the upper-cased COW abbreviations. Returns counts of what was written.
    """
    path, out = Path(path), Path(out)
    df = read_state_year(path)
    if igo_table is None:
        sibling = [p for p in path.parent.glob("igo_year_format3*") if p.is_file()]
        igo_table = sibling[0] if sibling else None
    names = _igo_names(Path(igo_table)) if igo_table else {}

    igo_cols = [c for c in df.columns if c not in ID_COLUMNS]
    ccode = df["ccode"].to_numpy(dtype=np.int64)
    year = df["year"].to_numpy(dtype=np.int64)
    values = df[igo_cols].apply(lambda s: s.astype("float64")).to_numpy()
    values = np.where(np.isnan(values), -9, values).astype(np.int64)

    obs_years = np.unique(year)
    next_obs = dict(zip(obs_years.tolist(), np.r_[obs_years[1:], obs_years[-1] + 1].tolist()))
    last_obs = int(obs_years[-1])

    # entity code of every row
    cmap = _state_map() if map_to_iso else {}
    state_name = {}
    entity = []
    for c, y, nm in zip(ccode.tolist(), year.tolist(), df["state"].astype(str).tolist()):
        code = map_ccode(cmap, c, y) or f"COW{c}"
        entity.append(code)
        state_name.setdefault(code, nm.strip().title())
    entity = np.array(entity)
    dup = {}
    for e, y, c in zip(entity.tolist(), year.tolist(), ccode.tolist()):
        if (e, y) in dup and dup[(e, y)] != c:
            raise DataError([Problem(str(path), None, "ccode", str(c),
                                     f"COW states {dup[(e, y)]} and {c} both map to {e} in {y}",
                                     "fix data/cow_state_map.csv or import with --no-iso")])
        dup[(e, y)] = c
    bundled = _bundled_names()
    for code in list(state_name):
        if code in bundled:
            state_name[code] = bundled[code]

    # spells: runs of one positive code in consecutive observed years, per (entity, IGO)
    r, k = np.nonzero(values > 0)
    order = np.lexsort((year[r], k, entity[r]))
    r, k = r[order], k[order]
    ent, yr, code = entity[r], year[r], values[r, k]
    nxt = np.array([next_obs[y] for y in yr.tolist()], dtype=np.int64)
    new_run = np.ones(len(r), dtype=bool)
    new_run[1:] = (ent[1:] != ent[:-1]) | (k[1:] != k[:-1]) | (code[1:] != code[:-1]) | (yr[1:] != nxt[:-1])
    starts = np.flatnonzero(new_run)
    ends = np.r_[starts[1:], len(r)] - 1
    spell_rows = []
    for a, b in zip(starts.tolist(), ends.tolist()):
        end_year = int(nxt[b])
        note = f"COW code {code[a]}"
        if end_year > last_obs:
            note += f"; COW coverage ends {last_obs}"
        spell_rows.append((str(ent[a]), igo_cols[k[a]].upper(), STATUS_OF_CODE.get(int(code[a]), "member"),
                           str(int(yr[a])), str(end_year), COW_SOURCE, note))

    # missing cells while the IGO exists and the state is in the system
    exists_cell = values != -1
    igo_years = {}
    for j in range(len(igo_cols)):
        ys = year[exists_cell[:, j]]
        if len(ys):
            igo_years[j] = (int(ys.min()), int(ys.max()))
    mr, mk = np.nonzero(values == -9)
    missing_rows = sorted((str(entity[a]), igo_cols[b].upper(), int(year[a])) for a, b in zip(mr.tolist(), mk.tolist()))

    # lifetimes
    state_rows = []
    ent_years: dict[str, list[int]] = {}
    for e, y in zip(entity.tolist(), year.tolist()):
        ent_years.setdefault(e, [y, y])
        ent_years[e][0] = min(ent_years[e][0], y)
        ent_years[e][1] = max(ent_years[e][1], y)
    for e in sorted(ent_years):
        lo, hi = ent_years[e]
        state_rows.append((e, "" if not e.startswith("COW") else e[3:], state_name[e], "state", "", str(lo),
                           "" if hi == last_obs else str(next_obs[hi]), "", COW_SOURCE,
                           "imported from COW IGO v3; lifetime = years in the COW table"))
    cow_of = {}
    for e, c in zip(entity.tolist(), ccode.tolist()):
        cow_of.setdefault(e, set()).add(c)
    state_rows = [(row[0], ";".join(str(c) for c in sorted(cow_of[row[0]])),) + row[2:] for row in state_rows]

    # an IGO abbreviation may equal a state code (COW's 'nam' and 'geo' vs Namibia and Georgia)
    state_codes = set(ent_years)
    igo_id = {col: col.upper() + ("_IGO" if col.upper() in state_codes else "") for col in igo_cols}
    spell_rows = [(s, igo_id[i.lower()], *rest) for s, i, *rest in spell_rows]
    missing_rows = [(s, igo_id[i.lower()], y) for s, i, y in missing_rows]

    inst_rows = []
    for j, col in enumerate(igo_cols):
        if j not in igo_years:
            continue
        lo, hi = igo_years[j]
        inst_rows.append((igo_id[col], names.get(col, col.upper()), str(lo),
                          "" if hi == last_obs else str(next_obs[hi]), "", "", "", "", "", COW_SOURCE,
                          f"COW IGO v3 column {col!r}; existence = years with any non -1 code"
                          + ("; renamed: the abbreviation is also a state code" if igo_id[col] != col.upper() else "")))

    if out.exists() and any(out.iterdir()) and not (out / "states.csv").is_file():
        raise DataError([Problem(str(out), None, None, None, "output directory exists and is not a dataset",
                                 "choose a new directory for --out (it is created)")])
    staging = out.with_name(out.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "memberships").mkdir(parents=True)
    _write(staging / "states.csv", ("code", "cow_code", "name", "kind", "region", "start", "end", "successor",
                                    "source", "note"), state_rows)
    _write(staging / "institutions.csv", ("id", "name", "founded", "dissolved", "type", "domain", "formality",
                                          "orientation", "orientation_reason", "source", "note"), inst_rows)
    _write(staging / "memberships" / "cow.csv", ("state", "institution", "status", "start", "end", "source",
                                                 "note"), spell_rows)
    _write(staging / "missing.csv", ("state", "institution", "year"), missing_rows)
    per_igo: dict[str, int] = {}
    for _, igo, _y in missing_rows:
        per_igo[igo] = per_igo.get(igo, 0) + 1
    lines = ["# Known gaps of this COW import", "",
             f"Imported from `{path.name}`. Cells coded -9 (missing) are not read as non-membership: they end",
             "spells and are listed one per row in `missing.csv`. Institution types and orientations are not in",
             "COW and are left empty, so label-based measures report them as missing.", "",
             f"{len(missing_rows)} missing state-year cells in {len(per_igo)} IGOs. Most affected:", ""]
    lines += [f"- {igo}: {n}" for igo, n in sorted(per_igo.items(), key=lambda kv: (-kv[1], kv[0]))[:25]]
    (staging / "KNOWN_GAPS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    old = out.with_name(out.name + ".old")
    if out.exists():
        out.rename(old)
    staging.rename(out)
    if old.exists():
        shutil.rmtree(old)
    return {"states": len(state_rows), "institutions": len(inst_rows), "spells": len(spell_rows),
            "missing_cells": len(missing_rows)}


def _write(path: Path, header, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
