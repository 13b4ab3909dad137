"""Open a page from disk in headless Chromium (Debian's ``chromium``, driven by Playwright) and record what
it does: every request that is not the file itself, console errors, page errors and dialogs (an ``alert``
fired by injected script would show up here). Screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-default-apps"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageLog:
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_requests(self, own: Path) -> list[str]:
        own_url = own.resolve().as_uri()
        return [u for u in self.requests if u != own_url and not u.startswith("data:")]


@pytest.fixture(scope="session")
def browser():
    exe = chromium_path()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; scripts/test.sh installs it (apt-get install chromium)")
        pytest.skip("chromium not installed (run scripts/test.sh, which installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=FLAGS)
        yield b
        b.close()


def open_page(browser, path: Path, *, width: int = 1280, height: int = 900):
    """A new page showing ``path``, and the log of what it did while loading."""
    log = PageLog()
    page = browser.new_page(viewport={"width": width, "height": height})
    page.on("request", lambda r: log.requests.append(r.url))
    page.on("console", lambda m: log.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: log.errors.append(f"page error: {e}"))

    def on_dialog(d):
        log.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page, log


def screenshot(page, name: str, selector: str | None = None) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / f"{name}.png"
    (page.locator(selector).first if selector else page).screenshot(path=str(out))
    return out
