"""Name normalisation for search and matching (first version; see README.md).

``name_keys("Mahamadou  Ag Moussa")`` → canonical tokens, insensitive to case, accents, spacing
and common transliteration variants of the names met in Niger, so that exact (whole-token)
search through blind indexes finds "Moussa" for "MOUSA" and "Ousmane" for "Usman".
"""

from __future__ import annotations

import re
import unicodedata

_SPLIT = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces."""
    if text.isascii():  # nothing to decompose: the same result, faster
        return " ".join(t for t in _SPLIT.split(text.lower()) if t)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(t for t in _SPLIT.split(stripped) if t)


def canonical_token(token: str) -> str:
    """One folded token in its canonical spelling (transliteration variants merged)."""
    t = token
    t = t.replace("ou", "u").replace("oo", "u")
    t = t.replace("dj", "j").replace("kh", "h").replace("ph", "f").replace("th", "t")
    t = t.replace("y", "i")
    t = re.sub(r"(.)\1+", r"\1", t)  # doubled letters: Mousa/Moussa, Mohammed/Mohamed
    return t


def name_keys(text: str) -> list[str]:
    """Canonical tokens of a name, in order, without duplicates."""
    seen: dict[str, None] = {}
    for token in fold(text).split():
        seen.setdefault(canonical_token(token), None)
    return list(seen)
