"""Export yearly networks for Gephi and other tools: GEXF, GraphML, CSV edge lists."""

from __future__ import annotations

from pathlib import Path

from .output import atomic_path, render
from .yearly import YearlyNetwork

EXPORT_FORMATS = ("gexf", "graphml", "csv")


def export_year(net: YearlyNetwork, year: int, fmt: str, out: str | Path) -> None:
    """Write the bipartite graph of ``year`` to ``out`` (written atomically)."""
    import networkx as nx

    g = net.to_networkx(year)
    with atomic_path(out) as tmp:
        if fmt == "gexf":
            nx.write_gexf(g, tmp)
        elif fmt == "graphml":
            nx.write_graphml(g, tmp)
        elif fmt == "csv":
            rows = [{"year": year, "state": a if g.nodes[a]["bipartite"] == 0 else b,
                     "institution": b if g.nodes[a]["bipartite"] == 0 else a, **d} for a, b, d in g.edges(data=True)]
            rows.sort(key=lambda r: (r["state"], r["institution"]))
            tmp.write_text(render(rows, ["year", "state", "institution", "status", "weight"], "csv"), encoding="utf-8")
        else:
            raise ValueError(f"unknown export format {fmt!r}")


def export_all_years(net: YearlyNetwork, out: str | Path) -> None:
    """One dynamic GEXF with every node and tie carrying its time spells, for Gephi's timeline.

    Spells are inclusive year intervals ``(first, last)`` of the yearly snapshots.
    """
    import networkx as nx
    import numpy as np

    g = nx.Graph(mode="dynamic", timeformat="double")
    ds = net.dataset
    years = np.array(list(net.years))

    def runs(mask):
        ys = years[mask]
        if not len(ys):
            return []
        breaks = np.flatnonzero(np.diff(ys) != 1)
        starts = np.r_[ys[0], ys[breaks + 1]]
        ends = np.r_[ys[breaks], ys[-1]]
        return [(float(a), float(b)) for a, b in zip(starts, ends)]

    st_born, st_died = net._state_life
    for k, code in enumerate(net.state_codes):
        s = ds.state[code]
        g.add_node(code, label=s.name, bipartite=0, kind=s.kind, region=s.region,
                   spells=runs((years >= st_born[k]) & (years <= st_died[k])))
    in_born, in_died = net._inst_life
    for k, iid in enumerate(net.institution_ids):
        i = ds.institution[iid]
        g.add_node(iid, label=i.name, bipartite=1, type=i.type, orientation=i.orientation,
                   spells=runs((years >= in_born[k]) & (years <= in_died[k])))
    keep = net._weight > 0
    pairs = net._state[keep].astype(np.int64) * len(net.institution_ids) + net._inst[keep]
    order = np.lexsort((net._year[keep], pairs))
    pairs_sorted, yrs = pairs[order], net._year[keep][order] + net.years.start
    bounds = np.flatnonzero(np.r_[True, pairs_sorted[1:] != pairs_sorted[:-1], True])
    for a, b in zip(bounds[:-1], bounds[1:]):
        p = int(pairs_sorted[a])
        s, i = net.state_codes[p // len(net.institution_ids)], net.institution_ids[p % len(net.institution_ids)]
        g.add_edge(s, i, spells=runs(np.isin(years, yrs[a:b])))
    with atomic_path(out) as tmp:
        nx.write_gexf(g, tmp, version="1.2draft")
