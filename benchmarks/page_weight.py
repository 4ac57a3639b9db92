"""Page weight of every staff page, for every role, against the bandwidth budgets.

    uv run python benchmarks/page_weight.py          # measure, print the tables
    uv run python benchmarks/page_weight.py --keep   # and keep the database to look at

What it measures (DESIGN.md, "Performance and bandwidth budgets"):

Pages: for each role, the home page, every page of its menu, and the first record each list
page links to (its detail page), as a person reaches them by clicking.

- ``html`` / ``html.gz``: the HTML of a page, decompressed and as sent with
  ``Accept-Encoding: gzip`` (the "next navigation" figure: assets are cached by then);
- ``first``: a first visit with an empty cache: that HTML plus every stylesheet, script and
  icon it references, each counted as the server sends it to a browser that accepts gzip;
- ``first.gz``: the same if every asset were gzip-compressed (what the budget assumes). When
  ``first`` is larger, the server sent some asset uncompressed: see the asset table.

Budgets: first load <= 60 KB, next navigation HTML <= 15 KB (1 KB = 1,024 bytes here). The
exit status is 1 when ``first`` (the bytes a phone really downloads) or ``html.gz`` exceeds its
budget.

Database: a throwaway SQLite database in a temporary ``KARIYA_DATA_DIR``, created by
``migrate`` (so it holds the shipped Niger geography and sites), then filled by this script
with factory_boy: 60 member organisations with an office each, the first one with one user
per role plus 60 more users, and 80 audit events, so that list pages are full (they paginate
at 50 or 100 rows). ``DATABASE_URL`` is ignored on purpose; the demo database is never touched.
Settings: ``kariya.config.settings.dev``, what ``kariya demo`` runs (DEBUG off, whitenoise
serving static files from the app folders). Requests go through Django's test client, which
runs the whole middleware stack (whitenoise, gzip) but not a network.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KB = 1024
FIRST_LOAD_BUDGET = 60 * KB
NEXT_NAV_BUDGET = 15 * KB
PASSWORD = "page-weight-bench-2026"  # noqa: S105 - throwaway database
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class PageParser(HTMLParser):
    """Collects the assets a page makes a browser fetch, the links of its main menu, and the
    first link inside a table (a list page's first record: its detail page)."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.nav_links: list[str] = []
        self.first_row_link = ""
        self._nav_depth = 0
        self._table_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "nav":
            if self._nav_depth or "menu" in a.get("class", "").split():
                self._nav_depth += 1
        elif tag == "table":
            self._table_depth += 1
        elif tag == "a" and self._nav_depth and a.get("href"):
            self.nav_links.append(a["href"])
        elif tag == "a" and self._table_depth and not self.first_row_link:
            href = a.get("href", "")
            if href.startswith("/") and "?" not in href:
                self.first_row_link = href
        elif tag == "link" and a.get("href"):
            rel = set(a.get("rel", "").lower().split())
            if rel & {"stylesheet", "icon", "preload", "modulepreload", "manifest"}:
                self.assets.append(a["href"])
        elif tag in {"script", "img"} and a.get("src"):
            self.assets.append(a["src"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1
        elif tag == "table" and self._table_depth:
            self._table_depth -= 1


@dataclass
class Fetched:
    raw: int
    wire: int
    gz: int
    encoding: str


@dataclass
class Row:
    role: str
    path: str
    html: Fetched
    assets: dict[str, Fetched] = field(default_factory=dict)

    @property
    def first_wire(self) -> int:
        return self.html.wire + sum(a.wire for a in self.assets.values())

    @property
    def first_gz(self) -> int:
        return self.html.gz + sum(a.gz for a in self.assets.values())


def prepare_environment(data_dir: Path) -> None:
    os.environ["KARIYA_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kariya.config.settings.dev"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("KARIYA_DEBUG", None)
    os.environ["KARIYA_LOG_LEVEL"] = "WARNING"
    # Whitenoise warns that STATIC_ROOT does not exist when nothing was collected: expected.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # adds "testserver" to ALLOWED_HOSTS, records templates


def fill_database() -> dict[str, Any]:
    """Organisations, users and audit events enough to fill every list page."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from kariya.accounts.factories import OfficeFactory, OrganisationFactory, UserFactory
    from kariya.accounts.models import User
    from kariya.accounts.roles import Role
    from kariya.core.audit import audit_record
    from kariya.core.models import AuditAction
    from kariya.geo.models import AdminUnit

    communes = list(AdminUnit.objects.filter(level=3).order_by("pcode")[:60])
    orgs = []
    for n in range(60):
        org = OrganisationFactory(
            name=f"Association nigérienne pour la protection des migrants n° {n + 1}",
            acronym=f"ANPM{n + 1}",
        )
        OfficeFactory(
            organisation=org, name=f"Antenne de {communes[n].name_fr}", commune=communes[n]
        )
        orgs.append(org)
    org = orgs[0]
    users: dict[str, Any] = {}
    for role in Role:
        users[role.value] = UserFactory(
            username=f"bench_{role.value}", organisation=org, roles=[role.value]
        )
    for n in range(60):
        UserFactory(
            username=f"agent{n:02d}",
            first_name="Mariama",
            last_name=f"Abdou {n}",
            email=f"agent{n:02d}@anpm1.example.org",
            organisation=org,
            roles=[list(Role)[n % len(Role)].value],
        )
    # One hash for everybody: hashing 70 passwords with PBKDF2 would dominate the run.
    User.objects.update(password=make_password(PASSWORD))
    actor = users[Role.ORG_ADMIN.value]
    for n in range(80):
        target = users[list(Role)[n % len(Role)].value]
        audit_record(actor=actor, action=AuditAction.READ, obj=target)
    return users


def fetch(client: Any, path: str) -> tuple[int, bytes, str]:
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response.status_code, body, response.get("Content-Encoding", "")


class BrokenLink(Exception):  # noqa: N818 - named for what it reports
    pass


def measure(client: Any, path: str) -> tuple[Fetched, bytes]:
    status, body, encoding = fetch(client, path)
    if status != 200:
        raise BrokenLink(f"GET {path} answered {status}")
    raw = gzip.decompress(body) if encoding == "gzip" else body
    gz = len(body) if encoding == "gzip" else len(gzip.compress(raw, compresslevel=9))
    return Fetched(raw=len(raw), wire=len(body), gz=gz, encoding=encoding or "identity"), raw


def log_in(client: Any, username: str) -> None:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    if response.status_code != 302 or response["Location"] != "/":
        raise SystemExit(f"page_weight: could not log in as {username}")


def run() -> int:
    from django.test import Client

    users = fill_database()
    asset_cache: dict[str, Fetched] = {}
    rows: list[Row] = []
    broken: list[str] = []
    for role, user in users.items():
        client = Client()
        log_in(client, user.username)
        # The home page, then each page of the menu followed by the first record it lists.
        todo = ["/"]
        menu: list[str] = []
        seen: set[str] = set()
        while todo:
            path = todo.pop(0)
            if path in seen:
                continue
            seen.add(path)
            try:
                fetched, html = measure(client, path)
                page = PageParser()
                page.feed(html.decode())
                row = Row(role=role, path=path, html=fetched)
                for asset in dict.fromkeys(page.assets):
                    if asset not in asset_cache:
                        asset_cache[asset] = measure(client, asset)[0]
                    row.assets[asset] = asset_cache[asset]
            except BrokenLink as exc:
                broken.append(f"{role}: {exc}")
                continue
            rows.append(row)
            if path == "/":
                menu = page.nav_links
                todo += menu
            elif path in menu and page.first_row_link:
                todo.insert(0, page.first_row_link)
    return report(rows, asset_cache, broken)


def kb(n: int) -> str:
    return f"{n / KB:.1f}"


def shown(path: str) -> str:
    return UUID.sub("<id>", path)


def report(rows: list[Row], assets: dict[str, Fetched], broken: list[str]) -> int:
    print("Assets (fetched with Accept-Encoding: gzip)")
    print(f"{'asset':<44} {'raw KB':>8} {'sent KB':>8} {'gzip KB':>8}  sent as")
    for path, a in sorted(assets.items()):
        print(f"{path:<44} {kb(a.raw):>8} {kb(a.wire):>8} {kb(a.gz):>8}  {a.encoding}")
    print()
    print(
        f"Pages (KB; budgets: first load <= {FIRST_LOAD_BUDGET // KB}, "
        f"next navigation html.gz <= {NEXT_NAV_BUDGET // KB})"
    )
    columns = ("role", "page", "html", "html.gz", "first", "first.gz", "ok")
    line = "{:<20} {:<36} {:>7} {:>8} {:>7} {:>9}  {}"
    header = line.format(*columns)
    print(header)
    print("-" * len(header))
    failures = []
    for r in rows:
        over = []
        if r.first_wire > FIRST_LOAD_BUDGET:
            over.append("first load")
        if r.html.wire > NEXT_NAV_BUDGET:
            over.append("next navigation")
        if over:
            failures.append(f"{r.role} {shown(r.path)}: over budget ({', '.join(over)})")
        print(
            line.format(
                r.role,
                shown(r.path),
                kb(r.html.raw),
                kb(r.html.wire),
                kb(r.first_wire),
                kb(r.first_gz),
                "OVER" if over else "yes",
            )
        )
    print()
    if rows:
        first = max(rows, key=lambda r: r.first_wire)
        html = max(rows, key=lambda r: r.html.wire)
        print(
            f"{len(rows)} pages. Heaviest first load: {kb(first.first_wire)} KB "
            f"({first.role} {shown(first.path)}; {kb(first.first_gz)} KB if every asset were "
            f"gzipped). Heaviest HTML: {kb(html.html.wire)} KB gzip "
            f"({html.role} {shown(html.path)})."
        )
    failures += broken
    for failure in failures:
        print("FAIL", failure)
    print("page weight: " + ("FAILED" if failures else "ok"))
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="kariya-page-weight-"))
    try:
        prepare_environment(data_dir)
        return run()
    finally:
        if args.keep:
            print(f"data directory kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
