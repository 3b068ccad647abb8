"""The FastAPI application: API routes, the page, offline API docs, security headers."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import Scope

from app import guard
from app.api import routes as api_routes
from app.domain import limits
from app.domain.errors import ConflictError, DivergedError, InputError, StoreFullError
from app.encode import JSONResponse
from app.examples import openapi_with_examples
from app.execute import Executor
from app.guard.shared import creating
from app.guard.validation import bounded
from app.pages import add_favicon, page_folder
from app.runner import BudgetExceededError, BusyError, OutOfMemoryError
from app.settings import Settings
from app.store import ContendedError, NotFoundError, open_store
from app.version import VERSION

DOCS_ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for `settings` (default: from BACKPROP_LENS_* environment variables)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        limits = settings.limits
        app.state.store = open_store(settings.store, limits.max_history, limits.idle_days * 86400)
        app.state.executor = Executor(app.state.store, limits, lambda: creating(settings.store))
        try:
            yield
        finally:
            app.state.executor.close()
            app.state.store.close()

    app = FastAPI(
        title="Backprop Lens",
        version=VERSION,
        summary="Forward propagation and backpropagation of an MLP, number by number.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        default_response_class=JSONResponse,
    )
    app.state.settings = settings
    app.router.routes.extend(api_routes)
    app.openapi = lambda: openapi_with_examples(app, settings.limits)  # type: ignore[method-assign]
    _add_error_handlers(app)
    _add_middleware(app, settings)
    _add_pages(app)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> JSONResponse:
        where = "query" if request.method == "GET" else "body"
        status = 409 if isinstance(exc, ConflictError) else 422
        return JSONResponse({"detail": [exc.item(where)]}, status_code=status)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse({"detail": "Network not found"}, status_code=404)

    @app.exception_handler(DivergedError)
    async def diverged(request: Request, exc: DivergedError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(StoreFullError)
    async def full(request: Request, exc: StoreFullError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse({"detail": str(exc)}, status_code=429, headers=headers)

    @app.exception_handler(BusyError)
    async def busy(request: Request, exc: BusyError) -> JSONResponse:
        return _later("the server is busy with other large requests; try again in a few seconds", 5)

    @app.exception_handler(ContendedError)
    async def contended(request: Request, exc: ContendedError) -> JSONResponse:
        return _later("other clients kept changing this network at the same moment; try again", 1)

    @app.exception_handler(BudgetExceededError)
    async def too_slow(request: Request, exc: BudgetExceededError) -> JSONResponse:
        return _later(
            f"this request ran past its time budget of {exc.seconds:g} s "
            "(BACKPROP_LENS_MAX_SECONDS) and was stopped; ask for fewer steps, rows or cells",
            30,
        )

    @app.exception_handler(OutOfMemoryError)
    async def too_big(request: Request, exc: OutOfMemoryError) -> JSONResponse:
        msg = (
            f"this request needs more than {exc.mib} MiB of memory "
            "(BACKPROP_LENS_WORKER_MEMORY_MIB); ask for fewer steps, rows or cells"
        )
        item = InputError((), msg, "limit", limit="BACKPROP_LENS_WORKER_MEMORY_MIB").item("body")
        return JSONResponse({"detail": [item]}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = bounded(_distinct(exc.errors()), _item)
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 405:
            # Starlette names only the methods of the first route that matched the path; a
            # path has one route per method here, so `Allow` lists all of theirs.
            allow = _allowed_methods(app, request.scope)
            exc = HTTPException(405, exc.detail, headers={**(exc.headers or {}), "Allow": allow})
        return await http_exception_handler(request, exc)


def _later(msg: str, seconds: int) -> JSONResponse:
    """503: the server cannot do this now; `Retry-After` says when to ask again."""
    return JSONResponse({"detail": msg}, status_code=503, headers={"Retry-After": str(seconds)})


# Pydantic names a union's choice in `loc` by its schema ("list[constrained-float]",
# "function-before[_integral(), constrained-int]"): internal words, not a field of the request.
_UNION_CHOICE = re.compile(r"^[a-z]+(?:-[a-z]+)*\[.*\]$|^constrained-[a-z]+$")


def _distinct(errors: Sequence[Any]) -> list[Any]:
    """The errors with union choices left out of their `loc`, each (loc, msg) once: an empty
    `y` was one mistake reported three times, once per kind of list it could have been."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for error in errors:
        loc = tuple(p for p in error.get("loc", ()) if not _is_choice(p))
        key = (loc, str(error.get("msg", "")))
        if key not in seen:
            seen.add(key)
            out.append({**error, "loc": loc})
    return out


def _is_choice(part: Any) -> bool:
    return isinstance(part, str) and _UNION_CHOICE.match(part) is not None


def _item(error: Any) -> dict[str, Any]:
    msg, kind = str(error.get("msg", "")), error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "json_invalid" and ctx.get("error"):
        msg += f": {ctx['error']}"  # say where and why the JSON is broken
    item = {"loc": list(error.get("loc", ())), "msg": msg, "type": kind}
    return {**item, **_past_limit(error, ctx)}


def _past_limit(error: Any, ctx: dict[str, Any]) -> dict[str, Any]:
    """A schema bound that is a server limit, worded by the one limit check (else {})."""
    loc: tuple[str | int, ...] = tuple(error.get("loc", ()))
    field = tuple(p for p in loc if p not in ("body", "query"))
    names = [p for p in field if isinstance(p, str)]
    if not names:
        return {}
    item = isinstance(field[-1], int)
    name = limits.FIELD_LIMITS.get(names[-1] + ("[]" if item else ""))
    kind = error.get("type")
    if name is None or kind not in ("less_than_equal", "too_long"):
        return {}
    at = limits.where(field)
    if kind == "less_than_equal":
        value, bound = error.get("input"), ctx.get("le")
        subject = f"{at} = {value}"
    elif name == "max_layers":  # sizes = weight layers + 1
        value, bound = ctx.get("actual_length", 1) - 1, ctx.get("max_length", 1) - 1
        subject = f"layers has {value + 1} sizes, that is {value} weight layers"
    else:
        value, bound = ctx.get("actual_length"), ctx.get("max_length")
        subject = f"{at} has {value} items"
    msg = limits.limit_message(name, value, bound, subject)
    return {"msg": msg, **limits.limit_item(name, value, bound)}


def _allowed_methods(app: FastAPI, scope: Scope) -> str:
    """Every method some route answers at this request's path."""
    return ", ".join(
        method
        for method in ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
        if any(r.matches({**scope, "method": method})[0] == Match.FULL for r in app.router.routes)
    )


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["*"],
            allow_headers=["*"],
        )
    guard.install(app, settings)


def _add_pages(app: FastAPI) -> None:
    templates = Jinja2Templates(directory=page_folder("templates"))
    app.mount("/static", StaticFiles(directory=page_folder("static")), name="static")
    add_favicon(app, page_folder("static"))
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/", include_in_schema=False)
    def index(request: Request) -> Response:
        lang = "ko" if request.headers.get("accept-language", "").lower().startswith("ko") else "en"
        return templates.TemplateResponse(request, "index.html", {"lang": lang, "version": VERSION})

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        return templates.TemplateResponse(request, "docs.html", {"version": VERSION})
