"""The ``multipartner`` command line: ``multipartner COMMAND [options]``; ``--help`` on everything."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .problems import DataError

app = typer.Typer(
    name="multipartner",
    help="State memberships in multilateral institutions as a network through time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Fmt(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFmt(str, Enum):
    gexf = "gexf"
    graphml = "graphml"
    csv = "csv"


DataOpt = typer.Option(None, "--data", help="Dataset directory (default: the bundled data).",
                       file_okay=False, dir_okay=True)
YearOpt = typer.Option(None, "--year", help="Snapshot year (membership as of 31 December; today for this year).")
FmtOpt = typer.Option(Fmt.table, "--format", help="Output format.")
OutOpt = typer.Option(None, "--out", help="Write to FILE (atomically) instead of standard output.")
QuietOpt = typer.Option(False, "--quiet", "-q", help="Print nothing but results and errors.")


def _load(data: Optional[Path]):
    from .dataset import load_dataset

    return load_dataset(data)


def _emit(text: str, out: Optional[Path], quiet: bool) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    from .output import write_text_atomic

    write_text_atomic(out, text)
    if not quiet:
        typer.echo(f"wrote {out}", err=True)


def _status_arg(status: Optional[str]) -> Optional[str]:
    from . import schema
    from .problems import Problem, did_you_mean

    if status is not None and status not in schema.STATUSES:
        raise DataError([Problem("argument", None, "status", status, "unknown status",
                                 did_you_mean(status, schema.STATUSES) or f"expected one of {', '.join(schema.STATUSES)}")])
    return status


@app.command()
def validate(data: Optional[Path] = DataOpt, quiet: bool = QuietOpt) -> None:
    """Check a dataset and list every problem at once (exit status 2 if there are any)."""
    from .validate import check_dataset
    from .paths import bundled_data_dir

    path = data or bundled_data_dir()
    problems, states, institutions, spells = check_dataset(path)
    if problems:
        raise DataError(problems)
    if not quiet:
        typer.echo(f"{path}: OK — {len(states)} states, {len(institutions)} institutions, {len(spells)} spells")


@app.command()
def members(
    institution: str = typer.Argument(..., help="Institution id, any case (e.g. NATO)."),
    year: Optional[int] = YearOpt,
    status: Optional[str] = typer.Option(None, "--status", help="Only spells with this status (e.g. member)."),
    fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, data: Optional[Path] = DataOpt, quiet: bool = QuietOpt,
) -> None:
    """Who belonged to INSTITUTION: at a snapshot with --year, otherwise every spell in its history."""
    from .queries import SPELL_COLUMNS, members_rows

    ds = _load(data)
    rows = members_rows(ds, institution, year, _status_arg(status))
    iid = ds.resolve_institution(institution)
    title = f"{ds.institution[iid].name} ({iid})" + (f", {year}" if year else ", all spells")
    _emit(_render(rows, SPELL_COLUMNS, fmt, title), out, quiet)


@app.command()
def memberships(
    state: str = typer.Argument(..., help="State code, any case (e.g. IND)."),
    year: Optional[int] = YearOpt,
    status: Optional[str] = typer.Option(None, "--status", help="Only spells with this status."),
    fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, data: Optional[Path] = DataOpt, quiet: bool = QuietOpt,
) -> None:
    """What STATE belonged to: at a snapshot with --year, otherwise every spell."""
    from .queries import SPELL_COLUMNS, memberships_rows

    ds = _load(data)
    rows = memberships_rows(ds, state, year, _status_arg(status))
    code = ds.resolve_state(state)
    title = f"{ds.state[code].name} ({code})" + (f", {year}" if year else ", all spells")
    _emit(_render(rows, SPELL_COLUMNS, fmt, title), out, quiet)


@app.command()
def shared(
    state_a: str = typer.Argument(..., help="First state code."),
    state_b: str = typer.Argument(..., help="Second state code."),
    year: Optional[int] = typer.Option(None, "--year", help="Snapshot year (default: the latest)."),
    fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, data: Optional[Path] = DataOpt, quiet: bool = QuietOpt,
) -> None:
    """Institutions that STATE_A and STATE_B both belong to, with each one's status."""
    from .queries import SHARED_COLUMNS, shared_rows

    ds = _load(data)
    rows = shared_rows(ds, state_a, state_b, year)
    y = year or ds.years.stop - 1
    title = f"{ds.resolve_state(state_a)} and {ds.resolve_state(state_b)}, {y}"
    _emit(_render(rows, SHARED_COLUMNS, fmt, title), out, quiet)


@app.command("import-cow")
def import_cow_cmd(
    path: Path = typer.Argument(..., help="COW IGO v3 state-year table (.csv, .tsv or .gz)."),
    out: Path = typer.Option(..., "--out", help="Directory to write the dataset into (created)."),
    igo_table: Optional[Path] = typer.Option(None, "--igo-table",
                                             help="COW igo-year table for full names (default: found beside PATH)."),
    no_iso: bool = typer.Option(False, "--no-iso", help="Keep COW state numbers (COW2) instead of ISO codes."),
    quiet: bool = QuietOpt,
) -> None:
    """Convert the Correlates of War IGO state-year table into a dataset for --data."""
    from .cow import import_cow

    counts = import_cow(path, out, igo_table=igo_table, map_to_iso=not no_iso)
    if not quiet:
        typer.echo(f"wrote {out}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))


@app.command()
def export(
    year: Optional[int] = YearOpt,
    all_years: bool = typer.Option(False, "--all-years", help="One dynamic GEXF with time spells (Gephi timeline)."),
    fmt: ExportFmt = typer.Option(ExportFmt.gexf, "--format", help="File format."),
    out: Path = typer.Option(..., "--out", help="File to write (atomically)."),
    data: Optional[Path] = DataOpt, quiet: bool = QuietOpt,
) -> None:
    """Write the bipartite network of one year (or all years as dynamic GEXF) for Gephi and friends."""
    from .export import export_all_years, export_year
    from .problems import Problem
    from .yearly import YearlyNetwork

    if all_years == (year is not None):
        raise DataError([Problem("argument", None, "year", str(year), "give exactly one of --year or --all-years")])
    if all_years and fmt is not ExportFmt.gexf:
        raise DataError([Problem("argument", None, "format", fmt.value, "--all-years writes GEXF only",
                                 "use --format gexf")])
    net = YearlyNetwork(_load(data))
    if all_years:
        export_all_years(net, out)
    else:
        net.dataset.check_year(year)
        export_year(net, year, fmt.value, out)
    if not quiet:
        typer.echo(f"wrote {out}", err=True)


@app.command()
def crosscheck(
    cow: Path = typer.Option(Path("../shared/data/cow-igo-v3/state_year_format3.csv.gz"), "--cow",
                             help="COW IGO v3 state-year table."),
    institution: Optional[list[str]] = typer.Option(None, "--institution", "-i",
                                                    help="Only this institution (repeatable)."),
    fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, data: Optional[Path] = DataOpt, quiet: bool = QuietOpt,
) -> None:
    """List every disagreement with the Correlates of War IGO data (years up to 2014) as year ranges."""
    from .crosscheck import COLUMNS, crosscheck as run

    ds = _load(data)
    ids = [ds.resolve_institution(i) for i in institution] if institution else None
    rows = run(ds, cow, ids)
    _emit(_render(rows, COLUMNS, fmt, f"Disagreements with COW IGO v3 ({cow.name})"), out, quiet)


def _render(rows, columns, fmt: Fmt, title: str) -> str:
    from .output import render

    return render(rows, columns, fmt.value, title if fmt is Fmt.table else None)


def main(argv: Optional[list[str]] = None) -> None:
    """Entry point: user mistakes print a clear message and exit with status 2, never a traceback."""
    try:
        app(args=argv, prog_name="multipartner", standalone_mode=True)
    except DataError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
