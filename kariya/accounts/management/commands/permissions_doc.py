from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from kariya.accounts.roles import render_markdown

DEFAULT = Path(settings.BASE_DIR).parent / "docs" / "permissions.md"


class Command(BaseCommand):
    help = "Write docs/permissions.md from the role → permission matrix in accounts/roles.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(DEFAULT))

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        Path(output).write_text(render_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {output}")
