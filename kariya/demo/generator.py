"""The demo data generator: a synthetic network of member organisations, offices and staff.

Deterministic: the same seed gives the same names, acronyms, usernames and public ids on any
machine and on SQLite as on PostgreSQL. Each step draws from its own random stream, derived
from the seed and the step's name, so a step added later (people, cases, referrals…) does not
change what the earlier steps make.

Every write goes through the apps' services, as any other writer's does; the generator acts
as the system, so its audit events carry no user.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from kariya.accounts import services
from kariya.accounts.models import (
    NetworkStatus,
    Office,
    OfficeKind,
    Organisation,
    OrganisationType,
    User,
    UserRole,
)
from kariya.accounts.roles import Role
from kariya.demo import determinism, directory, information, names, population, scale, stories
from kariya.demo import referrals as demo_referrals
from kariya.demo.determinism import uuid_from
from kariya.demo.names import Culture
from kariya.geo.models import AdminLevel, AdminUnit

DEFAULT_SEED = 2026
DEFAULT_ORGANISATIONS = 15
# People of the demo, registered and followed through the per-row services. Beyond this
# number, ``generate(people=…)`` writes the rest through the bulk services.
DEMO_PEOPLE = 240
# The one password of every demo account. Published on purpose: see refuse_in_production().
DEMO_PASSWORD = "kariya-demo-2026"  # noqa: S105

# Audit events written by the generator have no acting user: the system made them.
SYSTEM_ACTOR: Any = None

REGIONS = ("niamey", "agadez", "tahoua", "zinder")
REGION_PCODE = {"niamey": "NE008", "agadez": "NE001", "tahoua": "NE005", "zinder": "NE007"}

# Tables a fresh ``migrate`` fills with reference data; a reset keeps them. A test checks that
# every table holding rows after migrate is listed here, so new code lists cannot be lost.
REFERENCE_MODELS = (
    "contenttypes.ContentType",
    "auth.Permission",
    "geo.AdminUnit",
    "geo.Country",
    "geo.Site",
    "codelists.Code",
)


class GeneratorError(Exception):
    """The generator cannot run against this database; the message says why."""


class NetworkNotEmpty(GeneratorError):  # noqa: N818 - named for the state it reports
    def __init__(self, count: int) -> None:
        super().__init__(
            f"The database already holds {count} organisation(s). The generator only fills an "
            "empty network: run with --reset to delete all data and generate again."
        )


def refuse_in_production() -> None:
    """Demo accounts share a published password, and a reset deletes everything: neither may
    happen on a production server. Only the development and test settings allow it
    (``KARIYA_ALLOW_DEMO``)."""
    if not getattr(settings, "KARIYA_ALLOW_DEMO", False):
        raise GeneratorError(
            "Refusing to run: these settings do not allow demo data (production). Demo accounts "
            "have a published password and --reset deletes all data."
        )


# --- the plan of the network ---------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One organisation of the network's layout, before names are drawn."""

    type: str
    region: str
    focus: str  # a key of names.ACTIVITIES
    status: str = NetworkStatus.MEMBER
    founder: bool = False  # founding member, coordinates the network in its region
    women: bool = False  # a women's organisation
    field_hq: bool = False  # based in a town on the routes rather than the regional capital


T = OrganisationType
BASE_LAYOUT: tuple[Slot, ...] = (
    Slot(T.NATIONAL_NGO, "niamey", "protection", founder=True),
    Slot(T.NATIONAL_NGO, "agadez", "protection", founder=True),
    Slot(T.ASSOCIATION, "tahoua", "awareness", founder=True),
    Slot(T.NATIONAL_NGO, "zinder", "rights", founder=True),
    Slot(T.DIASPORA, "niamey", "rights"),
    Slot(T.TRADE_UNION, "niamey", "livelihoods"),
    Slot(T.PUBLIC_AUTHORITY, "zinder", "protection", status=NetworkStatus.PARTNER),
    Slot(T.INGO, "niamey", "protection", status=NetworkStatus.PARTNER),
    Slot(T.ASSOCIATION, "agadez", "protection", women=True),
    Slot(T.NATIONAL_NGO, "tahoua", "rights"),
    Slot(T.ASSOCIATION, "niamey", "livelihoods"),
    Slot(T.ASSOCIATION, "agadez", "awareness", status=NetworkStatus.APPLICANT),
    Slot(T.NATIONAL_NGO, "niamey", "rights"),
    Slot(T.COMMUNITY_GROUP, "zinder", "awareness", field_hq=True),
    Slot(T.ASSOCIATION, "tahoua", "livelihoods", women=True),
)


def layout(count: int, rng: random.Random) -> list[Slot]:
    """The first ``count`` slots: the base layout, then organisations drawn at random."""
    slots = list(BASE_LAYOUT[:count])
    extra_types = (T.NATIONAL_NGO, T.ASSOCIATION, T.COMMUNITY_GROUP, T.DIASPORA)
    for i in range(len(slots), count):
        kind = rng.choices(extra_types, weights=(4, 5, 1, 1))[0]
        slots.append(
            Slot(
                kind,
                REGIONS[i % len(REGIONS)],
                rng.choice(tuple(names.ACTIVITIES)),
                status=NetworkStatus.APPLICANT if rng.random() < 0.1 else NetworkStatus.MEMBER,
                women=kind == T.ASSOCIATION and rng.random() < 0.3,
                field_hq=kind == T.COMMUNITY_GROUP and i % len(REGIONS) != 0,
            )
        )
    return slots


# --- the run ---------------------------------------------------------------------------------

Progress = Callable[[str, int, int], None]  # step name, done, total


@dataclass
class GeneratedOrg:
    slot: Slot
    organisation: Organisation
    home_pcode: str
    domain: str
    offices: list[Office] = field(default_factory=list)


@dataclass
class Context:
    seed: int
    organisations: int
    progress: Progress
    communes: dict[str, AdminUnit] = field(default_factory=dict)
    people: int = 0
    detailed_people: int = DEMO_PEOPLE
    services_per_case: float = population.DEFAULT_SERVICES_PER_CASE
    batch_size: int = scale.DEFAULT_BATCH
    # The day the data leads up to (today): stories end the day before.
    anchor: date = field(default_factory=date.today)
    orgs: list[GeneratedOrg] = field(default_factory=list)
    usernames: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)

    def rng(self, stream: str) -> random.Random:
        # A string seed is hashed (SHA-512) by random.Random: stable across runs and machines.
        return random.Random(f"kariya-demo:{self.seed}:{stream}")


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Context], int]
    # Batched steps run after the others have committed, a transaction per batch.
    batched: bool = False


@dataclass(frozen=True)
class Result:
    counts: dict[str, int]
    seconds: float


# --- words ---------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    {
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "pour",
        "et",
        "aux",
        "au",
        "en",
        "à",
        "sur",
        "contre",
        "sans",
    }
)


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def initials(name: str) -> str:
    letters = []
    for word in re.split(r"[\s\-]+", name):
        word = re.sub(r"^[dl]['’]", "", word, flags=re.IGNORECASE)
        if word and word.lower() not in _STOPWORDS:
            letters.append(ascii_fold(word[0]).upper())
    return "".join(letters)


def of(place: str) -> str:
    """French "de <place>", elided before a vowel: "d'Agadez", "de Tahoua"."""
    return f"d'{place}" if ascii_fold(place[:1]).lower() in "aeiouy" else f"de {place}"


def slug(text: str) -> str:
    folded = ascii_fold(text).lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def fake_phone(rng: random.Random) -> str:
    # Niger's subscriber numbers start with 2, 7, 8 or 9: "00" reaches nobody.
    return "+227 00 " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3))


def region_of(pcode: str) -> str:
    return next(r for r in REGIONS if pcode.startswith(REGION_PCODE[r]))


def _place_label(unit: AdminUnit) -> str:
    """Offices in a regional capital are named after the city, not the arrondissement."""
    region = region_of(unit.pcode)
    if unit.pcode in names.CITY_COMMUNES[region]:
        return names.REGION_LABEL[region]
    return unit.name_fr


# --- step: organisations -------------------------------------------------------------------


def _organisation_name(rng: random.Random, slot: Slot, home_label: str) -> tuple[str, str]:
    region = slot.region
    qualifier = rng.choice(names.REGION_QUALIFIER[region])
    if slot.type == T.NATIONAL_NGO:
        name = " ".join(
            (
                rng.choice(names.NGO_HEADS),
                rng.choice(names.NGO_PURPOSES),
                rng.choice(names.NGO_TARGETS),
            )
        )
        if rng.random() < 0.5:
            name += f" {qualifier}"
        return name, initials(name)
    if slot.type == T.ASSOCIATION or (slot.type == T.COMMUNITY_GROUP and not slot.field_hq):
        head = rng.choice(names.ASSOCIATION_HEADS)
        purpose = rng.choice(names.ASSOCIATION_PURPOSES)
        if not slot.women and rng.random() < 0.4:
            name = f"{head} {rng.choice(names.ASSOCIATION_WORDS)} {purpose}"
        else:
            members = "des Femmes" if slot.women else rng.choice(names.ASSOCIATION_MEMBERS)
            if head != "Association":  # a masculine noun
                members = members.replace("Citoyenne", "Citoyen")
            if not slot.women and rng.random() < 0.5:
                members = ""
            name = " ".join(w for w in (head, members, purpose, qualifier) if w)
        return name, initials(name)
    if slot.type == T.COMMUNITY_GROUP:
        head = rng.choice(names.COMMUNITY_HEADS)
        return f"{head} {of(home_label)}", f"{initials(head)}-{slug(home_label).upper()}"
    if slot.type == T.DIASPORA:
        where = rng.choice(("au Niger", of(home_label)))
        name = f"{rng.choice(names.DIASPORA_HEADS)} {rng.choice(names.DIASPORA_BODIES)} {where}"
        return name, initials(name)
    if slot.type == T.TRADE_UNION:
        name = f"{rng.choice(names.UNION_HEADS)} {rng.choice(names.UNION_SECTORS)}"
        name += rng.choice(("", " du Niger", " du Sahel"))
        return name, initials(name)
    if slot.type == T.PUBLIC_AUTHORITY:
        base = rng.choice(names.PUBLIC_NAMES)
        return f"{base} {of(home_label)}", f"{initials(base)}-{home_label[:3].upper()}"
    # International NGO (and anything else): a brand-like name.
    name = f"{rng.choice(names.INGO_NAMES)} International"
    return name, initials(name)


_TYPE_PHRASE: dict[str, str] = {
    T.NATIONAL_NGO: "ONG nationale",
    T.ASSOCIATION: "Association",
    T.DIASPORA: "Association de la diaspora ouest-africaine",
    T.TRADE_UNION: "Syndicat",
    T.PUBLIC_AUTHORITY: "Service public déconcentré",
    T.INGO: "ONG internationale",
    T.COMMUNITY_GROUP: "Comité communautaire",
}


def _description(rng: random.Random, slot: Slot, home_label: str, founded: int) -> str:
    pool = list(names.ACTIVITIES[slot.focus])
    others = [a for key, items in names.ACTIVITIES.items() if key != slot.focus for a in items]
    chosen = rng.sample(pool, 2) + rng.sample(others, 1)
    phrase = _TYPE_PHRASE.get(slot.type, "Organisation")
    return f"{phrase} créée en {founded}, siège {of(home_label)}. Activités : {' ; '.join(chosen)}."


def _home_pcode(rng: random.Random, slot: Slot) -> str:
    field_towns = names.FIELD_COMMUNES[slot.region]
    if slot.field_hq and field_towns:
        return rng.choice(field_towns)
    return rng.choice(names.CITY_COMMUNES[slot.region])


_WEBSITE_TYPES = (T.NATIONAL_NGO, T.INGO, T.DIASPORA, T.TRADE_UNION)


def step_organisations(ctx: Context) -> int:
    rng = ctx.rng("organisations")
    ids = ctx.rng("organisations.ids")
    slots = layout(ctx.organisations, ctx.rng("layout"))
    founding = date(2019, 1, 1) + timedelta(days=rng.randint(30, 150))
    last_join = date(2025, 10, 31)
    taken_names: set[str] = set()
    taken_acronyms: set[str] = set(names.RESERVED_ACRONYMS)
    for number, slot in enumerate(slots, start=1):
        home_pcode = _home_pcode(rng, slot)
        home_label = _place_label(ctx.communes[home_pcode])
        for attempt in range(50):
            name, acronym = _organisation_name(rng, slot, home_label)
            if attempt >= 20:  # a large network can exhaust the combinations
                acronym = f"{acronym}{attempt - 18}"
            if name.casefold() not in taken_names and acronym.upper() not in taken_acronyms:
                break
        else:
            raise GeneratorError("Could not draw a unique organisation name; use fewer.")
        taken_names.add(name.casefold())
        taken_acronyms.add(acronym.upper())
        if slot.status != NetworkStatus.MEMBER:
            joined_on = None
        elif slot.founder:
            joined_on = founding
        else:
            joined_on = min(founding + timedelta(days=rng.randint(90, 2400)), last_join)
        domain = f"{slug(acronym)}.example"
        website = ""
        if slot.type in _WEBSITE_TYPES and rng.random() < 0.6:
            website = f"https://{domain}"
        organisation = services.organisation_create(
            public_id=uuid_from(ids),
            actor=SYSTEM_ACTOR,
            name=name,
            acronym=acronym,
            type=slot.type,
            network_status=slot.status,
            joined_on=joined_on,
            description=_description(rng, slot, home_label, rng.randint(1996, 2018)),
            email=f"contact@{domain}",
            phone=fake_phone(rng),
            website=website,
        )
        ctx.orgs.append(GeneratedOrg(slot, organisation, home_pcode, domain))
        ctx.progress("organisations", number, len(slots))
    return len(slots)


# --- step: offices -------------------------------------------------------------------------

_OFFICE_NAME: dict[str, str] = {
    OfficeKind.HEADQUARTERS: "Siège",
    OfficeKind.ANTENNA: "Antenne",
    OfficeKind.HELP_DESK: "Guichet d'information",
    OfficeKind.TRANSIT_CENTRE: "Centre de transit",
}
_EXTRA_OFFICES: dict[
    str, tuple[int, ...]
] = {  # how many offices besides the headquarters, drawn from these
    T.NATIONAL_NGO: (0, 1, 1, 2, 2),
    T.INGO: (1, 2, 2),
    T.ASSOCIATION: (0, 0, 1),
    T.DIASPORA: (0, 1),
    T.TRADE_UNION: (0, 1),
    T.PUBLIC_AUTHORITY: (0, 1),
    T.COMMUNITY_GROUP: (0,),
}


def _office_candidates(rng: random.Random, generated: GeneratedOrg) -> list[tuple[str, str]]:
    slot = generated.slot
    city = names.CITY_COMMUNES[slot.region]
    candidates: list[tuple[str, str]] = []
    for pcode in names.FIELD_COMMUNES[slot.region] or (rng.choice(city),):
        if pcode != generated.home_pcode:
            candidates.append((OfficeKind.HELP_DESK, pcode))
    if slot.type in (T.NATIONAL_NGO, T.INGO, T.DIASPORA, T.TRADE_UNION):
        for region in REGIONS:
            if region != slot.region:
                candidates.append((OfficeKind.ANTENNA, rng.choice(names.CITY_COMMUNES[region])))
    if slot.type in (T.NATIONAL_NGO, T.INGO, T.PUBLIC_AUTHORITY) and slot.focus == "protection":
        candidates.append((OfficeKind.TRANSIT_CENTRE, rng.choice(city)))
        if slot.region != "agadez":
            candidates.append((OfficeKind.TRANSIT_CENTRE, names.CITY_COMMUNES["agadez"][0]))
    rng.shuffle(candidates)
    return candidates


def _address(rng: random.Random, pcode: str) -> str:
    region = region_of(pcode)
    quarter = rng.choice(names.QUARTERS[region])
    return f"Quartier {quarter}, {rng.choice(names.LANDMARKS)}"


def _field_address(rng: random.Random) -> str:
    return f"Quartier {rng.choice(names.QUARTERS['field'])}, {rng.choice(names.LANDMARKS)}"


def step_offices(ctx: Context) -> int:
    rng = ctx.rng("offices")
    ids = ctx.rng("offices.ids")
    plans: list[tuple[GeneratedOrg, str, str]] = []
    for generated in ctx.orgs:
        plans.append((generated, OfficeKind.HEADQUARTERS, generated.home_pcode))
        extra = rng.choice(_EXTRA_OFFICES.get(generated.slot.type, (0,)))
        home_label = _place_label(ctx.communes[generated.home_pcode])
        seen_labels: set[tuple[str, str]] = {(OfficeKind.HEADQUARTERS, home_label)}
        for kind, pcode in _office_candidates(rng, generated):
            if extra == 0:
                break
            label = (kind, _place_label(ctx.communes[pcode]))
            if label in seen_labels:
                continue
            seen_labels.add(label)
            plans.append((generated, kind, pcode))
            extra -= 1
    for number, (generated, kind, pcode) in enumerate(plans, start=1):
        unit = ctx.communes[pcode]
        city = pcode in names.CITY_COMMUNES[region_of(pcode)]
        office = services.office_create(
            public_id=uuid_from(ids),
            actor=SYSTEM_ACTOR,
            organisation=generated.organisation,
            name=f"{_OFFICE_NAME[kind]} {of(_place_label(unit))}",
            kind=kind,
            commune=unit,
            address=_address(rng, pcode) if city else _field_address(rng),
            phone=fake_phone(rng),
        )
        generated.offices.append(office)
        ctx.progress("offices", number, len(plans))
    return len(plans)


# --- step: users ---------------------------------------------------------------------------

R = Role
_ROLE_BUNDLES: dict[str, tuple[frozenset[str], ...]] = {
    T.NATIONAL_NGO: (
        frozenset({R.ORG_ADMIN}),
        frozenset({R.DPO}),
        frozenset({R.SUPERVISOR}),
        frozenset({R.CASEWORKER, R.GBV_FOCAL_POINT}),
        frozenset({R.SERVICE_FOCAL_POINT}),
        frozenset({R.MONITOR}),
        frozenset({R.OUTREACH_OFFICER}),
        frozenset({R.ME_OFFICER}),
    ),
    T.ASSOCIATION: (
        frozenset({R.ORG_ADMIN, R.DPO}),
        frozenset({R.SUPERVISOR, R.CASEWORKER}),
        frozenset({R.SERVICE_FOCAL_POINT, R.CASEWORKER}),
        frozenset({R.OUTREACH_OFFICER}),
        frozenset({R.MONITOR, R.OUTREACH_OFFICER}),
        frozenset({R.ME_OFFICER}),
    ),
    T.DIASPORA: (
        frozenset({R.ORG_ADMIN, R.DPO}),
        frozenset({R.SERVICE_FOCAL_POINT}),
        frozenset({R.OUTREACH_OFFICER, R.MONITOR}),
        frozenset({R.CASEWORKER}),
        frozenset({R.ME_OFFICER}),
    ),
    T.TRADE_UNION: (
        frozenset({R.ORG_ADMIN, R.DPO}),
        frozenset({R.SERVICE_FOCAL_POINT}),
        frozenset({R.OUTREACH_OFFICER}),
        frozenset({R.ME_OFFICER, R.MONITOR}),
    ),
    T.PUBLIC_AUTHORITY: (
        frozenset({R.ORG_ADMIN}),
        frozenset({R.DPO}),
        frozenset({R.SUPERVISOR}),
        frozenset({R.CASEWORKER}),
        frozenset({R.GBV_FOCAL_POINT}),
        frozenset({R.SERVICE_FOCAL_POINT}),
    ),
    T.INGO: (
        frozenset({R.ORG_ADMIN}),
        frozenset({R.DPO}),
        frozenset({R.ME_OFFICER}),
        frozenset({R.SUPERVISOR}),
        frozenset({R.GBV_FOCAL_POINT}),
        frozenset({R.SERVICE_FOCAL_POINT}),
        frozenset({R.MONITOR}),
        frozenset({R.OUTREACH_OFFICER}),
        frozenset({R.CASEWORKER}),
    ),
    T.COMMUNITY_GROUP: (
        frozenset({R.ORG_ADMIN, R.DPO}),
        frozenset({R.MONITOR, R.OUTREACH_OFFICER}),
        frozenset({R.SERVICE_FOCAL_POINT}),
    ),
}
_EXTRA_ROLES: dict[str, tuple[str, ...]] = {  # what the rest of the staff do
    T.NATIONAL_NGO: (R.CASEWORKER, R.CASEWORKER, R.CASEWORKER, R.MONITOR, R.OUTREACH_OFFICER),
    T.ASSOCIATION: (R.CASEWORKER, R.OUTREACH_OFFICER),
    T.DIASPORA: (R.CASEWORKER, R.OUTREACH_OFFICER),
    T.TRADE_UNION: (R.OUTREACH_OFFICER, R.SERVICE_FOCAL_POINT),
    T.PUBLIC_AUTHORITY: (R.CASEWORKER,),
    T.INGO: (R.CASEWORKER, R.CASEWORKER, R.MONITOR, R.ME_OFFICER),
    T.COMMUNITY_GROUP: (R.MONITOR, R.OUTREACH_OFFICER),
}
_STAFF_SIZE: dict[str, tuple[int, int]] = {
    T.NATIONAL_NGO: (8, 11),
    T.ASSOCIATION: (5, 7),
    T.DIASPORA: (4, 6),
    T.TRADE_UNION: (4, 5),
    T.PUBLIC_AUTHORITY: (6, 8),
    T.INGO: (10, 13),
    T.COMMUNITY_GROUP: (3, 4),
}


def _role_plan(rng: random.Random, slot: Slot) -> list[frozenset[str]]:
    bundles = list(_ROLE_BUNDLES.get(slot.type, _ROLE_BUNDLES[T.ASSOCIATION]))
    if slot.founder:
        bundles.insert(1, frozenset({R.NETWORK_COORDINATOR}))
    if slot.women and not any(R.GBV_FOCAL_POINT in b for b in bundles):
        bundles.append(frozenset({R.GBV_FOCAL_POINT, R.CASEWORKER}))
    low, high = _STAFF_SIZE.get(slot.type, (4, 6))
    extra_roles = _EXTRA_ROLES.get(slot.type, (R.CASEWORKER,))
    while len(bundles) < rng.randint(low, high):
        bundles.append(frozenset({rng.choice(extra_roles)}))
    return bundles


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    language: str


def _weighted(rng: random.Random, options: Sequence[tuple[Culture, int]]) -> Culture:
    return rng.choices([c for c, _ in options], weights=[w for _, w in options])[0]


def draw_person(
    rng: random.Random, cultures: Sequence[tuple[Culture, int]], female: bool
) -> Person:
    """A plausible name; never a well-known public figure's."""
    culture = _weighted(rng, cultures)
    while True:
        first = rng.choice(culture.female if female else culture.male)
        family = rng.choice(culture.family)
        if culture.patronymic:
            family = f"{culture.patronymic[1 if female else 0]} {family}"
        full = ascii_fold(f"{first} {family}").lower()
        if first != family and full not in names.FAMOUS:
            return Person(first, family, culture.language)


def _cultures_for(rng: random.Random, slot: Slot) -> Sequence[tuple[Culture, int]]:
    if slot.type == T.DIASPORA:
        return names.WEST_AFRICAN_CULTURES
    if slot.type == T.INGO and rng.random() < 0.3:
        return names.WEST_AFRICAN_CULTURES
    return names.REGION_CULTURES[slot.region]


def _username(person: Person, taken: set[str]) -> str:
    base = f"{slug(person.first_name)}.{slug(person.last_name)}"
    username, n = base, 1
    while username in taken:
        n += 1
        username = f"{base}{n}"
    taken.add(username)
    return username


def step_users(ctx: Context) -> int:
    rng = ctx.rng("users")
    ids = ctx.rng("users.ids")
    plans = [(g, bundle) for g in ctx.orgs for bundle in _role_plan(rng, g.slot)]
    for number, (generated, bundle) in enumerate(plans, start=1):
        female = rng.random() < (0.85 if generated.slot.women else 0.5)
        person = draw_person(rng, _cultures_for(rng, generated.slot), female)
        username = _username(person, ctx.usernames)
        offices = generated.offices
        office = offices[0] if len(offices) == 1 or rng.random() < 0.6 else rng.choice(offices)
        phone = fake_phone(rng) if rng.random() < 0.6 else ""
        services.user_create(
            public_id=uuid_from(ids),
            actor=SYSTEM_ACTOR,
            organisation=generated.organisation,
            username=username,
            # Staff accounts are not for logging in (no usable password); an admin can set one.
            password=None,
            roles=sorted(bundle),
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{username}@{generated.domain}",
            phone=phone,
            office=office,
            preferred_language=person.language,
        )
        ctx.progress("users", number, len(plans))
    return len(plans)


# --- steps: people and their cases ---------------------------------------------------------


def _providers(team: population.Team, orgs: Sequence[Organisation]) -> list[Organisation]:
    return [team.organisation, *(o for o in orgs if o.pk != team.organisation.pk)]


def _play_people(
    ctx: Context,
    *,
    stream: str,
    plans: Sequence[tuple[population.Team, User, str, stories.Extras, date | None]],
    step: str,
) -> int:
    """Register and follow each planned person through the per-row services:
    ``(team, caseworker, final status or "" for a random fate, extras, registration day)``."""
    rng = ctx.rng(stream)
    ref = population.Reference.load()
    organisations = list(Organisation.objects.filter(is_active=True).order_by("pk"))
    clock = determinism.Clock(determinism.real_now())
    with determinism.reproducible(
        ids=ctx.rng(f"{stream}.ids"), codes=ctx.rng(f"{stream}.codes"), clock=clock
    ):
        for number, (team, caseworker, status, extras, registered_on) in enumerate(plans, 1):
            office = caseworker.office or rng.choice(team.offices)
            partners = [o for o in organisations if o.pk != team.organisation.pk]
            drawn = population.draw_person(
                rng,
                ref,
                office=office,
                anchor=ctx.anchor,
                partners=partners,
                registered_on=registered_on,
            )
            if extras.gbv:
                drawn.needs_sv = drawn.female = True
            approver = team.approver_for(rng, caseworker)
            story = population.draw_story(
                rng,
                ref,
                drawn,
                anchor=ctx.anchor,
                providers=_providers(team, partners),
                services_per_case=ctx.services_per_case,
                case=True if status else None,
                status=status or None,
                can_approve=approver is not None,
            )
            stories.play(
                rng,
                clock,
                ref,
                team=team,
                drawn=drawn,
                story=story,
                registrar=caseworker,
                caseworker=caseworker,
                approver=approver,
                anchor=ctx.anchor,
                extras=extras,
            )
            ctx.progress(step, number, len(plans))
    return len(plans)


def step_people(ctx: Context) -> int:
    """The demo's people: each organisation with caseworkers registers a share in proportion
    to its staff; about 40 % get a case, in every status; a few have pending approvals,
    overdue tasks, a GBV section or a withdrawn consent."""
    count = min(ctx.people, ctx.detailed_people)
    if count == 0:
        return 0
    rng = ctx.rng("people.plan")
    teams = population.teams([g.organisation for g in ctx.orgs])
    plans = []
    for team, share in zip(
        teams, population.share_out(count, [t.weight for t in teams]), strict=True
    ):
        for _ in range(share):
            extras = stories.Extras(
                pending=rng.choice(("", "", "", "", "case_plan", "closure")),
                overdue=rng.random() < 0.3,
                gbv=rng.random() < 0.04,
                withdraw=rng.random() < 0.04,
                notes=rng.choice((0, 1, 1, 2)),
            )
            plans.append((team, rng.choice(team.caseworkers), "", extras, None))
    return _play_people(ctx, stream="people", plans=plans, step="people")


def step_people_at_scale(ctx: Context) -> int:
    """People beyond the detailed ones, through the bulk services, a transaction per batch."""
    total = ctx.people - min(ctx.people, ctx.detailed_people)
    if total <= 0:
        return 0
    organisations = list(Organisation.objects.order_by("pk"))
    counts = scale.generate_people(
        stream=ctx.rng,
        teams=population.teams(organisations),
        total=total,
        anchor=ctx.anchor,
        services_per_case=ctx.services_per_case,
        batch_size=ctx.batch_size,
        progress=ctx.progress,
    )
    ctx.counts["cases (bulk)"] = counts["cases"]
    ctx.counts["services (bulk)"] = counts["deliveries"]
    return counts["people"]


def step_directory(ctx: Context) -> int:
    """The service directory: the organisations' services and the public services the
    coordinators keep, in the eight regions (``demo.directory``)."""
    rng = ctx.rng("directory")
    quarters = {REGION_PCODE[r]: names.QUARTERS[r] for r in REGIONS}
    plans = directory.plan(rng, ctx.orgs, quarters)
    clock = determinism.Clock(determinism.real_now())
    with determinism.reproducible(
        ids=ctx.rng("directory.ids"), codes=ctx.rng("directory.codes"), clock=clock
    ):
        return directory.play(rng, clock, plans, ctx.anchor)


def step_information(ctx: Context) -> int:
    """The rights-information pages of the public site, written by the first network
    coordinator (``demo.information``)."""
    for user in User.objects.filter(
        organisation__in=[g.organisation for g in ctx.orgs], is_active=True
    ).order_by("pk"):
        if Role.NETWORK_COORDINATOR in user.role_codes():
            return information.play(user)
    return 0


def step_referrals(ctx: Context) -> int:
    """A few dozen referrals between the organisations, in every status
    (``demo.referrals``)."""
    rng = ctx.rng("referrals")
    clock = determinism.Clock(determinism.real_now())
    with determinism.reproducible(
        ids=ctx.rng("referrals.ids"), codes=ctx.rng("referrals.codes"), clock=clock
    ):
        return demo_referrals.play(rng, clock, ctx.anchor)


STEPS: tuple[Step, ...] = (
    Step("organisations", step_organisations),
    Step("offices", step_offices),
    Step("users", step_users),
    Step("directory", step_directory),
    Step("rights information", step_information),
    Step("people", step_people),
    Step("referrals", step_referrals),
    Step("people (bulk)", step_people_at_scale, batched=True),
)


def _needed_pcodes() -> set[str]:
    pcodes: set[str] = set()
    for region in REGIONS:
        pcodes.update(names.CITY_COMMUNES[region], names.FIELD_COMMUNES[region])
    return pcodes


def generate(
    *,
    seed: int = DEFAULT_SEED,
    organisations: int = DEFAULT_ORGANISATIONS,
    people: int = 0,
    detailed_people: int = DEMO_PEOPLE,
    services_per_case: float = population.DEFAULT_SERVICES_PER_CASE,
    batch_size: int = scale.DEFAULT_BATCH,
    anchor: date | None = None,
    progress: Progress | None = None,
) -> Result:
    """Fill an empty database with a synthetic network and ``people`` registered people.

    The network and the first ``detailed_people`` people (per-row services, each with their
    whole story) are written all or
    nothing; people beyond that go through the bulk services, a transaction per batch of
    ``batch_size`` (a run stopped midway keeps the finished batches: ``--reset`` starts over).
    Refuses (``NetworkNotEmpty``) when organisations exist: generated data mixed with real or
    older data would be neither reproducible nor removable.

    The people's stories lead up to ``anchor`` (today by default; not later than today): ages,
    and so who may consent for a child, depend on that day, so equal seeds give equal data on
    the same day, or with the same ``anchor``.
    """
    if organisations < 1:
        raise GeneratorError("Generate at least one organisation.")
    if people < 0 or services_per_case < 0 or batch_size < 1:
        raise GeneratorError("People, services per case and batch size cannot be negative.")
    existing = Organisation.objects.count()
    if existing:
        raise NetworkNotEmpty(existing)
    wanted = _needed_pcodes()
    communes = {
        u.pcode: u for u in AdminUnit.objects.filter(pcode__in=wanted, level=AdminLevel.COMMUNE)
    }
    if len(communes) != len(wanted):
        raise GeneratorError(
            "Niger's administrative units are missing from the database: run `kariya migrate`."
        )
    ctx = Context(
        seed=seed,
        organisations=organisations,
        progress=progress or (lambda step, done, total: None),
        communes=communes,
        usernames={u.lower() for u in User.objects.values_list("username", flat=True)},
        people=people,
        detailed_people=max(detailed_people, 0),
        services_per_case=services_per_case,
        batch_size=batch_size,
        anchor=min(anchor or timezone.localdate(), timezone.localdate()),
    )
    started = time.perf_counter()
    with transaction.atomic():
        for step in STEPS:
            if not step.batched:
                ctx.counts[step.name] = step.run(ctx)
    for step in STEPS:
        if step.batched:
            ctx.counts[step.name] = step.run(ctx)
    return Result(
        counts={name: count for name, count in ctx.counts.items() if count},
        seconds=time.perf_counter() - started,
    )


# --- the demo accounts' caseload -----------------------------------------------------------

# Final statuses of each demo caseworker's cases, with what the story adds: "plan" = a case
# plan waiting for approval, "close" = a closure waiting for approval, "late" = overdue tasks.
CASELOAD: dict[str, tuple[tuple[str, str], ...]] = {
    "niamey": (
        ("open", ""), ("assessment", ""), ("assessment", "late"), ("case_plan", "plan"),
        ("case_plan", "late"), ("case_plan", "plan"), ("implementation", "late"),
        ("implementation", "gbv"), ("implementation", "late"), ("follow_up", "close"),
        ("follow_up", "late gbv"), ("closed", ""),
    ),
    "agadez": (
        ("open", ""), ("open", ""), ("assessment", "late"), ("case_plan", "plan"),
        ("case_plan", "late"), ("implementation", "late"), ("implementation", ""),
        ("implementation", "late"), ("follow_up", "close"), ("follow_up", "late"),
        ("closed", ""), ("closed", ""),
    ),
    "tahoua": (
        ("assessment", ""), ("case_plan", "plan"), ("implementation", "late"), ("closed", ""),
    ),
    "zinder": (
        ("assessment", ""), ("case_plan", "late"), ("implementation", "late"), ("closed", ""),
    ),
}  # fmt: skip


def generate_caseload(*, seed: int = DEFAULT_SEED, progress: Progress | None = None) -> int:
    """Give the demo caseworkers cases in every status (registered over the last four months),
    with overdue tasks, case plans and closures waiting for their supervisor's approval, and
    GBV sections written by the demo GBV focal point. Run once, after ``ensure_demo_accounts``
    on freshly generated data; all or nothing."""
    refuse_in_production()
    ctx = Context(
        seed=seed,
        organisations=0,
        progress=progress or (lambda step, done, total: None),
        anchor=timezone.localdate(),
    )
    rng = ctx.rng("caseload.plan")
    plans = []
    for region, statuses in CASELOAD.items():
        caseworker = (
            User.objects.filter(username=demo_username(region, Role.CASEWORKER))
            .select_related("organisation", "office__commune")
            .first()
        )
        if caseworker is None or caseworker.organisation is None:
            continue
        gbv_writer = User.objects.filter(
            username=demo_username(region, Role.GBV_FOCAL_POINT),
            organisation=caseworker.organisation,
        ).first()
        team = next(iter(population.teams([caseworker.organisation])), None)
        if team is None:
            continue
        for status, extra in statuses:
            extras = stories.Extras(
                pending={"plan": "case_plan", "close": "closure"}.get(extra, ""),
                overdue="late" in extra,
                gbv="gbv" in extra,
                gbv_writer=gbv_writer,
                notes=rng.choice((1, 1, 2)),
            )
            registered_on = ctx.anchor - timedelta(days=rng.randint(12, 120))
            plans.append((team, caseworker, status, extras, registered_on))
    with transaction.atomic():
        return _play_people(ctx, stream="caseload", plans=plans, step="demo caseload")


# --- demo accounts -------------------------------------------------------------------------

# Every role in the two main cities; the field roles in the other two.
DEMO_ROLES: dict[str, tuple[str, ...]] = {
    "niamey": tuple(Role.values),
    "agadez": tuple(Role.values),
    "tahoua": (R.CASEWORKER, R.SUPERVISOR, R.MONITOR, R.OUTREACH_OFFICER),
    "zinder": (R.CASEWORKER, R.SERVICE_FOCAL_POINT, R.GBV_FOCAL_POINT, R.ME_OFFICER),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation: Organisation
    created: bool


def demo_username(region: str, role: str) -> str:
    return f"{region}.{role.replace('_', '-')}"


def host_organisation(region: str) -> tuple[Organisation, Office] | None:
    """The organisation the demo accounts of ``region`` work for, and their office: the
    earliest member of the network headquartered there (a founding member, for generated
    data), else any active organisation with an office in the region."""
    offices = (
        Office.objects.filter(
            is_active=True,
            organisation__is_active=True,
            commune__pcode__startswith=REGION_PCODE[region],
        )
        .select_related("organisation")
        .order_by(
            F("organisation__joined_on").asc(nulls_last=True), "organisation__acronym", "name"
        )
    )
    headquarters = offices.filter(kind=OfficeKind.HEADQUARTERS)
    for candidates in (
        headquarters.filter(organisation__network_status=NetworkStatus.MEMBER),
        headquarters,
        offices,
    ):
        office = candidates.first()
        if office is not None:
            return office.organisation, office
    return None


def ensure_demo_accounts(*, seed: int = DEFAULT_SEED) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet (password ``DEMO_PASSWORD``).

    Accounts already there are listed as they are, password untouched. Names and public ids
    are drawn for every planned account, present or not, so they do not depend on which
    accounts a previous run left behind.
    """
    refuse_in_production()
    rng = random.Random(f"kariya-demo:{seed}:demo-accounts")
    ids = random.Random(f"kariya-demo:{seed}:demo-accounts.ids")
    accounts: list[DemoAccount] = []
    with transaction.atomic():
        for region, roles in DEMO_ROLES.items():
            host = host_organisation(region)
            for role in roles:
                person = draw_person(rng, names.REGION_CULTURES[region], rng.random() < 0.5)
                public_id = uuid_from(ids)
                username = demo_username(region, role)
                existing = (
                    User.objects.select_related("organisation").filter(username=username).first()
                )
                if existing is not None and existing.organisation is not None:
                    accounts.append(DemoAccount(username, role, existing.organisation, False))
                    continue
                if host is None or existing is not None:
                    continue
                organisation, office = host
                services.user_create(
                    actor=SYSTEM_ACTOR,
                    organisation=organisation,
                    username=username,
                    password=DEMO_PASSWORD,
                    public_id=public_id,
                    roles=[role],
                    first_name=person.first_name,
                    last_name=person.last_name,
                    email=f"{username}@kariya-demo.example",
                    office=office,
                    preferred_language="fr",
                )
                accounts.append(DemoAccount(username, role, organisation, True))
    return accounts


# --- reset and fingerprint -----------------------------------------------------------------


def reset_database(using: str = "default") -> int:
    """Empty every table except the reference data a fresh migrate loads; return how many.

    The audit log is append-only through the ORM, so this works below it, in SQL, the way
    ``manage.py flush`` does. ``flush`` itself would also empty the geography that the data
    migrations loaded, and ``migrate`` would not load it again.
    """
    refuse_in_production()
    connection = connections[using]
    keep = {apps.get_model(label)._meta.db_table for label in REFERENCE_MODELS}
    tables = [
        table
        for table in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if table not in keep
    ]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # Inside a transaction that already wrote rows, PostgreSQL refuses to TRUNCATE while
        # deferred foreign-key checks are pending: run them now.
        connection.check_constraints()
    connection.ops.execute_sql_flush(statements)
    return len(tables)


def _people_queries() -> list[Any]:
    """What the people and case steps drew, in a stable order (public ids: random, drawn from
    the steps' streams). Encrypted fields come decrypted; dates are turned into days after the
    first registration, so the digest does not change with the day the data was generated."""
    from kariya.cases import models as c
    from kariya.people import models as p
    from kariya.referrals import models as r

    return [
        p.Person.objects.order_by("public_id").values_list(
            "public_id", "case_code", "sex", "birth_year", "birth_estimated",
            "registering_office__public_id", "population_category__code", "child_separation",
            "legal_basis", "registered_at", "created_by__username",
        ),
        p.Identity.objects.order_by("public_id").values_list(
            "public_id", "person__public_id", "given_names", "family_names", "other_spellings",
            "aliases", "phones", "birth_date",
        ),
        p.Person.nationalities.through.objects.order_by(
            "person__public_id", "country_id"
        ).values_list("person__public_id", "country_id"),
        p.IdentityDocument.objects.order_by("public_id").values_list(
            "public_id", "person__public_id", "document_type__code", "status", "number"
        ),
        p.MigrationProfile.objects.order_by("public_id").values_list(
            "public_id", "person__public_id", "origin_country_id", "origin_place", "status",
            "arrival_date", "current_commune__pcode", "expelled_from", "expulsion_type",
            "expulsion_arrival_site__name", "expulsion_date", "intended_destination_id",
        ),
        p.RoutePoint.objects.order_by("profile__public_id", "position").values_list(
            "profile__public_id", "position", "site__name", "country_id"
        ),
        p.Consent.objects.order_by("public_id").values_list(
            "public_id", "person__public_id", "scope", "given_by", "child_assent", "method",
            "language__code", "recipient_organisation__acronym", "service_type__code",
            "given_at", "withdrawn_at",
        ),
        c.Screening.objects.order_by("public_id").values_list(
            "public_id", "person__public_id", "screened_on", "intervention_rating", "outcome",
            "screened_by__username",
        ),
        c.VulnerabilityAssessment.objects.order_by("public_id").values_list(
            "public_id", "person__public_id", "case__public_id", "assessed_on", "priority",
        ),
        c.Case.objects.order_by("public_id").values_list(
            "public_id", "person__public_id", "caseworker__username", "priority", "status",
            "closure_reason", "opened_at", "closed_at",
        ),
        c.CaseStatusChange.objects.order_by("public_id").values_list(
            "public_id", "case__public_id", "from_status", "to_status", "created_at"
        ),
        c.CaseApproval.objects.order_by("public_id").values_list(
            "public_id", "case__public_id", "kind", "status", "requested_by__username",
            "decided_by__username",
        ),
        c.CasePlanAction.objects.order_by("public_id").values_list(
            "public_id", "case__public_id", "description", "due_on", "status", "completed_on"
        ),
        c.ServiceDelivery.objects.order_by("public_id").values_list(
            "public_id", "case__public_id", "service_type__code", "provider__acronym",
            "delivered_on", "quantity", "unit", "outcome",
        ),
        c.FollowUpVisit.objects.order_by("public_id").values_list(
            "public_id", "case__public_id", "due_on", "visited_on", "method"
        ),
        c.CaseNote.objects.order_by("public_id").values_list("public_id", "case__public_id"),
        c.GBVSection.objects.order_by("public_id").values_list(
            "public_id", "case__public_id", "incident_type", "incident_date",
            "created_by__username",
        ),
        r.Referral.objects.order_by("public_id").values_list(
            "public_id", "case__public_id", "service__public_id", "priority", "status",
            "shared_fields", "sent_at", "deadline", "closed_at", "outcome", "delivery__public_id",
        ),
    ]  # fmt: skip


def _fingerprint_value(value: Any, first_day: date | None) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    if isinstance(value, date) and first_day is not None:
        return f"d{(value - first_day).days}"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def network_fingerprint() -> str:
    """A digest of the generated data: the network, the people and their cases. Equal
    digests, equal data (dates counted from the first registration). Streams the rows: flat
    memory, but a million people take minutes (decryption)."""
    from kariya.people.models import Person

    digest = hashlib.sha256()
    queries = (
        Organisation.objects.order_by("acronym").values_list(
            "public_id", "name", "acronym", "type", "network_status", "joined_on", "email"
        ),
        Office.objects.order_by("organisation__acronym", "name").values_list(
            "public_id", "organisation__acronym", "name", "kind", "commune__pcode", "address"
        ),
        User.objects.order_by("username").values_list(
            "public_id",
            "username",
            "first_name",
            "last_name",
            "email",
            "organisation__acronym",
            "office__public_id",
            "preferred_language",
        ),
        UserRole.objects.order_by("user__username", "role").values_list("user__username", "role"),
    )
    for query in queries:
        for row in query:
            digest.update("\x1f".join(str(value) for value in row).encode())
            digest.update(b"\x1e")
    first = Person.objects.order_by("registered_at").values_list("registered_at", flat=True)[:1]
    first_day = timezone.localdate(first[0]) if first else None
    for query in _people_queries():
        for row in query.iterator(chunk_size=5_000):
            text = "\x1f".join(_fingerprint_value(value, first_day) for value in row)
            digest.update(text.encode())
            digest.update(b"\x1e")
    return digest.hexdigest()
