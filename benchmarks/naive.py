"""The pipeline an analyst writes by hand with networkx, one year at a time -- the baseline of the benchmark.

For each year: a networkx bipartite graph of states and institutions (full members only), its weighted
projection onto states (``bipartite.weighted_projected_graph``: weight = shared institutions), eigenvector and
betweenness centrality of the projection, Louvain communities, and two-mode degree and betweenness. Written the
way the networkx documentation suggests, with three changes any careful analyst makes:

* eigenvector centrality with a tight tolerance (the default ``tol=1e-6`` is a bound on the *sum* of changes over
  all nodes, too loose to compare at 1e-6 per node);
* betweenness of the projection without weights: networkx's weighted betweenness compares floating-point path
  lengths exactly and misses tied paths;
* a guard for networkx's bipartite betweenness, which divides by zero in a year with a single institution.

Input: one entry per year, ``(states, institutions, edges)`` -- the nodes of that year's graph and its
(state, institution) full memberships. :func:`cow_years` makes them from the Correlates of War state-year table;
the benchmark makes them from a multipartner dataset for the bundled data.
"""

from __future__ import annotations

import networkx as nx
from networkx.algorithms import bipartite


def year_measures(states, institutions, edges, seed: int = 0) -> dict[str, dict]:
    """Every measure of one year: name -> {node: value} (``louvain``: a list of sets of states;
    ``bipartite_betweenness``: None where networkx cannot normalise it)."""
    g = nx.Graph()
    g.add_nodes_from(states, bipartite=0)
    g.add_nodes_from(institutions, bipartite=1)
    g.add_edges_from(edges)
    p = bipartite.weighted_projected_graph(g, states)
    out = {
        "strength": dict(p.degree(weight="weight")),
        "eigenvector": (nx.eigenvector_centrality(p, weight="weight", tol=1e-12, max_iter=100_000)
                        if p.number_of_edges() else dict.fromkeys(p, 0.0)),
        "unweighted_betweenness": nx.betweenness_centrality(p),
        "louvain": nx.community.louvain_communities(p, weight="weight", seed=seed),
        "bipartite_degree": bipartite.degree_centrality(g, states),
    }
    try:
        out["bipartite_betweenness"] = bipartite.betweenness_centrality(g, states)
    except ZeroDivisionError:          # a single institution: networkx's normalisation divides by zero
        out["bipartite_betweenness"] = None
    return out


def run(years: dict[int, tuple]) -> dict[int, dict[str, dict]]:
    """:func:`year_measures` for every year of ``years`` (year -> (states, institutions, edges))."""
    return {y: year_measures(*years[y]) for y in sorted(years)}


def cow_years(table) -> dict[int, tuple]:
    """Per-year nodes and full memberships from the COW IGO state-year table (a pandas DataFrame as read by
    ``pandas.read_csv``): states are ``COW<ccode>`` for the rows of the year, institutions the upper-cased
    columns with at least one cell that year not coded -1 (not in existence), ties the cells coded 1 (full
    member)."""
    import numpy as np

    igos = [c for c in table.columns if c not in ("ccode", "year", "state")]
    values = table[igos].to_numpy(dtype=float)
    names = np.array([c.upper() for c in igos], dtype=object)
    out = {}
    for year, rows in table.groupby("year").indices.items():
        v = values[rows]
        states = [f"COW{int(c)}" for c in table["ccode"].to_numpy()[rows]]
        exists = (v != -1).any(axis=0)
        r, c = np.nonzero(v == 1)
        out[int(year)] = (states, list(names[exists]), [(states[i], names[j]) for i, j in zip(r, c)])
    return out
