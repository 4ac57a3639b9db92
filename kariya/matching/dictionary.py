"""The variant dictionary in force: the shipped file extended by the administrators' additions.

Read per use through :func:`current_variants`, which asks the database whether the additions
changed (one ``COUNT``/``MAX`` query) at most every ``RECHECK_SECONDS`` and rebuilds the
dictionary only when they did: every process sees an administrator's change within seconds,
without a restart or a shared cache, and an import computing keys for thousands of people asks
a handful of times, not once per person. The process that made the change sees it at once
(``forget``).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from django.db.models import Count, Max

from kariya.matching.models import NameVariant
from kariya.matching.names import VariantConflictError, VariantDictionary, load_variants

logger = logging.getLogger(__name__)

RECHECK_SECONDS = 5.0

_lock = threading.Lock()
_cached: tuple[tuple[int, datetime | None], VariantDictionary] | None = None
_checked_at = 0.0


def forget() -> None:
    """Ask the database again at the next use (called by the services that change it)."""
    global _checked_at  # noqa: PLW0603
    _checked_at = 0.0


def admin_rows() -> list[tuple[str, str]]:
    """The additions as (canonical, variant), oldest first (the order they were accepted in)."""
    return list(NameVariant.objects.order_by("id").values_list("canonical", "variant"))


def _load() -> VariantDictionary:
    dictionary = load_variants()
    for canonical, variant in admin_rows():
        try:
            dictionary.add(canonical, variant)
        except VariantConflictError:
            # Each addition was checked when saved; two saved at the same instant by two
            # administrators could still disagree. The later one is left out rather than
            # stopping every match, and the admin list shows it (``conflicting_rows``).
            logger.warning("name variant addition left out: it conflicts with an earlier one")
    return dictionary


def conflicting_rows() -> list[int]:
    """Ids of the additions that ``current_variants`` leaves out (normally none)."""
    dictionary = load_variants()
    left_out = []
    for pk, canonical, variant in NameVariant.objects.order_by("id").values_list(
        "id", "canonical", "variant"
    ):
        try:
            dictionary.add(canonical, variant)
        except VariantConflictError:
            left_out.append(pk)
    return left_out


def current_variants() -> VariantDictionary:
    """The shipped dictionary plus every addition."""
    global _cached, _checked_at  # noqa: PLW0603 - a per-process memo, replaced whole
    now = time.monotonic()
    with _lock:
        if _cached is not None and now - _checked_at < RECHECK_SECONDS:
            return _cached[1]
    found = NameVariant.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    state = (found["n"], found["last"])
    with _lock:
        _checked_at = now
        if _cached is not None and _cached[0] == state:
            return _cached[1]
    dictionary = _load()
    with _lock:
        _cached = (state, dictionary)
    return dictionary
