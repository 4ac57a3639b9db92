"""The batch search for duplicates over one organisation's registry, without the run's
bookkeeping (that is ``services.registry_deduplicate_run``):

1. ``read_registry``: the organisation's live records (not merged away), read in batches of
   ``READ_BATCH`` as plain values (no model instances), identities decrypted by the fields
   themselves, turned into the matching engine's columns of strings;
2. ``find_pairs``: the engine (``matching.engine.Matcher``: blocking, EM fit, scoring) — or,
   for a registry too small to fit its model, the rules of ``_small_registry_pairs`` — and the
   reasons of each pair in the dedup vocabulary (``services.LEVELS``).

Nothing here writes; progress goes out through the callback. The caller audits the read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kariya.dedup.models import RunStage
from kariya.matching.compare import FIELD_INDEX, FIELD_SPECS, NAME_LEVELS
from kariya.matching.dictionary import current_variants
from kariya.matching.engine import Matcher
from kariya.matching.names import fold_name
from kariya.people.models import Identity, IdentityDocument, MigrationProfile, Person

# Records read per batch (five queries each); the engine holds the whole registry as coded
# arrays, so memory grows with the registry, but no batch of model instances is ever held.
READ_BATCH = 2000
# Below this many live records the engine's model cannot be estimated (EM needs pairs sharing
# names and pairs sharing a birth date in numbers); the rules below are used instead.
MIN_RECORDS_FOR_MODEL = 50
# The identity fields the search reads (decrypts), for the audit event: names, never values.
FIELDS_READ = (
    "identity.given_names",
    "identity.family_names",
    "identity.other_spellings",
    "identity.aliases",
    "identity.phones",
    "identity.birth_date",
    "document.number",
    "migration_profile.origin_place",
)
METHOD_MODEL = "model"
METHOD_RULES = "rules"

Progress = Callable[[str, int, int], None]
Pair = tuple[int, int, float, dict[str, Any]]


def _silent(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class Registry:
    """The records as the engine's columns (one string per record and field, "" if empty)."""

    ids: list[int] = field(default_factory=list)
    columns: dict[str, list[str]] = field(
        default_factory=lambda: {
            name: []
            for name in (
                "given_name",
                "family_name",
                "sex",
                "birth_date",
                "birth_year",
                "nationality",
                "origin",
                "phone",
                "document_number",
            )
        }
    )

    # Other ways the records' names are written: (position of the record, given, family), from
    # the identity's other spellings and aliases (``spelling_names``).
    spellings: list[tuple[int, str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def with_spellings(self) -> Registry:
        """The records, then one more row per other spelling or alias: the same person's id
        and fields with the other name. The rows of one person are never paired with each
        other (``_by_person``); a pair of persons keeps its best-scoring rows."""
        if not self.spellings:
            return self
        out = Registry(ids=[*self.ids], columns={k: [*v] for k, v in self.columns.items()})
        for position, given, family in self.spellings:
            out.ids.append(self.ids[position])
            for name, values in out.columns.items():
                values.append(self.columns[name][position])
            out.columns["given_name"][-1] = given
            out.columns["family_name"][-1] = family
        return out


def spelling_names(
    given: str, family: str, spellings: list[str], aliases: list[str]
) -> set[tuple[str, str]]:
    """The (given, family) names of a record's other spellings and aliases, its own left out.

    An other spelling is a whole name written another way ("Mamadou Issoufou" for Mahamadou
    Issoufou): cut where the record's given names end, when it has more words than they do
    ("Aïchatou Ag Moussa" → "Aïchatou" / "Ag Moussa"); a shorter one is taken for the given
    names with the record's family name. An alias (a nickname: "Hamma") is taken for the given
    names with the record's family name."""
    own = (fold_name(given), fold_name(family))
    cut = max(1, len(given.split()))
    found: set[tuple[str, str]] = set()
    for text in spellings:
        words = text.split()
        if not words:
            continue
        if len(words) > cut:
            found.add((" ".join(words[:cut]), " ".join(words[cut:])))
        else:
            found.add((" ".join(words), family))
    for text in aliases:
        if text.strip():
            found.add((" ".join(text.split()), family))
    return {name for name in found if (fold_name(name[0]), fold_name(name[1])) != own}


def _json_list(stored: str) -> list[str]:
    values = json.loads(stored) if stored else []
    return [str(v) for v in values if isinstance(v, str)]


def _first_phone(stored: str) -> str:
    phones = json.loads(stored) if stored else []
    return str(phones[0]) if phones else ""


def read_registry(*, organisation_id: int, progress: Progress = _silent) -> Registry:
    """The organisation's people not merged away, in primary-key order, ``READ_BATCH`` at a
    time. One value per engine field: the first nationality, phone and document number (the
    engine compares one value per field); the place of origin as free text."""
    people = Person.objects.filter(organisation_id=organisation_id, merged_into__isnull=True)
    total = people.count()
    registry = Registry()
    cols = registry.columns
    progress(RunStage.READING, 0, total)
    last = 0
    through = Person.nationalities.through
    while True:
        batch = list(
            people.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "sex", "birth_year")[:READ_BATCH]
        )
        if not batch:
            break
        ids = [row[0] for row in batch]
        identities = {
            row[0]: row[1:]
            for row in Identity.objects.filter(person_id__in=ids).values_list(
                "person_id",
                "given_names",
                "family_names",
                "phones",
                "birth_date",
                "other_spellings",
                "aliases",
            )
        }
        nationality: dict[int, str] = {}
        for person_id, country in (
            through.objects.filter(person_id__in=ids)
            .order_by("pk")
            .values_list("person_id", "country_id")
        ):
            nationality.setdefault(person_id, country)
        origin = dict(
            MigrationProfile.objects.filter(person_id__in=ids).values_list(
                "person_id", "origin_place"
            )
        )
        document: dict[int, str] = {}
        for person_id, number in (
            IdentityDocument.objects.filter(person_id__in=ids)
            .order_by("pk")
            .values_list("person_id", "number")
        ):
            if number and person_id not in document:
                document[person_id] = number
        for pk, sex, birth_year in batch:
            given, family, phones, birth_date, spellings, aliases = identities.get(
                pk, ("", "", "", "", "", "")
            )
            given, family = given or "", family or ""
            for other in sorted(
                spelling_names(given, family, _json_list(spellings), _json_list(aliases))
            ):
                registry.spellings.append((len(registry.ids), *other))
            registry.ids.append(pk)
            cols["given_name"].append(given)
            cols["family_name"].append(family)
            cols["sex"].append(sex or "")
            cols["birth_date"].append(birth_date or "")
            cols["birth_year"].append(str(birth_year) if birth_year else "")
            cols["nationality"].append(nationality.get(pk, ""))
            cols["origin"].append(origin.get(pk) or "")
            cols["phone"].append(_first_phone(phones or ""))
            cols["document_number"].append(document.get(pk, ""))
        last = ids[-1]
        progress(RunStage.READING, len(registry), max(total, len(registry)))
    return registry


# --- reasons ----------------------------------------------------------------------------------

_NAME_LEVEL = {2: "strong", 1: "close", 0: "different"}  # 3 ("same"): exact or variant
_BIRTH = {
    4: ("birth_date", "exact"),
    3: ("birth_year", "exact"),
    2: ("birth_year", "close"),
    1: ("birth_year", "weak"),
    0: ("birth_year", "different"),
}
# Engine field → (dedup field name, {engine level: dedup level}); names and birth apart.
_PLAIN = {
    "sex": ("sex", {1: "exact", 0: "different"}),
    "nationality": ("nationality", {1: "exact", 0: "different"}),
    "origin": ("origin", {2: "exact", 1: "close", 0: "different"}),
    "phone": ("phone", {1: "exact", 0: "different"}),
    "document_number": ("document_number", {2: "exact", 1: "close", 0: "different"}),
}
_TOP_NAME = NAME_LEVELS.index("same")


def reasons_for(
    gamma: np.ndarray, registry: Registry, a: int, b: int, swapped: bool
) -> dict[str, Any]:
    """The engine's comparison levels of one pair (positions ``a``, ``b``) as field → level of
    ``services.LEVELS``: "exact" where the written names are the same once case and accents
    are folded, "variant" where only their canonical forms are (Mahamadou / Mohamed), "strong" /
    "close" for Jaro–Winkler ≥ 0.90 / 0.80, "swapped" when given and family names were read
    crosswise. A field empty on either side is left out. Never a value."""
    cols = registry.columns
    reasons: dict[str, Any] = {}
    for name in ("given_name", "family_name"):
        level = int(gamma[FIELD_INDEX[name]])
        if level < 0:
            continue
        if level == _TOP_NAME:
            other = ("family_name" if name == "given_name" else "given_name") if swapped else name
            same = fold_name(cols[name][a]) == fold_name(cols[other][b])
            reasons[name] = "exact" if same else "variant"
        else:
            reasons[name] = _NAME_LEVEL[level]
    if swapped:
        reasons["name"] = "swapped"
    birth = int(gamma[FIELD_INDEX["birth"]])
    if birth >= 0:
        field_name, level_name = _BIRTH[birth]
        reasons[field_name] = level_name
    for engine_name, (field_name, levels) in _PLAIN.items():
        level = int(gamma[FIELD_INDEX[engine_name]])
        if level >= 0:
            reasons[field_name] = levels[level]
    return reasons


# --- finding pairs ----------------------------------------------------------------------------


@dataclass
class Found:
    pairs: list[Pair]
    compared: int
    method: str


def _swapped(matcher: Matcher, i: np.ndarray, j: np.ndarray, gamma: np.ndarray) -> np.ndarray:
    """Pairs whose names agree only crosswise (given of one = family of the other)."""
    d = matcher.data
    cross = (d.given[i] == d.family[j]) & (d.family[i] == d.given[j]) & (d.given[i] >= 0)
    straight = (d.given[i] == d.given[j]) & (d.family[i] == d.family[j])
    return np.asarray(cross & ~straight & (gamma[:, FIELD_INDEX["given_name"]] == _TOP_NAME))


def _pairs(
    matcher: Matcher, registry: Registry, i: np.ndarray, j: np.ndarray, score: np.ndarray
) -> list[Pair]:
    if len(i) == 0:
        return []
    gamma, _exact = matcher.compare(i, j)
    swapped = _swapped(matcher, i, j, gamma)
    out: list[Pair] = []
    for k, (a, b, s) in enumerate(zip(i.tolist(), j.tolist(), score.tolist(), strict=True)):
        reasons = reasons_for(gamma[k], registry, a, b, bool(swapped[k]))
        out.append((registry.ids[a], registry.ids[b], min(1.0, max(0.0, float(s))), reasons))
    return out


# Fields the small-registry rules weigh, with each one's strongest level.
_RULE_FIELDS = [
    (FIELD_INDEX[spec.name], spec.n_levels - 1)
    for spec in FIELD_SPECS
    if spec.name not in ("father_name", "address")
]


def _small_registry_pairs(matcher: Matcher, registry: Registry) -> tuple[list[Pair], int]:
    """Every pair of a small registry compared with the engine's levels, without a model:
    proposed when
    - both names are at least very similar (Jaro–Winkler ≥ 0.90, a known variant, or crosswise),
      the birth years at most a year apart (or unknown) and the sexes not different; or
    - the document numbers are the same (or one typo apart) and the given names at least
      similar; or
    - the phones are the same, the given names at least very similar, the birth years at most a
      year apart (or unknown) and the sexes not different (a family name written differently).
    Score: the mean, over the fields filled on both sides, of level / strongest level — how
    much of what can be compared agrees. The threshold does not apply (no probability here)."""
    n = len(registry)
    i, j = np.triu_indices(n, k=1)
    if matcher.alternates_from is not None:
        keep = (i < matcher.alternates_from) | (j < matcher.alternates_from)
        i, j = i[keep], j[keep]
    if len(i) == 0:
        return [], 0
    gamma, _exact = matcher.compare(i, j)
    given, family = gamma[:, FIELD_INDEX["given_name"]], gamma[:, FIELD_INDEX["family_name"]]
    birth, sex = gamma[:, FIELD_INDEX["birth"]], gamma[:, FIELD_INDEX["sex"]]
    document, phone = gamma[:, FIELD_INDEX["document_number"]], gamma[:, FIELD_INDEX["phone"]]
    birth_ok = (birth < 0) | (birth >= 2)
    sex_ok = sex != 0
    names = (given >= 2) & (family >= 2) & birth_ok & sex_ok
    by_document = (document >= 1) & (given >= 1)
    by_phone = (phone == 1) & (given >= 2) & birth_ok & sex_ok
    keep = names | by_document | by_phone
    sums = np.zeros(len(i))
    filled = np.zeros(len(i))
    for k, top in _RULE_FIELDS:
        level = gamma[:, k]
        present = level >= 0
        sums += np.where(present, level / top, 0.0)
        filled += present
    score = np.divide(sums, filled, out=np.zeros(len(i)), where=filled > 0)
    pick = np.flatnonzero(keep)
    return _pairs(matcher, registry, i[pick], j[pick], score[pick]), len(i)


def find_pairs(registry: Registry, *, threshold: float, progress: Progress = _silent) -> Found:
    """Likely duplicates among the registry's records, as ``(person_a_id, person_b_id, score,
    reasons)`` for ``services.duplicate_candidates_record``.

    Each other spelling or alias is a row of its own (``Registry.with_spellings``), so that a
    person registered as "Mamadou" elsewhere is found through the spelling "Mamadou" recorded
    here; a pair of persons keeps the score and reasons of its best pair of rows. Other names
    are compared with the records, never with each other (``Matcher.alternates_from``).

    With at least ``MIN_RECORDS_FOR_MODEL`` records: the engine fitted on the records alone
    (u from random pairs, m by EM, term frequencies; not on the extra rows, which EM would
    count as matches of their own person), then pairs of rows scoring at least ``threshold``.
    With fewer: every pair compared and the rules of ``_small_registry_pairs``. Fewer than two
    records: nothing."""
    if len(registry) < 2:
        return Found([], 0, METHOD_RULES)
    rows = registry.with_spellings()
    # The dictionary in force: the shipped one and the administrators' additions.
    matcher = Matcher.from_columns(
        rows.columns, [str(pk) for pk in rows.ids], variants=current_variants()
    )
    if len(rows) > len(registry):
        # The other names are compared with the records, not with each other.
        matcher.alternates_from = len(registry)
    if len(registry) < MIN_RECORDS_FOR_MODEL:
        progress(RunStage.COMPARING, 0, 1)
        pairs, compared = _small_registry_pairs(matcher, rows)
        progress(RunStage.COMPARING, 1, 1)
        return Found(_by_person(pairs), compared, METHOD_RULES)

    def engine_progress(stage: str, done: int, total: int) -> None:
        progress(RunStage.TRAINING if stage == "train" else RunStage.COMPARING, done, total)

    progress(RunStage.TRAINING, 0, 4)
    records = matcher.head(len(registry)) if len(rows) > len(registry) else matcher
    matcher.model = records.fit(progress=engine_progress)
    # Without the pairs implied by two others (``transitive``): every proposed pair must stand on
    # its own comparison, since the reviewer decides on the reasons shown for it.
    found = matcher.dedupe(threshold, progress=engine_progress, transitive=False)
    compared = len(matcher.candidates()[0])
    return Found(
        _by_person(_pairs(matcher, rows, found.left, found.right, found.score)),
        compared,
        METHOD_MODEL,
    )


def _by_person(pairs: list[Pair]) -> list[Pair]:
    """One pair per two persons, the best-scoring of their rows' pairs (its reasons with it);
    none between a person's own rows."""
    best: dict[tuple[int, int], Pair] = {}
    for a, b, score, reasons in pairs:
        if a == b:
            continue
        key = (a, b) if a < b else (b, a)
        if key not in best or score > best[key][2]:
            best[key] = (key[0], key[1], score, reasons)
    return list(best.values())
