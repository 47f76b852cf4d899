"""The README's screenshots: the three views of a running `crosscount serve`, in Debian's
headless Chromium.

usage: crosscount run CORPUS --db DB && crosscount serve --db DB --port 8765 &
       python scripts/screenshots.py http://127.0.0.1:8765 examples/maarat-shelling.txt docs/screenshots
"""
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(url: str, report: str, folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto(url)
        page.fill("#report", Path(report).read_text(encoding="utf-8"))
        page.click("#run")
        page.wait_for_selector("mark.figure")
        page.locator("#article mark.figure").nth(1).hover()
        page.screenshot(path=str(out / "analyze.png"))
        page.click("button[data-view=events]")
        page.wait_for_selector("#event-list li")
        page.click("#event-list li >> nth=0")
        page.wait_for_selector("#event-chart svg")
        page.wait_for_timeout(800)
        page.screenshot(path=str(out / "events.png"), full_page=True)
        page.click("button[data-view=sources]")
        page.wait_for_selector("#source-table tbody tr")
        page.screenshot(path=str(out / "sources.png"))
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
