"""The web app: ``create_app(store)``. Sessions are signed cookies (SameSite=Lax, HttpOnly); forms carry a
CSRF token tied to the session; every page and API route asks ``access`` for what the user may see."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from jixiao.store.db import Store
from jixiao.web.access import Refused

STATIC = Path(__file__).with_name("static")
MAX_UPLOAD = 50 * 1024 * 1024  # one request's body

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class _BodyLimit:
    """Refuses a request whose body is larger than ``limit`` (413), declared or as it streams in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(scope, receive, send, self.limit)
            return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(scope, receive, send, self.limit)


class _TooLarge(Exception):
    pass


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = JSONResponse({"detail": f"上传过大（上限 {limit // (1024 * 1024)} MB）"}, status_code=413)
    await response(scope, receive, send)


def _secret(store: Store) -> str:
    """The key that signs session cookies: kept beside the stored files (never served), made once."""
    path = store.files / ".session-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


def create_app(store: Store, *, max_upload: int = MAX_UPLOAD) -> FastAPI:
    from jixiao.web import api, pages  # the routes; they import session helpers, never this module

    app = FastAPI(title="jixiao 工作台", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.store = store
    app.state.max_upload = max_upload

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.message}, status_code=exc.status)
        if exc.status == 401:
            return RedirectResponse("/login", status_code=303)
        return pages.error_page(request, exc.status, exc.message)

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    app.add_middleware(
        SessionMiddleware, secret_key=_secret(store), same_site="lax", https_only=False, max_age=12 * 3600
    )
    app.add_middleware(_BodyLimit, limit=max_upload)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    app.include_router(api.router)
    app.include_router(pages.router)
    return app
