"""Options and choices shared by the ``multipartner`` commands (graphs.cli) and ``multipartner whatif``
(graphs.cli_whatif), defined once so both parse and document them the same way."""

from __future__ import annotations

import sys
from enum import Enum

import typer


#: settings every typer app of the command line shares: plain help, no completion, and no pretty tracebacks
#: (user mistakes are DataError, printed by graphs.cli.main with exit status 2)
APP_SETTINGS = dict(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                    rich_markup_mode=None)


class Fmt(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class Weighting(str, Enum):
    count = "count"
    jaccard = "jaccard"
    newman = "newman"
    backbone = "backbone"


DataOpt = typer.Option(None, "--data", help="Dataset directory (default: the bundled data).",
                       file_okay=False, dir_okay=True)
QuietOpt = typer.Option(False, "--quiet", "-q", help="Print nothing but results and errors.")
ProjOpt = typer.Option(Weighting.newman, "--projection", help="Weighting of the state projection.")
SeedOpt = typer.Option(0, "--seed", help="Random seed of the community detection (same seed, same blocs).")
RunsOpt = typer.Option(10, "--runs", help="Leiden runs behind each consensus partition.")
ResOpt = typer.Option(1.0, "--resolution", help="Modularity resolution (1 = Newman-Girvan).")
JobsOpt = typer.Option(0, "--jobs", "-j", min=0, help="Processes for work over many years (0: every core; 1: this "
                                                      "process only). Results do not depend on it.")


def run_app(app: typer.Typer, prog_name: str, argv: list[str] | None = None) -> None:
    """Run a typer app as a command: user mistakes (:class:`graphs.problems.DataError`, a missing file) print a
    clear message and exit with status 2, never a traceback; a closed pipe (``| head``) ends quietly."""
    from .problems import DataError

    try:
        app(args=argv, prog_name=prog_name, standalone_mode=True)
    except (DataError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
