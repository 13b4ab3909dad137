"""Small inline SVG charts (no JavaScript, no external library): lines over years, horizontal bars, a heatmap.

Every label from data is escaped; each point, bar and cell has a ``<title>`` tooltip with its exact value.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from .circles_svg import PALETTE


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if not math.isfinite(lo) or not math.isfinite(hi):
        return []
    if hi <= lo:
        hi = lo + 1
    step = 10 ** math.floor(math.log10((hi - lo) / n))
    for m in (1, 2, 2.5, 5, 10):
        if (hi - lo) / (step * m) <= n:
            step *= m
            break
    first = math.ceil(lo / step) * step
    return [round(first + k * step, 10) for k in range(int((hi - first) / step + 1e-9) + 1)]


def _fmt(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() and abs(v) >= 1 else f"{v:.3g}"


def line_chart(series: dict[str, list[tuple[int, float]]], *, title: str, y_label: str = "",
               width: int = 640, height: int = 260, mark_year: int | None = None, element_id: str = "") -> Markup:
    """Lines over years: ``series`` maps a name to ``[(year, value), ...]`` (missing values skipped)."""
    pts = [(x, y) for s in series.values() for x, y in s if y == y and y is not None]
    left, right, top, bottom = 48, 130 if len(series) > 1 else 16, 26, 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" {f"id={escape(element_id)!s} " if element_id else ""}'
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
           f'<text class="chart-title" x="{left}" y="16">{escape(title)}</text>']
    if not pts:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">no data</text></svg>')
        return Markup("".join(out))
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(0.0, min(p[1] for p in pts)), max(p[1] for p in pts)
    yt = _nice_ticks(y0, y1)
    y0, y1 = min(y0, yt[0]), max(y1, yt[-1]) if yt else y1
    x1 = x1 if x1 > x0 else x0 + 1
    y1 = y1 if y1 > y0 else y0 + 1
    W, H = width - left - right, height - top - bottom

    def sx(x): return left + (x - x0) / (x1 - x0) * W
    def sy(y): return top + H - (y - y0) / (y1 - y0) * H

    for t in yt:
        out.append(f'<line class="grid" x1="{left}" x2="{left + W}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" />'
                   f'<text class="tick" x="{left - 4}" y="{sy(t) + 3:.1f}" text-anchor="end">{_fmt(t)}</text>')
    for t in _nice_ticks(x0, x1, 8):
        if float(t).is_integer():
            out.append(f'<text class="tick" x="{sx(t):.1f}" y="{top + H + 14}" text-anchor="middle">{int(t)}</text>')
    if mark_year is not None and x0 <= mark_year <= x1:
        out.append(f'<line class="mark" x1="{sx(mark_year):.1f}" x2="{sx(mark_year):.1f}" y1="{top}" y2="{top + H}" />')
    if y_label:
        out.append(f'<text class="tick" x="12" y="{top + H / 2}" transform="rotate(-90 12 {top + H / 2})" '
                   f'text-anchor="middle">{escape(y_label)}</text>')
    for k, (name, s) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        good = [(x, y) for x, y in s if y is not None and y == y]
        if not good:
            continue
        d = " ".join(f"{'M' if j == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for j, (x, y) in enumerate(good))
        out.append(f'<path class="line" d="{d}" stroke="{colour}"><title>{escape(name)}</title></path>')
        for x, y in good:
            out.append(f'<circle class="pt" cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2" fill="{colour}">'
                       f'<title>{escape(name)} {x}: {y:.4g}</title></circle>')
        if len(series) > 1:
            ly = top + 12 + 14 * k
            out.append(f'<rect x="{left + W + 10}" y="{ly - 8}" width="10" height="10" fill="{colour}" />'
                       f'<text class="legend" x="{left + W + 24}" y="{ly + 1}">{escape(name)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def bar_chart(bars: list[dict], *, title: str, width: int = 640, element_id: str = "") -> Markup:
    """Horizontal bars: dicts with ``label``, ``value``, ``colour`` and ``tip``."""
    row, left, top = 15, 150, 24
    height = top + row * len(bars) + 8
    vmax = max((b["value"] for b in bars), default=1) or 1
    W = width - left - 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" {f"id={escape(element_id)!s} " if element_id else ""}'
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
           f'<text class="chart-title" x="4" y="16">{escape(title)}</text>']
    for k, b in enumerate(bars):
        y = top + k * row
        w = W * b["value"] / vmax
        out.append(f'<g class="bar"><text class="tick" x="{left - 6}" y="{y + 10}" text-anchor="end">'
                   f'{escape(b["label"])}</text><rect x="{left}" y="{y + 1}" width="{w:.1f}" height="{row - 4}" '
                   f'fill="{escape(b.get("colour", PALETTE[0]))}" /><text class="tick" x="{left + w + 4:.1f}" '
                   f'y="{y + 10}">{escape(b.get("text", _fmt(b["value"])))}</text><title>{escape(b["tip"])}</title></g>')
    out.append("</svg>")
    return Markup("".join(out))


def heatmap(labels: list[str], values, tips, *, title: str, element_id: str = "") -> Markup:
    """Square heatmap of ``values`` (n × n, in [0, 1]) with row/column ``labels`` and per-cell ``tips``."""
    n = len(labels)
    cell, left, top = 12, 70, 76
    size = left + cell * n + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heatmap" '
           f'{f"id={escape(element_id)!s} " if element_id else ""}viewBox="0 0 {size} {top + cell * n + 8}" '
           f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
           f'<text class="chart-title" x="4" y="14">{escape(title)}</text>']
    for i, lab in enumerate(labels):
        out.append(f'<text class="tick" x="{left - 4}" y="{top + i * cell + 9}" text-anchor="end">{escape(lab)}</text>')
        x = left + i * cell + 9
        out.append(f'<text class="tick" x="{x}" y="{top - 4}" transform="rotate(-60 {x} {top - 4})">{escape(lab)}</text>')
    for i in range(n):
        for j in range(n):
            v = float(values[i][j])
            shade = int(255 - 200 * min(max(v, 0.0), 1.0))
            out.append(f'<rect x="{left + j * cell}" y="{top + i * cell}" width="{cell - 1}" height="{cell - 1}" '
                       f'fill="rgb({shade},{shade},255)"><title>{escape(tips[i][j])}</title></rect>')
    out.append("</svg>")
    return Markup("".join(out))
