"""Memory of one web process under load, and its response times, on SQLite or PostgreSQL.

    uv run python benchmarks/web_memory.py          # SQLite, throwaway data dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kariya_bench \
        uv run python benchmarks/web_memory.py      # PostgreSQL

It builds the demo network (``kariya demo --no-serve --reset`` in a temporary
``KARIYA_DATA_DIR``), starts ``kariya serve`` (waitress, 8 threads) as a child process on
127.0.0.1, logs in eight demo users of different roles, and has eight client threads request
the staff pages of their menus for a bounded number of rounds. It samples the server's
resident memory (``/proc/PID/status``) while the load runs and reports the peak (VmHWM), and
the p50/p95 of the server's answers per page as seen by the clients.

Budget (DESIGN.md): one web process under load <= 250 MB RSS. Exit status 1 when exceeded.
Only loopback traffic, bounded in count and time; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MB = 250
PASSWORD = "kariya-demo-2026"  # noqa: S105 - the demo's published password
USERS = [
    "niamey.caseworker",
    "niamey.supervisor",
    "niamey.org-admin",
    "niamey.dpo",
    "agadez.network-coordinator",
    "agadez.monitor",
    "agadez.me-officer",
    "agadez.org-admin",
]
MENU = re.compile(r'<nav class="menu".*?</nav>', re.S)
HREF = re.compile(r'href="(/[^"]*)"')


def rss_kb(pid: int) -> tuple[int, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def login(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/", timeout=20).read().decode()  # noqa: S310
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        base + "/accounts/login/", data=data, headers={"Referer": base + "/accounts/login/"}
    )
    home = opener.open(request, timeout=20)  # noqa: S310
    if not home.geturl().rstrip("/").endswith(base.split("//")[1]):
        raise SystemExit(f"log-in failed for {username}: landed on {home.geturl()}")
    return opener


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="menu walks per client")
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="kariya-bench-")
    env = dict(os.environ, KARIYA_DATA_DIR=data_dir)
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kariya", "demo", "--no-serve", "--reset"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "kariya",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--threads",
            "8",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        pid = server.pid
        idle_rss, _ = rss_kb(pid)
        timings: dict[str, list[float]] = defaultdict(list)
        lock = threading.Lock()
        errors: list[str] = []
        samples: list[int] = []
        done = threading.Event()

        def client(username: str) -> None:
            try:
                opener = login(base, username)
                home = opener.open(base + "/", timeout=20).read().decode()  # noqa: S310
                menu = MENU.search(home)
                pages = sorted(set(HREF.findall(menu.group(0) if menu else "")))
                for _ in range(args.rounds):
                    for path in pages:
                        start = time.perf_counter()
                        opener.open(base + path, timeout=30).read()  # noqa: S310
                        with lock:
                            timings[path].append(time.perf_counter() - start)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(f"{username}: {exc}")

        def sampler() -> None:
            while not done.is_set():
                samples.append(rss_kb(pid)[0])
                time.sleep(0.1)

        watcher = threading.Thread(target=sampler)
        watcher.start()
        started = time.perf_counter()
        clients = [threading.Thread(target=client, args=(u,)) for u in USERS]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(timeout=900)
        elapsed = time.perf_counter() - started
        done.set()
        watcher.join()
        rss, peak = rss_kb(pid)
    finally:
        server.terminate()
        server.wait(timeout=20)

    requests = sum(len(v) for v in timings.values())
    print(f"Kariya web process under load — {database}, waitress 8 threads, 8 clients")
    print(f"  requests: {requests} in {elapsed:.1f} s ({requests / elapsed:.0f}/s)")
    print(
        f"  RSS idle after start: {idle_rss / 1024:.0f} MB; under load: max sampled "
        f"{max(samples) / 1024:.0f} MB; peak (VmHWM) {peak / 1024:.0f} MB; at end "
        f"{rss / 1024:.0f} MB; budget {BUDGET_MB} MB"
    )
    print(f"  {'page':<32} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for path, values in sorted(timings.items()):
        values.sort()
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(
            f"  {path:<32} {len(values):>5} {statistics.median(values) * 1000:>8.1f} "
            f"{p95 * 1000:>8.1f}"
        )
    for line in errors:
        print("  error:", line)
    return 1 if errors or peak / 1024 > BUDGET_MB else 0


if __name__ == "__main__":
    sys.exit(main())
