"""The explorer page in headless Chromium: the year slider shows exactly that year's ties, search finds a node,
filters hide what they should, the projection view is right, and the page is offline and escaped."""

import numpy as np
import pytest

from browser_support import open_page, screenshot
from conftest import FIXED_TODAY
from graphs import YearlyNetwork, load_dataset
from graphs.projection import project
from reports.explorer import explorer_html
from analysis.metrics import Options
from test_reports import EVIL, _evil_copy


@pytest.fixture(scope="module")
def ds():
    return load_dataset(today=FIXED_TODAY)


@pytest.fixture(scope="module")
def net(ds):
    return YearlyNetwork(ds)


@pytest.fixture(scope="module")
def page(browser, ds, tmp_path_factory):
    path = tmp_path_factory.mktemp("explore") / "explore.html"
    path.write_text(explorer_html(ds, list(ds.years), Options(runs=3)), encoding="utf-8")
    pg, log = open_page(browser, path, width=1400, height=900)
    pg.wait_for_selector("body[data-ready]", timeout=30000)
    yield pg, log, path
    pg.close()


def _member_ties(net, year, exclude_types=()):
    ds = net.dataset
    B = net.biadjacency(year).tocoo()
    return sorted(f"{net.state_codes[r]}|{net.institution_ids[c]}" for r, c in zip(B.row, B.col)
                  if ds.institution[net.institution_ids[c]].type not in exclude_types)


def _slide(pg, year):
    pg.eval_on_selector("#year", "(e, v) => { e.value = v; e.dispatchEvent(new Event('input')); }", str(year))


def test_offline_and_clean(page):
    pg, log, path = page
    assert log.foreign_requests(path) == [] and log.errors == [] and log.dialogs == []
    screenshot(pg, "explorer")


@pytest.mark.parametrize("year", [1949, 1991, 2024])
def test_slider_shows_exactly_that_years_ties(page, net, year):
    pg, log, _ = page
    _slide(pg, year)
    assert pg.text_content("#year-label") == str(year)
    assert pg.evaluate("explorer.visibleEdges()") == _member_ties(net, year)
    assert log.errors == []


def test_search_finds_a_node(page):
    pg, _, _ = page
    _slide(pg, 2024)
    pg.fill("#search", "Sweden")
    pg.dispatch_event("#search", "change")
    assert pg.evaluate("explorer.selected()") == "SWE"
    panel = pg.inner_text("#panel")
    assert "Sweden (SWE)" in panel and "NATO" in panel and "2024-03-07" in panel
    screenshot(pg, "explorer-search-sweden")


def test_partial_roster_is_said_in_the_panel(page, ds):
    pg, _, _ = page
    _slide(pg, 2024)
    for query, iid in (("Proliferation Security Initiative", "PSI"), ("North Atlantic Treaty Organization", "NATO")):
        pg.fill("#search", query)
        pg.dispatch_event("#search", "change")
        assert pg.evaluate("explorer.selected()") == iid
        partial = pg.locator("#panel p.partial")
        if iid in ds.partial_rosters:
            assert partial.inner_text() == (f"Partial roster: {ds.partial_rosters[iid]}. "
                                            "A state missing below may still be a member.")
        else:
            assert partial.count() == 0


def test_type_filter_hides_clubs(page, net):
    pg, _, _ = page
    _slide(pg, 2024)
    pg.uncheck("#f-type input[value=club]")
    try:
        shown = pg.evaluate("explorer.visibleEdges()")
        assert shown == _member_ties(net, 2024, exclude_types=("club",))
        assert not any(e.endswith("|NATO") for e in shown)
        assert "NATO" not in pg.evaluate("explorer.visibleNodes()")
    finally:
        pg.check("#f-type input[value=club]")
    assert any(e.endswith("|NATO") for e in pg.evaluate("explorer.visibleEdges()"))


def test_projection_view_keeps_each_states_strongest_tie(page, net):
    pg, _, _ = page
    _slide(pg, 2024)
    pg.select_option("#view", "projection")
    pg.select_option("#weighting", "newman")
    try:
        shown = set(pg.evaluate("explorer.visibleEdges()"))
        P = project(net, 2024, "states", "newman").toarray()
        for code in ("USA", "IND", "BRA", "NGA"):
            r = net.state_codes.index(code)
            best = net.state_codes[int(np.argmax(P[r]))]
            assert f"{min(code, best)}|{max(code, best)}" in shown, code
        assert not any("|NATO" in e for e in shown)      # no institution in the projection
    finally:
        pg.select_option("#view", "bipartite")


def test_escaped_names_stay_text(browser, mini_copy, tmp_path):
    ds = load_dataset(_evil_copy(mini_copy), today=FIXED_TODAY)
    path = tmp_path / "explore.html"
    html = explorer_html(ds, list(ds.years))
    assert EVIL not in html
    path.write_text(html, encoding="utf-8")
    pg, log = open_page(browser, path)
    pg.wait_for_selector("body[data-ready]", timeout=30000)
    pg.fill("#search", "alert(1)")
    pg.dispatch_event("#search", "change")
    assert EVIL in pg.inner_text("#panel")
    assert log.dialogs == [] and log.errors == [] and log.foreign_requests(path) == []
    pg.close()


def test_runs_on_a_cow_import(browser, tmp_path):
    from pathlib import Path

    from graphs.cow import import_cow

    import_cow(Path(__file__).parent / "fixtures" / "cow_state_year.tsv", tmp_path / "cow")
    ds = load_dataset(tmp_path / "cow", today=FIXED_TODAY)
    path = tmp_path / "explore.html"
    path.write_text(explorer_html(ds, list(ds.years)), encoding="utf-8")
    pg, log = open_page(browser, path)
    pg.wait_for_selector("body[data-ready]", timeout=30000)
    net = YearlyNetwork(ds)
    year = max(ds.years)
    _slide(pg, year)
    assert pg.evaluate("explorer.visibleEdges()") == _member_ties(net, year)
    assert log.errors == []
    pg.close()
