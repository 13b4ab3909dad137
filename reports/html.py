"""Safe HTML building blocks shared by the yearly report, the series index, the explorer and the what-if diff.

Every string that comes from data goes through one of these:

* the Jinja2 environment autoescapes every ``{{ value }}`` (``<script>`` in a name renders as text);
* :func:`script_json` embeds data in a ``<script>`` block: ``<``, ``>``, ``&`` and the line separators are
  written as ``\\u`` escapes, so no value can close the block;
* :func:`safe_url` keeps only ``http``/``https`` links (a ``javascript:`` source URL becomes plain text).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

TEMPLATES = Path(__file__).parent / "templates"

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value) -> Markup:
    """JSON for a ``<script>`` block: deterministic (sorted keys, no spaces) and unable to end the block.

    >>> str(script_json({"name": "</script><b>"}))
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return Markup("".join(_SCRIPT_ESCAPES.get(ch, ch) for ch in text))


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) link, else None (so the template prints it as text, not a link)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def fmt_num(value, digits: int = 3) -> str:
    """A measure for a table: empty for missing, otherwise ``digits`` significant decimals."""
    if value is None or value != value:
        return "–"
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    value = 0.0 if abs(value) < 0.5 * 10 ** -digits else value     # no "-0.000"
    return f"{value:.{digits}f}"


@lru_cache(maxsize=None)
def environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["num"] = fmt_num
    env.filters["json"] = script_json
    env.globals["safe_url"] = safe_url
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


@lru_cache(maxsize=None)
def vis_network_js() -> Markup:
    """vis-network's JavaScript, shipped inside the pyvis package, for inlining (no CDN). The package is found,
    not imported: importing pyvis imports IPython."""
    from importlib.util import find_spec

    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyvis is needed for vis-network's JavaScript: pip install pyvis")
    root = Path(list(spec.submodule_search_locations)[0])
    path = root / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    if not path.exists():
        path = root / "lib" / "vis-9.1.2" / "vis-network.min.js"
    # the library itself contains no "</script>"; guard anyway so an upgrade cannot break the page
    return Markup(path.read_text(encoding="utf-8").replace("</script", "<\\/script"))


__all__ = ["escape", "script_json", "safe_url", "fmt_num", "render", "environment", "vis_network_js"]
