"""Making the services' own random and clock-dependent choices reproducible — for the
generator only, for the length of a step.

The services draw public ids with ``uuid4``, case codes with ``secrets`` and stamp records
with ``timezone.now()``: right for real use, but then two runs of the generator with one seed
would differ, and every generated record would look made today. Inside :func:`reproducible`,

- every ``public_id`` field's default (``uuid.uuid4``) draws from the step's random stream;
- ``people.casecodes.draw`` draws from another stream;
- with a :class:`Clock`, ``django.utils.timezone.now`` (hence ``localdate``) and the
  ``default=timezone.now`` of every date-time field read the simulated clock, which the
  generator moves along each person's story: the services then check dates ("not in the
  future") against that day and stamp ``created_at``, ``opened_at``, ``closed_at``,
  ``decided_at`` and the audit events with it, so a case is opened after its person was
  registered, services come after the opening and the closure after the services.

Everything is restored on exit. Single-threaded use only: the management commands.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from django.apps import apps
from django.db.models import Field
from django.utils import timezone

from kariya.people import casecodes

_REAL_NOW = timezone.now


def uuid_from(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class Clock:
    """A settable "now" (an aware date-time), never later than the real one."""

    def __init__(self, moment: datetime.datetime) -> None:
        self.moment = moment

    def set(self, moment: datetime.datetime) -> datetime.datetime:
        self.moment = min(moment, _REAL_NOW())
        return self.moment

    def now(self) -> datetime.datetime:
        return self.moment


def _fields_with_default(default: Callable[[], Any]) -> list[Field]:  # type: ignore[type-arg]
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.default is default:
                found.append(field)
    return found


@contextmanager
def _field_defaults(default: Callable[[], Any], replacement: Callable[[], Any]) -> Iterator[None]:
    fields = _fields_with_default(default)
    for field in fields:
        field.default = replacement
        field.__dict__.pop("_get_default", None)  # a cached_property of the default
    try:
        yield
    finally:
        for field in fields:
            field.default = default
            field.__dict__.pop("_get_default", None)


@contextmanager
def _attribute(owner: Any, name: str, value: Any) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, original)


@contextmanager
def reproducible(
    *, ids: random.Random, codes: random.Random, clock: Clock | None = None
) -> Iterator[None]:
    """Public ids from ``ids``, case codes from ``codes`` and, with ``clock``, its time."""

    def draw(prefix: str, length: int = casecodes.LENGTH) -> str:
        return prefix + "-" + "".join(codes.choice(casecodes.ALPHABET) for _ in range(length))

    with ExitStack() as stack:
        stack.enter_context(_field_defaults(uuid.uuid4, lambda: uuid_from(ids)))
        stack.enter_context(_attribute(casecodes, "draw", draw))
        if clock is not None:
            stack.enter_context(_attribute(timezone, "now", clock.now))
            stack.enter_context(_field_defaults(_REAL_NOW, clock.now))
        yield


def real_now() -> datetime.datetime:
    return _REAL_NOW()
