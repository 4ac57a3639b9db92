"""The people the organisations registered, and what happened to them: drawn here, written by
``stories`` (per-row services, for the demo) or ``scale`` (bulk services, for big databases).

Everything is synthetic: names combine common first and family names at random (with the
spelling variants registrars meet: Moussa / Mousa / Musa), phone numbers are in a Niger block
that is valid but attributed to no operator (``+227 76 …``), document numbers are random.
Draws use only the ``random.Random`` passed in, so a seed gives the same people.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from kariya.accounts.models import Office, Organisation, User
from kariya.accounts.roles import Role
from kariya.cases.models import DeliveryOutcome, ScreeningOutcome, Unit
from kariya.cases.services import AssessmentRow, CaseRow, DeliveryRow
from kariya.cases.workflow import ClosureReason, Status
from kariya.codelists.models import Code
from kariya.demo import names
from kariya.demo.names import Culture
from kariya.geo.models import AdminLevel, AdminUnit, Country, Site
from kariya.people.models import (
    ChildSeparation,
    ConsentGiver,
    ConsentMethod,
    ConsentScope,
    DocumentStatus,
    ExpelledFrom,
    ExpulsionType,
    LegalBasis,
    MigrationStatus,
    Sex,
)
from kariya.people.services import (
    ConsentInput,
    DocumentInput,
    MigrationInput,
    PersonRow,
    RoutePointInput,
    youngest_age,
)

# The phone block of generated people: valid for Niger's numbering plan (so the application
# accepts it) but attributed to no operator — it reaches no subscriber.
PHONE_BLOCK = "+227 76"

# Share of registered people who get a case, and the default services delivered per case.
CASE_SHARE = 0.4
DEFAULT_SERVICES_PER_CASE = 3.0
# How far back the registrations go.
HISTORY_DAYS = 540
# A generated person's age does not change in these days after the anchor (``draw_person``).
STEADY_DAYS = 3


def phone_number(rng: random.Random) -> str:
    return (
        f"{PHONE_BLOCK} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
    )


# --- reference data ---------------------------------------------------------------------------


@dataclass
class Reference:
    """Code-list entries, countries, sites and communes the drawings use, loaded once."""

    codes: dict[tuple[str, str], Code]
    countries: dict[str, Country]
    sites: dict[str, Site]
    communes: dict[str, AdminUnit]

    @classmethod
    def load(cls) -> Reference:
        codes = {(c.list, c.code): c for c in Code.objects.filter(is_active=True)}
        wanted = {iso for iso, _ in names.NATIONALITIES} | {"DZA", "LBY", "ITA", "ESP", "FRA"}
        countries = {c.iso3: c for c in Country.objects.filter(iso3__in=wanted)}
        sites = {s.name: s for s in Site.objects.filter(is_active=True)}
        communes = {u.pcode: u for u in AdminUnit.objects.filter(level=AdminLevel.COMMUNE)}
        return cls(codes, countries, sites, communes)

    def code(self, list_name: str, value: str) -> Code:
        return self.codes[(list_name, value)]

    def codes_of(self, list_name: str, values: Sequence[str]) -> list[Code]:
        return [self.codes[(list_name, v)] for v in values if (list_name, v) in self.codes]


# --- who works where --------------------------------------------------------------------------


@dataclass
class Team:
    """The staff of one organisation who register people and work on cases."""

    organisation: Organisation
    offices: list[Office]
    caseworkers: list[User]
    supervisors: list[User]
    gbv_focal_points: list[User]
    weight: int  # the organisation's size: its staff count

    @property
    def registrars(self) -> list[User]:
        return self.caseworkers or self.supervisors

    def approver_for(self, rng: random.Random, caseworker: User) -> User | None:
        """A supervisor who may decide on ``caseworker``'s requests (never their own)."""
        candidates = [s for s in self.supervisors if s.pk != caseworker.pk]
        return rng.choice(candidates) if candidates else None

    def gbv_writer(self) -> User | None:
        writers = self.gbv_focal_points or self.supervisors
        return writers[0] if writers else None


def teams(organisations: Sequence[Organisation]) -> list[Team]:
    """The organisations that register people (a caseworker or supervisor), in the given
    order, with their staff in creation order."""
    found = []
    for organisation in organisations:
        staff = list(
            User.objects.filter(organisation=organisation, is_active=True)
            .prefetch_related("roles")
            .order_by("pk")
        )
        by_role: dict[str, list[User]] = {}
        for user in staff:
            for role in user.role_codes():
                by_role.setdefault(role, []).append(user)
        team = Team(
            organisation=organisation,
            offices=list(
                Office.objects.filter(organisation=organisation, is_active=True)
                .select_related("commune")
                .order_by("pk")
            ),
            caseworkers=by_role.get(Role.CASEWORKER, []),
            supervisors=by_role.get(Role.SUPERVISOR, []),
            gbv_focal_points=by_role.get(Role.GBV_FOCAL_POINT, []),
            weight=len(staff),
        )
        if team.caseworkers and team.offices:
            found.append(team)
    return found


def share_out(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), summing to total."""
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


# --- time -------------------------------------------------------------------------------------


def local_moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment of office hours on ``day``, Niamey time."""
    hour, minute = rng.randint(8, 16), rng.choice((0, 10, 15, 20, 30, 40, 45, 50))
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


# --- a person ---------------------------------------------------------------------------------


def _weighted(rng: random.Random, options: Sequence[tuple[object, int]]) -> object:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _region_of(office: Office) -> str:
    pcode = office.commune.pcode
    for region, prefix in (("niamey", "NE008"), ("agadez", "NE001"), ("tahoua", "NE005")):
        if pcode.startswith(prefix):
            return region
    return "zinder"


def _spell(rng: random.Random, name: str) -> str | None:
    variants = names.SPELLINGS.get(name)
    return rng.choice(variants) if variants else None


def _document_number(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return rng.choice(letters) + rng.choice(letters) + f"{rng.randint(0, 9_999_999):07d}"


@dataclass
class Drawn:
    """A person as drawn: the registration row and what the story needs to know."""

    row: PersonRow
    registered_on: datetime.date
    age: int
    female: bool
    nationality: str
    expelled: bool
    child: bool
    needs_sv: bool = False


_CATEGORY_BY_STATUS = {
    MigrationStatus.IN_TRANSIT: "transit",
    MigrationStatus.STRANDED: "stranded",
    MigrationStatus.RESIDING: "migrant_worker",
    MigrationStatus.RETURNED: "returnee_voluntary",
}


def _migration(
    rng: random.Random,
    ref: Reference,
    nationality: str,
    office: Office,
    registered_on: datetime.date,
) -> tuple[MigrationInput, str, bool]:
    """A route and a status that fit where the person is met; returns the population
    category and whether they were expelled."""
    region = _region_of(office)
    origin = ref.countries.get(nationality)
    site = ref.sites.get
    country = ref.countries.get
    arrival = registered_on - datetime.timedelta(days=rng.randint(1, 400))
    expelled_from = ""
    expulsion_type = ""
    arrival_site = None
    expulsion_date = None
    if region == "agadez" and rng.random() < 0.55:
        # Expelled from Algeria through Assamaka, or sent back from Libya through Dirkou.
        if rng.random() < 0.7:
            expelled_from = ExpelledFrom.ALGERIA
            if nationality == "NER" or rng.random() < 0.2:
                expulsion_type, arrival_site = ExpulsionType.OFFICIAL_CONVOY, site("Assamaka")
            else:
                expulsion_type, arrival_site = ExpulsionType.PUSHBACK, site("Point Zéro")
            stages = [country("DZA"), arrival_site, site("Arlit"), site("Agadez")]
        else:
            expelled_from = ExpelledFrom.LIBYA
            expulsion_type = rng.choice((ExpulsionType.PUSHBACK, ExpulsionType.OFFICIAL_CONVOY))
            arrival_site = site("Madama")
            stages = [country("LBY"), arrival_site, site("Séguédine"), site("Dirkou")]
            stages.append(site("Agadez"))
        if nationality != "NER":
            stages.insert(0, origin)
        expulsion_date = registered_on - datetime.timedelta(days=rng.randint(1, 20))
        arrival = expulsion_date
        status = MigrationStatus.EXPELLED
        category = "expelled_nigerien" if nationality == "NER" else "expelled_third_country"
        destination = None
    else:
        stages = [] if nationality == "NER" else [origin]
        if nationality in ("NGA", "TCD", "CMR", "SDN"):
            stages.append(rng.choice((site("Magaria"), site("Dan Barto"), site("Dan Issa"))))
        if region in ("agadez", "tahoua") or rng.random() < 0.3:
            stages.append(site("Tahoua"))
        if region == "agadez":
            stages.append(site("Agadez"))
        if region == "niamey" and nationality != "NER":
            status = rng.choice(
                (MigrationStatus.RESIDING, MigrationStatus.RESIDING, MigrationStatus.IN_TRANSIT)
            )
        elif nationality == "NER":
            status = rng.choice((MigrationStatus.RETURNED, MigrationStatus.RESIDING))
        else:
            status = rng.choice(
                (MigrationStatus.IN_TRANSIT, MigrationStatus.IN_TRANSIT, MigrationStatus.STRANDED)
            )
        category = _CATEGORY_BY_STATUS[status]
        if status == MigrationStatus.RETURNED and nationality == "NER":
            category = "returnee_voluntary"
        if rng.random() < 0.04:
            category = "asylum_seeker"
        destination = (
            rng.choice((country("DZA"), country("LBY"), country("ITA"), country("ESP")))
            if status in (MigrationStatus.IN_TRANSIT, MigrationStatus.STRANDED)
            else None
        )
    route = [
        RoutePointInput(site=s) if isinstance(s, Site) else RoutePointInput(country=s)
        for s in stages
        if s is not None
    ]
    places = names.ORIGIN_PLACES.get(nationality, ())
    data = MigrationInput(
        origin_country=origin,
        origin_place=rng.choice(places) if places and rng.random() < 0.8 else "",
        route=route,
        arrival_date=arrival if nationality != "NER" or expelled_from else None,
        current_commune=office.commune,
        intended_destination=destination,
        status=status,
        expelled_from=expelled_from,
        expulsion_type=expulsion_type,
        expulsion_arrival_site=arrival_site,
        expulsion_date=expulsion_date,
    )
    return data, category, bool(expelled_from)


def _documents(rng: random.Random, ref: Reference, nationality: str) -> list[DocumentInput]:
    issuing = ref.countries.get(nationality)
    roll = rng.random()
    if roll < 0.30:  # a document held
        kind = rng.choice(("passport", "national_id", "ecowas_travel", "consular_card"))
        return [
            DocumentInput(
                ref.code("document_type", kind), DocumentStatus.HELD, _document_number(rng), issuing
            )
        ]
    if roll < 0.50:  # taken by an employer, a smuggler or at a checkpoint
        kind = rng.choice(("passport", "national_id"))
        number = _document_number(rng) if rng.random() < 0.3 else ""
        return [
            DocumentInput(
                ref.code("document_type", kind), DocumentStatus.CONFISCATED, number, issuing
            )
        ]
    if roll < 0.70:
        kind = rng.choice(("passport", "national_id", "birth_certificate"))
        return [DocumentInput(ref.code("document_type", kind), DocumentStatus.LOST, "", issuing)]
    if roll < 0.85:
        return [
            DocumentInput(
                ref.code("document_type", "birth_certificate"),
                DocumentStatus.NEVER_HAD,
                "",
                issuing,
            )
        ]
    return []


def _consents(
    rng: random.Random,
    ref: Reference,
    *,
    age_then: int,
    age_now: int,
    language: Code,
    given_at: datetime.datetime,
    partners: Sequence[Organisation],
) -> list[ConsentInput]:
    """Consent to services (given by whom the age allows), sometimes referral, follow-up and
    statistics consents too."""
    giver: dict[str, object]
    if age_then >= 18:
        giver = {"given_by": ConsentGiver.SELF}
    elif age_now >= 18 or (age_then >= 15 and rng.random() < 0.5):
        # A mature child consents alone; still valid once they have turned 18.
        giver = {"given_by": ConsentGiver.SELF, "child_mature": True}
    else:
        giver = {
            "given_by": rng.choice(
                (ConsentGiver.PARENT, ConsentGiver.CAREGIVER, ConsentGiver.TRUSTED_ADULT)
            ),
            "child_assent": age_now >= 6,
        }
    method = rng.choices(
        (ConsentMethod.ORAL_WITNESSED, ConsentMethod.THUMBPRINT, ConsentMethod.SIGNATURE),
        weights=(5, 3, 2),
    )[0]
    common = {
        "method": method,
        "language": language,
        "interpreter_used": rng.random() < 0.2,
        "given_at": given_at,
        **giver,
    }
    consents = [ConsentInput(scope=ConsentScope.SERVICES, **common)]  # type: ignore[arg-type]
    if rng.random() < 0.35:
        if partners and rng.random() < 0.5:
            target: dict[str, object] = {"recipient_organisation": rng.choice(partners)}
        else:
            kind = rng.choice(("health_care", "legal_information", "avr", "mhpss", "shelter"))
            target = {"service_type": ref.code("service_type", kind)}
        consents.append(ConsentInput(scope=ConsentScope.REFERRAL, **common, **target))  # type: ignore[arg-type]
    if rng.random() < 0.5:
        consents.append(ConsentInput(scope=ConsentScope.FOLLOW_UP, **common))  # type: ignore[arg-type]
    if rng.random() < 0.6:
        consents.append(ConsentInput(scope=ConsentScope.STATISTICS, **common))  # type: ignore[arg-type]
    return consents


def draw_person(
    rng: random.Random,
    ref: Reference,
    *,
    office: Office,
    anchor: datetime.date,
    partners: Sequence[Organisation] = (),
    registered_on: datetime.date | None = None,
) -> Drawn:
    """A migrant registered at ``office`` between ``HISTORY_DAYS`` and 2 days before
    ``anchor`` (or on ``registered_on``)."""
    nationality = str(_weighted(rng, names.NATIONALITIES))  # type: ignore[arg-type]
    if nationality == "NER":
        cultures = names.REGION_CULTURES[_region_of(office)]
    else:
        cultures = names.NATIONALITY_CULTURES[nationality]
    culture: Culture = _weighted(rng, cultures)  # type: ignore[arg-type,assignment]
    young = rng.random() < 0.12
    female = rng.random() < (0.45 if young else 0.3)
    age = rng.randint(8, 17) if young else min(18 + int(rng.expovariate(1 / 9)), 70)
    first = rng.choice(culture.female if female else culture.male)
    family = rng.choice(culture.family)
    if first == family:
        family = rng.choice(culture.family)
    if culture.patronymic:
        family = f"{culture.patronymic[1 if female else 0]} {family}"
    given, surname = first, family
    spellings = []
    variant = _spell(rng, first)
    if variant and rng.random() < 0.6:
        spellings.append(f"{variant} {surname}")
    variant = _spell(rng, family)
    if variant and rng.random() < 0.4:
        spellings.append(f"{given} {variant}")
    aliases = [rng.choice(names.ALIASES)] if rng.random() < 0.15 else []
    if registered_on is None:
        registered_on = anchor - datetime.timedelta(days=rng.randint(2, HISTORY_DAYS))
    birth_year = registered_on.year - age
    birth_date = None
    if rng.random() < 0.35:
        birth_date = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
    # The bulk services check ages on the day the rows are written: in a long run (a million
    # people take over an hour) that may be a day or two after the anchor, past midnight or
    # New Year. A birthday in those days would turn a child drawn with a parent's consent
    # into an adult: draw a birth whose age stays the same until then.
    later = anchor + datetime.timedelta(days=STEADY_DAYS)
    while youngest_age(birth_year=birth_year, birth_date=birth_date, on=anchor) != youngest_age(
        birth_year=birth_year, birth_date=birth_date, on=later
    ):
        birth_date = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
    # The rules look at the youngest age the person can be, on the day of registration (the
    # per-row services) or on the day the rows are written (the bulk services): draw what
    # both accept.
    age_then = youngest_age(birth_year=birth_year, birth_date=birth_date, on=registered_on)
    age_now = youngest_age(birth_year=birth_year, birth_date=birth_date, on=anchor)
    child = age_now < 18
    languages = ref.codes_of("language", names.CULTURE_LANGUAGES.get(culture.code, ("fra",)))
    preferred = languages[0] if languages else ref.code("language", "fra")
    migration, category, expelled = _migration(rng, ref, nationality, office, registered_on)
    phones = [phone_number(rng)] if rng.random() < 0.6 else []
    if phones and rng.random() < 0.15:
        phones.append(phone_number(rng))
    registered_at = local_moment(registered_on, rng)
    separation = ""
    if child and age_then >= 6 and rng.random() < 0.5:
        separation = rng.choice((ChildSeparation.UNACCOMPANIED, ChildSeparation.SEPARATED))
    legal_basis, reason = "", ""
    consents = _consents(
        rng,
        ref,
        age_then=age_then,
        age_now=age_now,
        language=preferred,
        given_at=registered_at,
        partners=partners,
    )
    if rng.random() < 0.02:  # met unconscious or in danger: registered in their vital interest
        legal_basis = LegalBasis.VITAL_INTEREST
        reason = "Personne trouvée en détresse, hors d'état de consentir ; soins urgents."
        consents = []
    other_nationality = []
    if nationality != "NER" and rng.random() < 0.03:
        other_nationality = [ref.countries["NER"]]
    row = PersonRow(
        office=office,
        sex=Sex.FEMALE if female else Sex.MALE,
        birth_date=birth_date,
        birth_year=None if birth_date else birth_year,
        birth_estimated=birth_date is None and rng.random() < 0.7,
        nationalities=[ref.countries[nationality], *other_nationality],
        languages=languages,
        preferred_language=preferred,
        population_category=ref.code("population_category", category),
        child_separation=separation,
        given_names=given,
        family_names=surname,
        other_spellings=spellings,
        aliases=aliases,
        phone_numbers=phones,
        documents=_documents(rng, ref, nationality),
        migration=migration,
        consents=consents,
        legal_basis=legal_basis,
        legal_basis_reason=reason,
        registered_at=registered_at,
    )
    return Drawn(
        row=row,
        registered_on=registered_on,
        age=age_now,
        female=female,
        nationality=nationality,
        expelled=expelled,
        child=child,
        needs_sv=female and not child and rng.random() < 0.25,
    )


# --- what happens next ------------------------------------------------------------------------

# How cases end up, as weights: every status of the workflow.
STATUS_WEIGHTS: tuple[tuple[str, int], ...] = (
    (Status.OPEN, 10),
    (Status.ASSESSMENT, 15),
    (Status.CASE_PLAN, 15),
    (Status.IMPLEMENTATION, 25),
    (Status.FOLLOW_UP, 10),
    (Status.CLOSED, 25),
)
PATH = (Status.ASSESSMENT, Status.CASE_PLAN, Status.IMPLEMENTATION, Status.FOLLOW_UP)

# Services by kind of person, as weights; quantities and units where they are counted.
SERVICES: tuple[tuple[str, int, str, tuple[int, int]], ...] = (
    ("food", 14, Unit.MEAL, (2, 30)),
    ("nfi", 12, Unit.KIT, (1, 2)),
    ("health_care", 12, "", (0, 0)),
    ("shelter", 10, Unit.NIGHT, (1, 14)),
    ("information", 10, "", (0, 0)),
    ("mhpss", 8, Unit.SESSION, (1, 6)),
    ("legal_information", 7, Unit.SESSION, (1, 3)),
    ("water", 5, "", (0, 0)),
    ("emergency_medical", 4, "", (0, 0)),
    ("cash", 4, Unit.XOF, (5_000, 50_000)),
    ("civil_documentation", 3, Unit.DOCUMENT, (1, 1)),
    ("consular_assistance", 3, "", (0, 0)),
    ("avr", 3, "", (0, 0)),
    ("family_tracing", 2, "", (0, 0)),
    ("vocational_training", 2, Unit.DAY, (5, 30)),
    ("iga_support", 2, Unit.XOF, (25_000, 150_000)),
    ("child_protection", 2, "", (0, 0)),
)
_OUTCOMES = (
    (DeliveryOutcome.DELIVERED, 85),
    (DeliveryOutcome.PARTIAL, 8),
    (DeliveryOutcome.NOT_DELIVERED, 4),
    (DeliveryOutcome.REFUSED, 3),
)

FACTOR_POOL = (
    "no_documents", "serious_health", "distress", "no_resources", "no_information", "past_abuse",
    "debt", "good_health", "skills", "own_resources", "knows_rights", "family_separation",
    "family_violence", "dependants", "family_pressure", "family_support", "family_contact",
    "discrimination", "isolation", "unsafe_lodging", "community_violence", "community_network",
    "community_services", "no_regular_pathway", "expulsion_risk", "insecurity",
    "no_public_services", "environmental_hazard", "legal_protection", "services_nearby",
)  # fmt: skip
NEED_POOL = ("WR-SF", "SM-CI", "SM-MN", "SM-OT", "LP-ND", "LP-MS", "ER", "SP-PT", "DS-PM", "PG")


@dataclass
class Story:
    """What happens to a person after registration, in dates."""

    screened_on: datetime.date
    rating: str
    outcome: str
    danger: bool
    needs: list[Code]
    flags: list[Code]
    assessment: AssessmentRow | None
    status: str = ""  # the case's final status; "" = no case
    moves: list[tuple[str, datetime.datetime]] = field(default_factory=list)
    opened_at: datetime.datetime | None = None
    closure_reason: str = ""
    deliveries: list[DeliveryRow] = field(default_factory=list)


def _spread(
    rng: random.Random, start: datetime.date, end: datetime.date, count: int
) -> list[datetime.date]:
    """``count`` sorted days in [start, end]."""
    span = max((end - start).days, 0)
    return sorted(start + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))


def _service_count(rng: random.Random, mean: float) -> int:
    """A count whose average is ``mean``: its whole part, plus one with the remainder's
    probability, spread by ±1 so that cases differ."""
    base = int(mean)
    count = base + (1 if rng.random() < mean - base else 0)
    wobble = rng.choice((-1, 0, 0, 1)) if count >= 1 else 0
    return max(count + wobble, 0) if base >= 1 else count


def draw_story(
    rng: random.Random,
    ref: Reference,
    drawn: Drawn,
    *,
    anchor: datetime.date,
    providers: Sequence[Organisation],
    services_per_case: float = DEFAULT_SERVICES_PER_CASE,
    case: bool | None = None,
    status: str | None = None,
    can_approve: bool = True,
) -> Story:
    """The screening, assessment and (for ``CASE_SHARE`` of people) the case's path, with
    consistent dates: screened on the day of registration, opened within days, moves in order,
    services while the case is open, closure after the last service; nothing after yesterday."""
    last_day = anchor - datetime.timedelta(days=1)
    screened_on = drawn.registered_on
    has_case = (rng.random() < CASE_SHARE) if case is None else case
    needs_sv = drawn.needs_sv
    flags = []
    if drawn.child and drawn.row.child_separation == ChildSeparation.UNACCOMPANIED:
        flags.append("SC-UC")
    elif drawn.child and drawn.row.child_separation == ChildSeparation.SEPARATED:
        flags.append("SC-SC")
    if needs_sv:
        flags.append("SV")
    if drawn.expelled:
        flags.append("expelled_abandoned")
    if rng.random() < 0.05:
        flags.append("trafficking")
    danger = rng.random() < 0.04
    rating = "high" if danger or needs_sv or "SC-UC" in flags else rng.choice(("low", "medium"))
    outcome: str = ScreeningOutcome.CASE_OPENED
    if not has_case:
        outcome = str(
            _weighted(
                rng,
                (
                    (ScreeningOutcome.REFERRED, 30),
                    (ScreeningOutcome.INFORMATION, 55),
                    (ScreeningOutcome.NO_ACTION, 15),
                ),
            )
        )
    need_codes = [
        s for s in ("food", "nfi", "health_care", "shelter", "information") if rng.random() < 0.3
    ]
    story = Story(
        screened_on=screened_on,
        rating=rating,
        outcome=outcome,
        danger=danger,
        needs=ref.codes_of("service_type", need_codes),
        flags=ref.codes_of("specific_need", [f for f in flags if f[:2].isupper()])
        + ref.codes_of("migration_need", [f for f in flags if not f[:2].isupper()]),
        assessment=None,
    )
    factor_codes = rng.sample(FACTOR_POOL, rng.randint(2, 6))
    specific = [f for f in flags if f[:2].isupper()] + (
        [rng.choice(NEED_POOL)] if rng.random() < 0.4 else []
    )
    migration_needs = [f for f in flags if not f[:2].isupper()]
    if not has_case:
        if rng.random() < 0.2:
            story.assessment = AssessmentRow(
                assessed_on=screened_on,
                factor_codes=factor_codes,
                specific_needs=ref.codes_of("specific_need", specific),
                migration_needs=ref.codes_of("migration_need", migration_needs),
                immediate_danger=danger,
            )
        return story
    final = status or str(_weighted(rng, STATUS_WEIGHTS))
    if not can_approve and final in (Status.IMPLEMENTATION, Status.FOLLOW_UP, Status.CLOSED):
        final = Status.CASE_PLAN  # nobody may approve the plan or the closure
    opened_on = min(screened_on + datetime.timedelta(days=rng.choice((0, 0, 0, 1, 2))), last_day)
    opened_on = max(opened_on, screened_on)
    story.status = final
    registered_at = drawn.row.registered_at or local_moment(screened_on, rng)
    story.opened_at = max(
        local_moment(opened_on, rng), registered_at + datetime.timedelta(minutes=40)
    )
    if final == Status.OPEN:
        path: list[str] = []
    elif final == Status.CLOSED:
        # Closed from where the person left: after services (implementation / follow-up),
        # or early (moved on, lost contact).
        path = [*PATH[: rng.choice((1, 3, 4, 4))], Status.CLOSED]
    else:
        path = list(PATH[: PATH.index(final) + 1])
    span_end = min(opened_on + datetime.timedelta(days=rng.randint(5, 240)), last_day)
    days = _spread(rng, opened_on, span_end, len(path))
    at = story.opened_at
    # Nothing after yesterday: moves that would spill over midnight are packed before it.
    limit = datetime.datetime.combine(last_day, datetime.time(23, 30), tzinfo=at.tzinfo)
    for index, (to_status, day) in enumerate(zip(path, days, strict=True)):
        left = len(path) - index
        # At least two hours apart where the day allows: the caseworker's follow-up work
        # fits in between.
        moment = max(local_moment(day, rng), at + datetime.timedelta(hours=2))
        moment = min(moment, limit - datetime.timedelta(minutes=5 * (left - 1)))
        moment = max(moment, at + datetime.timedelta(minutes=1))
        story.moves.append((to_status, moment))
        at = moment
    if Status.ASSESSMENT in path or (final == Status.OPEN and rng.random() < 0.3):
        assessed = story.moves[0][1].date() if story.moves else opened_on
        story.assessment = AssessmentRow(
            assessed_on=max(assessed, opened_on),
            factor_codes=factor_codes,
            specific_needs=ref.codes_of("specific_need", specific),
            migration_needs=ref.codes_of("migration_need", migration_needs),
            immediate_danger=danger,
        )
    if final == Status.CLOSED:
        reached = path[-2]
        story.closure_reason = (
            rng.choice((ClosureReason.GOALS_MET, ClosureReason.GOALS_MET, ClosureReason.REFERRED))
            if reached in (Status.IMPLEMENTATION, Status.FOLLOW_UP)
            else rng.choice(
                (ClosureReason.MOVED_ON, ClosureReason.LOST_CONTACT, ClosureReason.DECLINED)
            )
        )
    # Services: from the opening to the closure (or yesterday).
    end = story.moves[-1][1].date() if final == Status.CLOSED else last_day
    count = _service_count(rng, services_per_case)
    for day in _spread(rng, opened_on, max(end, opened_on), count):
        kind, _w, unit, (low, high) = rng.choices(SERVICES, weights=[s[1] for s in SERVICES])[0]
        quantity = None
        if unit:
            amount = rng.randint(low, high)
            if unit == Unit.XOF:
                amount = round(amount, -3) or 1000
            quantity = Decimal(amount)
        provider = (
            providers[0] if rng.random() < 0.8 or len(providers) < 2 else rng.choice(providers)
        )
        story.deliveries.append(
            DeliveryRow(
                service_type=ref.code("service_type", kind),
                provider=provider,
                delivered_on=day,
                outcome=str(_weighted(rng, _OUTCOMES)),
                quantity=quantity,
                unit=unit if quantity is not None else "",
            )
        )
    return story


def case_row(story: Story, *, caseworker: User, approver: User | None) -> CaseRow | None:
    if not story.status or story.opened_at is None:
        return None
    return CaseRow(
        caseworker=caseworker,
        opened_at=story.opened_at,
        moves=list(story.moves),
        closure_reason=story.closure_reason,
        approver=approver,
        deliveries=list(story.deliveries),
    )
