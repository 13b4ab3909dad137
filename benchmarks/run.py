"""Benchmark multipartner against the hand-written networkx pipeline (benchmarks/naive.py), in one run on one
machine, on the bundled data and on the full Correlates of War IGO v3 history. Not part of the test suite.

    python benchmarks/run.py                       # every row, median of 3 runs (about 10 minutes)
    python benchmarks/run.py --runs 5 --cow PATH   # PATH: COW state_year_format3.csv[.gz] or its directory
    python benchmarks/run.py --skip naive-cow      # leave out the slowest row (the ratio row then says so)
    python benchmarks/run.py --json results.json   # also write the numbers as JSON

Every timed run is a fresh Python process: data loading and imports happen first and are not timed (the
targets are "after loading"); peak memory, loading included, is that of the process and the worker processes
multipartner forks, together (proportional set sizes, sampled every 50 ms). Command rows time the whole command in a fresh process (a cold start). The first run of the
naive pipeline and of multipartner's same measures are compared number by number; see README.md here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))          # run from a checkout without installing

# The measures both pipelines compute: two-mode degree and betweenness, and on the projection onto states
# (weight = shared institutions, networkx's weighted_projected_graph) strength, eigenvector, unweighted
# betweenness and communities (multipartner's blocs, which its "stability" metric needs).
SAME = ("bipartite_degree", "bipartite_betweenness", "strength", "eigenvector", "unweighted_betweenness", "stability")
TOL = {"strength": 0.0, "eigenvector": 1e-6, "unweighted_betweenness": 1e-6, "bipartite_degree": 1e-9,
       "bipartite_betweenness": 1e-6}
DEFAULT_COW = HERE.parent.parent / "shared" / "data" / "cow-igo-v3" / "state_year_format3.csv.gz"


# ---- the timed work, run inside a fresh process (--worker NAME) -------------------------------------------

def data_fingerprint() -> str:
    """Hash of the bundled data files: the rows time fresh processes, so an edit mid-run mixes two datasets."""
    from graphs.paths import bundled_data_dir

    h = hashlib.sha256()
    root = Path(bundled_data_dir())
    for f in sorted(root.rglob("*.csv")):
        h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def bundled_years(ds) -> dict[int, tuple]:
    """The naive pipeline's input from a multipartner dataset: per year its nodes and full-member ties."""
    from graphs.yearly import YearlyNetwork

    net, out = YearlyNetwork(ds), {}
    for y in ds.years:
        states = [net.state_codes[k] for k in net.present(y)]
        insts = [net.institution_ids[k] for k in net.present(y, "institutions")]
        B = net.biadjacency(y).tocoo()
        out[y] = (states, insts, [(net.state_codes[r], net.institution_ids[c]) for r, c in zip(B.row, B.col)])
    return out


def _naive(years):
    from benchmarks import naive

    t = time.perf_counter()
    result = naive.run(years)
    return time.perf_counter() - t, result


def _multipartner(ds, options, metrics):
    import igraph  # noqa: F401  -- imports are loading, not computing
    import pandas  # noqa: F401
    import scipy.sparse.linalg  # noqa: F401

    from analysis.metrics import Analysis

    t = time.perf_counter()
    df = Analysis(ds, options).metrics(metrics=metrics)
    return time.perf_counter() - t, df


def work(name: str, cfg: dict):
    """Load the inputs of task ``name`` (untimed), then run it: (seconds, result)."""
    import pandas as pd

    from analysis.metrics import DEFAULT_METRICS, Options
    from graphs import load_dataset

    if name == "naive-bundled":
        return _naive(bundled_years(load_dataset()))
    if name == "naive-cow":
        from benchmarks import naive

        return _naive(naive.cow_years(pd.read_csv(cfg["cow_file"], low_memory=False)))
    data = None if "bundled" in name else cfg["cow_dataset"]
    ds = load_dataset(data)
    if name.endswith("default"):
        return _multipartner(ds, Options(), DEFAULT_METRICS)
    runs = 1 if name.endswith("one-run") else Options().runs
    return _multipartner(ds, Options(projection="count", runs=runs), SAME)


def peak_mib() -> float:
    """This process's peak resident memory: the kernel's high-water mark (``VmHWM``), which, unlike
    ``ru_maxrss``, does not count what the parent had resident when it forked us."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 1024 ** 2)


def _pss_kib(pid: int) -> int:
    """Proportional set size of ``pid``: its private pages plus its share of pages shared with other processes
    (so a parent and its forked workers add up to what they really hold)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return tree


class TreeMemory:
    """Peak memory of this process and its worker processes together (multipartner forks one per core): the
    sum of their proportional set sizes, sampled every 50 ms in a thread. Where ``/proc`` has no
    ``smaps_rollup`` (not Linux), the peak is this process's high-water mark alone."""

    def __init__(self, interval: float = 0.05):
        import threading

        self.interval, self.peak_kib = interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in _process_tree(me)))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def peak_mib(self) -> float:
        return max(self.peak_kib / 1024, peak_mib())


def worker_main(name: str, cfg_json: str, dump: str | None) -> None:
    with TreeMemory() as mem:
        seconds, result = work(name, json.loads(cfg_json))
    peak = mem.peak_mib()
    if dump:
        with open(dump, "wb") as fh:
            pickle.dump(result, fh)
    print(json.dumps({"seconds": seconds, "peak_mib": peak}))


# ---- running processes ------------------------------------------------------------------------------------

def run_process(argv: list[str]) -> dict:
    """Run ``argv`` to completion: wall seconds, exit status, output."""
    t = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL)
    return {"wall": time.perf_counter() - t, "status": p.returncode,
            "stdout": p.stdout.decode(errors="replace"), "stderr": p.stderr.decode(errors="replace")}


def time_task(name: str, cfg: dict, runs: int, dump: Path | None) -> dict:
    seconds, peaks = [], []
    for r in range(runs):
        argv = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--config", json.dumps(cfg)]
        if dump is not None and r == 0:
            argv += ["--dump", str(dump)]
        res = run_process(argv)
        if res["status"] != 0:
            raise SystemExit(f"{name} failed:\n{res['stderr'][-3000:]}")
        measured = json.loads(res["stdout"].strip().splitlines()[-1])
        seconds.append(measured["seconds"])
        peaks.append(measured["peak_mib"])
        print(f"  {name} run {r + 1}/{runs}: {seconds[-1]:.2f} s, peak {peaks[-1]:.0f} MiB", flush=True)
    return {"median": statistics.median(seconds), "runs": seconds, "peak_mib": max(peaks)}


def multipartner_argv() -> list[str]:
    exe = shutil.which("multipartner")
    return [exe] if exe else [sys.executable, "-m", "graphs.cli"]


def time_command(args: list[str], runs: int) -> dict | None:
    """Median wall time of ``multipartner ARGS`` in fresh processes, or None if the command does not exist."""
    command = [x for x in args[:2] if not x.startswith("-")]          # e.g. "whatif sweep"
    if run_process(multipartner_argv() + command + ["--help"])["status"] != 0:
        return None
    walls = []
    for _ in range(runs):
        res = run_process(multipartner_argv() + args)
        if res["status"] != 0:
            raise SystemExit(f"multipartner {' '.join(args)} failed:\n{res['stderr'][-3000:]}")
        walls.append(res["wall"])
    return {"median": statistics.median(walls), "runs": walls, "peak_mib": None}


# ---- checking that both pipelines give the same numbers -----------------------------------------------

def compare(naive_result: dict, df) -> dict[str, dict]:
    """Per measure: values compared, worst difference, tolerance, and the worst offenders.

    Values are compared on the naive pipeline's normalisation: multipartner's are converted back to raw values
    (degree as a count, betweenness as a sum over pairs) with its own node counts and divided by the naive
    ones, so a different number of isolated nodes (multipartner keeps a state in its graph for the whole of
    its COW lifetime, even in years it has no row) changes nothing. An entity in one result only must be 0.
    """
    from analysis.centrality import _bet_max

    ours: dict[tuple, dict] = {}
    for (year, metric, kind), g in df.groupby(["year", "metric", "entity_type"], sort=False):
        ours[(int(year), metric, kind)] = dict(zip(g["entity"], g["value"]))
    report = {m: {"compared": 0, "worst": 0.0, "tolerance": TOL[m], "bad": [], "skipped_years": []} for m in TOL}

    def check(measure, year, mine: dict, theirs: dict, scale_mine=1.0, scale_theirs=1.0):
        r = report[measure]
        for e in set(mine) | set(theirs):
            a, b = mine.get(e, 0.0) * scale_mine, theirs.get(e, 0.0) * scale_theirs
            d = abs(a - b)
            r["compared"] += 1
            r["worst"] = max(r["worst"], d)
            if d > r["tolerance"]:
                r["bad"].append((year, e, a, b))

    def pairs(n):
        return (n - 1) * (n - 2) / 2 if n > 2 else 1.0

    for year, res in naive_result.items():
        st, ins = (ours.get((year, "bipartite_degree", k), {}) for k in ("state", "institution"))
        if not st and not ins:
            continue
        states_n = {e for e in res["bipartite_degree"] if e in res["strength"]}
        ns_n, ni_n = len(states_n), len(res["bipartite_degree"]) - len(states_n)
        ns_o, ni_o = len(st), len(ins)
        naive_state = {e: v for e, v in res["bipartite_degree"].items() if e in states_n}
        naive_inst = {e: v for e, v in res["bipartite_degree"].items() if e not in states_n}
        check("strength", year, ours.get((year, "strength", "state"), {}), res["strength"])
        check("eigenvector", year, ours.get((year, "eigenvector", "state"), {}), res["eigenvector"])
        n_proj = len(ours.get((year, "strength", "state"), {}))
        check("unweighted_betweenness", year, ours.get((year, "unweighted_betweenness", "state"), {}),
              res["unweighted_betweenness"], pairs(n_proj) / pairs(ns_n))
        check("bipartite_degree", year, st, naive_state, (ni_o or 1) / (ni_n or 1))
        check("bipartite_degree", year, ins, naive_inst, (ns_o or 1) / (ns_n or 1))
        if res["bipartite_betweenness"] is None:            # networkx divided by zero: nothing to compare
            report["bipartite_betweenness"]["skipped_years"].append(year)
            continue
        ours_bb = {**ours.get((year, "bipartite_betweenness", "state"), {}),
                   **ours.get((year, "bipartite_betweenness", "institution"), {})}
        for e in ours_bb:   # back to raw values, then to the naive normalisation
            top = e in st
            mine_max = _bet_max(ns_o, ni_o) if top else _bet_max(ni_o, ns_o)
            their_max = _bet_max(ns_n, ni_n) if top else _bet_max(ni_n, ns_n)
            ours_bb[e] *= (mine_max / their_max) if their_max > 0 and mine_max > 0 else 1.0
        check("bipartite_betweenness", year, ours_bb, res["bipartite_betweenness"])
    return report


def print_check(label: str, report: dict) -> bool:
    ok = True
    for m, r in report.items():
        bad = r["bad"]
        ok &= not bad
        extra = (f"; years skipped where networkx divides by zero: {_span(r['skipped_years'])}"
                 if r["skipped_years"] else "")
        verdict = "same" if not bad else f"DIFFERENT in {len(bad)} values, e.g. {bad[:3]}"
        tol = "exactly" if r["tolerance"] == 0 else f"to {r['tolerance']:g}"
        print(f"  {label} {m:24s} {r['compared']:7d} values {tol:9s} worst {r['worst']:.1e}: {verdict}{extra}")
    print(f"  {label} communities: Louvain (networkx) and Leiden consensus (multipartner) are not compared")
    return ok


def _span(years):
    return f"{min(years)}-{max(years)} ({len(years)} years)" if years else "none"


# ---- the report ---------------------------------------------------------------------------------------

def verdict_time(seconds: float | None, limit: float) -> str:
    if seconds is None:
        return "not measured"
    if seconds < limit:
        return f"met (< {limit:g} s)"
    return f"MISSED: {seconds:.2f} s is {seconds / limit:.1f}x the {limit:g} s target ({seconds - limit:.2f} s over)"


def verdict_ratio(naive: float | None, ours: float | None, want: float) -> str:
    if naive is None or ours is None:
        return "not measured (naive row skipped)"
    ratio = naive / ours
    if ratio >= want:
        return f"met ({ratio:.0f}x >= {want:g}x)"
    return (f"MISSED: {ratio:.1f}x, short of {want:g}x; multipartner would need {naive / want:.2f} s instead of "
            f"{ours:.2f} s ({ours - naive / want:.2f} s, {100 * (1 - naive / want / ours):.0f}% less)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="Runs per row; the median is reported (default 3).")
    ap.add_argument("--cow", type=Path, default=DEFAULT_COW, help="COW state-year table, or its directory.")
    ap.add_argument("--skip", default="", help="Comma-separated rows to leave out: naive-bundled, naive-cow, cow, "
                                               "commands.")
    ap.add_argument("--json", type=Path, help="Also write the results to this JSON file.")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--config", help=argparse.SUPPRESS)
    ap.add_argument("--dump", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        worker_main(a.worker, a.config, a.dump)
        return 0
    if a.runs < 3:
        print(f"note: --runs {a.runs}; the issue asks for the median of at least 3 runs")
    skip = {s.strip() for s in a.skip.split(",") if s.strip()}
    cow_file = a.cow / "state_year_format3.csv.gz" if a.cow.is_dir() else a.cow
    if "cow" not in skip and not cow_file.is_file():
        print(f"no COW file at {cow_file}: COW rows skipped (give --cow PATH)")
        skip.add("cow")

    import numpy, scipy, igraph, networkx, pandas  # noqa: E401  -- versions for the record

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f}; Python {platform.python_version()}, numpy {numpy.__version__}, scipy "
          f"{scipy.__version__}, igraph {igraph.__version__}, networkx {networkx.__version__}, pandas "
          f"{pandas.__version__}; OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    results: dict[str, dict | None] = {}
    checks_ok = True
    fingerprint = data_fingerprint()
    with tempfile.TemporaryDirectory(prefix="multipartner-bench-") as tmp:
        tmp = Path(tmp)
        cfg = {"cow_file": str(cow_file), "cow_dataset": str(tmp / "cow")}
        if "cow" not in skip:
            from graphs import load_dataset
            from graphs.cow import import_cow

            t = time.perf_counter()
            import_cow(cow_file, tmp / "cow", map_to_iso=False)    # COW<ccode> codes: the naive pipeline's
            t_import = time.perf_counter() - t
            t = time.perf_counter()
            ds = load_dataset(tmp / "cow")
            print(f"COW: {cow_file} imported in {t_import:.1f} s, loaded in {time.perf_counter() - t:.1f} s "
                  f"({len(ds.years)} years, {len(ds.states)} states, {len(ds.institutions)} IGOs); not timed below")

        rows = [("naive-bundled", "naive-bundled" not in skip), ("mp-bundled-same", True),
                ("mp-bundled-default", True), ("naive-cow", "cow" not in skip and "naive-cow" not in skip),
                ("mp-cow-same-one-run", "cow" not in skip), ("mp-cow-same", "cow" not in skip)]
        for name, wanted in rows:
            if not wanted:
                results[name] = None
                continue
            print(f"timing {name} ...", flush=True)
            dump = tmp / f"{name}.pkl" if name in ("naive-bundled", "mp-bundled-same", "naive-cow",
                                                   "mp-cow-same-one-run") else None
            results[name] = time_task(name, cfg, a.runs, dump)

        print("checking that both pipelines give the same numbers (first runs) ...")
        if data_fingerprint() != fingerprint:
            print("  the bundled data files changed during the run: the rows mixed two datasets; run again")
            checks_ok = False
        for label, nv, mp in (("bundled", "naive-bundled", "mp-bundled-same"), ("COW", "naive-cow",
                                                                              "mp-cow-same-one-run")):
            if results.get(nv) and results.get(mp):
                with open(tmp / f"{nv}.pkl", "rb") as fh, open(tmp / f"{mp}.pkl", "rb") as gh:
                    checks_ok &= print_check(label, compare(pickle.load(fh), pickle.load(gh)))

    if "commands" not in skip:
        print("timing commands (fresh processes) ...", flush=True)
        results["members"] = time_command(["members", "NATO", "--year", "2024"], a.runs)
        results["sweep"] = time_command(["whatif", "sweep", "--year", "2024", "--metric", "polarisation",
                                         "--top", "0", "--quiet"], a.runs)
        # one year's report, written to a scratch directory
        with tempfile.TemporaryDirectory() as out:
            results["report"] = time_command(["report", "--year", "2024", "--out", out, "--quiet"], a.runs)

    def med(k):
        return results[k]["median"] if results.get(k) else None

    def cell(k):
        r = results.get(k)
        if r is None:
            return "skipped"
        peak = f"; peak {r['peak_mib']:.0f} MiB" if r["peak_mib"] is not None else ""
        return f"{r['median']:8.2f} s  (runs {', '.join(f'{s:.2f}' for s in r['runs'])}{peak})"

    print(f"\nResults, median of {a.runs} runs on this machine (load average now {os.getloadavg()[0]:.2f}):")
    table = [
        ("bundled, every year: naive networkx pipeline", "naive-bundled", ""),
        ("bundled, every year: multipartner, same measures", "mp-bundled-same",
         f"{med('naive-bundled') / med('mp-bundled-same'):.0f}x faster than naive (no target)"
         if med("naive-bundled") and med("mp-bundled-same") else ""),
        ("bundled, every year: multipartner metrics, default measure set", "mp-bundled-default",
         verdict_time(med("mp-bundled-default"), 1.0)),
        ("COW, every year: naive networkx pipeline", "naive-cow", ""),
        ("COW, every year: multipartner, same measures (one Leiden run, as one Louvain run)", "mp-cow-same-one-run",
         verdict_ratio(med("naive-cow"), med("mp-cow-same-one-run"), 40)),
        ("COW, every year: multipartner, same measures (default consensus of 10 Leiden runs)", "mp-cow-same",
         verdict_ratio(med("naive-cow"), med("mp-cow-same"), 40)),
    ]
    for label, key, verdict in table:
        print(f"  {label:88s} {cell(key)}  {verdict}")
    if results.get("mp-cow-same"):
        peak = max(results[k]["peak_mib"] for k in ("mp-cow-same", "mp-cow-same-one-run"))
        print(f"  {'COW peak memory of multipartner (whole process, loading included)':88s} {peak:8.0f} MiB  "
              + ("met (< 1024 MiB)" if peak < 1024 else f"MISSED by {peak - 1024:.0f} MiB"))
    for label, key, limit in (("multipartner members NATO --year 2024, cold start", "members", 1.0),
                              ("what-if sweep, every single edit of 2024 (issue 7)", "sweep", 5.0),
                              ("multipartner report --year 2024 (issue 5)", "report", 3.0)):
        if "commands" in skip:
            print(f"  {label:88s} skipped")
        elif results.get(key) is None:
            print(f"  {label:88s} not available yet")
        else:
            print(f"  {label:88s} {cell(key)}  {verdict_time(med(key), limit)}")
    print("numbers: " + ("both pipelines agree on every compared value" if checks_ok else "DIFFERENCES, see above"))
    if a.json:
        from graphs.output import write_text_atomic

        write_text_atomic(a.json, json.dumps({"results": results, "numbers_agree": checks_ok}, indent=2) + "\n")
    return 0 if checks_ok else 1


if __name__ == "__main__":
    sys.exit(main())
