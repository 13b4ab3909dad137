"""A validated dataset: states, institutions and membership spells, with array views for the graph layer."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from . import schema as S
from .dates import PartialDate, first_year, last_year, parse_date
from .paths import bundled_data_dir
from .problems import DataError, Problem, did_you_mean
from .records import Institution, Spell, State
from .validate import check_dataset


def default_today() -> dt.date:
    """Today, or the date in ``MULTIPARTNER_TODAY`` (YYYY-MM-DD) for reproducible runs."""
    fixed = os.environ.get("MULTIPARTNER_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


@dataclass(frozen=True)
class StatusWeights:
    """Tie weight of each membership status; statuses with weight 0 are attributes, not ties.

    The default counts full members only: associates, observers, partners and dialogue partners are
    kept as attributes, and a suspended member has no tie while suspended.
    """

    member: float = 1.0
    associate: float = 0.0
    observer: float = 0.0
    partner: float = 0.0
    dialogue_partner: float = 0.0
    suspended: float = 0.0

    def as_array(self) -> np.ndarray:
        return np.array([getattr(self, s.replace("-", "_")) for s in S.STATUSES], dtype=float)

    @classmethod
    def parse(cls, text: str) -> "StatusWeights":
        """From ``"member=1,associate=0.5"``; unnamed statuses keep their default."""
        values = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, num = part.partition("=")
            name = name.strip()
            if name not in S.STATUSES:
                raise ValueError(f"unknown status {name!r}; {did_you_mean(name, S.STATUSES) or ''}".rstrip("; "))
            values[name.replace("-", "_")] = float(num)
        return cls(**values)


@dataclass
class Dataset:
    """States, institutions and spells of one dataset directory (see data/README.md)."""

    path: Path
    states: list[State]
    institutions: list[Institution]
    spells: list[Spell]
    today: dt.date = field(default_factory=default_today)

    # ---- identifiers -------------------------------------------------------------------------------
    @cached_property
    def state_codes(self) -> tuple[str, ...]:
        """State codes in the stable row order of every matrix (sorted)."""
        return tuple(sorted(s.code for s in self.states))

    @cached_property
    def institution_ids(self) -> tuple[str, ...]:
        """Institution ids in the stable column order of every matrix (sorted)."""
        return tuple(sorted(i.id for i in self.institutions))

    @cached_property
    def state(self) -> dict[str, State]:
        return {s.code: s for s in self.states}

    @cached_property
    def institution(self) -> dict[str, Institution]:
        return {i.id: i for i in self.institutions}

    @cached_property
    def partial_rosters(self) -> dict[str, str]:
        """Institutions whose membership files are known to miss members: ``{id: what is missing}``."""
        return {i.id: i.roster_gap for i in sorted(self.institutions, key=lambda i: i.id) if i.partial}

    def resolve_state(self, text: str) -> str:
        """The state code for ``text`` (a code in any case); unknown ones raise DataError with a hint."""
        return self._resolve(text, self.state, "state", {c: s.name for c, s in self.state.items()})

    def resolve_institution(self, text: str) -> str:
        return self._resolve(text, self.institution, "institution",
                             {i: x.name for i, x in self.institution.items()})

    def _resolve(self, text: str, table: dict, what: str, names: dict[str, str]) -> str:
        key = text.strip().upper()
        if key in table:
            return key
        by_name = {n.lower(): c for c, n in names.items()}
        if text.strip().lower() in by_name:
            return by_name[text.strip().lower()]
        raise DataError([Problem("argument", None, what, text, f"unknown {what}",
                                 did_you_mean(text, table, names=names))])

    # ---- time --------------------------------------------------------------------------------------
    @property
    def current_year(self) -> int:
        return self.today.year

    @cached_property
    def years(self) -> range:
        """From the first founding to the last year any spell counts in (the current year for open spells)."""
        if not self.institutions or not self.spells:
            return range(0)
        first = min(i.founded.year for i in self.institutions)
        return range(first, int(self.spell_last.max()) + 1)

    def check_year(self, year: int) -> int:
        if year not in self.years:
            raise DataError([Problem("argument", None, "year", str(year), "year outside the data",
                                     f"expected {self.years.start}-{self.years.stop - 1}")])
        return year

    # ---- array views (one entry per spell) ---------------------------------------------------------
    @cached_property
    def spell_state(self) -> np.ndarray:
        index = {c: k for k, c in enumerate(self.state_codes)}
        return np.fromiter((index[s.state] for s in self.spells), dtype=np.int32, count=len(self.spells))

    @cached_property
    def spell_institution(self) -> np.ndarray:
        index = {c: k for k, c in enumerate(self.institution_ids)}
        return np.fromiter((index[s.institution] for s in self.spells), dtype=np.int32, count=len(self.spells))

    @cached_property
    def spell_status(self) -> np.ndarray:
        index = {c: k for k, c in enumerate(S.STATUSES)}
        return np.fromiter((index[s.status] for s in self.spells), dtype=np.int8, count=len(self.spells))

    @cached_property
    def spell_first(self) -> np.ndarray:
        """First snapshot year in which each spell counts."""
        return np.fromiter((first_year(s.start, self.today) for s in self.spells), dtype=np.int32,
                           count=len(self.spells))

    @cached_property
    def spell_last(self) -> np.ndarray:
        """Last snapshot year in which each spell counts (may be before the first: the spell fell between)."""
        cy = self.current_year
        return np.fromiter((last_year(s.end, cy, self.today) for s in self.spells), dtype=np.int32,
                           count=len(self.spells))


def load_dataset(path: str | os.PathLike | None = None, *, today: dt.date | None = None) -> Dataset:
    """Load and validate a dataset directory (the bundled data by default).

    Raises :class:`DataError` listing every problem when the data is invalid. Input files are only read.
    """
    path = Path(path) if path is not None else bundled_data_dir()
    problems, states, institutions, spells = check_dataset(path)
    if problems:
        raise DataError(problems)
    return Dataset(path, states, institutions, spells, today or default_today())


def parse_year_range(text: str) -> tuple[int, int]:
    """``"1990:2000"`` -> (1990, 2000); either side may be empty for an open range (bounds checked later)."""
    a, sep, b = text.partition(":")
    try:
        if not sep:
            y = int(a)
            return y, y
        return (int(a) if a else -10**6, int(b) if b else 10**6)
    except ValueError:
        raise DataError([Problem("argument", None, "years", text, "malformed year range",
                                 "expected A:B, e.g. 1990:2020")]) from None


__all__ = ["Dataset", "StatusWeights", "load_dataset", "PartialDate", "parse_date", "parse_year_range"]
