"""Partial dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) and the yearly snapshot convention.

A yearly snapshot is membership as of 31 December of the year; for the current year, as of today.
A spell ``[start, end)`` therefore counts in year Y when it started on or before the snapshot date of Y
and had not yet ended on it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def parse_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` with the reason otherwise."""
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in m.groups())
    if year < 1:
        raise ValueError("year 0000 does not exist")
    if month is not None and not 1 <= month <= 12:
        raise ValueError("month must be 01-12")
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{year:04d}-{month:02d} has no day {day:02d}") from None
    return PartialDate(year, month, day)


def snapshot_date(year: int, today: dt.date | None = None) -> dt.date:
    """The date a yearly snapshot describes: 31 December, or today for the current year."""
    today = today or dt.date.today()
    return today if year == today.year else dt.date(year, 12, 31)


def first_year(start: PartialDate, today: dt.date | None = None) -> int:
    """First year whose snapshot includes a spell that began on ``start``.

    A partial date is taken at its earliest (a spell dated only ``2026`` counts in 2026).
    """
    today = today or dt.date.today()
    if start.year == today.year and start.earliest > today:
        return start.year + 1
    return start.year


def last_year(end: PartialDate | None, current_year: int, today: dt.date | None = None) -> int:
    """Last year whose snapshot includes a spell that ended on ``end`` (exclusive end).

    An open spell runs to ``current_year``. An end in year Y means the state left during Y, so the
    spell counts up to Y-1 -- unless Y is the current year and the end is still in the future.
    """
    if end is None:
        return current_year
    today = today or dt.date.today()
    if end.year >= today.year and end.earliest > today:
        return min(end.year, current_year)
    return end.year - 1
