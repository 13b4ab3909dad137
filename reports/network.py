"""The interactive bipartite network of one year as vis-network nodes and edges; the page embeds vis-network's
JavaScript inline from the pyvis package (:func:`reports.html.vis_network_js`). pyvis's ``Network`` is not
used: its HTML template loads Bootstrap from a CDN, and importing it imports IPython (0.4 s of a 3 s report)
to build what are plain vis-network dicts (https://visjs.github.io/vis-network/docs/network/nodes.html).

States are dots coloured by bloc, institutions squares coloured by type; positions come from
:func:`reports.layout.stable_positions`, so the picture does not jump between years. Tooltips are plain text
(vis-network 9 shows a string ``title`` as text, never as HTML).
"""

from __future__ import annotations

import numpy as np

from .circles_svg import bloc_colour

TYPE_COLOURS = {"club": "#1f3b73", "concert": "#b8860b", "coalition": "#6a3d9a", "regional": "#2e7d32",
                "charter": "#607d8b", "": "#795548"}

OPTIONS = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 80, "hideEdgesOnDrag": True, "navigationButtons": False},
    "edges": {"color": {"color": "rgba(120,120,120,0.18)", "highlight": "#d62728", "hover": "#d62728"},
              "width": 0.6, "smooth": False},
    "nodes": {"font": {"size": 11, "face": "system-ui, sans-serif"}, "borderWidth": 0.5},
}


def network_data(net, year: int, positions: dict, blocs: dict[str, int], *, notable=()) -> dict:
    """``{"nodes": [...], "edges": [...], "options": {...}}`` for vis-network, for ``year``."""
    ds = net.dataset
    nodes = []
    B = net.biadjacency(year).tocoo()
    st, inst = net.present(year, "states"), net.present(year, "institutions")
    degree_s = np.bincount(B.row, minlength=len(net.state_codes))
    degree_i = np.bincount(B.col, minlength=len(net.institution_ids))
    notable = set(notable)
    for k in st:
        code = net.state_codes[k]
        s = ds.state[code]
        x, y = positions.get(code, (0.0, 0.0))
        nodes.append(dict(color=bloc_colour(blocs.get(code)), size=4 + 0.2 * float(degree_s[k]), x=x, y=y,
                          physics=False,
                          title=f"{s.name} ({code})\nbloc {blocs.get(code, '–')}\n{int(degree_s[k])} memberships",
                          id=code, label=code if code in notable else " ", shape="dot"))
    for k in inst:
        iid = net.institution_ids[k]
        i = ds.institution[iid]
        x, y = positions.get(iid, (0.0, 0.0))
        nodes.append(dict(color=TYPE_COLOURS.get(i.type, TYPE_COLOURS[""]), size=6 + 2.0 * float(np.log1p(degree_i[k])),
                          x=x, y=y, physics=False,
                          title=f"{i.name} ({iid})\n{i.type or 'untyped'}, {i.orientation or 'no orientation'}\n"
                                f"{int(degree_i[k])} members",
                          id=iid, label=iid, shape="square"))
    edges = [{"from": net.state_codes[r], "to": net.institution_ids[c]}
             for r, c in sorted(zip(B.row.tolist(), B.col.tolist()))]
    return {"nodes": nodes, "edges": edges, "options": OPTIONS}
