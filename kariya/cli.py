"""The ``kariya`` console script: Django's management commands under one name.

``kariya rotate-keys`` is ``manage.py rotate_keys``; hyphens are accepted for readability.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Commands that need neither the database nor any app's models, and their app: run without
# Django's full set-up (see ``_run_standalone``).
STANDALONE = {"match": "kariya.matching"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kariya.config.settings.dev")
    if (
        len(args) > 1
        and args[1] in STANDALONE
        and not any(a.startswith(("--settings", "--pythonpath")) for a in args)
    ):
        _run_standalone(args)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


def _run_standalone(args: list[str]) -> None:
    """Run ``args[1]`` with the settings (language) and the command's own app's translations,
    but no app registered: setting up every app (models, admin, signals) took 2.6 s of the
    ``kariya match`` benchmark's 10 s on 100k rows. ``--settings``/``--pythonpath`` take the
    usual way, since they must be read before the settings."""
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings

    app = import_module(STANDALONE[args[1]])
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, Path(app.__path__[0]) / "locale"]
    apps.populate([])
    command = import_module(f"{app.__name__}.management.commands.{args[1]}")
    command.Command().run_from_argv(args)


if __name__ == "__main__":
    main()
