"""Where reads and writes live: views, API views and template tags of the people, cases and
exchange apps (and dedup) reach records through ``access.py`` / ``selectors.py`` and write through
``services.py`` (DESIGN.md, "one gate"). A bare ``Model.objects`` query or a ``.save()`` there
is a hole in the gate, even when today's caller happens to be scoped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYER = sorted(
    path
    for app in ("people", "cases", "exchange", "dedup")
    for pattern in ("views.py", "api.py", "templatetags/*.py")
    for path in (ROOT / app).glob(pattern)
)
# ``Model.objects.none()`` (an empty queryset) reads nothing.
BARE_QUERY = re.compile(r"\b[A-Z]\w*\.objects\b(?!\.none\(\))")
WRITE = re.compile(r"\.(save|delete|create|bulk_create|bulk_update)\(|\)\.update\(")


@pytest.mark.parametrize("path", LAYER, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_bare_query_or_write_outside_access_selectors_services(path: Path) -> None:
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if BARE_QUERY.search(line) or WRITE.search(line)
    ]
    assert not found, found


def test_the_layer_is_found() -> None:
    assert len(LAYER) >= 6
