"""core.tables: list rows written in Python, escaped like the template language would."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils.html import format_html

from kariya.core.tables import Column, badge, link, table, url_maker


def test_cells_are_escaped_and_safe_markup_is_kept() -> None:
    html = table(
        caption="2 <cases>",
        columns=[
            Column("Code & name", lambda row: link("/c/?a=1&b=2", row["code"])),
            Column("Note", lambda row: row["note"]),
            Column("Priority", lambda row: badge(row["priority"], off=row["priority"] == "high")),
            Column("Made", lambda row: format_html("<b>{}</b>", row["note"])),
        ],
        rows=[
            {"code": "AGZ-<1>", "note": '"Aïcha" & <script>', "priority": "high"},
            {"code": "NIA-2", "note": "", "priority": "low"},
        ],
    )
    assert '<caption class="muted">2 &lt;cases&gt;</caption>' in html
    assert '<th scope="col">Code &amp; name</th>' in html
    assert '<a href="/c/?a=1&amp;b=2">AGZ-&lt;1&gt;</a>' in html
    assert "&quot;Aïcha&quot; &amp; &lt;script&gt;" in html
    assert "<script>" not in html
    assert '<td data-label="Priority"><span class="badge off">high</span></td>' in html
    assert '<span class="badge">low</span>' in html
    assert "<b>&quot;Aïcha&quot; &amp; &lt;script&gt;</b>" in html
    assert html.count("<tr>") == 3  # the header and two rows


def test_url_maker_gives_what_reverse_gives() -> None:
    make = url_maker("cases:case_detail")
    for public_id in (uuid.uuid4(), uuid.uuid4()):
        assert make(public_id) == reverse("cases:case_detail", args=[public_id])
