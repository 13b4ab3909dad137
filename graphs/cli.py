"""The ``multipartner`` command line: ``multipartner COMMAND [options]``; ``--help`` on everything."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .cli_options import (APP_SETTINGS, DataOpt, Fmt, JobsOpt, ProjOpt, QuietOpt, ResOpt, RunsOpt, SeedOpt,
                          Weighting, run_app)
from .problems import DataError

app = typer.Typer(
    name="multipartner",
    help="State memberships in multilateral institutions as a network through time.",
    **APP_SETTINGS,
)


class ExportFmt(str, Enum):
    gexf = "gexf"
    graphml = "graphml"
    csv = "csv"


YearOpt = typer.Option(None, "--year", help="Snapshot year (membership as of 31 December; today for this year).")
FmtOpt = typer.Option(Fmt.table, "--format", help="Output format.")
OutOpt = typer.Option(None, "--out", help="Write to FILE (atomically) instead of standard output.")


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


def _warn_partial(ds, institution: str | None, quiet: bool) -> None:
    """Tell the user, on standard error, that rows may be missing because some rosters are partial."""
    partial = ds.partial_rosters
    if quiet or not partial:
        return
    if institution is not None:
        if institution in partial:
            typer.echo(f"note: the {institution} roster is partial: {partial[institution]}. "
                       "A state missing here may still be a member.", err=True)
        return
    typer.echo(f"note: the rosters of {', '.join(partial)} are partial (see the data's KNOWN_GAPS.md): "
               "a membership missing here may still exist.", err=True)


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
    _warn_partial(ds, iid, quiet)


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
    _warn_partial(ds, None, quiet)


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
    _warn_partial(ds, None, quiet)


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


class AFmt(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


AFmtOpt = typer.Option(AFmt.table, "--format", help="Output format (parquet needs --out).")
YearsOpt = typer.Option(None, "--years", help="Range of years A:B (default: all years).")
OrientOpt = typer.Option(None, "--orientations", help="CSV institution,orientation overriding the data's labels.",
                         exists=False)


def _analysis(data, projection, seed, runs, resolution, orientations, jobs=0):
    from analysis.metrics import Analysis, Options
    from analysis.multialignment import read_orientation_file

    ds = _load(data)
    overrides = {}
    if orientations is not None:
        if not orientations.is_file():
            from .problems import Problem
            raise DataError([Problem(str(orientations), None, None, None, "orientation file not found")])
        overrides = read_orientation_file(orientations)
    a = Analysis(ds, Options(projection=projection.value, seed=seed, runs=runs, resolution=resolution,
                             orientation_overrides=overrides, jobs=jobs))
    return a


def _year_span(a, year: Optional[int], years: Optional[str]) -> list[int]:
    from .dataset import parse_year_range
    from .problems import Problem

    if year is not None and years is not None:
        raise DataError([Problem("argument", None, "year", str(year), "give --year or --years, not both")])
    if year is not None:
        a.ds.check_year(year)
        return [year]
    if years is None:
        return list(a.years())
    lo, hi = parse_year_range(years)
    span = list(a.years(lo, hi))
    if not span:
        raise DataError([Problem("argument", None, "years", years, "no data in that range",
                                 f"expected years within {a.net.years.start}-{a.net.years.stop - 1}")])
    return span


@contextmanager
def _progress(total: int, quiet: bool, label: str):
    """Yield a per-year callback driving a progress bar on standard error; silent with --quiet, for short runs,
    or when standard error is not a terminal."""
    if quiet or total < 3 or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda _year: bar.advance(task)


def _emit_frame(df, fmt: AFmt, out: Optional[Path], quiet: bool, title: str) -> None:
    if fmt is AFmt.parquet:
        from .problems import Problem
        if out is None:
            raise DataError([Problem("argument", None, "format", "parquet", "parquet needs --out FILE")])
        from .output import atomic_path
        with atomic_path(out) as tmp:
            df.to_parquet(tmp, index=False)
        if not quiet:
            typer.echo(f"wrote {out}", err=True)
        return
    rows = df.to_dict("records")
    _emit(_render(rows, list(df.columns), Fmt(fmt.value), title), out, quiet)


@app.command()
def metrics(
    year: Optional[int] = YearOpt, years: Optional[str] = YearsOpt,
    metric: Optional[str] = typer.Option(None, "--metrics", help="Comma-separated metrics (default: all)."),
    projection: Weighting = ProjOpt, seed: int = SeedOpt, runs: int = RunsOpt, resolution: float = ResOpt,
    orientations: Optional[Path] = OrientOpt,
    fmt: AFmt = AFmtOpt, out: Optional[Path] = OutOpt, data: Optional[Path] = DataOpt, quiet: bool = QuietOpt, jobs: int = JobsOpt,
) -> None:
    """Centrality and multialignment per state and institution: year,entity,entity_type,metric,value,rank."""
    from analysis.metrics import DEFAULT_METRICS

    a = _analysis(data, projection, seed, runs, resolution, orientations, jobs)
    span = _year_span(a, year, years)
    chosen = tuple(m.strip() for m in metric.split(",")) if metric else DEFAULT_METRICS
    if not a.has_labels and not quiet and any(m in chosen for m in ("orientation_balance", "multialignment")):
        typer.echo("note: this dataset has no orientation labels; orientation_balance and multialignment are "
                   "reported as missing (participation still works)", err=True)
    with _progress(len(span), quiet, "metrics") as tick:
        df = a.metrics(span, chosen, progress=tick)
    _emit_frame(df, fmt, out, quiet, f"metrics, {span[0]}-{span[-1]} ({projection.value} projection)")


@app.command()
def blocs(
    year: Optional[int] = YearOpt, years: Optional[str] = YearsOpt,
    projection: Weighting = ProjOpt, seed: int = SeedOpt, runs: int = RunsOpt, resolution: float = ResOpt,
    events: bool = typer.Option(False, "--events", help="Print splits, merges, births and deaths instead."),
    fmt: AFmt = AFmtOpt, out: Optional[Path] = OutOpt, data: Optional[Path] = DataOpt, quiet: bool = QuietOpt, jobs: int = JobsOpt,
) -> None:
    """Blocs of states (consensus Leiden on the projection) with persistent ids: year,state,bloc,stability."""
    a = _analysis(data, projection, seed, runs, resolution, None, jobs)
    span = _year_span(a, year, years)
    with _progress(len(span), quiet, "blocs") as tick:
        table, ev, _flows = a.bloc_table(span, progress=tick)
    _emit_frame(ev if events else table, fmt, out, quiet, "bloc events" if events else "blocs")


@app.command()
def circles(
    year: int = typer.Option(..., "--year", help="Snapshot year."),
    focus: Optional[str] = typer.Option("USA", "--focus", help="Focal state (default USA)."),
    world: bool = typer.Option(False, "--world", help="World view: rings by coreness, no focal state."),
    fmt: AFmt = AFmtOpt, out: Optional[Path] = OutOpt, data: Optional[Path] = DataOpt, quiet: bool = QuietOpt,
) -> None:
    """The concentric circles: each state's ring around the focal state, and why (year,focus,state,ring,reason)."""
    import pandas as pd

    from analysis.circles import focal_rings, has_types, world_rings
    from .yearly import YearlyNetwork

    ds = _load(data)
    ds.check_year(year)
    net = YearlyNetwork(ds)
    if not world and not has_types(ds):
        if not quiet:
            typer.echo("note: this dataset has no institution types; showing the world view instead", err=True)
        world = True
    if world:
        df = pd.DataFrame(world_rings(net, year), columns=["year", "state", "ring", "coreness"])
    else:
        df = pd.DataFrame(focal_rings(net, year, focus), columns=["year", "focus", "state", "ring", "reason"])
    _emit_frame(df, fmt, out, quiet, f"circles, {year}")


@app.command()
def polarisation(
    years: Optional[str] = YearsOpt, projection: Weighting = ProjOpt, seed: int = SeedOpt, runs: int = RunsOpt,
    resolution: float = ResOpt,
    fmt: AFmt = AFmtOpt, out: Optional[Path] = OutOpt, data: Optional[Path] = DataOpt, quiet: bool = QuietOpt, jobs: int = JobsOpt,
) -> None:
    """Is the network fragmenting into blocs? One row per year: modularity, cross-bloc share, E-I index."""
    a = _analysis(data, projection, seed, runs, resolution, None, jobs)
    span = _year_span(a, None, years)
    with _progress(len(span), quiet, "polarisation") as tick:
        df = a.polarisation(span, progress=tick)
    _emit_frame(df, fmt, out, quiet, "polarisation")


@app.command()
def report(
    year: Optional[int] = typer.Option(None, "--year", help="Report on this year (default: the latest)."),
    years: Optional[str] = typer.Option(None, "--years", help="A series A:B, with an index.html of the trends."),
    focus: Optional[str] = typer.Option(None, "--focus", help="State at the centre of the circles (default USA)."),
    out: Path = typer.Option(Path("multipartner-report"), "--out", help="Directory to write the HTML files to.",
                             file_okay=False, dir_okay=True),
    projection: Weighting = ProjOpt, seed: int = SeedOpt, runs: int = RunsOpt, resolution: float = ResOpt,
    orientations: Optional[Path] = OrientOpt, data: Optional[Path] = DataOpt, quiet: bool = QuietOpt, jobs: int = JobsOpt,
) -> None:
    """Write self-contained yearly HTML reports: concentric circles, network, tables, charts, sources."""
    from reports.yearly import build_reports, write_reports

    a = _analysis(data, projection, seed, runs, resolution, orientations, jobs)
    span = _year_span(a, year, years) if (year is not None or years is not None) else [a.years()[-1]]
    with _progress(len(span), quiet, "report") as tick:
        pages = build_reports(a.ds, span, focus, a.opt, progress=tick)
    for path in write_reports(pages, out):
        if not quiet:
            typer.echo(f"wrote {path}", err=True)


@app.command()
def explore(
    years: Optional[str] = typer.Option(None, "--years", help="Range of years A:B (default: all years)."),
    out: Path = typer.Option(Path("multipartner-explorer.html"), "--out", help="The HTML file to write.",
                             dir_okay=False),
    projection: Weighting = ProjOpt, seed: int = SeedOpt, runs: int = RunsOpt, resolution: float = ResOpt,
    orientations: Optional[Path] = OrientOpt, data: Optional[Path] = DataOpt, quiet: bool = QuietOpt, jobs: int = JobsOpt,
) -> None:
    """Write one self-contained HTML file to explore the network through time (year slider, search, filters)."""
    from reports.explorer import explorer_html
    from .output import write_text_atomic

    a = _analysis(data, projection, seed, runs, resolution, orientations, jobs)
    span = _year_span(a, None, years)
    with _progress(len(span), quiet, "explore") as tick:
        html = explorer_html(a.ds, span, a.opt, progress=tick)
    write_text_atomic(out, html)
    if not quiet:
        typer.echo(f"wrote {out}", err=True)


from .cli_whatif import app as whatif_app  # noqa: E402  (the whatif sub-commands live in their own module)

app.add_typer(whatif_app, name="whatif")


def _render(rows, columns, fmt: Fmt, title: str) -> str:
    from .output import render

    return render(rows, columns, fmt.value, title if fmt is Fmt.table else None)


def main(argv: Optional[list[str]] = None) -> None:
    """Entry point: user mistakes print a clear message and exit with status 2, never a traceback."""
    run_app(app, "multipartner", argv)


if __name__ == "__main__":
    main()
