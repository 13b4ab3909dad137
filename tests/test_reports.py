"""Yearly HTML reports: facts on the page, escaping, atomic and deterministic writes, the COW fallback, and
the page in a real browser (headless Chromium: no network request, SVG and network drawn, no console error)."""

import csv
import re
import shutil
from pathlib import Path

import pytest

from analysis.metrics import Options
from browser_support import open_page, screenshot
from conftest import FIXED_TODAY, MINI
from graphs import YearlyNetwork, load_dataset
from graphs.cli import main
from reports.yearly import ReportBuilder, build_reports, write_reports

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def bundled_fixed():
    return load_dataset(today=FIXED_TODAY)


@pytest.fixture(scope="module")
def builder(bundled_fixed):
    return ReportBuilder(bundled_fixed, Options(runs=4))


@pytest.fixture(scope="module")
def page_2024(builder, tmp_path_factory):
    html = builder.year_html(2024, "IND")
    out = tmp_path_factory.mktemp("report") / "report-2024-IND.html"
    out.write_text(html, encoding="utf-8")
    return out, html


def _circle_tip(html: str, circles_id: str, state: str) -> str:
    svg = html[html.index(f'id="{circles_id}"'):]
    svg = svg[:svg.index("</svg>")]
    m = re.search(rf'data-state="{state}"[^>]*><title>([^<]*)</title>', svg)
    assert m, f"{state} not drawn in {circles_id}"
    return m.group(1)


# ---- facts -----------------------------------------------------------------------------------------------

def test_headline_counts_match_the_network(bundled_fixed, builder):
    net = YearlyNetwork(bundled_fixed)
    ctx = builder.context(2024, "IND")
    B = net.biadjacency(2024)
    assert ctx["headline"]["states"] == len(net.present(2024))
    assert ctx["headline"]["memberships"] == int((B > 0).sum())
    assert ctx["headline"]["institutions"] == len(net.present(2024, "institutions"))


def test_changes_list_the_real_accessions(builder):
    rows = builder.context(2024)["changes"]["rows"]
    assert {"state": "SWE", "name": "Sweden", "institution": "NATO", "change": "joined"} in rows
    brics_2024 = {r["state"] for r in rows if r["institution"] == "BRICS" and r["change"] == "joined"}
    assert {"EGY", "ETH", "IRN", "ARE"} <= brics_2024
    rows_2022 = builder.context(2022)["changes"]["rows"]
    assert any(r["state"] == "RUS" and r["institution"] == "COE" and r["change"].startswith("left") for r in rows_2022)


def test_partial_rosters_are_flagged(bundled_fixed, builder, page_2024):
    from markupsafe import escape

    _, html = page_2024
    gaps = bundled_fixed.partial_rosters
    note = html[html.index('<div class="note" id="partial-rosters">'):]
    note = note[:note.index("</div>")]
    for iid in ("PSI", "HACNP", "G77"):
        assert f"<li><b>{iid}</b>: {escape(gaps[iid])}</li>" in note
        assert f">{iid}*</text>" in html          # its bar in the member-count chart is starred
        assert f"partial roster: {escape(gaps[iid])}</small>" in html   # and the sources table says why
    assert ">NATO*<" not in html and ">NATO<" in html
    partial_1990 = dict(builder.context(1990)["partial_rosters"])
    assert "G77" in partial_1990 and "PSI" not in partial_1990   # PSI was founded in 2003


def test_focal_rings_say_why(page_2024):
    _, html = page_2024
    # India and China share the New Development Bank, typed a club in the data: the club ring, with the reason
    tip = _circle_tip(html, "circles-focal", "CHN")
    assert "ring: club" in tip and "NDB" in tip
    # Japan shares no club with India; the G20 (a concert) beats the Quad (a coalition)
    tip = _circle_tip(html, "circles-focal", "JPN")
    assert "ring: concert" in tip and "G20" in tip and "QUAD" not in tip
    assert "ring: charter" in _circle_tip(html, "circles-focal", "BOL") or "ring: coalition" in _circle_tip(
        html, "circles-focal", "BOL")
    assert "ring: " in _circle_tip(html, "circles-world", "USA")


def test_every_state_of_the_year_is_drawn_once_per_picture(bundled_fixed, page_2024):
    _, html = page_2024
    alive = len(YearlyNetwork(bundled_fixed).present(2024))
    focal = html[html.index('id="circles-focal"'):]
    focal = focal[:focal.index("</svg>")]
    world = html[html.index('id="circles-world"'):]
    world = world[:world.index("</svg>")]
    assert focal.count('class="node"') == alive - 1          # everyone but the focal state
    assert world.count('class="node"') == alive


def test_report_is_self_contained(page_2024):
    _, html = page_2024
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', html)
    assert "cdn" not in html.lower().replace("cdn_resources", "")


# ---- safety, determinism, atomic writes ---------------------------------------------------------------------

def _evil_copy(mini_copy: Path) -> Path:
    for name, col in (("states.csv", "name"), ("institutions.csv", "name")):
        path = mini_copy / name
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        rows[0][col] = EVIL
        if name == "institutions.csv":
            rows[0]["source"] = 'https://example.org/"><script>alert(2)</script>'
            for r in rows:
                r["roster"], r["roster_gap"] = ("partial", EVIL) if r is rows[0] else ("", "")
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    return mini_copy


def test_data_strings_are_escaped_everywhere(mini_copy, tmp_path):
    ds = load_dataset(_evil_copy(mini_copy), today=FIXED_TODAY)
    html = build_reports(ds, [2020], "AAA")["report-2020-AAA.html"]
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html          # tables, SVG titles
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html  # the network's JSON
    assert '"><script>alert(2)' not in html and "&#34;&gt;&lt;script&gt;alert(2)" in html


def test_same_data_same_seed_same_bytes(mini):
    a = build_reports(mini, [2019, 2020], "AAA")
    b = build_reports(mini, [2019, 2020], "AAA")
    assert a == b and set(a) == {"report-2019-AAA.html", "report-2020-AAA.html", "index.html"}


def test_a_failed_series_writes_nothing(tmp_path, monkeypatch, capsys):
    calls = []

    def boom(self, year, focus=None, series=None):
        calls.append(year)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return "<html></html>"

    monkeypatch.setattr(ReportBuilder, "year_html", boom)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        main(["report", "--data", str(MINI), "--years", "2018:2020", "--out", str(out), "--quiet"])
    assert not out.exists() or not any(out.iterdir())


def test_cli_errors_are_clear(capsys, tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["report", "--data", str(MINI), "--year", "2020", "--focus", "AAB", "--out", str(tmp_path)])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "unknown state" in err and "AAA" in err and "Traceback" not in err


def test_cli_series_writes_index_linking_every_year(tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["report", "--data", str(MINI), "--years", "2018:2020", "--out", str(tmp_path), "--quiet"])
    assert e.value.code == 0
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for y in (2018, 2019, 2020):
        assert f'href="report-{y}.html"' in index
        assert (tmp_path / f"report-{y}.html").stat().st_size > 1000
    assert oct((tmp_path / "index.html").stat().st_mode & 0o777) != oct(0o600)


def test_cow_import_falls_back_to_the_world_view(tmp_path):
    from graphs.cow import import_cow

    fixture = Path(__file__).parent / "fixtures" / "cow_state_year.tsv"
    import_cow(fixture, tmp_path / "cow")
    ds = load_dataset(tmp_path / "cow", today=FIXED_TODAY)
    year = max(ds.years)
    html = build_reports(ds, [year])[f"report-{year}.html"]
    assert "no institution types" in html and "world view" in html
    assert 'id="circles-world"' in html and 'id="circles-focal"' not in html
    assert "no orientation labels" in html


# ---- in a real browser ---------------------------------------------------------------------------------------

def test_report_in_chromium(browser, page_2024):
    path, _ = page_2024
    page, log = open_page(browser, path)
    page.wait_for_selector("#network-canvas[data-rendered]", timeout=20000)
    assert log.foreign_requests(path) == []
    assert log.errors == [] and log.dialogs == []
    assert page.locator("#circles-focal circle.node").count() > 150
    assert page.locator("#circles-world circle.node").count() > 150
    assert page.locator("#network-canvas canvas").count() == 1
    assert int(page.get_attribute("#network-canvas", "data-rendered")) > 200
    box = page.locator("#circles-focal").bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    screenshot(page, "report-2024-IND")
    screenshot(page, "report-2024-IND-circles", "#circles-focal")
    screenshot(page, "report-2024-IND-network", "#network-canvas")


def test_injected_names_stay_text_in_chromium(browser, mini_copy, tmp_path):
    ds = load_dataset(_evil_copy(mini_copy), today=FIXED_TODAY)
    path = tmp_path / "evil.html"
    path.write_text(build_reports(ds, [2020], "BBB")["report-2020-BBB.html"], encoding="utf-8")
    page, log = open_page(browser, path)
    page.wait_for_selector("#network-canvas[data-rendered]", timeout=20000)
    page.wait_for_timeout(300)
    assert log.dialogs == [] and log.errors == []
    assert EVIL in page.inner_text("#sources")
    assert page.locator("#circles-focal circle.node title", has_text=EVIL).count() == 1
    screenshot(page, "report-escaping")
