"""Name normalisation for matching the names met in Niger (see README.md, "Names").

Richer than ``normalise.py`` (whose keys are stored in blind indexes and must not change):

- ``fold_name``: Arabic script transliterated to Latin, Unicode folded (case, accents),
  apostrophes dropped, anything else that is not a letter becomes a space.
- ``spelling_key``: the French/English/Hausa spelling habits collapsed (ou/u, dj/j, kh/h, ch/sh,
  c/q/k, y/i, w/u, doubled letters, a final h).
- ``VariantDictionary``: canonical forms of the frequent names (``data/name_variants.csv``),
  keyed by spelling key; admins may extend it with extra rows. Two canonical names never share a
  key: a row that would merge them is refused (the distinct-name guard).
- ``name_tokens``: particles and patronymic markers (ag, welet, dan, ben, ould, mint, ibn…)
  dropped, articles and "abd"/"abou" compounds joined, titles dropped, every token canonical.
- ``skeleton``: the blocking key of a canonical token (first letter, then its consonants).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

VARIANTS_CSV = Path(__file__).resolve().parent / "data" / "name_variants.csv"

# Arabic letters to Latin, as names are usually written in Niger's French-based spelling. Short
# vowels (harakat) are combining marks and disappear with the accents; the dictionary holds the
# Arabic spellings of the frequent names, so an unvowelled محمد still finds "mohamed".
ARABIC_TO_LATIN = {
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ٱ": "a",
    "ء": "",
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "dj",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "ch",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "",
    "غ": "gh",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "a",
    "و": "ou",
    "ي": "i",
    "ى": "a",
    "ئ": "i",
    "ؤ": "ou",
    "ـ": "",
    "پ": "p",
    "ڤ": "v",
    "گ": "g",
    "ی": "i",
    "ک": "k",
}
_ARABIC_TABLE = str.maketrans(ARABIC_TO_LATIN)
_NOT_LETTER = re.compile(r"[^a-z]+")
_APOSTROPHES = re.compile(r"['’ʼ`´]")

# Dropped tokens: patronymic markers ("son/daughter of") and honorific titles. They carry no
# identity, and writing them or not is the commonest difference between two registrations.
PARTICLES = frozenset(
    {
        "ag",
        "ak",
        "ould",
        "oult",
        "ult",
        "welet",
        "walet",
        "oulet",
        "wellet",
        "dan",
        "ben",
        "bin",
        "ibn",
        "ibnou",
        "ibnu",
        "bint",
        "binti",
        "mint",
        "bent",
        "dit",
        "alias",
        "elhadj",
        "elhadji",
        "alhadji",
        "alhaji",
        "alhadj",
        "hadj",
        "hadji",
        "cheikh",
        "sheikh",
        "mr",
        "mme",
    }
)
# Joined to the next token: the article (Al Hassane = Alhassane) and the first half of
# theophoric compounds (Abd al Rahman = Abdourahmane, Abou Bakr = Aboubakr).
JOIN_ALWAYS = frozenset({"al", "el", "abd", "abdel", "abdal", "abdul", "abdoul", "abdu", "abdur"})
JOIN_IF_KNOWN = frozenset({"abou", "abu", "abdou", "abdel", "abdallah"})


# Particles sometimes written glued to the name (Ouldahmad, Weletmoussa): split off when what
# follows is a name of at least three letters. Not "ag" or "dan", which begin ordinary names.
GLUED = ("ould", "oult", "welet", "walet", "ibn")


def _unglue(token: str) -> tuple[str, ...]:
    if not token.startswith(GLUED):
        return (token,)
    for particle in GLUED:
        if token.startswith(particle) and len(token) - len(particle) >= 3:
            return (particle, token[len(particle) :])
    return (token,)


def fold_name(text: str) -> str:
    """Lower case Latin letters and single spaces; Arabic transliterated, accents removed."""
    if text.isascii():
        # the same result, faster: no Arabic letter, no accent, casefold() is lower()
        stripped = text.lower()
    else:
        text = text.replace("عبد", "abd ").translate(_ARABIC_TABLE)
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _APOSTROPHES.sub("", stripped)
    return " ".join(t for t in _NOT_LETTER.split(stripped) if t)


_SPELLING = (
    ("tch", "x"),
    ("sh", "x"),
    ("ch", "x"),
    ("dj", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("ou", "u"),
    ("oo", "u"),
    ("w", "u"),
    ("y", "i"),
    ("q", "k"),
    ("c", "k"),
    ("x", "sh"),
)
_DOUBLED = re.compile(r"(.)\1+")


def _single(match: re.Match[str]) -> str:
    # a function, not the template r"\1": the same replacement, without parsing the template
    # at every match (a sizeable share of the normalisation time)
    return match.group(1)


@lru_cache(maxsize=200_000)
def spelling_key(token: str) -> str:
    """One folded token with spelling habits collapsed: "Mouhammad" and "muhamad" agree."""
    t = token
    for old, new in _SPELLING:
        t = t.replace(old, new)
    t = _DOUBLED.sub(_single, t)
    if len(t) > 3 and t.endswith("h"):
        t = t[:-1]
    return t


class VariantConflictError(ValueError):
    """A variant row would make two distinct canonical names equal."""

    def __init__(self, message: str, *, variant: str = "", known: str = "", canonical: str = ""):
        super().__init__(message)
        self.variant = variant
        self.known = known  # the canonical name the spelling already belongs to
        self.canonical = canonical  # the canonical name the row asked for


class VariantDictionary:
    """Spelling key → canonical name, refusing any row that would merge two canonical names."""

    def __init__(self) -> None:
        self._canonical: dict[str, str] = {}
        self._written: dict[str, str] = {}  # canonical key → the name as first written

    def __len__(self) -> int:
        return len(self._canonical)

    def add(self, canonical: str, variant: str) -> None:
        # Canonical names live in the same namespace as spelling keys, so that a token outside
        # the dictionary can never be mistaken for another name's canonical form.
        canon_display = variant_key(canonical)
        spellings = [s for s in (canon_display, variant_key(variant)) if s]
        for spelling in spellings:  # checked before anything is written: a refused row
            known = self._canonical.get(spelling)  # leaves the dictionary as it was
            if known is not None and known != canon_display:
                raise VariantConflictError(
                    f"{variant!r} would merge {known!r} and {canon_display!r}",
                    variant=variant,
                    known=self.written(known),
                    canonical=canonical,
                )
        for spelling in spellings:
            self._canonical[spelling] = canon_display
        self._written.setdefault(canon_display, canonical)

    def extend(self, rows: Iterable[tuple[str, str]]) -> VariantDictionary:
        for canonical, variant in rows:
            self.add(canonical, variant)
        return self

    def canonical(self, key: str) -> str | None:
        return self._canonical.get(key)

    def knows(self, key: str) -> bool:
        return key in self._canonical

    def written(self, key: str) -> str:
        """A canonical key as its name was first written (``muhamed`` → ``mohamed``)."""
        return self._written.get(key, key)


def variant_key(variant: str) -> str:
    """The spelling key of a variant written as one name, in Latin or Arabic script."""
    return spelling_key("".join(fold_name(variant).split()))


def load_variants(
    extra_rows: Iterable[tuple[str, str]] = (), path: Path | None = None
) -> VariantDictionary:
    """The shipped dictionary, extended by ``extra_rows`` (canonical, variant) — e.g. an admin's.

    Raises ``VariantConflictError`` when a row would merge two distinct canonical names.
    """
    dictionary = VariantDictionary()
    with (path or VARIANTS_CSV).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        dictionary.extend((row["canonical"], row["variant"]) for row in reader)
    return dictionary.extend(extra_rows)


_DEFAULT: VariantDictionary | None = None


def default_variants() -> VariantDictionary:
    global _DEFAULT  # noqa: PLW0603 - loaded once, read-only afterwards
    if _DEFAULT is None:
        _DEFAULT = load_variants()
    return _DEFAULT


def canonical_token(token: str, variants: VariantDictionary | None = None) -> str:
    """A folded token's canonical form: the dictionary's name, else its spelling key."""
    key = spelling_key(token)
    found = (variants or default_variants()).canonical(key)
    return found if found is not None else key


def name_tokens(text: str, variants: VariantDictionary | None = None) -> tuple[str, ...]:
    """Canonical tokens of a name, in order, without particles, titles or duplicates."""
    variants = variants or default_variants()
    raw = fold_name(text).split()
    joined = raw if len(raw) < 2 else _joined(raw, variants)  # most names: one token
    joined = [part for token in joined for part in _unglue(token)]
    kept = [t for t in joined if t not in PARTICLES] or joined
    seen: dict[str, None] = {}
    canonical = variants.canonical  # canonical_token's, with the dictionary already chosen
    for token in kept:
        key = spelling_key(token)
        found = canonical(key)
        seen.setdefault(found if found is not None else key, None)
    return tuple(seen)


def _joined(raw: list[str], variants: VariantDictionary) -> list[str]:
    """Tokens with al/el + name and abd… + name joined, abou + name when the joined form is
    known."""
    joined: list[str] = []
    i = 0
    while i < len(raw):
        token = raw[i]
        if i + 1 < len(raw):
            pair = token + raw[i + 1]
            if token in JOIN_ALWAYS or (
                token in JOIN_IF_KNOWN and variants.knows(spelling_key(pair))
            ):
                joined.append(pair)
                i += 2
                continue
        joined.append(token)
        i += 1
    return joined


def canonical_name(text: str, variants: VariantDictionary | None = None) -> str:
    """The canonical tokens sorted and joined: the same for any order of the same names."""
    return " ".join(sorted(name_tokens(text, variants)))


_VOWELS = re.compile(r"[aeiouyhw]")


def skeleton(token: str) -> str:
    """Blocking key of a canonical token: its first letter, then its consonants, undoubled."""
    if not token:
        return ""
    return token[0] + _DOUBLED.sub(_single, _VOWELS.sub("", token[1:]))


def name_skeleton(canonical: str) -> str:
    """Skeletons of a canonical name's tokens, sorted (order independent)."""
    return " ".join(sorted(skeleton(t) for t in canonical.split()))
