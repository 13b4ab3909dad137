"""``multipartner whatif``: compare a year before and after a scenario of membership edits, or sweep every
single join and leave.

    multipartner whatif SCENARIO.yaml [--year Y] [--out DIR] [--format table|json|csv|html]
    multipartner whatif sweep --year Y --metric M [--target STATE] [--top N]

``whatif SCENARIO.yaml`` is short for ``whatif run SCENARIO.yaml``. Registered in :mod:`graphs.cli` with
``app.add_typer(whatif_app, name="whatif")``; :func:`main` runs it on its own.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from .cli_options import (APP_SETTINGS, DataOpt, Fmt, ProjOpt, QuietOpt, ResOpt, RunsOpt, SeedOpt, Weighting,
                          run_app)
from .problems import DataError, Problem


class _RunByDefault(TyperGroup):
    """A group whose first argument, when it is not a subcommand, is the scenario of ``run``."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_RunByDefault,
    name="whatif",
    help="What if? Edit memberships in memory and compare every measure before and after.",
    **APP_SETTINGS,
)


class RunFmt(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


class Action(str, Enum):
    both = "both"
    join = "join"
    leave = "leave"


class Order(str, Enum):
    decrease = "decrease"
    increase = "increase"




def _options(projection: Weighting, seed: int, runs: int, resolution: float, orientations: Optional[Path] = None):
    from analysis.metrics import Options
    from analysis.multialignment import read_orientation_file

    overrides = {}
    if orientations is not None:
        if not orientations.is_file():
            raise DataError([Problem(str(orientations), None, None, None, "orientation file not found")])
        overrides = read_orientation_file(orientations)
    return Options(projection=projection.value, seed=seed, runs=runs, resolution=resolution,
                   orientation_overrides=overrides)


def _write(target: Optional[Path], text: str, quiet: bool) -> None:
    if target is None:
        sys.stdout.write(text)
        return
    from .output import write_text_atomic

    write_text_atomic(target, text)
    if not quiet:
        typer.echo(f"wrote {target}", err=True)


def _html_renderer():
    """``reports.whatif.render(comparison, names)`` if the HTML diff report exists, else a clear error (exit
    status 2)."""
    import importlib
    import importlib.util

    try:
        found = importlib.util.find_spec("reports.whatif") is not None
    except ModuleNotFoundError:
        found = False
    if not found:
        raise DataError([Problem("argument", None, "format", "html", "html diff report not available yet",
                                 "use --format json or csv (the data the report will show)")])
    return importlib.import_module("reports.whatif").render


@app.command("run")
def run(
    scenario: Path = typer.Argument(..., help="Scenario file (YAML; see data/scenarios/README.md)."),
    year: Optional[int] = typer.Option(None, "--year", help="Year compared (default: the scenario's year, "
                                                              "else the latest)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Directory to write into (atomically): "
                                                            "SCENARIO.txt/.json/.html, or one SCENARIO-PART.csv "
                                                            "per part."),
    fmt: RunFmt = typer.Option(RunFmt.table, "--format", help="table: a summary; json: everything; csv: one file "
                                                              "per part (needs --out); html: the diff report."),
    focus: Optional[list[str]] = typer.Option(None, "--focus", help="Focal state of the ring comparison "
                                                                    "(repeatable; default: the scenario's)."),
    top: int = typer.Option(5, "--top", help="Largest changes shown per measure in the table summary."),
    projection: Weighting = ProjOpt, seed: int = SeedOpt, runs: int = RunsOpt, resolution: float = ResOpt,
    orientations: Optional[Path] = typer.Option(None, "--orientations",
                                                help="CSV institution,orientation overriding the data's labels."),
    data: Optional[Path] = DataOpt, quiet: bool = QuietOpt,
) -> None:
    """Baseline against SCENARIO for one year: centrality, multialignment, blocs, polarisation and rings."""
    from analysis.scenario_file import load_scenario
    from analysis.whatif import compare

    from .dataset import load_dataset

    if fmt is RunFmt.csv and out is None:
        raise DataError([Problem("argument", None, "out", None, "--format csv writes one file per part",
                                 "give --out DIR")])
    render = _html_renderer() if fmt is RunFmt.html else None
    ds = load_dataset(data)
    sc = load_scenario(scenario)
    comp = compare(ds, sc, year, _options(projection, seed, runs, resolution, orientations), focus=focus)
    stem = scenario.stem
    if fmt is RunFmt.csv:
        from .output import render as render_rows

        for part, df in comp.frames().items():
            _write(out / f"{stem}-{part.replace('_', '-')}.csv",
                   render_rows(df.to_dict("records"), list(df.columns), "csv"), quiet)
        return
    if fmt is RunFmt.json:
        import json

        text = json.dumps(comp.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    elif fmt is RunFmt.html:
        text = render(comp, {st.code: st.name for st in ds.states})
    else:
        text = summary_text(comp, top)
    suffix = {RunFmt.json: ".json", RunFmt.html: ".html", RunFmt.table: ".txt"}[fmt]
    _write(None if out is None else out / f"{stem}{suffix}", text, quiet)


def summary_text(comp, top: int = 5) -> str:
    """The comparison as text: edits, polarisation, bloc moves, ring changes and the largest changes."""
    from .output import render

    sc, o = comp.scenario, comp.options
    lines = [f"What if: {sc.name} ({sc.source}) -- {comp.year}, {o.projection} projection, seed {o.seed}, "
             f"{o.runs} runs", ""]
    if sc.description:
        lines += [sc.description.strip(), ""]
    parts = [render(comp.edits.to_dict("records"), ["step", "action", "state", "institution", "date", "change"],
                    "table", "Edits"),
             render(comp.polarisation.to_dict("records"), ["metric", "baseline", "scenario", "delta"], "table",
                    "Polarisation (delta = scenario - baseline)")]
    moved = comp.blocs[comp.blocs["moved"]]
    parts.append(render(moved.to_dict("records"), ["state", "baseline_bloc", "scenario_bloc"], "table",
                        "States whose bloc changes"))
    changed = comp.rings[comp.rings["changed"]]
    parts.append(render(changed.to_dict("records"), ["focus", "state", "baseline_ring", "scenario_ring"], "table",
                        "Ring changes around " + (", ".join(comp.focus) or "no focal state")))
    world = comp.world_rings[comp.world_rings["changed"]]
    parts.append(render(world.to_dict("records"), ["state", "baseline_ring", "scenario_ring"], "table",
                        "World ring changes (1 core ... 6 no validated tie)"))
    if top > 0:
        import pandas as pd

        df = pd.concat([comp.centrality, comp.multialignment], ignore_index=True)
        df = df[df["delta"].abs() > 1e-12].assign(size=lambda d: d["delta"].abs())
        df = (df.sort_values(["metric", "size", "entity"], ascending=[True, False, True], kind="stable")
                .groupby("metric", sort=True).head(top))
        parts.append(render(df.to_dict("records"), ["metric", "entity", "baseline", "scenario", "delta"], "table",
                            f"Largest changes (top {top} per measure)"))
    return "\n".join(lines) + "\n".join(parts)


@app.command("sweep")
def sweep_cmd(
    year: int = typer.Option(..., "--year", help="Snapshot year."),
    metric: str = typer.Option(..., "--metric", help="polarisation, cross_share, or for --target: strength, "
                                                     "eigenvector, participation, multialignment."),
    target: Optional[str] = typer.Option(None, "--target", help="The state whose measure is ranked."),
    action: Action = typer.Option(Action.both, "--action", help="Rank joins, leaves or both."),
    order: Order = typer.Option(Order.decrease, "--order", help="decrease: largest fall first; increase: "
                                                                "largest rise first."),
    top: int = typer.Option(20, "--top", help="Rows shown (0: every edit)."),
    projection: Weighting = ProjOpt, seed: int = SeedOpt, runs: int = RunsOpt, resolution: float = ResOpt,
    fmt: Fmt = typer.Option(Fmt.table, "--format", help="Output format."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write to FILE (atomically) instead of standard output."),
    data: Optional[Path] = DataOpt, quiet: bool = QuietOpt,
) -> None:
    """Rank every single join or leave of a year by its effect on METRIC (blocs held fixed)."""
    from analysis.sweep import COLUMNS, sweep

    from .dataset import load_dataset
    from .output import render

    ds = load_dataset(data)
    actions = ("join", "leave") if action is Action.both else (action.value,)
    df = sweep(ds, year, metric, target, _options(projection, seed, runs, resolution), actions=actions,
               order=order.value)
    if top > 0:
        df = df.head(top)
    title = (f"single edits ranked by {metric}" + (f" of {df['target'].iloc[0]}" if target and len(df) else "")
             + f", {year} ({projection.value} projection; largest {'fall' if order is Order.decrease else 'rise'} "
             "first; blocs fixed)")
    _write(out, render(df.to_dict("records"), COLUMNS, fmt.value, title if fmt is Fmt.table else None), quiet)


def main(argv: Optional[list[str]] = None) -> None:
    """Run ``whatif`` on its own: user mistakes print a clear message and exit with status 2."""
    run_app(app, "multipartner whatif", argv)


if __name__ == "__main__":
    main()
