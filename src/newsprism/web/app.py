"""The FastAPI application: pages, JSON twins, ingest, static files, and the guards around them.

Guards: a request-body cap for uploads; a token check when a token is set (``Authorization: Bearer``,
or ``?token=`` once, which sets an HttpOnly cookie); without a token the server answers only to
loopback host names (no DNS rebinding); cross-site POSTs are refused (``Origin: null`` too); every
HTML response carries a strict Content-Security-Policy (no inline scripts, nothing from other origins).
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import NewsprismError, NotFoundError
from ..store import open_store
from .analysis_runner import AnalysisRunner
from .jobs import MAX_UPLOAD_BYTES, IngestJobs
from .routes import api, docs, ingest, pages
from .routes.common import render
from .templating import static_dir

TOKEN_COOKIE = "newsprism_token"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Form overhead on top of the file bytes (boundaries, the URL fields).
BODY_SLACK = 2 * 1024 * 1024
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes, by Content-Length or while streaming (chunked
    uploads declare no length). Past the limit the app is told the client went away and whatever
    that makes it raise or answer is replaced by one 413: a refusal, not a crash with a traceback."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send, self.limit)
            return
        seen, over, started = 0, False, False

        async def limited() -> Message:
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    return {"type": "http.disconnect"}  # the app stops reading; nothing more is buffered
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if over:
                return  # the app's answer to a body it could not finish; the 413 goes instead
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, sending)
        except Exception:
            if not over:
                raise
            # the app failed because its body was cut off at the limit (ClientDisconnect); expected
        if over and not started:
            await _too_large(send, self.limit)


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"detail": "request body over {limit // 2**20} MB; upload fewer or smaller files"}}'.encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", status_code=status, status=status, message=message)


def _strip_token(request: Request) -> str:
    query = urlencode([(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k != "token"])
    return request.url.path + (f"?{query}" if query else "")


def create_app(db_path: str, *, token: str | None = None, allow_private_urls: bool = False) -> FastAPI:
    """The web application over the database at ``db_path``. With ``token`` (or env
    NEWSPRISM_TOKEN when ``token`` is None), every request must carry it. Ingest jobs fetch public
    addresses only unless ``allow_private_urls`` (``serve --allow-private-urls``)."""
    token = token if token is not None else (os.environ.get("NEWSPRISM_TOKEN") or None)
    store = open_store(db_path)
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.analyses.close()
        store.close()

    app = FastAPI(title="newsprism", version="0.1.0", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="One news story through every outlet that covered it. Every HTML page has a "
                              "JSON twin under /api.")
    app.state.store = store
    app.state.allow_private_urls = allow_private_urls
    app.state.jobs = IngestJobs(store, allow_private_urls=allow_private_urls)
    app.state.analyses = AnalysisRunner(store)
    app.include_router(docs.router)  # before the /static mount: it serves /static/swagger-ui/*
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(ingest.router)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        from_query = False
        if token:
            header = request.headers.get("authorization", "")
            supplied = header[7:] if header.lower().startswith("bearer ") else None
            if supplied is None and "token" in request.query_params:
                supplied, from_query = request.query_params["token"], True
            if supplied is None:
                supplied = request.cookies.get(TOKEN_COOKIE)
            if not supplied or not hmac.compare_digest(supplied.encode(), token.encode()):
                return JSONResponse({"detail": "missing or wrong token: send 'Authorization: Bearer <token>' "
                                               "or open the page once with ?token=<token>"}, status_code=401)
        else:
            host = urlsplit("//" + (request.headers.get("host") or "")).hostname or ""
            if host not in LOOPBACK_HOSTS:
                return JSONResponse({"detail": "this server only answers on localhost; restart it with --token "
                                               "to serve other hosts"}, status_code=403)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            # "Origin: null" is an opaque origin (sandboxed frame, data: or file: page, a redirect
            # from elsewhere): never this server's own pages, whose Referrer-Policy (same-origin)
            # lets browsers send their real origin.
            origin = request.headers.get("origin")
            if request.headers.get("sec-fetch-site") == "cross-site" or (
                    origin is not None and urlsplit(origin).netloc != request.headers.get("host")):
                return JSONResponse({"detail": f"cross-site request refused (Origin: {origin or 'none'}); "
                                               "send it from this server's own pages"}, status_code=403)
        if from_query and request.method == "GET":
            response: Response = RedirectResponse(_strip_token(request), status_code=303)
        else:
            response = await call_next(request)
        if from_query:
            response.set_cookie(TOKEN_COOKIE, token or "", httponly=True, samesite="strict")
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own form posts
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.headers.get("content-type", "").startswith("text/html"):  # /docs too (Swagger UI from the package)
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(NewsprismError)
    async def failed(request: Request, exc: NewsprismError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        logging.getLogger("newsprism.web").exception("error while serving %s", request.url.path)
        return _error(request, 500, "internal error while building this page; the server log has the details")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        return _error(request, 422, f"invalid value for: {fields}")

    app.add_middleware(BodyLimit, limit=MAX_UPLOAD_BYTES + BODY_SLACK)
    return app
