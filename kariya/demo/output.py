"""Console output shared by the demo commands: step progress and the table of demo logins."""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.core.management.base import OutputWrapper

from kariya.accounts.roles import Role
from kariya.demo.generator import DemoAccount, Result


class ProgressPrinter:
    """Prints "  users 37/104": redrawn in place on a terminal, every few seconds otherwise,
    and always once a step is complete."""

    def __init__(self, stdout: OutputWrapper) -> None:
        self.stdout = stdout
        self.interactive = stdout.isatty()
        self.last = 0.0

    def __call__(self, step: str, done: int, total: int) -> None:
        now = time.monotonic()
        line = f"  {step} {done}/{total}"
        if done >= total:
            self.stdout.write(f"\r{line}" if self.interactive else line)
            self.last = 0.0
        elif self.interactive and now - self.last >= 0.2:
            self.stdout.write(f"\r{line}", ending="")
            self.stdout.flush()
            self.last = now
        elif not self.interactive and now - self.last >= 5:
            self.stdout.write(line)
            self.last = now


def summary(result: Result) -> str:
    counts = ", ".join(f"{count} {name}" for name, count in result.counts.items())
    return f"Created {counts} in {result.seconds:.1f} s."


def accounts_table(accounts: Sequence[DemoAccount]) -> list[str]:
    rows = [("username", "role", "organisation")]
    rows += [
        (a.username, str(Role(a.role).label), f"{a.organisation.acronym} — {a.organisation.name}")
        for a in accounts
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return [f"  {u:<{widths[0]}}  {r:<{widths[1]}}  {o}" for u, r, o in rows]
