"""Reading one CSV file of the data format, reporting every problem with file, line and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .problems import Problem, did_you_mean


def read_table(
    path: Path, columns: tuple[str, ...], required: tuple[str, ...], label: str, problems: list[Problem],
    optional: tuple[str, ...] = (),
) -> list[tuple[int, dict[str, str]]]:
    """Rows of ``path`` as ``(line number, {column: stripped value})``; problems are appended, not raised.

    The header must hold every one of ``columns`` (in any order), may hold any of ``optional`` (read as empty
    where absent, so datasets written before an optional column existed stay valid) and no unknown column.
    Blank lines are skipped.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(label, None, None, None, f"cannot read file: {exc.strerror or exc}"))
        return []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(
            label, line, None, repr(raw[exc.start:exc.start + 4])[2:-1],
            "file is not valid UTF-8", "save it as UTF-8 (in a spreadsheet: 'CSV UTF-8')",
        ))
        return []

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(label, 1, None, None, "file is empty", f"expected the header {','.join(columns)}"))
        return []
    except csv.Error as exc:
        problems.append(Problem(label, 1, None, None, f"cannot parse CSV: {exc}"))
        return []
    header = [h.strip() for h in header]
    missing = [c for c in columns if c not in header]
    unknown = [h for h in header if h not in columns and h not in optional]
    if missing or unknown:
        if len(missing) == len(columns):
            problems.append(Problem(
                label, 1, None, ",".join(header), "missing header row",
                f"the first line must be {','.join(columns)}",
            ))
            return []
        for h in unknown:
            problems.append(Problem(label, 1, h, h, "unknown column",
                                    did_you_mean(h, missing + [o for o in optional if o not in header]) or
                                    f"expected only {','.join(columns + optional)}"))
        for c in missing:
            problems.append(Problem(label, 1, c, None, f"missing column {c!r}",
                                    f"expected the header {','.join(columns)}"))
        return []
    dupes = {h for h in header if header.count(h) > 1}
    for h in sorted(dupes):
        problems.append(Problem(label, 1, h, h, "column appears twice in the header"))
    if dupes:
        return []

    rows: list[tuple[int, dict[str, str]]] = []
    line = 1
    try:
        for record in reader:
            line = reader.line_num
            if not record or all(not f.strip() for f in record):
                continue
            if len(record) != len(header):
                problems.append(Problem(
                    label, line, None, ",".join(record),
                    f"row has {len(record)} fields, the header has {len(header)}",
                    "quote fields that contain commas",
                ))
                continue
            row = dict.fromkeys(optional, "")
            row.update((h, v.strip()) for h, v in zip(header, record))
            for c in required:
                if not row[c]:
                    problems.append(Problem(label, line, c, "", f"missing {c}", "this column is required"))
            rows.append((line, row))
    except csv.Error as exc:
        problems.append(Problem(label, line + 1, None, None, f"cannot parse CSV: {exc}"))
    return rows
