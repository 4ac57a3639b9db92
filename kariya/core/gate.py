"""The access gate for views: every view declares a permission, or that it is public.

- ``@requires("perm.code")`` / ``@public`` for function views;
- ``GatedView`` subclasses set ``permission = "perm.code"`` (or ``PUBLIC``);
- API views use ``kariya.core.api.DeclaredPermission`` with the same attribute.

Anonymous visitors to a gated page are sent to the log-in page; a logged-in user without the
permission gets the same 404 as for a record that does not exist.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views import View

PUBLIC = "public"
ATTRIBUTE = "kariya_permission"


def has_permission(request: HttpRequest, permission: str) -> bool:
    if permission == PUBLIC:
        return True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return permission in getattr(request, "perms_granted", frozenset())


def enforce(request: HttpRequest, permission: str | None) -> HttpResponse | None:
    """Return a response that stops the request, or ``None`` to let it through."""
    if permission is None:
        raise ImproperlyConfigured("view declares no permission")
    if permission == PUBLIC:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_permission(request, permission):
        raise Http404
    return None


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def requires(permission: str) -> Callable[[ViewFunc], ViewFunc]:
    def decorator(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            stop = enforce(request, permission)
            if stop is not None:
                return stop
            response: HttpResponseBase = view(request, *args, **kwargs)
            return response

        setattr(wrapper, ATTRIBUTE, permission)
        return cast(ViewFunc, wrapper)

    return decorator


def public(view: ViewFunc) -> ViewFunc:
    return requires(PUBLIC)(view)


class GatedMixin:
    """Put first in a class-based view's bases; set ``permission``."""

    permission: ClassVar[str | None] = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        stop = enforce(request, self.permission)
        if stop is not None:
            return stop
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


class GatedView(GatedMixin, View):
    pass


def declared_permission(callback: Any) -> str | None:
    """The permission a resolved URL callback declares, wherever it declares it."""
    declared = getattr(callback, ATTRIBUTE, None)
    if declared:
        return str(declared)
    for holder in ("view_class", "cls"):
        klass = getattr(callback, holder, None)
        if klass is not None:
            value = getattr(klass, "permission", None)
            if value:
                return str(value)
    return None
