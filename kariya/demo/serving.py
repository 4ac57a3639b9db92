"""Serving Kariya with waitress, for ``kariya demo`` and ``kariya serve``.

The WSGI application is built from the settings already in force (``DJANGO_SETTINGS_MODULE``),
not from ``kariya.config.wsgi``, which defaults to production settings.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable
from typing import Any

import waitress
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from waitress.server import BaseWSGIServer, MultiSocketServer

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_THREADS = 4
# What a reverse proxy in front of Kariya tells it: client address, host, scheme and port.
DEFAULT_PROXY_HEADERS = (
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-forwarded-port",
)


def server_options(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    threads: int = DEFAULT_THREADS,
    trusted_proxy: str | None = None,
    trusted_proxy_headers: Iterable[str] = DEFAULT_PROXY_HEADERS,
) -> dict[str, Any]:
    """Waitress adjustments. Waitress drops X-Forwarded-* headers unless they come from a
    trusted proxy; behind a TLS-terminating proxy, name it so that Django sees HTTPS."""
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "threads": threads,
        "ident": "kariya",  # the Server header; no version for scanners to match
    }
    if trusted_proxy:
        options["trusted_proxy"] = trusted_proxy
        options["trusted_proxy_headers"] = set(trusted_proxy_headers)
    return options


def application() -> WSGIHandler:
    return get_wsgi_application()


def make_server(**options: Any) -> BaseWSGIServer | MultiSocketServer:
    """A bound, not yet running server (``.run()`` serves; tests pass ``port=0``)."""
    return waitress.create_server(application(), **server_options(**options))


def urls(server: BaseWSGIServer | MultiSocketServer) -> list[str]:
    if isinstance(server, MultiSocketServer):
        listen = [(host, port) for host, port in server.effective_listen]
    else:
        listen = [(server.effective_host, server.effective_port)]
    return [f"http://[{h}]:{p}/" if ":" in str(h) else f"http://{h}:{p}/" for h, p in listen]


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def serve(*, announce: Callable[[str], None], **options: Any) -> None:
    """Serve until interrupted: Ctrl+C, or SIGTERM (what service managers send to stop)."""
    server = make_server(**options)
    for url in urls(server):
        announce(url)
    # Waitress closes its sockets and lets running requests finish on SystemExit.
    signal.signal(signal.SIGTERM, _stop)
    server.run()
