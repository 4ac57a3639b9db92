from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kariya.core.navigation import menu_for


def kariya(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": menu_for(request)}
