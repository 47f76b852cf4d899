"""The HTTP API on a real uvicorn server on 127.0.0.1, and the page in real headless
Chromium (Debian's, driven by Playwright): highlighted spans, a tooltip, an event chart,
and a hostile page whose scripts never run."""
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from crosscount import Corpus, Settings

from .conftest import EXAMPLE

uvicorn = pytest.importorskip("uvicorn")
from crosscount.web.app import create_app  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    corpus = folder / "reports.jsonl"
    rows = [
        {"id": "a", "date": "2018-02-10", "outlet": "wire-a", "title": "Strikes on Douma",
         "text": "At least 25 civilians were killed in air strikes on Douma on Saturday, the Syrian "
                 "Observatory for Human Rights said."},
        {"id": "b", "date": "2018-02-10", "outlet": "state-b", "title": "Terrorists shell Damascus",
         "text": "State news agency SANA said 12 civilians were killed in Douma on Saturday."},
        {"id": "c", "date": "2018-02-11", "outlet": "site-c", "title": "Douma toll",
         "text": "Activists said 31 people were killed in Douma on Saturday."},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = folder / "web.duckdb"
    Corpus(db).run([corpus])
    with serving(create_app(db, max_body_bytes=200_000, workers=1, body_seconds=2)) as url:
        DATABASES[url] = db
        yield url


DATABASES: dict[str, Path] = {}


def server_db(url: str) -> Path:
    return DATABASES[url]


@contextmanager
def serving(app):
    """The app on a real uvicorn server on 127.0.0.1, for the block."""
    port = _free_port()
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=10)


def test_analyze_text_and_html(server):
    answer = httpx.post(f"{server}/analyze", json={"text": EXAMPLE.read_text()}, timeout=30)
    assert answer.status_code == 200
    result = answer.json()
    assert result["figures"][0]["category"] and len(result["comments"]) == 3
    assert any(c["kind"] == "headline_body" for c in result["checks"])
    page = "<html><body><article><p>" + "Nine people were killed in Homs on Monday, police said. " * 4 + "</p></article></body></html>"
    assert httpx.post(f"{server}/analyze", content=page, headers={"Content-Type": "text/html"}).json()["figures"]


@pytest.mark.parametrize("body, headers, status", [
    (b"", {"Content-Type": "text/plain"}, 400),
    (b"{not json", {"Content-Type": "application/json"}, 400),
    (b'{"other": 1}', {"Content-Type": "application/json"}, 400),
    (b"x" * 300_000, {"Content-Type": "text/plain"}, 413),
])
def test_bad_requests_get_json_errors(server, body, headers, status):
    answer = httpx.post(f"{server}/analyze", content=body, headers=headers)
    assert answer.status_code == status and "error" in answer.json()


def test_corpus_endpoints_paginate_and_filter(server):
    documents = httpx.get(f"{server}/documents", params={"limit": 2}).json()
    assert documents["total"] == 3 and len(documents["items"]) == 2
    one = httpx.get(f"{server}/documents/a").json()
    assert one["figures"][0]["source_name"] == "Syrian Observatory for Human Rights"
    figures = httpx.get(f"{server}/figures", params={"source": "Syrian Arab News Agency"}).json()
    assert [f["document_key"] for f in figures["items"]] == ["b"]
    assert httpx.get(f"{server}/figures", params={"place": "Douma", "category": "killed"}).json()["total"] == 3
    [event] = httpx.get(f"{server}/events").json()["items"]
    detail = httpx.get(f"{server}/events/{event['event_id']}").json()
    assert len(detail["figures"]) == 3 and detail["contradictions"]
    assert httpx.get(f"{server}/sources").json()["total"] >= 3
    assert httpx.get(f"{server}/events/999").status_code == 404
    assert httpx.get(f"{server}/documents/nope").status_code == 404
    assert httpx.get(f"{server}/figures", params={"limit": 0}).status_code == 400
    assert "paths" in httpx.get(f"{server}/openapi.json").json()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield launched
        launched.close()


def _page(browser, errors):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def test_page_highlights_figures_and_shows_a_tooltip(server, browser, shots):
    errors = []
    page = _page(browser, errors)
    page.goto(server)
    page.fill("#report", EXAMPLE.read_text())
    page.click("#run")
    page.wait_for_selector("mark.figure")
    marks = page.locator("#article mark.figure")
    assert marks.count() >= 9
    assert "At least 23" in marks.all_inner_texts()
    assert page.locator("#article mark.cat-killed").count() >= 3
    page.locator("#article mark.figure", has_text="At least 23").hover()
    tooltip = page.locator("#tooltip")
    tooltip.wait_for(state="visible")
    assert "Syrian Observatory for Human Rights" in tooltip.inner_text()
    assert "killed" in tooltip.inner_text() and "civilian" in tooltip.inner_text()
    assert page.locator("#thread .comment .author").all_inner_texts() == ["Rami K.", "Lena Haddad", "J. Morgan"]
    page.screenshot(path=str(shots / "analyze.png"))
    assert (shots / "analyze.png").stat().st_size > 10_000
    assert errors == []


def test_event_chart_and_sources_views(server, browser, shots):
    errors = []
    page = _page(browser, errors)
    page.goto(server)
    page.click("button[data-view=events]")
    page.wait_for_selector("#map svg")
    page.click("#event-list li >> nth=0")
    page.wait_for_selector("#event-chart svg")
    assert page.locator("#event-detail .contradiction").count() >= 1
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / "events.png"), full_page=True)
    page.click("button[data-view=sources]")
    page.wait_for_selector("#source-table tbody tr")
    assert "Syrian Observatory for Human Rights" in page.locator("#source-table").inner_text()
    page.screenshot(path=str(shots / "sources.png"))
    assert errors == []


def test_hostile_page_never_runs(server, browser):
    errors, dialogs = [], []
    page = _page(browser, errors)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server)
    before = page.evaluate("document.querySelectorAll('script, img, iframe, a').length")
    hostile = ("<html><body><article><h1>Attack</h1><p>Twelve civilians were killed in Homs on Monday, "
               "police said. <script>alert('xss')</script><img src=x onerror=\"alert('img')\"> "
               "<a href=\"javascript:alert('link')\">more</a> " + "Nine people were wounded in the "
               "attack, medics said. " * 3 + "</p><p>&lt;img src=x onerror=alert(1)&gt; 5 people were "
               "killed &lt;script&gt;alert(2)&lt;/script&gt;</p></article></body></html>")
    page.fill("#report", hostile)
    page.click("#run")
    page.wait_for_selector("mark.figure")
    page.wait_for_timeout(500)
    assert dialogs == [] and errors == []
    assert page.evaluate("document.querySelectorAll('script, img, iframe, a').length") == before
    assert "<img src=x onerror=alert(1)>" in page.locator("#article").inner_text()


# ---------------------------------------------------------------- a hardened server
@pytest.mark.parametrize("body", [
    b'{"html": 5}', b'{"html": null}', b'{"text": ["a"]}', b"[" * 100_000 + b"]" * 100_000,
], ids=["html-number", "html-null", "text-list", "nested-deep"])
def test_malformed_json_gets_a_json_error_not_a_crash(server, body):
    answer = httpx.post(f"{server}/analyze", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and "error" in answer.json()


def test_a_lone_surrogate_is_read_as_text(server):
    answer = httpx.post(f"{server}/analyze", content=b'{"text": "Five people were killed \\ud800 in Homs."}',
                        headers={"Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == 200 and answer.json()["figures"][0]["low"] == 5


@pytest.mark.parametrize("path", ["/documents?offset=100000000000000000000", "/events?offset=-1",
                                  "/events/100000000000000000000", "/sources?limit=abc"])
def test_out_of_range_parameters_get_json_errors(server, path):
    answer = httpx.get(f"{server}{path}")
    assert answer.status_code in (400, 404) and "error" in answer.json()


def test_only_allowed_host_names_are_answered(server):
    port = server.rsplit(":", 1)[1]
    refused = httpx.get(f"{server}/documents", headers={"Host": f"rebind.example:{port}"})
    assert refused.status_code == 400 and "Host" in refused.json()["error"]
    assert httpx.get(f"{server}/documents", headers={"Host": f"localhost:{port}"}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/static/index.html", "/docs", "/redoc"])
def test_every_page_carries_the_content_policy_and_security_headers(server, path):
    answer = httpx.get(f"{server}{path}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert httpx.get(f"{server}/documents").headers["x-content-type-options"] == "nosniff"


def test_cross_site_and_odd_posts_are_refused(server):
    text = "Nine people were killed in Homs."
    cross_site = httpx.post(f"{server}/analyze", content=text,
                            headers={"Content-Type": "text/plain", "Origin": "https://elsewhere.example"})
    assert cross_site.status_code == 403 and "error" in cross_site.json()
    form = httpx.post(f"{server}/analyze", content="text=" + text,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415 and "error" in form.json()
    same_site = httpx.post(f"{server}/analyze", content=text, timeout=30,
                           headers={"Content-Type": "text/plain", "Origin": server})
    assert same_site.status_code == 200


def test_a_body_that_stalls_is_timed_out(server):
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as connection:
        connection.sendall(b"POST /analyze HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
                           b"Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\nten bytes!")
        started = time.monotonic()
        answer = b""
        while b"}" not in answer:    # headers and body may come in separate packets
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
        answer = answer.decode()
    assert answer.startswith("HTTP/1.1 408") and '"error"' in answer
    assert time.monotonic() - started < 10


def test_a_database_being_written_gets_503_and_a_run_can_write_while_serving(server, tmp_path):
    db = Path(server_db(server))
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('open', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        busy = httpx.get(f"{server}/documents")
        assert busy.status_code == 503 and busy.headers["retry-after"] and "run" in busy.json()["error"]
    finally:
        holder.kill()
        holder.wait()
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "d", "date": "2018-02-12", "text": "Four people were injured in Douma."})
                    + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "crosscount.cli", "run", str(more), "--db", str(db), "--quiet"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert httpx.get(f"{server}/documents").json()["total"] == 4


def test_full_analysts_answer_503_with_retry_after_and_slow_pages_422(tmp_path):
    page = "Twelve people were killed in Homs on Monday, the monitor said. " * 2000
    with serving(create_app(None, workers=1, queued_per_worker=1)) as url:
        with httpx.Client(timeout=60) as client, ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: client.post(f"{url}/analyze", content=page,
                                                          headers={"Content-Type": "text/plain"}), range(4)))
    statuses = sorted(a.status_code for a in answers)
    assert 200 in statuses and 503 in statuses
    assert all(a.headers.get("retry-after") for a in answers if a.status_code == 503)
    with serving(create_app(None, Settings(seconds_per_document=0.0), workers=1)) as url:
        slow = httpx.post(f"{url}/analyze", content=page, headers={"Content-Type": "text/plain"}, timeout=60)
    assert slow.status_code == 422 and "Settings.seconds_per_document" in slow.json()["error"]


def test_no_page_asks_any_other_host(server, browser):
    for path, ready in (("/", "#run"), ("/docs", "#swagger-ui .info"), ("/redoc", "redoc .api-content")):
        errors, asked = [], []
        page = _page(browser, errors)
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{server}{path}")
        page.wait_for_selector(ready, timeout=20_000)
        page.wait_for_load_state("networkidle")
        if path == "/":
            page.click("button[data-view=events]")
            page.wait_for_selector("#map svg")
            assert page.locator("#event-pager .range").inner_text() == "1–1 of 1"
        # The page's own host, or what the page makes itself (a blob for ReDoc's worker, data:).
        own = (server + "/", f"blob:{server}/", "data:")
        assert asked and all(url.startswith(own) for url in asked), asked
        assert not [e for e in errors if "Content Security Policy" in e], errors
        page.close()
