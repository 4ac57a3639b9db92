from __future__ import annotations

import re
import threading
import urllib.request
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from waitress import wasyncore

from kariya.accounts.models import Organisation, User
from kariya.demo import generator, serving

LOGIN_LINE = re.compile(r"^\s+(?P<username>[a-z]+\.[a-z-]+)\s{2,}\S")


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def _logins(text: str) -> list[str]:
    return [m["username"] for line in text.splitlines() if (m := LOGIN_LINE.match(line))]


def test_demo_lists_logins_that_work(db: Any, client: Any) -> None:
    text = _demo()

    assert generator.DEMO_PASSWORD in text
    logins = _logins(text)
    assert len(logins) >= 20
    assert {"niamey.dpo", "agadez.caseworker"} <= set(logins)
    response = client.post(
        "/accounts/login/", {"username": "agadez.caseworker", "password": generator.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_demo_accounts_cover_every_role_in_two_organisations(db: Any) -> None:
    accounts = [a for a in generator.ensure_demo_accounts() if a.created] or None
    assert accounts is None  # nothing to host them before the network exists

    generator.generate()
    accounts = generator.ensure_demo_accounts()

    by_role: dict[str, set[int]] = {}
    for account in accounts:
        by_role.setdefault(account.role, set()).add(account.organisation.pk)
    assert all(len(orgs) >= 2 for orgs in by_role.values())
    assert len(by_role) == 10


def test_running_demo_again_keeps_the_data(db: Any) -> None:
    first = _demo()
    fingerprint = generator.network_fingerprint()
    users = User.objects.count()

    second = _demo()

    assert "Keeping the existing data" in second
    assert generator.network_fingerprint() == fingerprint
    assert User.objects.count() == users
    assert _logins(second) == _logins(first)


def test_demo_keeps_foreign_data_and_adds_only_logins(org_a: Any) -> None:
    text = _demo()

    assert "Keeping the existing data: 1 organisations" in text
    assert Organisation.objects.count() == 1
    # ALPHA has its office in Bilma (Agadez region): the Agadez logins land there.
    assert {"agadez.caseworker", "agadez.dpo"} <= set(_logins(text))
    assert not any(login.startswith("niamey.") for login in _logins(text))


def test_demo_reset_regenerates_the_same_network(db: Any) -> None:
    _demo()
    fingerprint = generator.network_fingerprint()

    text = _demo("--reset")

    assert "Reset:" in text
    assert "Loading the demo network" in text
    assert generator.network_fingerprint() == fingerprint


def test_demo_and_reset_refuse_production_settings(db: Any, settings: Any) -> None:
    settings.KARIYA_ALLOW_DEMO = False

    with pytest.raises(CommandError, match="production"):
        _demo()
    with pytest.raises(CommandError, match="production"):
        call_command("generate", "--reset", stdout=StringIO())
    assert not Organisation.objects.exists()


def test_demo_then_serves_on_the_given_address(db: Any, monkeypatch: Any) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(serving, "serve", lambda **kw: calls.append(kw))

    call_command("demo", "--port", "8123", "--host", "127.0.0.1", stdout=StringIO())

    assert len(calls) == 1
    assert calls[0]["host"] == "127.0.0.1"
    assert calls[0]["port"] == 8123


def test_serve_passes_threads_and_trusted_proxy(db: Any, monkeypatch: Any) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(serving, "serve", lambda **kw: calls.append(kw))

    call_command(
        "serve",
        "--port",
        "9001",
        "--threads",
        "8",
        "--trusted-proxy",
        "10.0.0.2",
        "--trusted-proxy-headers",
        "x-forwarded-proto, x-forwarded-for",
        stdout=StringIO(),
    )

    (call,) = calls
    assert call["threads"] == 8
    assert call["port"] == 9001
    options = serving.server_options(
        trusted_proxy=call["trusted_proxy"], trusted_proxy_headers=call["trusted_proxy_headers"]
    )
    assert options["trusted_proxy"] == "10.0.0.2"
    assert options["trusted_proxy_headers"] == {"x-forwarded-proto", "x-forwarded-for"}


def test_server_options_trust_no_proxy_by_default() -> None:
    options = serving.server_options()

    assert "trusted_proxy" not in options
    assert options["host"] == "127.0.0.1"
    assert options["threads"] == serving.DEFAULT_THREADS


def test_waitress_serves_the_stylesheet_without_collectstatic() -> None:
    server = serving.make_server(host="127.0.0.1", port=0, threads=1)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        (url,) = serving.urls(server)
        with urllib.request.urlopen(url + "static/core/kariya.css", timeout=10) as response:  # noqa: S310
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/css")
            assert response.headers["Server"] == "kariya"
            assert len(response.read()) > 100
    finally:
        # Let the worker finish, then close every socket, which ends server.run().
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)
        thread.join(timeout=10)
    assert not thread.is_alive()
