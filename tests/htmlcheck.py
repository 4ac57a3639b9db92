"""What a screen reader and a tap on a label need from a page's HTML, checked without a browser.

``form_problems(html)`` lists, in words:

- ids used more than once (a label, ``aria-describedby`` or ``#anchor`` then points at the
  first one, which may belong to another form of the page);
- ``<label for>`` and ``aria-describedby`` that point at no element;
- form controls that no label names (no ``<label for>``, not inside a ``<label>``, no
  ``aria-label``);
- groups of radio buttons or checkboxes (one name, several boxes) that do not have a
  ``<fieldset>`` of their own with a ``<legend>``: the group's question ("Sex", "Outcome") is
  then read with none of its answers (a fieldset around a whole section does not name them).
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from typing import Any

CONTROLS = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.label_for: list[str] = []
        self.described_by: list[str] = []
        self.controls: list[dict[str, object]] = []
        self.labels_open = 0
        # open fieldsets: [number, has its legend, names of the controls directly in it]
        self.fieldsets: list[list[Any]] = []
        self.fieldset_count = 0
        self.fieldset_names: dict[int, set[str]] = {}
        self.legended: set[int] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.ids[a["id"]] += 1
        if tag == "label":
            self.labels_open += 1
            if a.get("for"):
                self.label_for.append(a["for"])
        elif tag == "fieldset":
            self.fieldset_count += 1
            self.fieldset_names[self.fieldset_count] = set()
            self.fieldsets.append([self.fieldset_count])
        elif tag == "legend" and self.fieldsets:
            self.legended.add(self.fieldsets[-1][0])
        if a.get("aria-describedby"):
            self.described_by.extend(a["aria-describedby"].split())
        if tag in CONTROLS:
            kind = a.get("type", "text").lower() if tag == "input" else tag
            if kind in UNLABELLED_INPUT_TYPES:
                return
            fieldset = self.fieldsets[-1][0] if self.fieldsets else 0
            if fieldset:
                self.fieldset_names[fieldset].add(a.get("name", ""))
            self.controls.append(
                {
                    "tag": tag,
                    "type": kind,
                    "name": a.get("name", ""),
                    "id": a.get("id", ""),
                    "wrapped": self.labels_open > 0,
                    "aria_label": bool(a.get("aria-label") or a.get("aria-labelledby")),
                    "fieldset": fieldset,
                }
            )

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.labels_open:
            self.labels_open -= 1
        elif tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()


def form_problems(html: str) -> list[str]:
    scan = _Scan()
    scan.feed(html)
    scan.close()
    problems = [f"id {i!r} is used {n} times" for i, n in scan.ids.items() if n > 1]
    problems += [
        f"<label for={t!r}> points at nothing" for t in scan.label_for if t not in scan.ids
    ]
    problems += [
        f"aria-describedby {t!r} points at nothing" for t in scan.described_by if t not in scan.ids
    ]
    labelled = set(scan.label_for)
    for c in scan.controls:
        if not (c["wrapped"] or c["aria_label"] or (c["id"] and c["id"] in labelled)):
            problems.append(f"{c['tag']} {c['name']!r} has no label")
    group_sizes = Counter(
        c["name"] for c in scan.controls if c["type"] in {"radio", "checkbox"} and c["name"]
    )
    for c in scan.controls:
        if group_sizes[c["name"]] < 2:
            continue
        fieldset = c["fieldset"]
        own = fieldset in scan.legended and scan.fieldset_names.get(fieldset) == {c["name"]}
        if not own:
            problems.append(
                f"the {c['type']} group {c['name']!r} has no fieldset and legend of its own"
            )
    return sorted(set(problems))
