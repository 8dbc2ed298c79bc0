"""Run the sandbox: in a background thread for tests (``SandboxServer``) or in the foreground for
``noxtui sandbox serve`` (``serve_forever``).

The listening socket is bound here, before uvicorn starts, so ``port=0`` yields a real ephemeral
port that is known the moment ``start()`` returns. The server object also gives fault injection
its hook for dropping a request's TCP connection (uvicorn tracks its connections; the one whose
peer address matches the request's is closed without an answer).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from noxtui.sandbox.app import DEFAULT_TOKEN, create_app
from noxtui.sandbox.clock import SandboxClock, utc_now
from noxtui.sandbox.faults import FaultInjector, FaultRule, Scope
from noxtui.sandbox.inbox.seed import ensure_inbox
from noxtui.sandbox.nox.seed import seed_workspace
from noxtui.sandbox.nox.store import Store

_START_TIMEOUT = 30.0


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class SandboxServer:
    """A seeded sandbox on a real loopback port, run by uvicorn in a daemon thread.

    ``start()`` returns once the server accepts connections; ``base_url`` is then e.g.
    ``http://127.0.0.1:54321/v1``. Use as a context manager to stop it reliably.
    """

    def __init__(
        self,
        db_path: str | Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = DEFAULT_TOKEN,
        threads: int = 300,
        seed: int = 7,
        reset: bool = False,
        faults: FaultInjector | Iterable[FaultRule | Mapping[str, Any]] | None = None,
        now: datetime | None = None,
        max_body_bytes: int = 2_000_000,
        log_level: str = "warning",
    ) -> None:
        self.db_path = Path(db_path)
        self.host = host
        self.token = token
        self.threads = threads
        self.seed = seed
        self.reset = reset
        self.now = now
        self.max_body_bytes = max_body_bytes
        self.log_level = log_level
        self.faults = faults if isinstance(faults, FaultInjector) else FaultInjector(faults or ())
        self.clock = SandboxClock(now)
        self._requested_port = port
        self._port: int | None = None
        self._store: Store | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    # --- public surface -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the sandbox is not started")
        return self._port

    @property
    def root_url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the sandbox is not started")
        return self._store

    @property
    def uvicorn_server(self) -> uvicorn.Server | None:
        """The uvicorn server while running (``None`` before ``start`` and after ``stop``).

        For tests and tools that check what is served, e.g. which addresses its sockets are bound
        to (``.servers``); stopping or reconfiguring it is ``stop()``'s job, not the caller's.
        """
        return self._server

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> SandboxServer:
        """Open (and if empty or ``reset``, seed) the database, bind, serve; return when listening."""
        if self.running:
            return self
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        store = Store(self.db_path)
        if self.reset and not store.is_empty():
            store.clear()
        if store.is_empty():
            seed_workspace(store, threads=self.threads, seed=self.seed, now=self.now or utc_now())
        ensure_inbox(store, seed=self.seed, now=self.now or utc_now())  # databases older than the Inbox routes
        self._store = store
        app = create_app(
            store, token=self.token, faults=self.faults, clock=self.clock, max_body_bytes=self.max_body_bytes
        )
        sock = self._bind()
        self._port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            app,
            log_level=self.log_level,
            access_log=False,
            lifespan="off",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=1,
            timeout_keep_alive=5,
        )
        server = uvicorn.Server(config)
        self._server = server
        self.faults.dropper = self._drop_connection
        self._error = None
        self._thread = threading.Thread(target=self._serve, args=(server, sock), name="noxtui-sandbox", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the sandbox did not start: {self._error!r}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and close the database (idempotent)."""
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout=5)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(timeout=5)
        self._server = None
        self._thread = None
        self.faults.dropper = None
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C stops it)."""
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    # --- internals ----------------------------------------------------------------------------

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # proto=IPPROTO_TCP, not the default 0: accepted sockets inherit it, and asyncio only turns
        # Nagle off (TCP_NODELAY) for sockets whose proto says TCP. With Nagle on, the response body
        # waits for the client's delayed ACK of the headers: +40 ms on every request.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._requested_port))
        except OSError:
            sock.close()
            raise
        sock.listen(128)
        sock.set_inheritable(True)
        return sock

    def _serve(self, server: uvicorn.Server, sock: socket.socket) -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as exc:  # reported by start()
            self._error = exc
        finally:
            sock.close()

    def _drop_connection(self, scope: Scope) -> bool:
        """Close the TCP connection a request came in on, without answering (runs on the loop)."""
        server = self._server
        client = scope.get("client")
        if server is None or not client:
            return False
        for connection in list(server.server_state.connections):
            if getattr(connection, "client", None) == tuple(client):
                transport: Any = getattr(connection, "transport", None)
                if transport is not None:
                    transport.close()
                    return True
        return False


class SandboxRefused(ValueError):
    """The sandbox will not start as asked (e.g. a non-loopback host without ``allow_remote``)."""


def serve_forever(
    db_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8787,
    token: str = DEFAULT_TOKEN,
    threads: int = 300,
    seed: int = 7,
    reset: bool = False,
    allow_remote: bool = False,
    now: datetime | None = None,
    announce: Callable[[str], Any] = print,
) -> None:
    """Serve the sandbox in the foreground until Ctrl-C (``noxtui sandbox serve``).

    Only loopback hosts are allowed unless ``allow_remote=True``: the sandbox's token is public
    (it is in the docs), so exposing it on a network would let anyone read and write the demo data.
    """
    if not allow_remote and not is_loopback(host):
        raise SandboxRefused(
            f"refusing to listen on {host!r}: the sandbox only serves loopback (127.0.0.1, ::1, localhost) "
            "unless remote access is allowed explicitly (allow_remote=True / --allow-remote)"
        )
    server = SandboxServer(db_path, host=host, port=port, token=token, threads=threads, seed=seed, reset=reset, now=now)
    server.start()
    announce(f"noxtui sandbox serving {server.base_url} (db {server.db_path}); token: {token}; Ctrl-C stops")
    server.wait()
