"""The what-if HTML diff report: outlines exactly the states that moved, escapes data, opens offline in Chromium."""

import re

import pytest

from analysis.metrics import Options
from analysis.scenario import Create, Join, Leave, Scenario
from analysis.whatif import compare
from browser_support import open_page, screenshot
from conftest import FIXED_TODAY
from graphs import load_dataset
from reports.whatif import render
from test_reports import EVIL


@pytest.fixture(scope="module")
def ds():
    return load_dataset(today=FIXED_TODAY)


@pytest.fixture(scope="module")
def quad_exit(ds):
    sc = Scenario("India leaves the Quad", [Leave("IND", "QUAD"), Leave("IND", "BRICS")], focus=("IND",))
    comp = compare(ds, sc, 2024, Options(runs=4))
    return comp, render(comp, {s.code: s.name for s in ds.states})


def _outlined(html, element_id):
    svg = html[html.index(f'id="{element_id}"'):]
    svg = svg[:svg.index("</svg>")]
    return set(re.findall(r'class="node changed" data-state="([A-Z_]+)"', svg))


def test_outlines_exactly_the_states_whose_ring_or_bloc_changed(quad_exit):
    comp, html = quad_exit
    r = comp.rings[comp.rings["focus"] == "IND"]
    expected = set(r.loc[r["changed"].astype(bool), "state"]) | set(comp.blocs.loc[comp.blocs["moved"].astype(bool), "state"])
    # by hand: a state moves ring iff its tightest body shared with India was BRICS or the Quad alone
    only = {s for s, ring, why in zip(r["state"], r["baseline_ring"], r["baseline_reason"])
            if (ring, why) in {("concert", "BRICS"), ("coalition", "QUAD")}}
    assert only and set(r.loc[r["changed"].astype(bool), "state"]) == only
    assert _outlined(html, "circles-scenario-IND") == expected
    assert _outlined(html, "circles-baseline-IND") == expected
    tip = re.search(r'id="circles-scenario-IND".*?data-state="JPN"[^>]*><title>([^<]*)</title>', html, re.S).group(1)
    assert "QUAD" not in tip                                             # the Quad tie is gone in the scenario


def test_scenario_strings_are_escaped(ds):
    sc = Scenario(EVIL, [Create("EVIL1", members=("IND", "BRA"), name=EVIL, type="coalition", domain="general",
                                formality="informal", orientation="global-south")], description=EVIL)
    html = render(compare(ds, sc, 2024, Options(runs=2)), {s.code: s.name for s in ds.states})
    assert EVIL not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_diff_report_in_chromium(browser, quad_exit, tmp_path):
    _, html = quad_exit
    path = tmp_path / "whatif.html"
    path.write_text(html, encoding="utf-8")
    page, log = open_page(browser, path)
    assert log.foreign_requests(path) == [] and log.errors == [] and log.dialogs == []
    assert page.locator("#circles-baseline-IND circle.node").count() > 150
    assert page.locator("#circles-scenario-world circle.node").count() > 150
    screenshot(page, "whatif-india-leaves-quad", "#circles")
