from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kariya.accounts.roles import permissions_for
from kariya.core.context import RequestMeta, reset_request_meta, set_request_meta


class OrganisationMiddleware:
    """Resolve the user's organisation, roles and permissions once per request.

    Sets ``request.org``, ``request.roles`` and ``request.perms_granted``, and the request
    facts the audit log records (IP, user agent).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            request.org = user.organisation  # type: ignore[attr-defined, union-attr]
            request.roles = user.role_codes()  # type: ignore[attr-defined, union-attr]
        else:
            request.org = None  # type: ignore[attr-defined]
            request.roles = frozenset()  # type: ignore[attr-defined]
        request.perms_granted = permissions_for(request.roles)  # type: ignore[attr-defined]
        token = set_request_meta(
            RequestMeta(
                ip=request.META.get("REMOTE_ADDR") or None,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        )
        try:
            return self.get_response(request)
        finally:
            reset_request_meta(token)


CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline script or style, nothing from elsewhere)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response
