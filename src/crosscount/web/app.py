"""The HTTP API and the analyst's page, one FastAPI app.

JSON API (OpenAPI at /docs): POST /analyze; GET /documents, /documents/{key}, /figures,
/events, /events/{id}, /sources, all paginated with limit/offset. Errors are JSON
{"error": message} with 400 (bad input), 404 (no such thing), 413 (body too large) or
503 (no database). The page at / is static: its libraries are vendored in the package,
nothing comes from a CDN, and ingested text is only ever set as text, never as markup.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from .. import __version__
from ..ingest import UnreadableInput, read_html, read_string
from ..model import jsonable
from ..pipeline import analyze
from ..reconcile import check_document, document_claims
from ..settings import DEFAULT, Settings
from ..store import Store

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 2_000_000
MAX_PAGE = 500


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def create_app(db: str | Path | None = None, settings: Settings = DEFAULT,
               max_body_bytes: int = MAX_BODY_BYTES) -> FastAPI:
    app = FastAPI(title="crosscount", version=__version__,
                  description="Attributed, cross-checked figures from conflict and crisis reports.")
    store = Store(db, read_only=True) if db and Path(db).exists() else None

    def database() -> Store:
        if store is None:
            raise ApiError(503, "no database: start the server with --db PATH after `crosscount run`")
        return store

    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return JSONResponse({"error": error.message}, status_code=error.status)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(error.detail)}, status_code=error.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return JSONResponse({"error": f"{where}: {first.get('msg', 'invalid request')}"}, status_code=400)

    @app.post("/analyze", summary="Analyse a report: plain text or an HTML page")
    async def analyze_endpoint(request: Request) -> JSONResponse:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_body_bytes:
            raise ApiError(413, f"the body is over {max_body_bytes:,} bytes")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_body_bytes:
                raise ApiError(413, f"the body is over {max_body_bytes:,} bytes")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        text, is_html = _read_body(body, kind)
        analysis = await run_in_threadpool(_analyse, text, is_html, settings)
        return JSONResponse(jsonable(analysis))

    @app.get("/documents")
    async def documents(limit: int = Query(50, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0),
                        outlet: str | None = None) -> JSONResponse:
        return JSONResponse(jsonable(database().documents_page(limit, offset, outlet)))

    def found_or_404(found: dict | None, what: str) -> JSONResponse:
        if found is None:
            raise ApiError(404, f"no {what}")
        return JSONResponse(jsonable(found))

    @app.get("/documents/{key}")
    async def document(key: str) -> JSONResponse:
        return found_or_404(database().document(key), f"document {key!r}")

    @app.get("/figures")
    async def figures(limit: int = Query(50, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0),
                      category: str | None = None, source: str | None = None, place: str | None = None,
                      outlet: str | None = None, since: date | None = None,
                      until: date | None = None) -> JSONResponse:
        return JSONResponse(jsonable(database().figures_page(limit, offset, category, source, place,
                                                           outlet, since, until)))

    @app.get("/events")
    async def events(limit: int = Query(50, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0),
                     category: str | None = None, place: str | None = None,
                     since: date | None = None) -> JSONResponse:
        found = database().events(category, place, since)
        return JSONResponse(jsonable({"items": found[offset:offset + limit], "total": len(found),
                                    "limit": limit, "offset": offset}))

    @app.get("/events/{event_id}")
    async def event(event_id: int) -> JSONResponse:
        return found_or_404(database().event(event_id), f"event {event_id}")

    @app.get("/sources")
    async def sources(limit: int = Query(50, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0)) -> JSONResponse:
        return JSONResponse(jsonable(database().sources_page(limit, offset)))

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": CSP})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


# The page runs only its own scripts; Vega compiles expressions, hence 'unsafe-eval'.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'")


def _read_body(body: bytes, kind: str) -> tuple[str, bool]:
    if not body.strip():
        raise ApiError(400, "the body is empty: send {\"text\": ...}, {\"html\": ...} or the page itself")
    if kind == "application/json":
        try:
            payload = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ApiError(400, f"not JSON: {error}") from error
        if not isinstance(payload, dict) or not isinstance(payload.get("text", payload.get("html")), str):
            raise ApiError(400, 'send {"text": "..."} or {"html": "..."}')
        return (payload["html"], True) if "html" in payload else (payload["text"], False)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("cp1252", errors="replace")
    return text, kind in ("text/html", "application/xhtml+xml")


def _analyse(text: str, is_html: bool, settings: Settings) -> dict[str, Any]:
    try:
        document = read_html(text, "posted", settings=settings) if is_html else read_string(text, "posted", settings)
    except UnreadableInput as error:
        raise ApiError(400, f"{error.reason}: {error.detail}") from error
    analysis = analyze(document, settings)
    result = analysis.to_dict()
    result["text"] = document.text
    result["checks"] = [check.__dict__ | {"figures": list(check.figures)} for check in check_document(analysis)]
    result["claims"] = jsonable(document_claims(analysis, settings))
    return result
