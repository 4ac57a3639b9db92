from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kariya.demo import serving


class Command(BaseCommand):
    help = (
        "Serve Kariya with waitress, a production-grade pure-Python WSGI server. In production, "
        "put a TLS-terminating reverse proxy in front and name it with --trusted-proxy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=serving.DEFAULT_HOST, help="Address to listen on.")
        parser.add_argument("--port", type=int, default=serving.DEFAULT_PORT)
        parser.add_argument(
            "--threads",
            type=int,
            default=serving.DEFAULT_THREADS,
            help="Worker threads, i.e. requests handled at the same time.",
        )
        parser.add_argument(
            "--trusted-proxy",
            default=None,
            help="Address of the reverse proxy whose X-Forwarded-* headers are believed "
            "(client address, host, HTTPS). Without it waitress drops those headers.",
        )
        parser.add_argument(
            "--trusted-proxy-headers",
            default=",".join(serving.DEFAULT_PROXY_HEADERS),
            help="Comma-separated proxy headers to believe from --trusted-proxy.",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        threads: int,
        trusted_proxy: str | None,
        trusted_proxy_headers: str,
        **options: Any,
    ) -> None:
        self.check_migrations()
        serving.serve(
            announce=lambda url: self.stdout.write(f"Kariya: {url} (Ctrl+C to stop)"),
            host=host,
            port=port,
            threads=max(1, threads),
            trusted_proxy=trusted_proxy,
            trusted_proxy_headers=[
                h.strip() for h in trusted_proxy_headers.split(",") if h.strip()
            ],
        )
