"""The small markup of rights-information pages, rendered safely.

Authors write plain text. Blank lines separate blocks; a block whose lines all start with
``- `` is a bulleted list; a line starting with ``## `` is a heading. Everything is escaped:
no HTML the author types ever reaches the page. Telephone numbers written ``tel:+227…`` become
links a phone can dial.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TEL = re.compile(r"tel:(\+?[0-9](?:[0-9 ]{0,18}[0-9])?)")


def _inline(text: str) -> str:
    escaped = str(escape(text))

    def link(match: re.Match[str]) -> str:
        number = match.group(1)
        return f'<a href="tel:{number.replace(" ", "")}">{number}</a>'

    return TEL.sub(link, escaped)


def _flush(out: list[str], paragraph: list[str], items: list[str]) -> None:
    if paragraph:
        out.append("<p>" + "<br>".join(_inline(p) for p in paragraph) + "</p>")
        paragraph.clear()
    if items:
        out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
        items.clear()


def render(text: str) -> SafeString:
    """HTML for a page body: paragraphs, lists, headings; everything else escaped."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        paragraph: list[str] = []
        items: list[str] = []
        for raw in block.split("\n"):
            line = raw.strip()
            if not line:
                continue
            if line.startswith("## "):
                _flush(out, paragraph, items)
                out.append(f"<h2>{_inline(line[3:].strip())}</h2>")
            elif line.startswith("- "):
                if paragraph:
                    _flush(out, paragraph, items)
                items.append(line[2:].strip())
            else:
                if items:
                    _flush(out, paragraph, items)
                paragraph.append(line)
        _flush(out, paragraph, items)
    return mark_safe("\n".join(out))  # noqa: S308 - every piece above is escaped
