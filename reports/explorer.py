"""``multipartner explore``: one self-contained HTML file for exploring the whole history in the browser.

The page carries the membership spells (clipped to the chosen years), the nodes with their stable positions
(:func:`reports.layout.stable_positions`), each state's measures per year and its bloc with a persistent id (so
blocs keep their colours), and draws with vis-network inlined from the pyvis package. Everything interactive —
the year slider and its animation, search, filters, the projection and its weighting — happens in the page's
own JavaScript, with no network request. Data strings reach the page only as escaped JSON (see
:func:`reports.html.script_json`) and are put on screen as text (``textContent``), never as HTML.
"""

from __future__ import annotations

import numpy as np

from analysis.metrics import Analysis, Options
from graphs import schema

from .circles_svg import NO_BLOC, PALETTE
from .html import render, vis_network_js
from .layout import stable_positions
from .network import TYPE_COLOURS

MEASURES = ("eigenvector", "strength", "betweenness", "bipartite_degree")


def _series(values: dict[tuple[int, str], float], years: list[int], entities: list[str]) -> dict[str, list]:
    return {e: [None if (v := values.get((y, e))) is None or v != v else round(float(v), 4) for y in years]
            for e in entities}


def explorer_data(dataset, years: list[int], options: Options | None = None, progress=None) -> dict:
    """Everything the page needs, as plain JSON-ready data."""
    a = Analysis(dataset, options)
    net, ds = a.net, dataset
    y0, y1 = years[0], years[-1]
    pos = stable_positions(net, seed=a.opt.seed)
    s_born, s_died = net._state_life
    i_born, i_died = net._inst_life
    align = "multialignment" if a.has_labels else "participation"
    metrics = MEASURES + (align,)

    df = a.metrics(years, metrics, progress=progress)
    df = df[df["entity_type"] == "state"]
    values: dict[str, dict[tuple[int, str], float]] = {m: {} for m in metrics}
    for m, y, e, v in zip(df["metric"], df["year"], df["entity"], df["value"]):
        values[m][(int(y), e)] = v
    blocs: dict[tuple[int, str], int] = {}
    table, _, _ = a.bloc_table(years)
    for y, s, b in zip(table["year"], table["state"], table["bloc"]):
        blocs[(int(y), s)] = int(b)

    states = list(net.state_codes)
    nodes = []
    for k, code in enumerate(states):
        s = ds.state[code]
        x, yy = pos[code]
        nodes.append({"id": code, "name": s.name, "kind": "state", "region": s.region, "x": x, "y": yy,
                      "born": int(s_born[k]), "died": int(s_died[k])})
    for k, iid in enumerate(net.institution_ids):
        i = ds.institution[iid]
        x, yy = pos[iid]
        nodes.append({"id": iid, "name": i.name, "kind": "institution", "type": i.type, "domain": i.domain,
                      "orientation": i.orientation, "formality": i.formality, "x": x, "y": yy,
                      "born": int(i_born[k]), "died": int(i_died[k]),
                      "roster_gap": i.roster_gap})

    first = np.maximum(ds.spell_first, y0)
    last = np.minimum(ds.spell_last, y1)
    keep = np.flatnonzero(first <= last)
    n_states = len(states)
    ties = [[int(ds.spell_state[k]), n_states + int(ds.spell_institution[k]), int(ds.spell_status[k]),
             int(first[k]), int(last[k])] for k in keep]
    history = {}
    for sp in sorted(ds.spells, key=lambda s: (s.state, str(s.start), s.institution)):
        history.setdefault(sp.state, []).append([sp.institution, sp.status, str(sp.start), str(sp.end or "")])

    return {
        "years": years, "nodes": nodes, "ties": ties, "statuses": list(schema.STATUSES),
        "types": [t for t in schema.TYPES if any(i.type == t for i in ds.institutions)],
        "orientations": sorted({i.orientation for i in ds.institutions if i.orientation}),
        "domains": sorted({i.domain for i in ds.institutions if i.domain}),
        "measures": {m: _series(values[m], years, states) for m in metrics},
        "measure_names": list(metrics),
        "blocs": {s: [blocs.get((y, s)) for y in years] for s in states},
        "history": history, "palette": list(PALETTE), "no_bloc": NO_BLOC, "type_colours": TYPE_COLOURS,
        "many_institutions": len(net.institution_ids) > 150,
    }


def explorer_html(dataset, years: list[int], options: Options | None = None, progress=None) -> str:
    from .yearly import dataset_label

    data = explorer_data(dataset, years, options, progress)
    return render("explore.html.j2", data=data, vis_js=vis_network_js(), first=years[0], last=years[-1],
                  dataset_name=dataset_label(dataset))
