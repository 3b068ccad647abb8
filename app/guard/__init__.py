"""What stands between the network and the application: every request is checked here first.

- `middleware.Guard`: Host (421), JSON writes (415) from this site (403), body size (413)
  read whole before the route runs, creation rate (429).
- `headers.SecurityHeaders`: security headers on every response, 500s included.
- `body.loads`: request JSON, strictly (UTF-8, at most 32 levels deep, valid Unicode).
- `validation`: request bodies validated fail-fast, at most a few errors per 422.

`install(app, settings)` wires the middleware into an app whose routes are already included.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from app.guard.headers import SecurityHeaders
from app.guard.middleware import Guard
from app.settings import Settings

__all__ = ["Guard", "SecurityHeaders", "install"]


def install(app: FastAPI, settings: Settings) -> None:
    """Guard `app` (call after any inner middleware, such as CORS, is added)."""
    app.add_middleware(Guard, settings=settings)
    app.add_exception_handler(Exception, _internal_error)
    # Outside Starlette's ServerErrorMiddleware, so its 500s carry the headers too.
    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: SecurityHeaders(build())  # type: ignore[method-assign]


async def _internal_error(request: Request, exc: Exception) -> Response:
    """A 500 in the API's JSON form (the exception itself goes to the server log)."""
    return JSONResponse(
        {"detail": "internal server error; the server log has the details"}, status_code=500
    )
