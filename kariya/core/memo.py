"""Values computed from reference data, kept for a minute in the process.

Every list page offers its filters as choices from reference data (266 communes, the UNHCR
specific-need codes): one query and a few hundred rows on every request, for data that changes
a few times a year. ``reference`` keeps such a value for ``ttl`` seconds; the apps that own the
data clear it when a row is saved or deleted in this process (``reference_changed``, connected
to their models' signals: cache invalidation, not a business rule). Another process sees a
change within ``ttl`` seconds. Only for choices offered to people; never for a decision (a
form's ``clean`` still reads the database).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

TTL_SECONDS = 60.0
_values: dict[Hashable, tuple[float, Any]] = {}


def reference(key: Hashable, compute: Callable[[], T], *, ttl: float = TTL_SECONDS) -> T:
    """``compute()``, or its value from the last ``ttl`` seconds under ``key``."""
    now = time.monotonic()
    found = _values.get(key)
    if found is not None and now - found[0] < ttl:
        value: T = found[1]
        return value
    value = compute()
    _values[key] = (now, value)
    return value


def reference_changed(**_kwargs: Any) -> None:
    """Forget every kept value (a signal receiver: reference data changed)."""
    _values.clear()
