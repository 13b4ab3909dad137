"""The what-if diff report: baseline against scenario for one year, as one self-contained HTML file.

It renders a :class:`analysis.whatif.Comparison`: the edits, polarisation before and after, the concentric
pictures side by side (for each focal state, and the world view) with the states whose ring or bloc changed
outlined, the states that moved, and the largest changes in centrality and multialignment. Same escaping,
no-network and determinism rules as the yearly report; no JavaScript at all.
"""

from __future__ import annotations

import pandas as pd

from .circles_svg import circles_svg
from .html import render as render_template
from .yearly import FOCAL_RING_LABELS, WORLD_RING_LABELS

TOP = 12


def _top_changes(df: pd.DataFrame, metric: str, n: int = TOP) -> list[dict]:
    d = df[(df["metric"] == metric) & (df["entity_type"] == "state")].dropna(subset=["delta"])
    d = d[d["delta"].abs() > 1e-12]
    d = d.reindex(d["delta"].abs().sort_values(ascending=False, kind="stable").index)[:n]
    return d.to_dict("records")


def _pictures(comp, names: dict[str, str]) -> list[dict]:
    bl = comp.blocs
    base_bloc = {s: int(b) for s, b in zip(bl["state"], bl["baseline_bloc"]) if b == b and b is not None}
    scen_bloc = {s: int(b) for s, b in zip(bl["state"], bl["scenario_bloc"]) if b == b and b is not None}
    moved = set(bl.loc[bl["moved"].astype(bool), "state"])
    pairs = []

    def tip(state, ring, reason, focus, bloc):
        shared = (reason or "").replace(";", ", ")
        return (f"{names.get(state, state)} ({state}) — ring: {FOCAL_RING_LABELS.get(ring, ring)}"
                + (f"; shares {shared} with {focus}" if shared else "") + f"; bloc {bloc if bloc is not None else '–'}")

    for f in comp.focus:
        r = comp.rings[comp.rings["focus"] == f]
        changed = set(r.loc[r["changed"].astype(bool), "state"]) | moved
        sides = []
        for side, blocs in (("baseline", base_bloc), ("scenario", scen_bloc)):
            rows = [{"state": s, "ring": ring, "tip": tip(s, ring, reason, f, blocs.get(s))}
                    for s, ring, reason in zip(r["state"], r[f"{side}_ring"], r[f"{side}_reason"])
                    if isinstance(ring, str)]
            sides.append(circles_svg(rows, list(FOCAL_RING_LABELS), FOCAL_RING_LABELS, blocs, names,
                                     sorted(changed) + sorted(blocs), centre_label=f,
                                     centre_tip=names.get(f, f), highlight=changed,
                                     title=f"{side}: {names.get(f, f)} at the centre, {comp.year}",
                                     element_id=f"circles-{side}-{f}"))
        pairs.append({"title": f"{names.get(f, f)} at the centre", "baseline": sides[0], "scenario": sides[1],
                      "changed": sorted(r.loc[r["changed"].astype(bool), "state"])})
    w = comp.world_rings
    changed = set(w.loc[w["changed"].astype(bool), "state"]) | moved
    sides = []
    for side, blocs in (("baseline", base_bloc), ("scenario", scen_bloc)):
        rows = [{"state": s, "ring": int(ring), "tip": f"{names.get(s, s)} ({s}) — {WORLD_RING_LABELS[int(ring)]} "
                 f"(k-core {int(core)}); bloc {blocs.get(s, '–')}"}
                for s, ring, core in zip(w["state"], w[f"{side}_ring"], w[f"{side}_coreness"]) if ring == ring
                and ring is not pd.NA]
        sides.append(circles_svg(rows, list(WORLD_RING_LABELS), WORLD_RING_LABELS, blocs, names,
                                 sorted(changed) + sorted(blocs), highlight=changed,
                                 title=f"{side}: world view, {comp.year}", element_id=f"circles-{side}-world"))
    pairs.append({"title": "World view", "baseline": sides[0], "scenario": sides[1],
                  "changed": sorted(w.loc[w["changed"].astype(bool), "state"])})
    return pairs


def render(comp, names: dict[str, str] | None = None) -> str:
    """The diff report of ``comp`` as HTML (``names``: state code -> name for labels and tooltips)."""
    names = dict(names or getattr(comp, "names", None) or {})
    bl = comp.blocs
    moved = bl[bl["moved"].astype(bool)].to_dict("records")
    align = "multialignment" if comp.multialignment["metric"].eq("multialignment").any() and \
        comp.multialignment.loc[comp.multialignment["metric"] == "multialignment", "baseline"].notna().any() \
        else "participation"
    return render_template(
        "whatif.html.j2", c=comp, sc=comp.scenario, names=names, edits=comp.edits.to_dict("records"),
        polarisation=comp.polarisation.to_dict("records"), pictures=_pictures(comp, names), moved=moved,
        top_eigen=_top_changes(comp.centrality, "eigenvector"), top_strength=_top_changes(comp.centrality, "strength"),
        top_align=_top_changes(comp.multialignment, align), align=align, summary=comp.summary())
