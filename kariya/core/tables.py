"""The rows of a list page's table, written in Python.

A list page shows 50 rows of six or seven cells. Through the template language (a ``{% for %}``,
a variable lookup and an escape per cell, ``get_FOO_display`` per choice) those rows were the
largest part of the page's server time after the queries. Here each cell is one function call
and one escape. The markup is the one the list templates used: the responsive table
(``rt``, each cell labelled by ``data-label`` for the narrow layout), a caption with the count.

The page's template still lays the page out; it places ``{{ table }}`` where the loop was.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Column:
    """A column: its header (already translated) and what a row shows in it.

    ``cell`` returns text (escaped here) or ``SafeString`` (markup built with ``format_html``
    or by :func:`link`)."""

    label: str
    cell: Callable[[Any], Any]


def _html(value: Any) -> str:
    if isinstance(value, SafeString):
        return value
    return escape(str(value), quote=True)


def link(url: str, text: Any) -> SafeString:
    return mark_safe(f'<a href="{escape(url)}">{_html(text)}</a>')  # noqa: S308 - escaped


def badge(text: Any, *, off: bool = False) -> SafeString:
    css = "badge off" if off else "badge"
    return mark_safe(f'<span class="{css}">{_html(text)}</span>')  # noqa: S308 - escaped


_PLACEHOLDER = uuid.UUID(int=0)


def url_maker(name: str) -> Callable[[Any], str]:
    """``reverse(name, args=[public_id])`` for many rows: reversed once, then the id put in
    its place (``reverse`` per row showed in a 50-row list's server time)."""
    pattern = reverse(name, args=[_PLACEHOLDER])
    head, _sep, tail = pattern.partition(str(_PLACEHOLDER))
    return lambda public_id: f"{head}{public_id}{tail}"


def table(*, caption: str, columns: Sequence[Column], rows: Iterable[Any]) -> SafeString:
    """``<table class="rt">`` with ``caption``, a header row and one row per item of ``rows``."""
    labels = [escape(str(column.label), quote=True) for column in columns]
    head = "".join(f'<th scope="col">{label}</th>' for label in labels)
    cells = list(zip(labels, [column.cell for column in columns], strict=True))
    body = "\n".join(
        "<tr>"
        + "".join(f'<td data-label="{label}">{_html(cell(row))}</td>' for label, cell in cells)
        + "</tr>"
        for row in rows
    )
    return mark_safe(  # noqa: S308 - every header, cell and caption is escaped above or here
        f'<div class="table-wrap"><table class="rt">\n'
        f'<caption class="muted">{_html(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n"
        f"<tbody>{body}</tbody></table></div>"
    )
