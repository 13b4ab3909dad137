"""The one exception type for bad input, carrying every problem found."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from collections.abc import Iterable


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is, what was found, what was expected."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f" [{self.column}]"
        text = f"{where}: {self.message}"
        if self.value is not None:
            text += f" (found {self.value!r})"
        if self.hint:
            text += f"; {self.hint}"
        return text


class DataError(Exception):
    """Raised when input data is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__(head + ":\n" + "\n".join(f"  {line}" for line in summarise(self.problems)))


def summarise(problems: list[Problem]) -> list[str]:
    """One line per problem, except that the same problem on many rows of a file is one line with its lines."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.file, p.column, p.value, p.message, p.hint), []).append(p)
    out = []
    for (file, column, value, message, hint), ps in groups.items():
        if len(ps) == 1 or any(p.line is None for p in ps):
            out.extend(str(p) for p in ps)
            continue
        lines = [p.line for p in ps]
        shown = ",".join(str(x) for x in lines[:8]) + (f",… ({len(lines)} rows)" if len(lines) > 8 else "")
        out.append(str(Problem(file, None, column, value, message, hint)).replace(file, f"{file}:{shown}", 1))
    return out


def did_you_mean(value: str, choices: Iterable[str], *, names: dict[str, str] | None = None) -> str | None:
    """A 'did you mean ...?' hint for ``value`` among ``choices`` (matched on ids and on names)."""
    choices = list(choices)
    upper = value.upper()
    by_upper = {c.upper(): c for c in choices}
    found = difflib.get_close_matches(upper, list(by_upper), n=3, cutoff=0.6)
    hits = [by_upper[f] for f in found]
    if names:
        by_name = {n.lower(): code for code, n in names.items()}
        for f in difflib.get_close_matches(value.lower(), list(by_name), n=3, cutoff=0.6):
            if by_name[f] not in hits:
                hits.append(by_name[f])
        for name, code in by_name.items():
            if value.lower() in name and code not in hits and len(value) >= 3:
                hits.append(code)
    if not hits:
        return None
    return "did you mean " + " or ".join(repr(h) for h in hits[:3]) + "?"
