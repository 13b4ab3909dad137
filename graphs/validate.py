"""Every check of the data format; all problems are collected, none is raised half-way."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from . import schema as S
from .csvfile import read_table
from .dates import PartialDate, parse_date
from .problems import Problem, did_you_mean
from .records import Institution, Spell, State


def _date(row, col, label, line, problems) -> PartialDate | None:
    text = row[col]
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        problems.append(Problem(label, line, col, text, f"malformed date: {exc}"))
        return None


def _choice(row, col, allowed, label, line, problems, *, required: bool = False) -> str:
    value = row[col]
    if not value:
        if required:
            problems.append(Problem(label, line, col, "", f"missing {col}", f"expected one of {', '.join(allowed)}"))
        return value
    if value not in allowed:
        hint = did_you_mean(value, allowed) or f"expected one of {', '.join(allowed)}"
        problems.append(Problem(label, line, col, value, f"unknown {col}", hint))
    return value


def _source(row, label, line, problems) -> None:
    value = row["source"]
    if value and not S.URL_RE.match(value):
        problems.append(Problem(label, line, "source", value, "source is not a URL", "expected http(s)://..."))


def _ends_before_start(start: PartialDate | None, end: PartialDate | None) -> bool:
    return start is not None and end is not None and end.latest <= start.earliest


def check_states(rows, label, problems) -> list[State]:
    states: list[State] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        code = row["code"]
        if code and not S.CODE_RE.match(code):
            problems.append(Problem(label, line, "code", code, "malformed code",
                                    "expected upper-case letters/digits, e.g. an ISO 3166 alpha-3 code like 'USA'"))
        if code in seen:
            problems.append(Problem(label, line, "code", code, f"duplicate code (first on line {seen[code]})"))
        seen.setdefault(code, line)
        cow: list[int] = []
        for part in filter(None, (p.strip() for p in row["cow_code"].split(";"))):
            if part.isdigit():
                cow.append(int(part))
            else:
                problems.append(Problem(label, line, "cow_code", row["cow_code"], "malformed COW code",
                                        "expected whole numbers separated by ';'"))
        kind = _choice(row, "kind", S.KINDS, label, line, problems)
        if row["region"]:
            _choice(row, "region", S.REGIONS, label, line, problems)
        start = _date(row, "start", label, line, problems)
        end = _date(row, "end", label, line, problems)
        if _ends_before_start(start, end):
            problems.append(Problem(label, line, "end", row["end"], f"end is not after start {row['start']}"))
        _source(row, label, line, problems)
        if start is None:
            continue
        states.append(State(
            code, tuple(cow), row["name"], kind, row["region"], start, end,
            tuple(filter(None, (s.strip() for s in row["successor"].split(";")))), row["source"], row["note"],
        ))
    known = {s.code for s in states}
    by_code_line = {r["code"]: ln for ln, r in rows}
    for s in states:
        for succ in s.successors:
            if succ not in known:
                problems.append(Problem(label, by_code_line.get(s.code), "successor", succ, "unknown successor state",
                                        did_you_mean(succ, known)))
    return states


def check_institutions(rows, label, problems, state_codes: set[str]) -> list[Institution]:
    out: list[Institution] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        iid = row["id"]
        if iid and not S.CODE_RE.match(iid):
            problems.append(Problem(label, line, "id", iid, "malformed id",
                                    "expected upper-case letters/digits/underscores, e.g. 'NATO'"))
        if iid in seen:
            problems.append(Problem(label, line, "id", iid, f"duplicate id (first on line {seen[iid]})"))
        seen.setdefault(iid, line)
        if iid in state_codes:
            problems.append(Problem(label, line, "id", iid, "institution id clashes with a state code",
                                    "choose an id that is not in states.csv"))
        founded = _date(row, "founded", label, line, problems)
        dissolved = _date(row, "dissolved", label, line, problems)
        if _ends_before_start(founded, dissolved):
            problems.append(Problem(label, line, "dissolved", row["dissolved"],
                                    f"dissolved is not after founded {row['founded']}"))
        _choice(row, "type", S.TYPES, label, line, problems)
        _choice(row, "domain", S.DOMAINS, label, line, problems)
        _choice(row, "formality", S.FORMALITIES, label, line, problems)
        _choice(row, "orientation", S.ORIENTATIONS, label, line, problems)
        if row["orientation"] and not row["orientation_reason"]:
            problems.append(Problem(label, line, "orientation_reason", "", "missing orientation_reason",
                                    "give one line justifying the orientation"))
        roster = row["roster"] or "complete"
        _choice(row, "roster", S.ROSTERS, label, line, problems)
        if roster == "partial" and not row["roster_gap"]:
            problems.append(Problem(label, line, "roster_gap", "", "missing roster_gap for a partial roster",
                                    "say in one line what is missing, e.g. '48 of about 116 endorsers dated'"))
        if row["roster_gap"] and roster != "partial":
            problems.append(Problem(label, line, "roster", row["roster"], "roster_gap given but roster is not 'partial'",
                                    "set roster to 'partial' or empty roster_gap"))
        _source(row, label, line, problems)
        if founded is None:
            continue
        out.append(Institution(
            iid, row["name"], founded, dissolved, row["type"], row["domain"], row["formality"],
            row["orientation"], row["orientation_reason"], row["source"], row["note"],
            roster if roster in S.ROSTERS else "complete", row["roster_gap"],
        ))
    return out


def check_memberships(
    files: list[tuple[str, list]], problems: list[Problem],
    states: dict[str, State], institutions: dict[str, Institution],
) -> list[Spell]:
    spells: list[Spell] = []
    state_names = {c: s.name for c, s in states.items()}
    inst_names = {i: x.name for i, x in institutions.items()}
    seen: dict[tuple, tuple[str, int]] = {}
    for label, rows in files:
        for line, row in rows:
            code, iid = row["state"], row["institution"]
            ok = True
            if code and code not in states:
                ok = False
                problems.append(Problem(label, line, "state", code, "unknown state",
                                        did_you_mean(code, states, names=state_names)))
            if iid and iid not in institutions:
                ok = False
                problems.append(Problem(label, line, "institution", iid, "unknown institution",
                                        did_you_mean(iid, institutions, names=inst_names)))
            status = _choice(row, "status", S.STATUSES, label, line, problems)
            ok &= status in S.STATUSES
            start = _date(row, "start", label, line, problems)
            end = _date(row, "end", label, line, problems)
            ok &= start is not None and (end is not None or not row["end"])
            if _ends_before_start(start, end):
                ok = False
                problems.append(Problem(label, line, "end", row["end"], f"end is not after start {row['start']}"))
            _source(row, label, line, problems)
            key = (code, iid, status, row["start"], row["end"])
            if key in seen:
                f, ln = seen[key]
                problems.append(Problem(label, line, None, ",".join(key),
                                        f"duplicate row (same as {f}:{ln})"))
                continue
            seen[key] = (label, line)
            if not ok:
                continue
            spell = Spell(code, iid, status, start, end, row["source"], row["note"], label, line)
            _check_lifetime(spell, states[code].start, states[code].end, f"state {code}", problems)
            inst = institutions[iid]
            _check_lifetime(spell, inst.founded, inst.dissolved, f"institution {iid}", problems)
            spells.append(spell)
    _check_overlaps(spells, problems)
    return spells


def _check_lifetime(spell: Spell, born: PartialDate, died: PartialDate | None, who: str,
                    problems: list[Problem]) -> None:
    life = f"{born}–{died or 'today'}"
    if spell.start.latest < born.earliest:
        problems.append(Problem(spell.file, spell.line, "start", str(spell.start),
                                f"spell starts before {who} existed ({life})"))
    if died is not None:
        if spell.start.earliest >= died.latest:
            problems.append(Problem(spell.file, spell.line, "start", str(spell.start),
                                    f"spell starts after {who} ceased to exist ({life})"))
        elif spell.end is None:
            problems.append(Problem(spell.file, spell.line, "end", "",
                                    f"spell is open but {who} ceased to exist on {died}",
                                    f"end the spell on or before {died}"))
        elif spell.end.earliest > died.latest:
            problems.append(Problem(spell.file, spell.line, "end", str(spell.end),
                                    f"spell ends after {who} ceased to exist ({life})"))


def _check_overlaps(spells: list[Spell], problems: list[Problem]) -> None:
    groups: dict[tuple[str, str], list[Spell]] = defaultdict(list)
    for sp in spells:
        groups[(sp.state, sp.institution)].append(sp)
    for (code, iid), group in groups.items():
        group.sort(key=lambda s: (s.start.earliest, s.start.latest))
        for a, b in zip(group, group[1:]):
            if a.end is None or b.start.latest < a.end.earliest:
                problems.append(Problem(
                    b.file, b.line, "start", str(b.start),
                    f"spell of {code} in {iid} overlaps the spell on {a.file}:{a.line} "
                    f"({a.status} {a.start}–{a.end or 'open'})",
                    "end the earlier spell on or before this start",
                ))


def check_dataset(path: Path) -> tuple[list[Problem], list[State], list[Institution], list[Spell]]:
    """Read and check a dataset directory; return every problem and whatever could be parsed."""
    problems: list[Problem] = []
    path = Path(path)
    if not path.is_dir():
        problems.append(Problem(str(path), None, None, None, "data directory not found",
                                "pass --data DIR with states.csv, institutions.csv and memberships/"))
        return problems, [], [], []

    def label(p: Path) -> str:
        return str(p.relative_to(path)) if p.is_relative_to(path) else str(p)

    st_path = path / S.STATES_FILE
    in_path = path / S.INSTITUTIONS_FILE
    for p in (st_path, in_path):
        if not p.is_file():
            problems.append(Problem(label(p), None, None, None, "required file is missing"))
    st_rows = read_table(st_path, S.STATE_COLUMNS, S.STATE_REQUIRED, label(st_path), problems) if st_path.is_file() else []
    states = check_states(st_rows, label(st_path), problems)
    in_rows = read_table(in_path, S.INSTITUTION_COLUMNS, S.INSTITUTION_REQUIRED, label(in_path),
                         problems, S.INSTITUTION_OPTIONAL) if in_path.is_file() else []
    institutions = check_institutions(in_rows, label(in_path), problems, {s.code for s in states})

    mem_dir = path / S.MEMBERSHIPS_DIR
    mem_files = sorted(mem_dir.glob("*.csv")) if mem_dir.is_dir() else []
    if not mem_files:
        problems.append(Problem(label(mem_dir), None, None, None, "no membership files",
                                "expected memberships/*.csv"))
    tables = [(label(f), read_table(f, S.MEMBERSHIP_COLUMNS, S.MEMBERSHIP_REQUIRED, label(f), problems))
              for f in mem_files]
    spells = check_memberships(tables, problems, {s.code: s for s in states},
                               {i.id: i for i in institutions})
    return problems, states, institutions, spells
