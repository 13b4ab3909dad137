"""Compute any set of measures for a range of years in one call, as one tidy frame.

Everything is computed once per distinct yearly network (consecutive years often repeat one) and spread over
processes (:mod:`analysis.parallel`); blocs are detected once per year and reused by the participation
coefficient, the multialignment index and polarisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from graphs.projection import DEFAULT_WEIGHTING, project
from graphs.yearly import YearlyNetwork

from . import blocs as B
from . import centrality as C
from . import multialignment as M
from .frames import add_ranks, frame
from .parallel import map_calls

STATE_MEASURES = ("strength", "eigenvector", "betweenness", "constraint", "effective_size", "unweighted_betweenness")
INSTITUTION_MEASURES = ("strength", "eigenvector", "betweenness", "unweighted_betweenness")
ALIGNMENT_MEASURES = ("orientation_balance", "participation", "multialignment")
ALL_METRICS = tuple(f"bipartite_{m}" for m in C.TWO_MODE) + STATE_MEASURES + ALIGNMENT_MEASURES + ("stability",)
# unweighted_betweenness is on request only (--metrics): the benchmark's comparison with networkx needs it
DEFAULT_METRICS = tuple(m for m in ALL_METRICS if m != "unweighted_betweenness")


@dataclass
class Options:
    """Settings shared by every analysis command."""

    projection: str = DEFAULT_WEIGHTING
    seed: int = 0
    runs: int = 10
    resolution: float = 1.0
    orientation_overrides: dict[str, str] = field(default_factory=dict)
    #: processes for work over many years (0: every usable core; 1: this process only). Results do not
    #: depend on it.
    jobs: int = 0


class Analysis:
    """All years of one dataset, with projections and blocs computed once and shared by every measure."""

    def __init__(self, dataset, options: Options | None = None, net: YearlyNetwork | None = None):
        self.ds = dataset
        self.opt = options or Options()
        self.net = net or YearlyNetwork(dataset)
        self._proj: dict[tuple[str, int], sp.csr_matrix] = {}
        self._blocs: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._by_matrix: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._by_network: dict[tuple, list[tuple]] = {}
        self._polar: dict[tuple, dict] = {}
        self.labels = M.orientation_labels(dataset, self.opt.orientation_overrides)
        self.has_labels = any(o in M.CAMPS for o in self.labels.values())

    def years(self, first: int | None = None, last: int | None = None) -> range:
        ys = self.net.years
        lo = ys.start if first is None else max(first, ys.start)
        hi = ys.stop - 1 if last is None else min(last, ys.stop - 1)
        return range(lo, hi + 1)

    def projection(self, year: int, onto: str = "states") -> sp.csr_matrix:
        # one year at a time: as fast as the all-years product over the block-diagonal matrix (COW: 0.14 s
        # against 0.19 s for all 199 years), and worker processes then project only their own years
        key = (onto, year)
        if key not in self._proj:
            self._proj[key] = project(self.net, year, onto, self.opt.projection)
        return self._proj[key]

    def _state_matrix(self, year: int):
        """(states alive, their projection with sorted indices, a key equal for equal matrices)."""
        idx = self.net.present(year)
        P = sp.csr_matrix(self.projection(year)[idx][:, idx])
        P.sort_indices()
        return idx, P, (idx.tobytes(), P.indptr.tobytes(), P.indices.tobytes(), P.data.tobytes())

    def _consensus(self, year: int):
        _, P, _ = self._state_matrix(year)
        return B.consensus_partition(P, runs=self.opt.runs, resolution=self.opt.resolution, seed=self.opt.seed)

    def blocs(self, year: int):
        """(row indices of the states alive, consensus bloc labels, stability) for ``year``."""
        if year not in self._blocs:
            idx, _, key = self._state_matrix(year)
            # consecutive years often have the same projection: partition each distinct matrix once
            if key not in self._by_matrix:
                self._by_matrix[key] = self._consensus(year)
            lab, stab = self._by_matrix[key]
            self._blocs[year] = (idx, lab, stab)
        return self._blocs[year]

    # ---- per-year blocks ------------------------------------------------------------------------------
    def network_key(self, year: int) -> tuple:
        """What every measure of ``year`` depends on: its states, its institutions and its weighted ties. Years
        with equal keys have equal measures (COW codes most IGOs only every fifth year before 1965; many
        consecutive years of the bundled data see no change)."""
        Bm = self.net.biadjacency(year)
        return (self.net.present(year).tobytes(), self.net.present(year, "institutions").tobytes(),
                Bm.indptr.tobytes(), Bm.indices.tobytes(), Bm.data.tobytes())

    def year_blocks(self, year: int, metrics=DEFAULT_METRICS) -> list[tuple]:
        """The measures of ``year`` as blocks ``(year, entities, entity_type, metric, values)``
        (:func:`analysis.frames.frame` makes them a frame). Computed once per distinct network
        (:meth:`network_key`) and reused for the years that repeat it."""
        key = (self.network_key(year), tuple(metrics))
        if key not in self._by_network:
            self._by_network[key] = self._year_blocks_one_thread(year, metrics)
        return [(year, *rest) for _, *rest in self._by_network[key]]

    def _year_blocks_one_thread(self, year: int, metrics) -> list[tuple]:
        with C.one_blas_thread():
            return self._compute_year_blocks(year, metrics)

    def prefetch(self, years, *, blocs: bool = False, metric_sets=(), polarisation: bool = False,
                 progress=None) -> None:
        """Compute what ``years`` need and is not cached yet -- their blocs, each measure set of
        ``metric_sets``, their polarisation row -- once per distinct network (:meth:`network_key`), spread over
        ``Options.jobs`` processes (:func:`analysis.parallel.map_calls`). ``progress(year)`` is called for
        each year as its network is done. Every method over many years calls this first; results do not
        depend on the number of processes."""
        metric_sets = [tuple(ms) for ms in metric_sets]
        groups: dict[tuple, list[int]] = {}
        for y in years:
            groups.setdefault(self.network_key(y), []).append(y)
        todo, calls = [], []
        for key, ys in groups.items():
            call = (ys[0], blocs and ys[0] not in self._blocs,
                    tuple(ms for ms in metric_sets if (key, ms) not in self._by_network),
                    polarisation and key not in self._polar)
            if call[1] or call[2] or call[3]:
                todo.append(key)
                calls.append(call)
            elif progress:
                for y in ys:
                    progress(y)
        if not calls:
            return
        with C.one_blas_thread():                   # set up once before forking, not once per worker
            pass
        # largest networks first, so no worker is left with a big one at the end
        order = sorted(range(len(calls)), key=lambda i: -self.net.biadjacency(calls[i][0]).nnz)
        todo, calls = [todo[i] for i in order], [calls[i] for i in order]

        def arrived(i, result):
            key, (part, blocks, row) = todo[i], result
            for ms, b in zip(calls[i][2], blocks):
                self._by_network[(key, ms)] = b
            if row is not None:
                self._polar[key] = row
            for y in groups[key]:
                if part is not None:        # equal networks have equal projections, so equal blocs
                    self._blocs.setdefault(y, part)
                if progress:
                    progress(y)

        map_calls(self, "_network_work", calls, self.opt.jobs, arrived)

    def _network_work(self, year: int, blocs: bool, metric_sets: tuple, polarisation: bool):
        """One worker call of :meth:`prefetch`: (blocs of ``year`` if computed, blocks per measure set,
        polarisation row or None)."""
        with C.one_blas_thread():
            blocks = [self._compute_year_blocks(year, ms) for ms in metric_sets]
            row = self._polarisation_row(year) if polarisation else None
            if blocs:
                self.blocs(year)
        return self._blocs.get(year), blocks, row

    def _compute_year_blocks(self, year: int, metrics) -> list[tuple]:
        net, blocks = self.net, []
        two_mode = [m[len("bipartite_"):] for m in metrics if m.startswith("bipartite_")]
        if two_mode:
            blocks += C.two_mode_blocks(net, year, two_mode)
        state_m = [m for m in metrics if m in STATE_MEASURES]
        if state_m:
            blocks += C.projection_blocks(net, year, "states", self.opt.projection, state_m, P=self.projection(year))
            inst_m = [m for m in state_m if m in INSTITUTION_MEASURES]
            if inst_m:
                blocks += C.projection_blocks(net, year, "institutions", self.opt.projection, inst_m,
                                              P=self.projection(year, "institutions"))
        if any(m in metrics for m in ALIGNMENT_MEASURES + ("stability",)):
            blocks += self._alignment(year, metrics)
        return blocks

    def year_metrics(self, year: int, metrics=DEFAULT_METRICS):
        """Tidy frame ``year, entity, entity_type, metric, value`` of one year (no ranks)."""
        return frame(self.year_blocks(year, metrics))

    def _alignment(self, year, metrics) -> list[tuple]:
        idx, lab, stab = self.blocs(year)
        codes = [self.net.state_codes[k] for k in idx]
        Bm = self.net.biadjacency(year)[idx]
        balance = (M.orientation_balance(M.camp_counts(Bm, self.net.institution_ids, self.labels))
                   if self.has_labels else np.full(len(idx), np.nan))
        P = self.projection(year)[idx][:, idx]
        part = M.participation_coefficient(P, lab)
        values = {"orientation_balance": balance, "participation": part,
                  "multialignment": M.multialignment_index(balance, part, self.has_labels), "stability": stab}
        return [(year, codes, "state", m, values[m]) for m in values if m in metrics]

    # ---- over a range of years -------------------------------------------------------------------------
    def metrics(self, years=None, metrics=DEFAULT_METRICS, progress=None):
        """Tidy frame ``year, entity, entity_type, metric, value, rank`` for every year in ``years``."""
        unknown = [m for m in metrics if m not in ALL_METRICS]
        if unknown:
            from graphs.problems import DataError, Problem, did_you_mean

            raise DataError([Problem("argument", None, "metrics", m, "unknown metric",
                                     did_you_mean(m, ALL_METRICS) or f"expected some of {', '.join(ALL_METRICS)}")
                             for m in unknown])
        years = list(years if years is not None else self.years())
        self.prefetch(years, metric_sets=[metrics], progress=progress)
        blocks = []
        for y in years:
            blocks += self.year_blocks(y, metrics)
        return add_ranks(frame(blocks))

    def bloc_table(self, years=None, progress=None):
        """Frames: blocs (``year, state, bloc, stability`` with persistent bloc ids), events, flows."""
        import pandas as pd

        years = list(years if years is not None else self.years())
        self.prefetch(years, blocs=True, progress=progress)
        parts, stab = {}, {}
        for y in years:
            idx, lab, st = self.blocs(y)
            parts[y] = {self.net.state_codes[k]: int(b) for k, b in zip(idx, lab)}
            stab[y] = {self.net.state_codes[k]: float(s) for k, s in zip(idx, st)}
        ids, events, flows = B.match_over_time(parts)
        rows = [{"year": y, "state": s, "bloc": ids[y][s], "stability": stab[y][s]}
                for y in years for s in sorted(ids[y])]
        return (pd.DataFrame(rows, columns=["year", "state", "bloc", "stability"]),
                pd.DataFrame(events, columns=["year", "event", "from_bloc", "to_bloc", "states"]),
                pd.DataFrame(flows, columns=["year", "from_bloc", "to_bloc", "states"]))

    def polarisation(self, years=None, progress=None):
        """One row per year: modularity, cross_share, ei_index, blocs, bipartite_modularity (Barber, BRIM)."""
        import pandas as pd

        years = list(years if years is not None else self.years())
        self.prefetch(years, polarisation=True, progress=progress)
        rows = [{**self._polarisation_row(y), "year": y} for y in years]
        return pd.DataFrame(rows, columns=["year", "modularity", "cross_share", "ei_index", "blocs",
                                           "bipartite_modularity"])

    def _polarisation_row(self, year: int) -> dict:
        """Modularity, cross-bloc share, E-I index, blocs and Barber's bipartite modularity of ``year``,
        computed once per distinct network."""
        key = self.network_key(year)
        if key not in self._polar:
            idx, lab, _ = self.blocs(year)
            P = self.projection(year)[idx][:, idx]
            row = {"year": year, **B.polarisation(P, lab)}
            with C.one_blas_thread():
                _, _, row["bipartite_modularity"] = B.brim(self.net.biadjacency(year)[idx], lab, seed=self.opt.seed)
            self._polar[key] = row
        return self._polar[key]

    def straddles(self, year: int):
        import pandas as pd

        idx = self.net.present(year)
        rows = M.straddled(self.net.biadjacency(year)[idx], [self.net.state_codes[k] for k in idx],
                           self.net.institution_ids, self.labels)
        return pd.DataFrame([{"year": year, **r} for r in rows], columns=["year", "state", "institution", "orientation"])
