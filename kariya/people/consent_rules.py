"""Who may give consent for a child and when the child's assent is recorded: the rule as data.

This module is the only place that knows ages. ``AGE_BANDS`` follows common practice in child
protection (reference/domain.md); an organisation that follows another policy changes the
table, nothing else. Everyone under ``ADULT_AGE`` is a child.

- ``assent_required``: when a parent or another caregiver consents, the child's own assent is
  recorded too;
- ``child_may_consent_when_mature``: the child may consent alone once the person recording it
  has judged the child mature enough (evolving capacities).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kariya.people.models import ConsentGiver

ADULT_AGE = 18


@dataclass(frozen=True)
class AgeBand:
    youngest: int
    oldest: int
    assent_required: bool
    child_may_consent_when_mature: bool


AGE_BANDS: tuple[AgeBand, ...] = (
    # 0–5: a parent or caregiver consents.
    AgeBand(0, 5, assent_required=False, child_may_consent_when_mature=False),
    # 6–11: a parent or caregiver consents, with the child's assent.
    AgeBand(6, 11, assent_required=True, child_may_consent_when_mature=False),
    # 12–14: assent and a caregiver's consent, or the child alone if mature.
    AgeBand(12, 14, assent_required=True, child_may_consent_when_mature=True),
    # 15–17: the child where mature; otherwise a caregiver with the child's assent.
    AgeBand(15, 17, assent_required=True, child_may_consent_when_mature=True),
)

# Who may consent on a child's behalf.
CAREGIVERS = frozenset(
    {
        ConsentGiver.PARENT,
        ConsentGiver.CAREGIVER,
        ConsentGiver.TRUSTED_ADULT,
        ConsentGiver.GUARDIAN,
    }
)
# Who may consent for an adult: the person, or a legal guardian (an adult under guardianship).
ADULT_GIVERS = frozenset({ConsentGiver.SELF, ConsentGiver.GUARDIAN})


def band_for(age: int) -> AgeBand | None:
    """The band of a child of ``age``; ``None`` for an adult."""
    for band in AGE_BANDS:
        if band.youngest <= age <= band.oldest:
            return band
    return None


def consent_problems(
    *, age: int, given_by: str, child_assent: bool, child_mature: bool
) -> list[str]:
    """Why this consent cannot be accepted for a person of ``age`` (empty when it can)."""
    if age >= ADULT_AGE:
        if given_by not in ADULT_GIVERS:
            return [_("An adult gives consent personally, or through a legal guardian.")]
        return []
    band = band_for(age)
    if band is None:  # a gap in the table: refuse rather than guess
        return [_("The consent rules do not cover this age.")]
    if given_by == ConsentGiver.SELF:
        if not band.child_may_consent_when_mature:
            return [_("At this age a parent or another caregiver gives consent for the child.")]
        if not child_mature:
            return [
                _(
                    "A child of this age may consent alone only when judged mature enough; "
                    "otherwise a parent or another caregiver gives consent, with the child’s "
                    "assent."
                )
            ]
        return []
    if given_by not in CAREGIVERS:
        return [_("Choose who gave consent.")]
    if band.assent_required and not child_assent:
        return [_("At this age the child’s own assent must be sought and recorded.")]
    return []
