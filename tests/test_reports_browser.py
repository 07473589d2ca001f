"""The reports in a real headless browser (Debian's Chromium, driven by Playwright): every page
renders without console errors or network requests, its charts drew, navigation works from the
file system and from a static web server. Screenshots land in build/screenshots/."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from cx_warehouse.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "build" / "screenshots"
PAGES = {
    "index": "CX reports",
    "scorecard": "CX scorecard",
    "personas": "Personas",
    "journey": "Journey",
    "channels": "Channels",
    "agents": "Agents and teams",
    "fix_first": "What to fix first",
}


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), "install Debian's chromium (make test does: apt-get install chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def static_server(nightly_build):
    settings, _ = nightly_build
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(settings.reports_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed request: {request.url}"))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    return page, problems, requests


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_renders_its_charts_without_errors_offline(browser, nightly_build, name):
    settings, _ = nightly_build
    url = (settings.reports_dir / f"{name}.html").as_uri()
    page, problems, requests = _open(browser, url)

    assert page.locator("h1").inner_text() == PAGES[name]
    assert problems == []
    assert requests == [url], "a page loads nothing but itself"
    if name != "index":
        charts = page.locator("svg.chart")
        assert charts.count() > 0
        for i in range(charts.count()):
            chart = charts.nth(i)
            box = chart.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 50
            drawn = chart.locator("rect.bar, circle, polyline.line")
            assert drawn.count() > 0
            assert drawn.first.bounding_box()["width"] > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.close()


def test_navigation_links_every_page_from_a_static_web_server(browser, static_server):
    page, problems, requests = _open(browser, f"{static_server}/index.html")
    for name, title in PAGES.items():
        page.locator("header nav a", has_text=title if name != "index" else "Overview").click()
        page.wait_for_load_state()
        assert page.url == f"{static_server}/{name}.html"
        assert page.locator("h1").inner_text() == title
        assert page.locator('nav a[aria-current="page"]').count() == 1
    assert problems == []
    assert all(url.startswith(static_server) for url in requests)
    page.close()
