"""``create_app``: the sandbox's Starlette application — the contract's routes under ``/v1``.

Layers, outermost first: fault injection (so it can drop connections itself) → bearer-token check
(every route but ``GET /healthz``) → routes. Unknown routes and methods answer with contract
envelopes too, so a client never has to parse Starlette's plain-text defaults.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, Router

from noxtui.sandbox import admin
from noxtui.sandbox.clock import SandboxClock
from noxtui.sandbox.endpoint import EndpointFactory, error_response, json_response
from noxtui.sandbox.envelopes import (
    ApiError,
    code_for_status,
    dumps,
    new_request_id,
    success_body,
)
from noxtui.sandbox.faults import (
    ASGIApp,
    FaultInjector,
    FaultMiddleware,
    Receive,
    Scope,
    Send,
)
from noxtui.sandbox.inbox import handlers as inbox
from noxtui.sandbox.nox.routes import nox_admin_routes, nox_routes
from noxtui.sandbox.nox.store import Store

DEFAULT_TOKEN = "noxtui-sandbox"
PUBLIC_PATHS = frozenset({"/healthz"})


class BearerAuthMiddleware:
    """401 ``UNAUTHENTICATED`` unless ``Authorization: Bearer <token>`` matches (constant-time)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in PUBLIC_PATHS:
            await self.app(scope, receive, send)
            return
        given = b""
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                given = value
                break
        if not hmac.compare_digest(given, self._expected):
            summary = "Missing bearer token" if not given else "Invalid bearer token"
            error = ApiError(
                "UNAUTHENTICATED",
                f"{summary}: log in again",
                hint="Run `noxtui login`; the sandbox token is set by `noxtui sandbox serve --token`",
                headers={"WWW-Authenticate": 'Bearer realm="noxtui-sandbox"'},
            )
            await error_response(error, new_request_id())(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _admin_routes(
    factory: EndpointFactory[Store], injector: FaultInjector, clock: Callable[[], datetime]
) -> list[BaseRoute]:
    """``/_sandbox``: the shared controls (faults, clock) and each vendor's own, all enveloped."""
    r = factory.route
    faults = admin.fault_handlers(injector)
    clocks = admin.clock_handlers(clock, factory.deliver_due)
    return [
        r("/faults", "GET", faults["list"]),
        r("/faults", "POST", faults["set"], idempotent=False),
        r("/faults", "DELETE", faults["clear"], body="none", idempotent=False),
        *nox_admin_routes(factory),
        r("/inbox/stats", "GET", inbox.stats),
        r("/clock", "GET", clocks["get"]),
        r("/clock", "POST", clocks["set"], idempotent=False),
    ]


async def _healthz(request: Request) -> Response:
    request_id = new_request_id()
    return json_response(dumps(success_body({"status": "ok"}, "Sandbox is up", request_id)), 200, request_id)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        error = ApiError("NOT_FOUND", f"No such route: {request.method} {request.url.path}")
    elif status == 405:
        error = ApiError("NOT_FOUND", f"{request.method} is not supported on {request.url.path}", status=405)
    else:
        error = ApiError(code_for_status(status), f"HTTP {status}", status=status)
    return error_response(error, new_request_id())


async def _internal_error(request: Request, exc: Exception) -> Response:
    error = ApiError("INTERNAL", f"Sandbox internal error: {type(exc).__name__}")
    return error_response(error, new_request_id())


def _mount(path: str, routes: list[BaseRoute]) -> Mount:
    """A prefix whose unknown paths are 404 envelopes: Starlette's default would answer a bodiless
    307 to the same path with a slash added or removed, which no client of the contract expects."""
    return Mount(path, app=Router(routes=routes, redirect_slashes=False))


def create_app(
    store: Store,
    *,
    token: str = DEFAULT_TOKEN,
    faults: FaultInjector | None = None,
    clock: Callable[[], datetime] | None = None,
    max_body_bytes: int = 2_000_000,
) -> Starlette:
    """The sandbox app over ``store``. ``faults`` defaults to an empty injector (see ``app.state``)."""
    injector = faults if faults is not None else FaultInjector()
    the_clock: Callable[[], datetime] = clock if clock is not None else SandboxClock()
    # Scheduled Nox replies are delivered before any request (whichever vendor it is for), so a
    # read never sees one late.
    factory = EndpointFactory(store, the_clock, max_body_bytes, deliver_due=store.deliver_due)
    inbox_factory = inbox.InboxEndpointFactory(store, the_clock, max_body_bytes, deliver_due=store.deliver_due)
    routes: list[BaseRoute] = [
        Route("/healthz", _healthz, methods=["GET"]),
        _mount("/v1", nox_routes(factory)),
        # Inbox (X DMs): its own routes and raw-JSON answers over the same store and rules.
        _mount("/inbox/api/v1", inbox.inbox_routes(inbox_factory)),
        _mount("/_sandbox", _admin_routes(factory, injector, the_clock)),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(FaultMiddleware, injector=injector),
            Middleware(BearerAuthMiddleware, token=token),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
    )
    app.router.redirect_slashes = False
    app.state.store = store
    app.state.faults = injector
    app.state.clock = the_clock
    return app
