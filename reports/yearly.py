"""Yearly HTML network reports: ``multipartner report --year Y [--focus ISO3] [--out DIR]`` and ``--years A:B``.

:class:`ReportBuilder` computes what every year shares once (stable positions, blocs with persistent ids,
polarisation and multialignment over time, membership counts) and then each year's page. A report is one
self-contained HTML file: CSS, JavaScript (vis-network, inlined from the pyvis package) and SVG inline, system
fonts only, no network request. Same data and seed give byte-identical files (no timestamp inside).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.circles import focal_rings, has_types, world_rings
from analysis.metrics import DEFAULT_METRICS, Analysis, Options
from analysis.multialignment import CAMPS
from graphs.schema import TYPES

from . import charts
from .circles_svg import bloc_colour, circles_svg
from .html import render, vis_network_js
from .layout import stable_positions
from .network import TYPE_COLOURS, network_data

FOCAL_RING_LABELS = {"club": "club", "concert": "concert", "coalition": "coalition", "regional": "regional",
                     "charter": "charter", "none": "no shared body"}
WORLD_RING_LABELS = {1: "core", 2: "inner", 3: "middle", 4: "outer", 5: "periphery", 6: "no validated tie"}
MEASURE_NAMES = {"eigenvector": "eigenvector", "strength": "strength", "betweenness": "betweenness",
                 "bipartite_degree": "memberships (share)", "multialignment": "multialignment"}


def report_filename(year: int, focus: str | None) -> str:
    return f"report-{year}{'-' + focus if focus else ''}.html"


def dataset_label(ds) -> str:
    """"the bundled dataset" or the directory's name (never a full path: reports are mailed around)."""
    from graphs.paths import bundled_data_dir

    return "the bundled dataset" if Path(ds.path).resolve() == Path(bundled_data_dir()).resolve() else ds.path.name


def _known_gaps_intro(path: Path) -> list[str]:
    """The opening part of a dataset's KNOWN_GAPS.md (up to its first section), as paragraphs/bullets."""
    f = Path(path) / "KNOWN_GAPS.md"
    if not f.exists():
        return []
    lines, out = f.read_text(encoding="utf-8").splitlines(), []
    for line in lines[1:]:
        if line.startswith("## "):
            break
        if line.startswith("- "):
            out.append(line[2:].strip())
        elif line.strip() and out and lines and not line.startswith("#"):
            out[-1] += " " + line.strip()
        elif line.strip():
            out.append(line.strip())
    return [s.replace("**", "") for s in out]


class ReportBuilder:
    """Everything the reports of one dataset share, computed once."""

    def __init__(self, dataset, options: Options | None = None):
        self.ds = dataset
        self.a = Analysis(dataset, options)
        self.net = self.a.net
        self.typed = has_types(dataset)
        self.names = {s.code: s.name for s in dataset.states}
        self._frames: dict[int, pd.DataFrame] = {}

    def prefetch(self, years) -> None:
        """Compute, spread over processes, every measure the reports of ``years`` need: blocs, the alignment
        measure and polarisation of every year (over-time charts, persistent bloc ids), and all measures of
        each report year and the year before it."""
        a = self.a
        metric = "multialignment" if a.has_labels else "participation"
        a.prefetch(a.years(), blocs=True, metric_sets=[(metric,)], polarisation=True)
        a.prefetch(sorted({y for y in years} | {y - 1 for y in years if y - 1 in self.net.years}),
                   metric_sets=[DEFAULT_METRICS])

    # ---- shared over all years ------------------------------------------------------------------------
    @cached_property
    def positions(self):
        return stable_positions(self.net, seed=self.a.opt.seed)

    @cached_property
    def _bloc_history(self):
        """(year -> {state: persistent bloc id}, (year, state) -> stability) over every year."""
        table, _, _ = self.a.bloc_table()
        ids: dict[int, dict[str, int]] = {}
        for y, s, b in zip(table["year"], table["state"], table["bloc"]):
            ids.setdefault(int(y), {})[s] = int(b)
        stability = {(int(y), s): float(v) for y, s, v in zip(table["year"], table["state"], table["stability"])}
        return ids, stability

    @property
    def bloc_ids(self) -> dict[int, dict[str, int]]:
        return self._bloc_history[0]

    @property
    def bloc_stability(self) -> dict[tuple[int, str], float]:
        return self._bloc_history[1]

    @cached_property
    def polarisation(self) -> pd.DataFrame:
        return self.a.polarisation()

    @cached_property
    def alignment_over_time(self) -> pd.DataFrame:
        metric = "multialignment" if self.a.has_labels else "participation"
        return self.a.metrics(metrics=(metric,))

    @cached_property
    def counts(self) -> np.ndarray:
        """years × institutions matrix of full-member counts."""
        S_ = len(self.net.state_codes)
        st = self.net.stacked
        y = np.repeat(np.arange(st.shape[0]) // S_, np.diff(st.indptr))
        return sp.csr_matrix((np.ones(st.nnz), (y, st.indices)),
                             shape=(len(self.net.years), len(self.net.institution_ids))).toarray()

    def _count(self, year: int, k: int) -> int:
        return int(self.counts[year - self.net.years.start, k]) if year in self.net.years else 0

    # ---- one year ------------------------------------------------------------------------------------
    def changes(self, year: int) -> dict:
        net = self.net
        cur = net.statuses(year)
        prev = net.statuses(year - 1) if year - 1 in net.years else {}
        alive_now = {net.state_codes[k] for k in net.present(year)}
        rows = []
        for key in sorted(set(cur) | set(prev)):
            a, b = prev.get(key), cur.get(key)
            if a == b:
                continue
            s, i = key
            if a is None:
                what = "joined" if b == "member" else f"became {b}"
            elif b is None:
                what = "left" if s in alive_now else "ceased to exist"
                what += f" (was {a})" if a != "member" else ""
            else:
                what = "suspended" if b == "suspended" else ("readmitted" if a == "suspended" and b == "member"
                                                             else f"{a} → {b}")
            rows.append({"state": s, "name": self.names.get(s, s), "institution": i, "change": what})
        inst_now = {net.institution_ids[k] for k in net.present(year, "institutions")}
        inst_prev = ({net.institution_ids[k] for k in net.present(year - 1, "institutions")}
                     if year - 1 in net.years else set())
        rows.sort(key=lambda r: (r["institution"], r["change"], r["state"]))
        return {"rows": rows,
                "joins": sum(r["change"] == "joined" for r in rows),
                "exits": sum(r["change"].startswith("left") for r in rows),
                "suspensions": sum(r["change"] == "suspended" for r in rows),
                "founded": sorted(inst_now - inst_prev) if inst_prev else [],
                "dissolved": sorted(inst_prev - inst_now)}

    def _frame(self, year: int) -> pd.DataFrame:
        """State measures of ``year`` (entity × metric); a series needs each year twice (itself, the year
        before the next), so each is computed once."""
        if year not in self._frames:
            df = self.a.year_metrics(year)
            self._frames[year] = df[df["entity_type"] == "state"].pivot(index="entity", columns="metric",
                                                                        values="value")
        return self._frames[year]

    def movers(self, cur: pd.DataFrame, prev: pd.DataFrame | None, metric: str, n: int = 5) -> list[dict]:
        if prev is None or metric not in cur or metric not in prev:
            return []
        both = cur.index.intersection(prev.index)
        d = (cur.loc[both, metric] - prev.loc[both, metric]).dropna()
        d = d[d.abs() > 1e-9]
        top = pd.concat([d.nlargest(n), d.nsmallest(n)])
        top = top[~top.index.duplicated()].sort_values(ascending=False)
        return [{"state": s, "name": self.names.get(s, s), "before": float(prev.loc[s, metric]),
                 "after": float(cur.loc[s, metric]), "delta": float(v)} for s, v in top.items()]

    def default_focus(self, year: int, frame: pd.DataFrame) -> str:
        if "USA" in frame.index:
            return "USA"
        return str(frame["eigenvector"].idxmax())

    def context(self, year: int, focus: str | None = None) -> dict:
        ds, net, a = self.ds, self.net, self.a
        ds.check_year(year)
        cur = self._frame(year)
        prev = self._frame(year - 1) if year - 1 in net.years else None
        if focus:
            focus = ds.resolve_state(focus)
        blocs = self.bloc_ids.get(year, {})
        notes = []
        if not self.typed:
            notes.append("This dataset has no institution types (a COW import?): the concentric picture falls "
                         "back to the world view, and the focal view is not drawn.")
        partial_rosters = [(iid, gap) for iid, gap in ds.partial_rosters.items()
                           if ds.institution[iid].founded.year <= year]
        if not a.has_labels:
            notes.append("This dataset has no orientation labels: multialignment and orientation balance are "
                         "missing; the tables and charts use the label-free participation coefficient instead.")
        align_metric = "multialignment" if a.has_labels else "participation"

        eig = cur["eigenvector"].sort_values(ascending=False)
        # label priority: the most central state of each bloc in turn, so every sector gets names
        per_bloc: dict[int, list[str]] = {}
        for s in eig.index:
            per_bloc.setdefault(blocs.get(s, -1), []).append(s)
        queues = sorted(per_bloc.values(), key=lambda q: -len(q))
        ranked = [q[k] for k in range(max(map(len, queues), default=0)) for q in queues if k < len(q)]
        notable = list(dict.fromkeys(([focus] if focus else []) + ranked))

        # ---- circles ----
        pictures = []
        if self.typed:
            f = focus or self.default_focus(year, cur)
            if f in {net.state_codes[k] for k in net.present(year)}:
                rows = focal_rings(net, year, f)
                for r in rows:
                    shared = r["reason"].replace(";", ", ")
                    r["tip"] = (f"{self.names.get(r['state'], r['state'])} ({r['state']}) — ring: "
                                f"{FOCAL_RING_LABELS[r['ring']]}"
                                + (f"; shares {shared} with {f}" if shared else f"; shares no body with {f}")
                                + f"; bloc {blocs.get(r['state'], '–')}")
                pictures.append({"id": "circles-focal", "title": f"{self.names.get(f, f)} at the centre, {year}",
                                 "svg": circles_svg(rows, list(FOCAL_RING_LABELS), FOCAL_RING_LABELS, blocs,
                                                    self.names, notable, centre_label=f,
                                                    centre_tip=self.names.get(f, f),
                                                    title=f"Concentric circles around {self.names.get(f, f)}, {year}",
                                                    element_id="circles-focal"),
                                 "rings": pd.Series([r["ring"] for r in rows]).value_counts().to_dict(),
                                 "focus": f})
        wrows = world_rings(net, year)
        for r in wrows:
            r["tip"] = (f"{self.names.get(r['state'], r['state'])} ({r['state']}) — ring: "
                        f"{WORLD_RING_LABELS[r['ring']]} (k-core {int(r['coreness'])}, {r['ties']} validated ties); "
                        f"bloc {blocs.get(r['state'], '–')}")
        pictures.append({"id": "circles-world", "title": f"World view, {year}",
                         "svg": circles_svg(wrows, list(WORLD_RING_LABELS), WORLD_RING_LABELS, blocs, self.names,
                                            notable, title=f"World view by depth of integration, {year}",
                                            element_id="circles-world"),
                         "rings": {}, "focus": None})

        # ---- tables ----
        def rank_change(s, metric="eigenvector"):
            if prev is None or s not in prev.index:
                return None
            r_now = int((cur[metric] > cur.loc[s, metric]).sum()) + 1
            r_then = int((prev[metric] > prev.loc[s, metric]).sum()) + 1
            return r_then - r_now

        top = [{"state": s, "name": self.names.get(s, s), "eigenvector": cur.loc[s, "eigenvector"],
                "strength": cur.loc[s, "strength"], "betweenness": cur.loc[s, "betweenness"],
                "memberships": cur.loc[s, "bipartite_degree"], "bloc": blocs.get(s),
                "colour": bloc_colour(blocs.get(s)), "rank_change": rank_change(s)} for s in eig.index[:15]]
        straddles = a.straddles(year) if a.has_labels else pd.DataFrame(columns=["state", "institution", "orientation"])
        by_state: dict[str, dict[str, list[str]]] = {}
        for s, i, o in zip(straddles["state"], straddles["institution"], straddles["orientation"]):
            by_state.setdefault(s, {}).setdefault(o, []).append(i)
        al = cur[align_metric].dropna().sort_values(ascending=False)
        multi = [{"state": s, "name": self.names.get(s, s), "value": v,
                  "balance": cur.loc[s, "orientation_balance"], "participation": cur.loc[s, "participation"],
                  "camps": [(c, ", ".join(by_state.get(s, {}).get(c, []))) for c in CAMPS
                            if by_state.get(s, {}).get(c)]} for s, v in al.iloc[:15].items()]
        groups: dict[int, list[str]] = {}
        for s, b in blocs.items():
            groups.setdefault(b, []).append(s)
        bloc_rows = []
        for b, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            members = sorted(members, key=lambda s: -cur["eigenvector"].get(s, 0))
            bloc_rows.append({"bloc": b, "colour": bloc_colour(b), "size": len(members),
                              "stability": float(np.mean([self.bloc_stability[(year, s)] for s in members])),
                              "members": [(s, self.names.get(s, s)) for s in members]})

        # ---- charts ----
        pol = self.polarisation
        pol_chart = charts.line_chart(
            {"modularity of the blocs": list(zip(pol["year"], pol["modularity"])),
             "bipartite modularity": list(zip(pol["year"], pol["bipartite_modularity"])),
             "cross-bloc tie share": list(zip(pol["year"], pol["cross_share"]))},
            title="Polarisation over time", mark_year=year, element_id="chart-polarisation")
        aot = self.alignment_over_time
        aot = aot[aot["metric"] == align_metric]
        watch = list(dict.fromkeys(([focus] if focus else []) + list(al.index[:6])))[:7]
        ma_series = {f"{self.names.get(s, s)}": list(zip(g["year"].tolist(), g["value"].tolist()))
                     for s in watch for _, g in [(s, aot[aot["entity"] == s].sort_values("year"))]}
        ma_chart = charts.line_chart(ma_series, title=f"{align_metric.capitalize()} of notable states over time",
                                     mark_year=year, element_id="chart-multialignment")
        inst = net.present(year, "institutions")
        bars = []
        for k in sorted(inst, key=lambda k: (-self._count(year, k), net.institution_ids[k])):
            iid, n = net.institution_ids[k], self._count(year, k)
            was = self._count(year - 1, k)
            i = ds.institution[iid]
            delta = f" ({n - was:+d} since {year - 1})" if year - 1 in net.years and n != was else ""
            partial = f" (partial roster: {i.roster_gap})" if i.roster_gap else ""
            bars.append({"label": iid + ("*" if i.partial else ""), "value": n,
                         "colour": TYPE_COLOURS.get(i.type, TYPE_COLOURS[""]),
                         "tip": f"{i.name}: {n} full members{delta}{partial}", "text": f"{n}{delta}"})
        bars_chart = charts.bar_chart(bars[:60], title=f"Full members per institution, {year}"
                                      + (" (the 60 largest)" if len(bars) > 60 else ""),
                                      element_id="chart-counts")
        heat = self._overlap(year, inst)

        # ---- headline ----
        B = net.biadjacency(year)
        ch = self.changes(year)
        prow = pol[pol["year"] == year].iloc[0] if (pol["year"] == year).any() else None
        headline = {"states": len(net.present(year)), "institutions": len(inst), "memberships": int(B.nnz),
                    "blocs": len(groups), "modularity": None if prow is None else float(prow["modularity"]),
                    "joins": ch["joins"], "exits": ch["exits"], "suspensions": ch["suspensions"],
                    "founded": ch["founded"], "dissolved": ch["dissolved"]}

        institutions = [{"id": i.id, "name": i.name, "type": i.type, "domain": i.domain,
                         "orientation": i.orientation, "reason": i.orientation_reason, "source": i.source,
                         "roster_gap": i.roster_gap}
                        for i in sorted(ds.institutions, key=lambda i: (TYPES.index(i.type) if i.type in TYPES
                                                                         else 9, i.id))]
        return {
            "year": year, "focus": focus, "years": list(net.years), "notes": notes,
            "partial_rosters": partial_rosters, "headline": headline,
            "changes": ch, "movers_centrality": self.movers(cur, prev, "eigenvector"),
            "movers_alignment": self.movers(cur, prev, align_metric), "align_metric": align_metric,
            "pictures": pictures, "top": top, "multi": multi, "blocs": bloc_rows,
            "pol_chart": pol_chart, "ma_chart": ma_chart, "bars_chart": bars_chart, "heatmap": heat,
            "network": network_data(net, year, self.positions, blocs, notable=notable[:40]),
            "institutions": institutions, "gaps": _known_gaps_intro(ds.path), "options": a.opt,
            "n_spells": len(ds.spells), "dataset_name": dataset_label(ds), "has_labels": a.has_labels,
            "type_colours": TYPE_COLOURS,
        }

    def _overlap(self, year: int, inst) -> object:
        net = self.net
        A = (net.biadjacency(year)[:, inst] > 0).astype(float).tocsc()
        size = np.asarray(A.sum(0)).ravel()
        keep = [j for j in np.argsort([(TYPES.index(t) if t in TYPES else 9) for t in
                                       (self.ds.institution[net.institution_ids[k]].type for k in inst)],
                                      kind="stable") if size[j] >= 2][:60]
        if not keep:
            return None
        A = A[:, keep]
        inter = (A.T @ A).toarray()
        s = size[keep]
        union = s[:, None] + s[None, :] - inter
        jac = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        ids = [net.institution_ids[inst[j]] for j in keep]
        tips = [[f"{ids[i]} & {ids[j]}: {int(inter[i, j])} shared members, Jaccard {jac[i, j]:.2f}"
                 for j in range(len(ids))] for i in range(len(ids))]
        return charts.heatmap(ids, jac, tips, title=f"Overlap of memberships (Jaccard), {year}",
                              element_id="chart-overlap")

    def year_html(self, year: int, focus: str | None = None, *, series: list[int] | None = None) -> str:
        ctx = self.context(year, focus)
        return render("year.html.j2", **ctx, vis_js=vis_network_js(), series=series or [],
                      filename=report_filename)

    def index_html(self, years: list[int], focus: str | None = None) -> str:
        pol = self.polarisation
        pol = pol[pol["year"].isin(years)]
        counts = [{"year": y, "states": len(self.net.present(y)),
                   "institutions": len(self.net.present(y, "institutions")),
                   "memberships": int(self.net.biadjacency(y).nnz),
                   "blocs": len(set(self.bloc_ids.get(y, {}).values())),
                   "modularity": float(pol.loc[pol["year"] == y, "modularity"].iloc[0]) if (pol["year"] == y).any()
                   else None, "changes": len(self.changes(y)["rows"])} for y in years]
        trend = charts.line_chart({"modularity": list(zip(pol["year"], pol["modularity"])),
                                   "cross-bloc tie share": list(zip(pol["year"], pol["cross_share"]))},
                                  title="Polarisation", element_id="chart-polarisation")
        sizes = charts.line_chart({"memberships (÷10)": [(c["year"], c["memberships"] / 10) for c in counts],
                                   "institutions": [(c["year"], c["institutions"]) for c in counts],
                                   "blocs": [(c["year"], c["blocs"]) for c in counts]},
                                  title="Size of the network", element_id="chart-size")
        return render("index.html.j2", years=years, rows=counts, focus=focus, trend=trend, sizes=sizes,
                      filename=report_filename, dataset_name=dataset_label(self.ds))


def build_reports(dataset, years: list[int], focus: str | None = None, options: Options | None = None,
                  progress=None) -> dict[str, str]:
    """File name -> HTML for each year (and ``index.html`` for a series), rendered in memory first."""
    b = ReportBuilder(dataset, options)
    if focus:
        focus = dataset.resolve_state(focus)
    for y in years:
        dataset.check_year(y)
    b.prefetch(years)
    pages = {}
    series = years if len(years) > 1 else None
    for y in years:
        pages[report_filename(y, focus)] = b.year_html(y, focus, series=series)
        if progress:
            progress(y)
    if series:
        pages["index.html"] = b.index_html(years, focus)
    return pages


def write_reports(pages: dict[str, str], out_dir: str | Path) -> list[Path]:
    """Write every page atomically (each file appears whole or not at all; nothing is written if rendering
    failed, since rendering happens before any write)."""
    from graphs.output import write_text_atomic

    out = []
    for name, html in pages.items():
        path = Path(out_dir) / name
        write_text_atomic(path, html)
        out.append(path)
    return out
