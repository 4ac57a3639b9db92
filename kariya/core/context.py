"""Per-request facts that services need for the audit log without being handed the request."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None
    user_agent: str


_current: ContextVar[RequestMeta | None] = ContextVar("kariya_request_meta", default=None)


def set_request_meta(meta: RequestMeta | None) -> object:
    return _current.set(meta)


def reset_request_meta(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def request_meta() -> RequestMeta | None:
    return _current.get()
