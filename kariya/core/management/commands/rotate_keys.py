from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from kariya.core import crypto
from kariya.core.rotation import rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the first key of KARIYA_ENCRYPTION_KEYS. "
        "Put the new key first, keep the old ones after it, run this, then remove the old keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=settings.KARIYA_ROTATION_BATCH)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        ring = crypto.keyring()
        self.stdout.write(
            f"Primary key: {ring.primary_id}; keys configured: {', '.join(ring.keys)}"
        )

        def progress(label: str, done: int) -> None:
            self.stdout.write(f"  {label}: {done} re-encrypted")

        results = rotate_all(batch_size=max(1, batch_size), progress=progress)
        for result in results:
            self.stdout.write(f"{result.label}: {result.rotated} value(s) re-encrypted")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {sum(r.rotated for r in results)} value(s) now under key {ring.primary_id}."
            )
        )
