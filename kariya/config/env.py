"""The one place that reads the process environment.

Every setting Kariya takes from outside comes through here, so that an operator can read this
file to learn what can be configured, and so that nothing else in the code base reads
``os.environ``.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


class MissingSettings(SystemExit):  # noqa: N818 - it is an exit, named for what it reports
    """Raised by production settings when required variables are absent: one line, no traceback."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(
            "kariya: cannot start: missing required environment variable(s): "
            + ", ".join(names)
            + " (see docs/deployment.md)"
        )


def get(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def get_bool(name: str, default: bool = False) -> bool:
    value = get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def get_int(name: str, default: int) -> int:
    value = get(name)
    return int(value) if value is not None else default


def get_list(name: str, default: list[str] | None = None) -> list[str]:
    value = get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the embedded database, dev secrets and uploaded files live."""
    path = Path(get("KARIYA_DATA_DIR", str(Path.cwd() / "data")) or "data").resolve()
    return path


def database_url() -> str:
    return get("DATABASE_URL") or f"sqlite:///{data_dir() / 'kariya.sqlite3'}"


@dataclass(frozen=True)
class Secrets:
    secret_key: str
    encryption_keys: str
    blind_index_key: str


def _new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def dev_secrets() -> Secrets:
    """Secrets for development and the demo.

    Taken from the environment when set; otherwise generated once and kept in the data
    directory (mode 0600), so a demo database stays readable across restarts. Production
    settings never call this.
    """
    path = data_dir() / "dev-secrets.json"
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text())
    if not stored:
        stored = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "KARIYA_ENCRYPTION_KEYS": f"dev1:{_new_key()}",
            "KARIYA_BLIND_INDEX_KEY": _new_key(),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
    return Secrets(
        secret_key=get("SECRET_KEY") or stored["SECRET_KEY"],
        encryption_keys=get("KARIYA_ENCRYPTION_KEYS") or stored["KARIYA_ENCRYPTION_KEYS"],
        blind_index_key=get("KARIYA_BLIND_INDEX_KEY") or stored["KARIYA_BLIND_INDEX_KEY"],
    )


def required(*names: str) -> dict[str, str]:
    """Return the named variables, or stop the process naming every one that is missing."""
    values = {name: get(name) for name in names}
    missing = [name for name, value in values.items() if value is None]
    if missing:
        raise MissingSettings(missing)
    return {name: value for name, value in values.items() if value is not None}
