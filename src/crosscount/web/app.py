"""The HTTP API and the analyst's page, one FastAPI app.

JSON API (OpenAPI at /docs, ReDoc at /redoc): POST /analyze; GET /documents,
/documents/{key}, /figures, /events, /events/{id}, /sources, all paginated with
limit/offset. Every error is JSON {"error": message}: 400 (bad input or host), 403 (a
cross-site POST), 404 (no such thing), 408 (a body that stalls), 413 (body too large),
415 (a body type /analyze does not read), 422 (a page over its time budget), 500 (a
bug), 503 (no database, the database being written by a run, or every analyst busy;
with Retry-After).

Analyses run in worker processes (`Analysts`), never in the server's threads: a long
page holds one worker for at most its time budget, and no analysis state is shared
between requests. The database is read through short-lived read-only connections off
the event loop, so `crosscount run` can write the same file between requests. Every
page (/, /docs, /redoc) runs only scripts the package ships: nothing is fetched from
another host, and ingested text is only ever set as text, never as markup.
"""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import socket
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParameter
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException

from .. import (DEFAULT, DatabaseInUse, Settings, Store, StoreError, TimeBudgetExceeded, UnreadableInput,
                __version__, analyze, decode_unlabelled, document_claims, jsonable, load_models, read_html,
                read_string)

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 2_000_000
MAX_PAGE = 500
MAX_OFFSET = 1_000_000_000
# A client that declares a body must send it within this; a stalled one gets 408.
BODY_SECONDS = 30.0
# Requests that may wait for an analyst, per worker process; past it, 503 + Retry-After.
QUEUED_PER_WORKER = 32
RETRY_SECONDS = 2
POSTED_TYPES = frozenset({"application/json", "text/plain", "text/html", "application/xhtml+xml"})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

T = TypeVar("T")


class ApiError(Exception):
    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


def error_response(status: int, message: str, retry_after: int | None = None) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def allowed_hosts(bind: str, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The Host names the server answers: localhost, the address it listens on, and those
    given; any other is refused, so that a web page on another name that resolves here
    (DNS rebinding) cannot read the database. Listening on every address adds this
    machine's own name."""
    hosts = set(LOCAL_HOSTS) | {bind.strip("[]").lower()} | {h.lower() for h in extra}
    if bind in ("0.0.0.0", "::"):
        hosts |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(hosts)


def _host_name(value: str) -> str:
    """"example.org:8000" -> "example.org"; "[::1]:8000" -> "::1"."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware: the Host allow-list, the POST origin and body-type checks, and
    the security headers on every response (the content policy on every HTML one)."""

    def __init__(self, app, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await refusal(scope, receive, self._with_headers(send))
            return
        await self.app(scope, receive, self._with_headers(send))

    def _refusal(self, scope, headers: Headers) -> JSONResponse | None:
        if _host_name(headers.get("host", "")) not in self.hosts:
            return error_response(400, "this server does not answer to that Host name "
                                       "(crosscount serve --allow-host NAME adds one)")
        if scope["method"] == "POST":
            origin = headers.get("origin")
            if origin is not None and (origin == "null" or _host_name(urlsplit(origin).netloc) not in self.hosts):
                return error_response(403, "a POST from another site is refused")
            kind = headers.get("content-type", "").split(";")[0].strip().lower()
            if kind not in POSTED_TYPES:
                return error_response(415, f"send one of {', '.join(sorted(POSTED_TYPES))}, not {kind or 'no type'}")
        return None

    @staticmethod
    def _with_headers(send):
        async def sending(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Content-Security-Policy"] = CSP
            await send(message)
        return sending


# Pages run only their own scripts; Vega compiles expressions, hence 'unsafe-eval'; ReDoc
# runs its search in a worker made from a blob.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
       "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _load_analyst(settings: Settings) -> None:
    load_models(settings)


def analyse_posted(text: str, is_html: bool, settings: Settings) -> tuple[int, Any]:
    """In an analyst process: (200, the analysis with its checks and claims), or an
    error's (status, message)."""
    try:
        document = read_html(text, "posted", settings=settings) if is_html else read_string(text, "posted", settings)
        analysis = analyze(document, settings)
    except UnreadableInput as error:
        return 400, f"{error.reason}: {error.detail}"
    except TimeBudgetExceeded as error:
        return 422, str(error)
    result = jsonable(analysis.to_dict())
    result["text"] = document.text
    result["claims"] = jsonable(document_claims(analysis, settings))
    return 200, result


class Analysts:
    """Worker processes that analyse posted pages, as many as the cores by default, with
    a bounded number of requests waiting for them."""

    def __init__(self, settings: Settings, workers: int | None = None,
                 queued_per_worker: int = QUEUED_PER_WORKER) -> None:
        self.settings = settings
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.capacity = self.workers * queued_per_worker
        self.in_flight = 0
        self.pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        methods = multiprocessing.get_all_start_methods()
        # The server runs threads: a worker is never forked from it mid-flight.
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self.pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_load_analyst,
                                        initargs=(self.settings,))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    async def analyse(self, text: str, is_html: bool) -> Any:
        if self.in_flight >= self.capacity:
            raise ApiError(503, "every analyst is busy: try again shortly", RETRY_SECONDS)
        if self.pool is None:
            self.start()
        self.in_flight += 1
        try:
            status, result = await asyncio.wrap_future(
                self.pool.submit(analyse_posted, text, is_html, self.settings))
        except BrokenProcessPool as error:    # a worker died (killed, out of memory)
            self.close()
            raise ApiError(503, "an analyst process ended; try again", RETRY_SECONDS) from error
        finally:
            self.in_flight -= 1
        if status != 200:
            raise ApiError(status, result)
        return result


def create_app(db: str | Path | None = None, settings: Settings = DEFAULT,
               max_body_bytes: int = MAX_BODY_BYTES, workers: int | None = None,
               host: str = "127.0.0.1", extra_hosts: tuple[str, ...] = (),
               body_seconds: float = BODY_SECONDS, queued_per_worker: int = QUEUED_PER_WORKER) -> FastAPI:
    """The app; `workers` analyst processes (default: the cores) with `queued_per_worker`
    requests waiting each at most, answering to the Host names of
    `allowed_hosts(host, extra_hosts)`."""
    analysts = Analysts(settings, workers, queued_per_worker)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        analysts.start()
        try:
            yield
        finally:
            analysts.close()

    app = FastAPI(title="crosscount", version=__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None,
                  description="Attributed, cross-checked figures from conflict and crisis reports.")
    app.add_middleware(Guard, hosts=allowed_hosts(host, extra_hosts))
    db = Path(db) if db else None

    def reading(query: Callable[[Store], T]) -> T:
        """One short-lived read-only connection per request: a run may write the file
        between requests."""
        if db is None or not db.exists():
            raise ApiError(503, "no database: start the server with --db PATH after `crosscount run`")
        try:
            with Store(db, read_only=True) as store:
                return query(store)
        except DatabaseInUse as error:
            raise ApiError(503, "the database is being written by a `crosscount run`: "
                                "try again when it ends", RETRY_SECONDS) from error
        except StoreError as error:
            raise ApiError(503, str(error)) from error

    async def read(query: Callable[[Store], T]) -> T:
        return await run_in_threadpool(reading, query)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.message, error.retry_after)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        return error_response(error.status_code, str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return error_response(400, f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(Exception)
    async def failed(_: Request, error: Exception) -> JSONResponse:
        return error_response(500, f"internal error ({type(error).__name__}); the server's log has more")

    @app.post("/analyze", summary="Analyse a report: plain text or an HTML page")
    async def analyze_endpoint(request: Request) -> JSONResponse:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_body_bytes:
            raise ApiError(413, f"the body is over {max_body_bytes:,} bytes")
        try:
            body = await asyncio.wait_for(_read_limited(request, max_body_bytes), body_seconds)
        except asyncio.TimeoutError as error:
            raise ApiError(408, f"the body did not arrive within {body_seconds:g} s") from error
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        text, is_html = _read_body(body, kind)
        return JSONResponse(await analysts.analyse(text, is_html))

    @app.get("/documents")
    async def documents(limit: int = Query(50, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                        outlet: str | None = None) -> JSONResponse:
        return JSONResponse(jsonable(await read(lambda store: store.documents_page(limit, offset, outlet))))

    def found_or_404(found: Any, what: str) -> JSONResponse:
        if found is None:
            raise ApiError(404, f"no {what}")
        return JSONResponse(jsonable(found))

    @app.get("/documents/{key}")
    async def document(key: str) -> JSONResponse:
        return found_or_404(await read(lambda store: store.document(key)), f"document {key!r}")

    @app.get("/figures")
    async def figures(limit: int = Query(50, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                      category: str | None = None, source: str | None = None, place: str | None = None,
                      outlet: str | None = None, since: date | None = None,
                      until: date | None = None) -> JSONResponse:
        return JSONResponse(jsonable(await read(lambda store: store.figures_page(
            limit, offset, category, source, place, outlet, since, until))))

    @app.get("/events")
    async def events(limit: int = Query(50, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                     category: str | None = None, place: str | None = None,
                     since: date | None = None) -> JSONResponse:
        found = await read(lambda store: store.events(category, place, since))
        # A list shows each event's columns; its evidence is read at /events/{event_id}.
        return JSONResponse(jsonable({"items": [e.row() for e in found[offset:offset + limit]], "total": len(found),
                                    "limit": limit, "offset": offset}))

    @app.get("/events/{event_id}")
    async def event(event_id: int = PathParameter(..., ge=0, le=2**62)) -> JSONResponse:
        return found_or_404(await read(lambda store: store.event(event_id)), f"event {event_id}")

    @app.get("/sources")
    async def sources(limit: int = Query(50, ge=1, le=MAX_PAGE),
                      offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> JSONResponse:
        return JSONResponse(jsonable(await read(lambda store: store.sources_page(limit, offset))))

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> FileResponse:
        return FileResponse(STATIC / "docs.html")

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> FileResponse:
        return FileResponse(STATIC / "redoc.html")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


async def _read_limited(request: Request, max_bytes: int) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise ApiError(413, f"the body is over {max_bytes:,} bytes")
    return bytes(body)


def _read_body(body: bytes, kind: str) -> tuple[str, bool]:
    if not body.strip():
        raise ApiError(400, "the body is empty: send {\"text\": ...}, {\"html\": ...} or the page itself")
    if kind == "application/json":
        try:
            payload = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ApiError(400, f"not JSON: {error}") from error
        except RecursionError as error:
            raise ApiError(400, "not JSON that can be read: nested too deep") from error
        field = "html" if isinstance(payload, dict) and "html" in payload else "text"
        if not isinstance(payload, dict) or not isinstance(payload.get(field), str):
            raise ApiError(400, 'send {"text": "..."} or {"html": "..."} with a string')
        return payload[field], field == "html"
    return decode_unlabelled(body), kind in ("text/html", "application/xhtml+xml")
