"""Case codes: the short, random code written on paper and in referrals instead of a name.

``AGZ-7K3Q``: a prefix naming the region of the registering office, a dash, then characters
drawn with ``secrets`` from an alphabet without the look-alikes 0/O and 1/I. Four characters
give about a million codes per region; when a draw collides with an existing code the service
draws again, and after ``ATTEMPTS_PER_LENGTH`` collisions it draws one character more, so a
region that fills up still gets codes (the format allows 4 to 6 characters).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 4
MAX_LENGTH = 6
ATTEMPTS_PER_LENGTH = 8

# Region P-code (OCHA COD-AB, admin 1) → prefix.
REGION_PREFIXES: dict[str, str] = {
    "NE001": "AGZ",  # Agadez
    "NE002": "DIF",  # Diffa
    "NE003": "DOS",  # Dosso
    "NE004": "MAR",  # Maradi
    "NE005": "TAH",  # Tahoua
    "NE006": "TIL",  # Tillabéri
    "NE007": "ZIN",  # Zinder
    "NE008": "NIA",  # Niamey
}
FALLBACK_PREFIX = "NER"

CASE_CODE_RE = re.compile(rf"^[A-Z]{{3}}-[{ALPHABET}]{{{LENGTH},{MAX_LENGTH}}}$")


def prefix_for_region(region_pcode: str) -> str:
    return REGION_PREFIXES.get(region_pcode[:5], FALLBACK_PREFIX)


def draw(prefix: str, length: int = LENGTH) -> str:
    return prefix + "-" + "".join(secrets.choice(ALPHABET) for _ in range(length))


def draw_lengths() -> list[int]:
    """The length of each successive draw: a few at 4 characters, then longer ones."""
    return [n for n in range(LENGTH, MAX_LENGTH + 1) for _ in range(ATTEMPTS_PER_LENGTH)]


def normalise(text: str) -> str:
    """What a person typed (``agz 7k3q``, ``AGZ7K3Q``) in the stored form (``AGZ-7K3Q``)."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(compact) <= 3:
        return compact
    return compact[:3] + "-" + compact[3:]


def is_valid(code: str) -> bool:
    return bool(CASE_CODE_RE.match(code))
