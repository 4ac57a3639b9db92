"""Translation catalogues: one per Kariya app, French and English; the public site's app
(kariya/public) also Hausa and Arabic (PUBLIC_APPS).

    uv run python .ci/i18n.py update [APP …]  # extract strings, merge, compile .mo files
    uv run python .ci/i18n.py compile  # compile every .po into its .mo (after filling in)
    uv run python .ci/i18n.py check    # fail if extraction changes a catalogue, or a French
                                       # translation (Hausa, Arabic: of the public pages'
                                       # messages, context "public") is missing or fuzzy, or a
                                       # .mo does not hold exactly its .po's translations

Extraction needs GNU gettext (xgettext, msgmerge); compiling uses polib, so the committed .mo
files are what a fresh ``uv run kariya demo`` loads without gettext installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(p.parent for p in (ROOT / "kariya").glob("*/apps.py"))
LANGUAGES = ["fr", "en"]
# Apps whose pages are public, in Hausa and Arabic as well (no login; see kariya/public).
PUBLIC_APPS = {"public": ["ha", "ar"]}
# Hausa and Arabic are required for the messages the public pages show: those marked with the
# context "public" (pgettext). The staff pages of these apps stay French and English.
PUBLIC_CONTEXT = "public"
SKIP_HEADER = ("POT-Creation-Date", "PO-Revision-Date")


def makemessages(only: list[str] | None = None) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="kariya.config.settings.test")
    for app in APPS:
        if only and app.name not in only:
            continue
        if not any(app.rglob("*.py")) and not any(app.rglob("*.html")):
            continue
        (app / "locale").mkdir(exist_ok=True)
        args = [
            sys.executable,
            "-P",
            "-m",
            "django",
            "makemessages",
            "--no-location",
            "--no-wrap",
            "--ignore=tests/*",
            "--ignore=migrations/*",
        ]
        for lang in LANGUAGES + PUBLIC_APPS.get(app.name, []):
            args += ["-l", lang]
        subprocess.run(args, cwd=app, env=env, check=True, stdout=subprocess.DEVNULL)
        for po_path in (app / "locale").glob("*/LC_MESSAGES/django.po"):
            po = polib.pofile(str(po_path))
            if not len(po):
                continue
            po.save_as_mofile(str(po_path.with_suffix(".mo")))


def catalogues() -> list[Path]:
    return sorted((ROOT / "kariya").glob("*/locale/*/LC_MESSAGES/django.po"))


def snapshot() -> dict[Path, str]:
    def strip(text: str) -> str:
        return "\n".join(
            line
            for line in text.splitlines()
            if not line.startswith(tuple(f'"{h}' for h in SKIP_HEADER))
        )

    return {p: strip(p.read_text()) for p in catalogues()}


def disagreements() -> list[str]:
    """The same message (and context) translated differently by two apps' French catalogues.

    Django merges the catalogues into one at run time, so only one of the translations is ever
    shown, in both apps: a word that needs two translations needs a context (``pgettext``)."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for path in catalogues():
        if path.parts[-3] != "fr":
            continue
        for entry in polib.pofile(str(path)).translated_entries():
            key = (entry.msgctxt, entry.msgid)
            seen.setdefault(key, {})[path.parts[-5]] = entry.msgstr
    problems = []
    for (context, msgid), by_app in sorted(seen.items(), key=lambda item: item[0][1]):
        if len(set(by_app.values())) > 1:
            where = ", ".join(f"{app}: {text!r}" for app, text in sorted(by_app.items()))
            label = f"{context}|{msgid}" if context else msgid
            problems.append(
                f"{label!r} is translated differently ({where}): agree, or add a context"
            )
    return problems


def _messages(entries: list[polib.POEntry] | polib.MOFile) -> set[tuple[object, ...]]:
    return {
        (e.msgctxt, e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in entries
        if e.msgid  # not the header
    }


def stale_compiled() -> list[str]:
    """The committed .mo files that do not hold exactly their .po's translations: Django
    serves the .mo, so a translation filled in the .po after the last compile would be missing
    from the pages (``update`` or ``compile`` rebuilds them)."""
    problems = []
    for path in catalogues():
        po = polib.pofile(str(path))
        if not len(po):
            continue
        mo_path = path.with_suffix(".mo")
        wanted = _messages([e for e in po.translated_entries() if not e.obsolete])
        found = _messages(polib.mofile(str(mo_path))) if mo_path.exists() else set()
        if wanted != found:
            problems.append(
                f"{mo_path.relative_to(ROOT)}: not compiled from its .po (run .ci/i18n.py compile)"
            )
    return problems


def compile_all() -> None:
    for path in catalogues():
        po = polib.pofile(str(path))
        if len(po):
            po.save_as_mofile(str(path.with_suffix(".mo")))


def check() -> int:
    """Compare a fresh extraction with the catalogues, then put the files back as they were."""
    compiled_problems = stale_compiled()
    originals = {
        p: p.read_bytes() for p in (ROOT / "kariya").glob("*/locale/*/LC_MESSAGES/django.[pm]o")
    }
    before = snapshot()
    try:
        makemessages()
        after = snapshot()
    finally:
        for path in (ROOT / "kariya").glob("*/locale/*/LC_MESSAGES/django.[pm]o"):
            if path not in originals:
                path.unlink()
        for path, content in originals.items():
            path.write_bytes(content)
    problems = []
    for path in sorted(set(before) | set(after)):
        if before.get(path) != after.get(path):
            problems.append(f"{path.relative_to(ROOT)}: out of date (run .ci/i18n.py update)")
    for path in catalogues():
        language = path.parts[-3]
        if language == "en":
            continue
        po = polib.pofile(str(path))
        for entry in po.untranslated_entries() + po.fuzzy_entries():
            if language == "fr" or entry.msgctxt == PUBLIC_CONTEXT:
                problems.append(f"{path.relative_to(ROOT)}: no {language} for {entry.msgid!r}")
    problems += disagreements()
    problems += compiled_problems
    for line in problems:
        print(line)
    print("translations: " + ("FAILED" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        makemessages(sys.argv[2:])
    elif command == "compile":
        compile_all()
    else:
        sys.exit(check())
