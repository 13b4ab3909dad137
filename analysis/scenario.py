"""What-if scenarios: membership edits applied to a dataset in memory, validated with every problem at once.

A :class:`Scenario` is a sequence of edits — :class:`Join`, :class:`Leave`, :class:`ChangeStatus`,
:class:`Create` (a new institution with its members) and :class:`Dissolve` — applied in order by
:func:`apply_scenario`, which returns a *new* :class:`graphs.Dataset`; the original is never modified.

Every edit takes effect on a date: its own ``date``, else the scenario's ``date``, else the snapshot date of
the analysis year (31 December, or today for the current year), so the edit shows in that year's snapshot and
the baseline and the scenario are compared for the same year. A date is a point ``d`` = the earliest day of a
(possibly partial) date, and a spell ``[start, end)`` holds on ``d`` when ``start <= d < end`` — the reading
the yearly snapshot uses (:mod:`graphs.dates`). Effects on the spells:

* join ``d``: a new spell ``[d, e)``, where ``e`` is the start of the state's next spell in the institution,
  or the day the state or the institution ceases to exist, or open;
* leave ``d``: the spell holding on ``d`` ends on ``d`` (it disappears if it began on ``d``); later spells
  in the data (a rejoining) are kept;
* change-status ``d``: the spell holding on ``d`` ends on ``d`` and one with the new status runs on to its end;
* create ``d``: an institution founded on ``d`` whose members join on ``d``;
* dissolve ``d``: the institution is dissolved on ``d``; spells holding on ``d`` end then, later ones are
  dropped; dissolving on the founding day removes the institution altogether.

So a join and a leave on the same date undo each other exactly, and so do a create and a dissolve.

>>> from graphs import load_dataset                                        # doctest: +SKIP
>>> s = Scenario("Ukraine joins NATO", [Join("UKR", "NATO")])               # doctest: +SKIP
>>> applied = apply_scenario(load_dataset(), s, 2024)                       # doctest: +SKIP
>>> ("UKR", "NATO") in {(x.state, x.institution) for x in applied.dataset.spells}   # doctest: +SKIP
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar, NamedTuple

from graphs import schema as S
from graphs.dataset import Dataset
from graphs.dates import PartialDate, parse_date, snapshot_date
from graphs.problems import DataError, Problem, did_you_mean
from graphs.records import Institution, Spell

ACTIONS = ("join", "leave", "change-status", "create", "dissolve")


def _as_tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@dataclass(frozen=True)
class Edit:
    """Fields every edit has (keyword-only): ``date`` (a :class:`PartialDate`, ``"YYYY[-MM[-DD]]"``, a
    ``datetime.date`` or an int year; None for the scenario's default), ``note``, and ``lines`` (where each field
    was written in a scenario file, for error messages: ``{"": line of the edit, "states[0]": ..., ...}``)."""

    date: object = field(default=None, kw_only=True)
    note: str = field(default="", kw_only=True)
    lines: Mapping[str, int] = field(default_factory=dict, kw_only=True, compare=False, repr=False)
    action: ClassVar[str] = ""

    def line(self, key: str = "") -> int | None:
        """The line of ``key`` in the scenario file, else of its field, else of the edit."""
        return self.lines.get(key, self.lines.get(key.split("[")[0], self.lines.get("")))


@dataclass(frozen=True)
class Join(Edit):
    """``states`` join ``institution`` with ``status`` (default ``member``), until ``until`` if given (else
    until their next spell there, or the end of the state or institution, or open)."""

    states: tuple[str, ...]
    institution: str
    status: str = "member"
    until: object = None
    action: ClassVar[str] = "join"

    def __post_init__(self):
        object.__setattr__(self, "states", _as_tuple(self.states))


@dataclass(frozen=True)
class Leave(Edit):
    """``states`` leave ``institution`` (whatever their status there)."""

    states: tuple[str, ...]
    institution: str
    action: ClassVar[str] = "leave"

    def __post_init__(self):
        object.__setattr__(self, "states", _as_tuple(self.states))


@dataclass(frozen=True)
class ChangeStatus(Edit):
    """``states`` change their status in ``institution`` to ``status`` (e.g. member -> suspended)."""

    states: tuple[str, ...]
    institution: str
    status: str
    action: ClassVar[str] = "change-status"

    def __post_init__(self):
        object.__setattr__(self, "states", _as_tuple(self.states))


@dataclass(frozen=True)
class Create(Edit):
    """A new institution ``institution`` (an id not yet in the data) founded with ``members`` as full members.

    ``type`` is one of the four models or ``regional`` (it sets the ring in the concentric circles);
    ``orientation`` (empty: unlabelled) feeds the orientation balance of the multialignment index.
    """

    institution: str
    members: tuple[str, ...]
    name: str = ""
    type: str = "coalition"
    domain: str = "general"
    formality: str = "informal"
    orientation: str = ""
    action: ClassVar[str] = "create"

    def __post_init__(self):
        object.__setattr__(self, "members", _as_tuple(self.members))


@dataclass(frozen=True)
class Dissolve(Edit):
    """``institution`` is dissolved: every membership in it ends."""

    institution: str
    action: ClassVar[str] = "dissolve"


@dataclass(frozen=True)
class Scenario:
    """A named sequence of edits. ``year`` is the default analysis year, ``date`` the default date of every
    edit, ``focus`` the focal states of the ring comparison; ``source`` names the scenario in messages (its
    file) and ``problems`` holds what was wrong in the file (reported by :func:`apply_scenario` together
    with the problems found against the dataset)."""

    name: str
    edits: Sequence[Edit]
    description: str = ""
    year: int | None = None
    date: object = None
    focus: tuple[str, ...] = ()
    source: str = "scenario"
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    problems: tuple[Problem, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "edits", tuple(self.edits))
        object.__setattr__(self, "focus", _as_tuple(self.focus))


class Applied(NamedTuple):
    """The edited dataset and one row per change made (``step, action, state, institution, status, date,
    change``)."""

    dataset: Dataset
    changes: list[dict]


def to_partial_date(value) -> PartialDate:
    """A :class:`PartialDate` from a PartialDate, a ``datetime.date``, an int year or ``"YYYY[-MM[-DD]]"``;
    ``ValueError`` with the reason otherwise."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        return parse_date(f"{value:04d}")
    if isinstance(value, str):
        return parse_date(value.strip())
    raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")


def _span(start: PartialDate, end: PartialDate | None) -> str:
    return f"{start}–{end or 'open'}"


def _holds(spell: Spell, d: dt.date) -> bool:
    return spell.start.earliest <= d and (spell.end is None or d < spell.end.earliest)


class _Editor:
    """The working copy: spells and institutions being edited, and the problems found so far."""

    def __init__(self, ds: Dataset, scenario: Scenario, year: int):
        self.ds, self.sc, self.year = ds, scenario, year
        self.snapshot = snapshot_date(year, ds.today)
        self.spells: list[Spell | None] = list(ds.spells)
        self.by_pair: dict[tuple[str, str], list[int]] = {}
        for k, s in enumerate(self.spells):
            self.by_pair.setdefault((s.state, s.institution), []).append(k)
        self.institutions: dict[str, Institution | None] = dict(ds.institution)
        self.state_names = {c: s.name for c, s in ds.state.items()}
        self.problems: list[Problem] = list(scenario.problems)
        self.changes: list[dict] = []
        self.failed_creates: set[str] = set()
        self.default_date = self._scenario_date()

    # ---- problems and lookups ---------------------------------------------------------------------------
    def problem(self, edit: Edit | None, n: int, key: str, value, message: str, hint: str | None = None) -> None:
        line = edit.line(key) if edit is not None else self.sc.lines.get(key)
        column = f"edit {n}: {key}" if edit is not None else key
        self.problems.append(Problem(self.sc.source, line, column, None if value is None else str(value),
                                     message, hint))

    def _scenario_date(self) -> PartialDate:
        if self.sc.date is None:
            return PartialDate(self.snapshot.year, self.snapshot.month, self.snapshot.day)
        d = self._check_date(None, 0, "date", self.sc.date)
        return d or PartialDate(self.snapshot.year, self.snapshot.month, self.snapshot.day)

    def _check_date(self, edit, n, key, value) -> PartialDate | None:
        try:
            d = to_partial_date(value)
        except ValueError as exc:
            self.problem(edit, n, key, value, f"malformed date: {exc}")
            return None
        if d.earliest > self.snapshot:
            self.problem(edit, n, key, d, f"date is after the {self.year} snapshot ({self.snapshot}), so the "
                         "edit would not show in the comparison",
                         f"use a date on or before {self.snapshot}, or compare a later year")
            return None
        return d

    def date_of(self, edit: Edit, n: int) -> PartialDate | None:
        return self.default_date if edit.date is None else self._check_date(edit, n, "date", edit.date)

    def state(self, edit, n, key, text, d: PartialDate | None) -> str | None:
        """The state code for ``text``, if it exists and is alive on ``d``; else a problem and None."""
        code = _lookup(text, self.ds.state, self.state_names)
        if code is None:
            self.problem(edit, n, key, text, "unknown state", did_you_mean(str(text), self.ds.state,
                                                                            names=self.state_names))
            return None
        st = self.ds.state[code]
        if d is not None and not (st.start.earliest <= d.earliest and (st.end is None or d.earliest < st.end.earliest)):
            self.problem(edit, n, key, text, f"{code} did not exist on {d}",
                         f"{st.name} existed {st.start}–{st.end or 'today'}")
            return None
        return code

    def institution(self, edit, n, key, text, d: PartialDate | None) -> str | None:
        live = {i: x for i, x in self.institutions.items() if x is not None}
        code = _lookup(text, live, {i: x.name for i, x in live.items()})
        if code is None:
            if str(text).strip().upper() not in self.failed_creates:
                self.problem(edit, n, key, text, "unknown institution",
                             did_you_mean(str(text), live, names={i: x.name for i, x in live.items()}))
            return None
        inst = live[code]
        if d is not None and not (inst.founded.earliest <= d.earliest
                                  and (inst.dissolved is None or d.earliest < inst.dissolved.earliest)):
            self.problem(edit, n, key, text, f"{code} did not exist on {d}",
                         f"{inst.name} existed {inst.founded}–{inst.dissolved or 'today'}")
            return None
        return code

    def status(self, edit, n, value) -> str | None:
        if value not in S.STATUSES:
            self.problem(edit, n, "status", value, "unknown status",
                         did_you_mean(str(value), S.STATUSES) or f"expected one of {', '.join(S.STATUSES)}")
            return None
        return value

    def each_state(self, edit, n, key, texts, d):
        """Resolved (key, code) of the states of an edit, each once; problems for the others."""
        seen: dict[str, str] = {}
        if not texts:
            self.problem(edit, n, key, None, f"{edit.action} needs at least one state",
                         f"give {key}: [ISO3, ...]")
        for j, text in enumerate(texts):
            k = f"{key}[{j}]"
            code = self.state(edit, n, k, text, d)
            if code is None:
                continue
            if code in seen:
                self.problem(edit, n, k, text, f"{code} is listed twice in this edit")
                continue
            seen[code] = k
            yield k, code

    # ---- spells -----------------------------------------------------------------------------------------
    def pair_spells(self, state: str, inst: str) -> list[int]:
        ks = [k for k in self.by_pair.get((state, inst), []) if self.spells[k] is not None]
        return sorted(ks, key=lambda k: (self.spells[k].start.earliest, self.spells[k].start.latest))

    def holding(self, state, inst, d: PartialDate) -> int | None:
        for k in self.pair_spells(state, inst):
            if _holds(self.spells[k], d.earliest):
                return k
        return None

    def describe_spells(self, state, inst) -> str:
        ks = self.pair_spells(state, inst)
        if not ks:
            return f"{state} never belonged to {inst} in the data"
        return f"its spells in {inst}: " + "; ".join(
            f"{self.spells[k].status} {_span(self.spells[k].start, self.spells[k].end)}" for k in ks)

    def add(self, spell: Spell) -> None:
        self.spells.append(spell)
        self.by_pair.setdefault((spell.state, spell.institution), []).append(len(self.spells) - 1)

    def end_at(self, k: int, d: PartialDate) -> None:
        """End spell ``k`` on ``d``; drop it if it began on that day."""
        s = self.spells[k]
        self.spells[k] = None if d.earliest <= s.start.earliest else replace(s, end=d)

    def new_spell(self, edit, n, state, inst, status, d: PartialDate, end: PartialDate | None) -> Spell:
        return Spell(state, inst, status, d, end, f"what-if: {self.sc.source}",
                     f"what-if: {self.sc.name}" + (f" ({edit.note})" if edit.note else ""),
                     self.sc.source, edit.line() or 0)

    def join_end(self, state, inst, d: PartialDate) -> PartialDate | None:
        """Where a spell joined on ``d`` ends: the next spell's start, or the end of the state or institution."""
        ends = [self.spells[k].start for k in self.pair_spells(state, inst)
                if self.spells[k].start.earliest > d.earliest]
        for life_end in (self.ds.state[state].end, self.institutions[inst].dissolved):
            if life_end is not None:
                ends.append(life_end)
        return min(ends, key=lambda p: p.earliest) if ends else None

    def log(self, n, edit, state, inst, status, d, change) -> None:
        self.changes.append({"step": n, "action": edit.action, "state": state, "institution": inst,
                             "status": status, "date": str(d), "change": change})

    # ---- the edits ----------------------------------------------------------------------------------------
    def join(self, n: int, e: Join, d, inst=None, status=None) -> None:
        inst = inst or self.institution(e, n, "institution", e.institution, d)
        status = status or self.status(e, n, e.status)
        key = "members" if isinstance(e, Create) else "states"
        until = self.until(e, n, d)
        for k, code in self.each_state(e, n, key, e.members if isinstance(e, Create) else e.states, d):
            if inst is None or status is None or d is None or until is False:
                continue
            held = self.holding(code, inst, d)
            if held is not None:
                s = self.spells[held]
                self.problem(e, n, k, code, f"{code} is already {s.status} of {inst} on {d} (joining twice)",
                             f"its spell {_span(s.start, s.end)} is on {s.file}:{s.line}"
                             + ("; use action change-status to change its status" if s.status != status else ""))
                continue
            end = self.join_end(code, inst, d)
            if until is not None:
                if end is not None and end.earliest < until.earliest:
                    self.problem(e, n, "until", until, f"{code} cannot stay in {inst} until {until}: its "
                                 f"membership would run into {end}",
                                 "its next spell there, or the end of the state or institution, comes first")
                    continue
                end = until
            self.add(self.new_spell(e, n, code, inst, status, d, end))
            self.log(n, e, code, inst, status, d, f"joins as {status} from {d}" + (f" until {end}" if end else ""))

    def until(self, e, n, d):
        """The ``until`` date of a join (None if open, False if it is wrong)."""
        if not isinstance(e, Join) or e.until is None:
            return None
        try:
            u = to_partial_date(e.until)
        except ValueError as exc:
            self.problem(e, n, "until", e.until, f"malformed date: {exc}")
            return False
        if d is not None and u.earliest <= d.earliest:
            self.problem(e, n, "until", u, f"until is not after the date of the edit ({d})")
            return False
        return u

    def leave(self, n: int, e: Leave, d) -> None:
        inst = self.institution(e, n, "institution", e.institution, d)
        for k, code in self.each_state(e, n, "states", e.states, d):
            if inst is None or d is None:
                continue
            held = self.holding(code, inst, d)
            if held is None:
                self.problem(e, n, k, code, f"{code} is not in {inst} on {d}, so it cannot leave",
                             self.describe_spells(code, inst))
                continue
            s = self.spells[held]
            self.end_at(held, d)
            self.log(n, e, code, inst, s.status, d, f"{s.status} spell {_span(s.start, s.end)} ends on {d}")

    def change_status(self, n: int, e: ChangeStatus, d) -> None:
        inst = self.institution(e, n, "institution", e.institution, d)
        status = self.status(e, n, e.status)
        for k, code in self.each_state(e, n, "states", e.states, d):
            if inst is None or status is None or d is None:
                continue
            held = self.holding(code, inst, d)
            if held is None:
                self.problem(e, n, k, code, f"{code} is not in {inst} on {d}, so its status cannot change",
                             self.describe_spells(code, inst) + "; use action join")
                continue
            s = self.spells[held]
            if s.status == status:
                self.problem(e, n, k, code, f"{code} is already {status} of {inst} on {d}")
                continue
            self.end_at(held, d)
            self.add(self.new_spell(e, n, code, inst, status, d, s.end))
            self.log(n, e, code, inst, status, d, f"{s.status} -> {status} from {d}")

    def create(self, n: int, e: Create, d) -> None:
        iid = str(e.institution).strip().upper()
        ok = d is not None
        if iid in self.institutions:
            self.problem(e, n, "institution", e.institution, f"institution {iid} already exists",
                         "choose a new id, or use join to add members to it")
            ok = False
        elif not S.CODE_RE.match(iid):
            self.problem(e, n, "institution", e.institution, "malformed institution id",
                         "expected upper-case letters/digits/underscores, e.g. 'TEN'")
            ok = False
        elif iid in self.ds.state:
            self.problem(e, n, "institution", e.institution, "institution id clashes with a state code",
                         "choose an id that is not a state code")
            ok = False
        for key, allowed, empty_ok in (("type", S.TYPES, False), ("domain", S.DOMAINS, False),
                                       ("formality", S.FORMALITIES, False), ("orientation", S.ORIENTATIONS, True)):
            value = getattr(e, key)
            if (value or not empty_ok) and value not in allowed:
                self.problem(e, n, key, value, f"unknown {key}",
                             did_you_mean(str(value), allowed) or f"expected one of {', '.join(allowed)}")
                ok = False
        if not ok:
            self.failed_creates.add(iid)
            list(self.each_state(e, n, "members", e.members, d))      # still report unknown members
            return
        self.institutions[iid] = Institution(
            iid, e.name or iid, d, None, e.type, e.domain, e.formality, e.orientation,
            f"what-if scenario {self.sc.name!r}" if e.orientation else "", f"what-if: {self.sc.source}", e.note)
        self.log(n, e, "", iid, "", d, f"{iid} founded on {d}")
        self.join(n, e, d, inst=iid, status="member")

    def dissolve(self, n: int, e: Dissolve, d) -> None:
        inst = self.institution(e, n, "institution", e.institution, d)
        if inst is None or d is None:
            return
        old = self.institutions[inst]
        gone = d.earliest <= old.founded.earliest
        self.institutions[inst] = None if gone else replace(old, dissolved=d)
        ended = 0
        for (state, i), ks in self.by_pair.items():
            if i != inst:
                continue
            for k in ks:
                s = self.spells[k]
                if s is None:
                    continue
                if s.start.earliest >= d.earliest:
                    self.spells[k] = None
                elif s.end is None or s.end.earliest > d.earliest:
                    self.end_at(k, d)
                    ended += 1
        self.log(n, e, "", inst, "", d, f"{inst} removed" if gone else
                 f"{inst} dissolved on {d}; {ended} membership{'s' if ended != 1 else ''} end")

    def focus(self) -> None:
        for j, text in enumerate(self.sc.focus):
            self.state(None, 0, f"focus[{j}]", text, PartialDate(self.snapshot.year, self.snapshot.month,
                                                                   self.snapshot.day))

    def run(self) -> Applied:
        handlers = {"join": self.join, "leave": self.leave, "change-status": self.change_status,
                    "create": self.create, "dissolve": self.dissolve}
        for n, edit in enumerate(self.sc.edits, start=1):
            if edit.action not in handlers:
                self.problem(edit, n, "action", edit.action, "unknown action", did_you_mean(edit.action, ACTIONS))
                continue
            handlers[edit.action](n, edit, self.date_of(edit, n))
        self.focus()
        if self.problems:      # in file order, so the messages read top to bottom
            raise DataError(sorted(self.problems, key=lambda p: (p.line is None, p.line or 0)))
        institutions = [i for i in self.institutions.values() if i is not None]
        spells = [s for s in self.spells if s is not None]
        return Applied(Dataset(self.ds.path, list(self.ds.states), institutions, spells, self.ds.today),
                       self.changes)


def _lookup(text, table: Mapping, names: Mapping[str, str]) -> str | None:
    """The key of ``table`` matching ``text`` as an id (any case) or a full name; None if none does."""
    if not isinstance(text, str):
        return None
    key = text.strip().upper()
    if key in table:
        return key
    by_name = {n.lower(): c for c, n in names.items()}
    return by_name.get(text.strip().lower())


def analysis_year(ds: Dataset, scenario: Scenario, year: int | None = None) -> int:
    """The year compared: ``year``, else the scenario's ``year``, else the latest year of the data."""
    y = year if year is not None else scenario.year if scenario.year is not None else ds.years.stop - 1
    return ds.check_year(y)


def apply_scenario(ds: Dataset, scenario: Scenario, year: int | None = None) -> Applied:
    """Apply ``scenario``'s edits in order to a copy of ``ds``, as of the snapshot of ``year``.

    Raises :class:`DataError` listing every problem — in the scenario file and against the data — at once:
    unknown states or institutions (with a did-you-mean), states or institutions that do not exist on the
    edit's date, joining twice, leaving an institution the state is not in, an unchanged status, malformed
    dates or dates after the snapshot, a new institution id that is taken. ``ds`` is not modified.

    >>> Join("ukr", "nato").states
    ('ukr',)
    """
    y = analysis_year(ds, scenario, year)
    return _Editor(ds, scenario, y).run()


__all__ = ["ACTIONS", "Applied", "ChangeStatus", "Create", "Dissolve", "Edit", "Join", "Leave", "Scenario",
           "analysis_year", "apply_scenario", "to_partial_date"]
