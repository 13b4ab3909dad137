"""The concentric-circles picture as an inline SVG.

The focal state sits at the centre; rings from the inside out are club, concert, coalition, regional,
charter and "no shared body" (the data of :func:`analysis.circles.focal_rings`); without a focal state the
world view rings states by k-core depth (:func:`analysis.circles.world_rings`). Around the circle, states are
grouped in angular sectors by bloc (a sector's width is proportional to the bloc's size), coloured by bloc.
Where a ring cannot hold a sector's states side by side, they stack in sub-rows inside the ring's band. Notable
states are labelled where a label does not overlap another; every state says on hover which ring it is on
and why. Every string from data is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bb5566", "#004488",
           "#997700", "#117733", "#882255", "#44aa99", "#999933", "#6699cc")
NO_BLOC = "#9a9a9a"
SIZE = 780
CENTRE = SIZE / 2
NODE_R = 4.2
SPACING = 2 * NODE_R + 2.2
GAP = math.radians(3.0)            # between bloc sectors


def bloc_colour(bloc) -> str:
    if bloc is None or bloc != bloc or int(bloc) < 0:
        return NO_BLOC
    return PALETTE[int(bloc) % len(PALETTE)]


@dataclass(frozen=True)
class Placed:
    state: str
    name: str
    ring: object
    bloc: int
    x: float
    y: float
    tip: str
    notable: bool


def _place(items, radii, band):
    """Angles and radii: sectors by bloc around the circle, rows within each ring band."""
    by_bloc: dict[int, list] = {}
    for it in items:
        by_bloc.setdefault(it["bloc"], []).append(it)
    order = sorted(by_bloc, key=lambda b: (-len(by_bloc[b]), b))
    total = len(items) or 1
    usable = 2 * math.pi - GAP * len(order)
    theta, out = -math.pi / 2, []
    for b in order:
        members = by_bloc[b]
        width = usable * len(members) / total
        for ring in radii:
            on_ring = sorted((m for m in members if m["ring"] == ring), key=lambda m: m["state"])
            if not on_ring:
                continue
            r = radii[ring]
            per_row = max(1, int(r * width / SPACING))
            rows = math.ceil(len(on_ring) / per_row)
            rows = min(rows, max(1, int(band / SPACING)))
            per_row = math.ceil(len(on_ring) / rows)
            for k, m in enumerate(on_ring):
                row, col = divmod(k, per_row)
                in_row = min(per_row, len(on_ring) - row * per_row)
                a = theta + width * (col + 0.5) / in_row
                rr = r + (row - (rows - 1) / 2) * min(SPACING, band / max(rows, 1))
                out.append((m, CENTRE + rr * math.cos(a), CENTRE + rr * math.sin(a), a))
        theta += width + GAP
    return out


def _label_boxes_overlap(a, b) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def circles_svg(rows, ring_order, ring_labels, blocs: dict[str, int], names: dict[str, str], notable,
                *, centre_label: str | None = None, centre_tip: str | None = None, title: str = "",
                element_id: str = "circles", highlight=frozenset()) -> Markup:
    """SVG of states on concentric rings.

    ``rows``: dicts with ``state``, ``ring`` and ``tip`` (the hover text); ``ring_order``: rings from the
    inside out; ``ring_labels``: ring -> caption; ``blocs``: state -> bloc id (colour); ``notable``: states to
    label when there is room, in priority order; ``highlight``: states drawn with a heavy outline (what a
    what-if scenario moved).
    """
    n_rings = len(ring_order)
    inner, outer = (70 if centre_label else 30), CENTRE - 24
    band = (outer - inner) / max(n_rings, 1)
    radii = {ring: inner + band * (k + 0.5) for k, ring in enumerate(ring_order)}
    items = [{"state": r["state"], "ring": r["ring"], "tip": r["tip"], "bloc": blocs.get(r["state"], -1)}
             for r in rows if r["ring"] in radii]
    placed = _place(items, radii, band * 0.9)
    rank = {s: k for k, s in enumerate(notable)}

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" class="circles" '
             f'viewBox="0 0 {SIZE} {SIZE}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for k, ring in enumerate(ring_order):
        r = radii[ring]
        parts.append(f'<circle class="ring" cx="{CENTRE}" cy="{CENTRE}" r="{r + band / 2:.1f}" />')
        parts.append(f'<text class="ring-label" x="{CENTRE}" y="{CENTRE - r - band / 2 + 11:.1f}" '
                     f'text-anchor="middle">{escape(ring_labels.get(ring, str(ring)))}</text>')
    if centre_label:
        parts.append(f'<g class="focus"><circle cx="{CENTRE}" cy="{CENTRE}" r="26" />'
                     f'<text x="{CENTRE}" y="{CENTRE + 4}" text-anchor="middle">{escape(centre_label)}</text>'
                     f"<title>{escape(centre_tip or centre_label)}</title></g>")
    boxes, labels = [], []
    for m, x, y, a in sorted(placed, key=lambda p: rank.get(p[0]["state"], len(rank))):
        s = m["state"]
        if s not in rank:
            continue
        text = names.get(s, s) if len(names.get(s, s)) <= 14 else s
        w, h = 6.2 * len(text), 11
        right = math.cos(a) >= 0
        lx = x + (7 if right else -7)
        box = (lx if right else lx - w, y - h + 3, (lx + w) if right else lx, y + 3)
        if box[0] < 0 or box[2] > SIZE or any(_label_boxes_overlap(box, b) for b in boxes):
            continue
        boxes.append(box)
        labels.append(f'<text class="label" x="{lx:.1f}" y="{y + 3:.1f}" '
                      f'text-anchor="{"start" if right else "end"}">{escape(text)}</text>')
    for m, x, y, _ in sorted(placed, key=lambda p: p[0]["state"]):
        cls = "node changed" if m["state"] in highlight else "node"
        parts.append(f'<circle class="{cls}" data-state="{escape(m["state"])}" cx="{x:.1f}" cy="{y:.1f}" '
                     f'r="{NODE_R}" fill="{bloc_colour(m["bloc"])}"><title>{escape(m["tip"])}</title></circle>')
    parts.append('<g class="labels">' + "".join(labels) + "</g>")
    parts.append("</svg>")
    return Markup("".join(parts))
