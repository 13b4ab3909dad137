"""Typed records for the three tables of a dataset."""

from __future__ import annotations

from dataclasses import dataclass

from .dates import PartialDate


@dataclass(frozen=True)
class State:
    code: str
    cow_codes: tuple[int, ...]
    name: str
    kind: str
    region: str
    start: PartialDate
    end: PartialDate | None
    successors: tuple[str, ...]
    source: str
    note: str


@dataclass(frozen=True)
class Institution:
    id: str
    name: str
    founded: PartialDate
    dissolved: PartialDate | None
    type: str
    domain: str
    formality: str
    orientation: str
    orientation_reason: str
    source: str
    note: str
    roster: str = "complete"
    roster_gap: str = ""      # validation allows it only on a partial roster, so empty means complete

    @property
    def partial(self) -> bool:
        """True when the membership files are known to miss some of its members (see ``roster_gap``)."""
        return self.roster == "partial"


@dataclass(frozen=True)
class Spell:
    state: str
    institution: str
    status: str
    start: PartialDate
    end: PartialDate | None
    source: str
    note: str
    file: str
    line: int
