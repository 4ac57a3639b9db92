"""People records (plain dicts or columns of strings) turned into integer-coded numpy arrays.

Every distinct raw value is normalised once (names through ``names``, phones, dates, documents)
and given an integer code in a vocabulary shared by the whole data set, so that comparisons and
blocking work on integer arrays. Problems in the data (an impossible date, a record with no
name) are collected as ``Issue``s naming the row; the value is then treated as empty.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import phonenumbers

from kariya.matching.names import (
    VariantDictionary,
    default_variants,
    name_tokens,
    skeleton,
)

FIELDS = (
    "given_name",
    "family_name",
    "father_name",
    "sex",
    "birth_date",
    "birth_year",
    "nationality",
    "origin",
    "address",
    "phone",
    "document_number",
)
MIN_YEAR = 1900
PHONE_DIGITS = 8
MAX_YEAR = 2100

_SEX = {
    "m": 1,
    "male": 1,
    "h": 1,
    "homme": 1,
    "masculin": 1,
    "f": 2,
    "female": 2,
    "femme": 2,
    "feminin": 2,
}
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_FR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_NOT_DOC = re.compile(r"[^0-9A-Z]+")
_NOT_DIGIT = re.compile(r"\D+")
_ASCII_NOT_DIGIT = bytes(c for c in range(128) if not 48 <= c <= 57)


@dataclass(frozen=True)
class Issue:
    """A problem found in one row; ``row`` is the caller's row number (CSV line)."""

    row: int
    field: str
    problem: str  # "no_name", "bad_date", "bad_year"


class Vocab:
    """Strings ↔ integer codes, append-only."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.strings: list[str] = []

    def __len__(self) -> int:
        return len(self.strings)

    def add(self, value: str) -> int:
        code = self.codes.get(value)
        if code is None:
            code = len(self.strings)
            self.codes[value] = code
            self.strings.append(value)
        return code


def normalise_phone(raw: str, region: str = "NE") -> str:
    """Digits of a phone in E.164 without "+": "+227 90 12 34 56" and "0022790123456" agree.

    Niger's own forms (8 digits, with 227, 00227 or +227) take a fast path; anything else goes
    through ``phonenumbers`` with Niger as the default region.
    """
    if raw.isascii():  # the same digits as the regular expression, several times faster
        digits = raw.encode("ascii").translate(None, _ASCII_NOT_DIGIT).decode("ascii")
    else:
        digits = _NOT_DIGIT.sub("", raw)
    if not digits:
        return ""
    if digits.startswith("00"):
        digits = digits[2:]
    elif raw.lstrip().startswith("+"):
        pass
    elif len(digits) == 8:
        return "227" + digits
    if digits.startswith("227") and len(digits) == 11:
        return digits
    try:
        parsed = phonenumbers.parse("+" + digits if len(digits) > 8 else digits, region)
    except phonenumbers.NumberParseException:
        return digits
    return f"{parsed.country_code}{parsed.national_number}"


def fold_text(text: str) -> str:
    """Free text (origin, address): lower case, no accents, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(t for t in _NOT_ALNUM.split(stripped) if t)


def parse_date(raw: str) -> tuple[int, int, int] | None:
    """(year, month, day) of YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY, or None if not a real date."""
    text = raw.strip()
    match = _DATE_ISO.match(text) or _DATE_COMPACT.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DATE_FR.match(text)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return year, month, day


@dataclass
class Encoded:
    """A data set as arrays, one row per record; codes are -1 (0 for years) when empty."""

    ids: list[str]
    given: np.ndarray
    family: np.ndarray
    father: np.ndarray
    given_skel: np.ndarray
    family_skel: np.ndarray
    family_prefix: np.ndarray  # first two letters of the family name (a blocking key part)
    father_skel: np.ndarray
    sex: np.ndarray
    year: np.ndarray
    date: np.ndarray  # yyyymmdd of a real date (not a 1 January placeholder), else 0
    nationality: np.ndarray
    origin: np.ndarray
    address: np.ndarray
    phone: np.ndarray
    document: np.ndarray
    issues: list[Issue] = field(default_factory=list)
    # Codes ≥ len(vocabulary) in a lookup query: their strings, by vocabulary name.
    extra: dict[str, dict[int, str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


class Encoder:
    """Normalises and codes records; keeps the vocabularies so that later queries agree."""

    def __init__(self, variants: VariantDictionary | None = None) -> None:
        self.variants = variants or default_variants()
        self.vocabs = {
            name: Vocab() for name in ("name", "skel", "text", "nationality", "phone", "document")
        }
        self._name_cache: dict[str, tuple[str, str]] = {}
        self._text_cache: dict[str, str] = {}
        self._phone_cache: dict[str, str] = {}
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._token_sets: dict[str, list[frozenset[str]]] = {}

    # -- normalisation, cached per distinct raw value ------------------------------------------

    def name(self, raw: str) -> tuple[str, str]:
        found = self._name_cache.get(raw)
        if found is None:
            # An ASCII name's tokens depend only on its lower case (ISSA, Issa, issa): computed
            # once for all of them.
            key = raw.lower() if raw.isascii() else raw
            found = self._name_cache.get(key)
            if found is None:
                tokens = name_tokens(raw, self.variants)
                # Blocking uses the first name only: "Nomma Hoyé" and "Noma" share a block.
                found = (" ".join(sorted(tokens)), skeleton(tokens[0]) if tokens else "")
                self._name_cache[key] = found
            self._name_cache[raw] = found
        return found

    def text(self, raw: str) -> str:
        found = self._text_cache.get(raw)
        if found is None:
            found = fold_text(raw)
            self._text_cache[raw] = found
        return found

    def phone(self, raw: str) -> str:
        """The subscriber part: the last 8 digits of the E.164 number, so that a foreign number
        written with and without its country code (+234 813…, 0813…) agrees."""
        found = self._phone_cache.get(raw)
        if found is None:
            found = normalise_phone(raw)[-PHONE_DIGITS:]
            self._phone_cache[raw] = found
        return found

    # -- coding --------------------------------------------------------------------------------

    def encode_columns(
        self,
        columns: Mapping[str, Sequence[str]],
        ids: Sequence[str],
        rows: Sequence[int] | None = None,
        frozen: bool = False,
    ) -> Encoded:
        """Code a data set given as columns of raw strings (absent columns are empty).

        ``rows`` numbers the records in issues (default: 1, 2, …). ``frozen`` leaves the
        vocabularies unchanged (a lookup query): unseen values get codes past their end.
        """
        n = len(ids)
        row_numbers = list(rows) if rows is not None else list(range(1, n + 1))
        issues: list[Issue] = []
        extra: dict[str, dict[int, str]] = {}

        def coder(vocab_name: str):  # noqa: ANN202 - a local closure
            vocab = self.vocabs[vocab_name]
            if not frozen:
                return vocab.add
            overlay = extra.setdefault(vocab_name, {})
            back: dict[str, int] = {}

            def code(value: str) -> int:
                found = vocab.codes.get(value)
                if found is not None:
                    return found
                if value not in back:
                    back[value] = len(vocab) + len(back)
                    overlay[back[value]] = value
                return back[value]

            return code

        empty = [""] * n

        def column(name: str) -> Sequence[str]:
            return columns.get(name) or empty

        def per_value(
            values: Sequence[str], value_of: Callable[[str], Any], empty_value: Any, dtype: Any
        ) -> np.ndarray:
            """``value_of`` each distinct value, called in order of first appearance (so that
            the vocabularies' codes are as they would be row by row), as an array by row;
            ``empty_value`` for empty values (tuples give one column per part)."""
            distinct = list(dict.fromkeys(values))
            position = dict(zip(distinct, range(len(distinct)), strict=True))
            index = np.fromiter(map(position.__getitem__, values), np.intp, count=len(values))
            results = [value_of(raw) if raw else empty_value for raw in distinct]
            width = len(empty_value) if isinstance(empty_value, tuple) else 1
            return np.array(results, dtype=dtype).reshape(len(distinct), width)[index]

        name_code, skel_code = coder("name"), coder("skel")

        def name_codes(raw: str) -> tuple[int, int]:
            canon, skel = self.name(raw)
            return (name_code(canon), skel_code(skel)) if canon else (-1, -1)

        # The three name columns one after the other: distinct names in the order a row-by-row
        # pass over given, family then father's names would meet them.
        names = per_value(
            [*column("given_name"), *column("family_name"), *column("father_name")],
            name_codes,
            (-1, -1),
            np.int32,
        )
        arrays: dict[str, np.ndarray] = {}
        for k, key in enumerate(("given", "family", "father")):
            part = names[k * n : (k + 1) * n]
            arrays[key] = np.ascontiguousarray(part[:, 0])
            arrays[key + "_skel"] = np.ascontiguousarray(part[:, 1])
        for i in np.flatnonzero((arrays["given"] < 0) & (arrays["family"] < 0)).tolist():
            issues.append(Issue(row_numbers[i], "given_name", "no_name"))

        # First two letters of the family name: blocks a given name with a family name whose end
        # has a typo (Coulibaly / Coulinaly).
        names_vocab = self.vocabs["name"].strings
        prefix = np.full(n, -1, dtype=np.int32)
        has_family = np.flatnonzero(arrays["family"] >= 0)
        family_codes, family_inverse = np.unique(arrays["family"][has_family], return_inverse=True)
        prefix_of = np.full(len(family_codes), -1, dtype=np.int32)
        for k, c in enumerate(family_codes.tolist()):
            text = names_vocab[c] if c < len(names_vocab) else extra["name"][c]
            letters = text.replace(" ", "")[:2]
            prefix_of[k] = (ord(letters[0]) * 128 + ord(letters[-1])) if letters else -1
        prefix[has_family] = prefix_of[family_inverse.reshape(-1)]

        sex = per_value(
            column("sex"), lambda raw: _SEX.get(raw.strip().casefold(), 0), 0, np.int8
        ).ravel()

        # A real date gives the year (and the date unless it is a 1 January placeholder); an
        # empty or impossible one leaves the year to birth_year. -1: an impossible value.
        def date_parts(raw: str) -> tuple[int, int]:
            if not raw.strip():
                return 0, 0
            parsed = parse_date(raw)
            if parsed is None:
                return -1, 0
            y, m, d = parsed
            return y, (y * 10000 + m * 100 + d) if (m, d) != (1, 1) else 0

        def year_of(raw: str) -> int:
            text = raw.strip()
            if not text:
                return 0
            if text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR:
                return int(text)
            return -1

        dates, years = column("birth_date"), column("birth_year")
        parts = per_value(dates, date_parts, (0, 0), np.int32)
        date_year, date = parts[:, 0].astype(np.int16), np.ascontiguousarray(parts[:, 1])
        given_year = per_value(years, year_of, 0, np.int16).ravel()
        from_year = date_year <= 0
        year = np.where(from_year, np.maximum(given_year, 0), date_year).astype(np.int16)
        bad_date = np.flatnonzero(date_year < 0).tolist()
        bad_year = np.flatnonzero(from_year & (given_year < 0)).tolist()
        # in row order, a row's date before its year (as a reader would meet them)
        for i, problem in sorted([(i, 0) for i in bad_date] + [(i, 1) for i in bad_year]):
            if problem == 0:
                issues.append(Issue(row_numbers[i], "birth_date", "bad_date"))
            else:
                issues.append(Issue(row_numbers[i], "birth_year", "bad_year"))

        def coded(field_name: str, vocab_name: str, normalise: Callable[[str], str]) -> np.ndarray:
            code = coder(vocab_name)

            def code_of(raw: str) -> int:
                value = normalise(raw)
                return code(value) if value else -1

            return per_value(column(field_name), code_of, -1, np.int32).ravel()

        return Encoded(
            ids=list(ids),
            given=arrays["given"],
            family=arrays["family"],
            father=arrays["father"],
            given_skel=arrays["given_skel"],
            family_skel=arrays["family_skel"],
            family_prefix=prefix,
            father_skel=arrays["father_skel"],
            sex=sex,
            year=year,
            date=date,
            nationality=coded("nationality", "nationality", lambda s: s.strip().upper()),
            origin=coded("origin", "text", self.text),
            address=coded("address", "text", self.text),
            phone=coded("phone", "phone", self.phone),
            document=coded("document_number", "document", lambda s: _NOT_DOC.sub("", s.upper())),
            issues=issues,
            extra=extra,
        )

    def encode_records(
        self, records: Iterable[Mapping[str, object]], frozen: bool = False
    ) -> Encoded:
        """Code plain dicts with the default column names (``id`` required)."""
        rows = list(records)
        ids = [str(r["id"]) for r in rows]
        columns = {
            name: ["" if r.get(name) is None else str(r.get(name)) for r in rows] for name in FIELDS
        }
        return self.encode_columns(columns, ids, frozen=frozen)

    def string_array(self, vocab_name: str) -> tuple[np.ndarray, np.ndarray]:
        """A vocabulary's strings as an object array indexed by code, and whether each holds
        a space; rebuilt only when the vocabulary has grown."""
        strings = self.vocabs[vocab_name].strings
        cached = self._arrays.get(vocab_name)
        if cached is None or len(cached[0]) != len(strings):
            array = np.empty(len(strings), dtype=object)
            array[:] = strings
            spaced = np.fromiter((" " in v for v in strings), dtype=bool, count=len(strings))
            cached = self._arrays[vocab_name] = (array, spaced)
        return cached

    def token_sets(self, vocab_name: str) -> list[frozenset[str]]:
        """Each string's set of words, by code; extended only when the vocabulary has grown."""
        strings = self.vocabs[vocab_name].strings
        sets = self._token_sets.setdefault(vocab_name, [])
        if len(sets) < len(strings):
            sets.extend(frozenset(v.split()) for v in strings[len(sets) :])
        return sets

    def string(self, vocab_name: str, code: int, encoded: Encoded | None = None) -> str:
        vocab = self.vocabs[vocab_name]
        if code < len(vocab):
            return vocab.strings[code]
        assert encoded is not None  # noqa: S101 - codes past the end only come from a query
        return encoded.extra[vocab_name][code]
